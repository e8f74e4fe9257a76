"""A placement the rules cannot decide is given by hand in placements.yaml, and kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.cli import main
from juesuan.errors import SourceError
from juesuan.ingest.given import load
from juesuan.package.facts import facts
from tests.seeds import HUANGPI
from tests.test_variants import _reprinted

SLUG = "wuhan-huangpi-dashujuzhongxin-benji"


def _silent_flow() -> str:
    """Seed 000 as PDF text flow, its 三公 sentences gone: nothing tells 因公出国 from 公务接待."""
    lines = _reprinted(lambda cells: [" ".join(c for c in cells if c), ""])
    narrative = next(i for i, line in enumerate(lines) if line.startswith("第三部分"))
    kept = [line for line in lines[narrative:] if "三公" not in line and "公务接待" not in line]
    return "\n".join([*lines[:narrative], *kept])


def _unit_with_silent_flow(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(packages root, year folder, source) of a unit whose source is _silent_flow()."""
    root = tmp_path / "datapackage"
    year = root / SLUG / "2024"
    (year / "source").mkdir(parents=True)
    source = year / "source" / "flowed.txt"
    source.write_text(_silent_flow(), encoding="utf-8")
    return root, year, source


def test_given_placement_decides_and_is_kept(tmp_path: Path) -> None:
    root, year, source = _unit_with_silent_flow(tmp_path)
    runner = CliRunner()
    refused = runner.invoke(main, ["ingest", str(source), "--out", str(root)])
    assert refused.exit_code == 1
    assert "cannot decide" in refused.output and "公务接待费" in refused.output
    assert not (year / "datapackage.json").exists()

    (year / "placements.yaml").write_text(
        "- table: three_public\n"
        "  row: total\n"
        "  columns: [budget_total, budget_reception, actual_total, actual_reception]\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["ingest", str(source), "--out", str(root)])
    assert result.exit_code == 0, result.output
    assert sorted(facts(year), key=repr) == sorted(facts(HUANGPI), key=repr)
    descriptor = json.loads((year / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["juesuan"]["given_placements"] == [
        {
            "table": "three_public",
            "row": "total",
            "columns": ["budget_total", "budget_reception", "actual_total", "actual_reception"],
        }
    ]
    assert (year / "placements.yaml").is_file()
    checked = runner.invoke(main, ["check-sources", str(year), "--root", str(root)])
    assert checked.exit_code == 0, checked.output


def test_a_given_placement_that_does_not_fit_is_an_error(tmp_path: Path) -> None:
    root, year, source = _unit_with_silent_flow(tmp_path)
    (year / "placements.yaml").write_text(
        "- table: three_public\n  row: total\n  columns: [budget_total, actual_total]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["ingest", str(source), "--out", str(root)])
    assert result.exit_code == 1
    assert "placements.yaml" in result.output
    assert "do not fit the amounts 0.13 0.13 0.13 0.13" in result.output


def test_placements_with_yaml_aliases_are_refused(tmp_path: Path) -> None:
    # A few lines of anchors and aliases would expand into millions of nodes.
    bomb = tmp_path / "placements.yaml"
    bomb.write_text(
        'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="anchors and aliases"):
        load(bomb)
