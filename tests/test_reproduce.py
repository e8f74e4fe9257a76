"""``juesuan check-sources``: committed packages are exactly what their sources give."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.cli import main
from juesuan.repository.check_sources import check_package
from tests.seeds import HUANGPI, source_of


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the 黄陂 seed package (with its unit folder) in a scratch repository."""
    unit = tmp_path / "datapackage" / HUANGPI.parent.name
    shutil.copytree(HUANGPI.parent, unit)
    return unit / HUANGPI.name


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_committed_package_matches_its_source(package: Path) -> None:
    assert check_package(package).status == "matches"


def test_the_generator_version_may_differ(package: Path) -> None:
    edit_json(package / "datapackage.json", lambda d: d["juesuan"].update(generator="juesuan 9"))
    assert check_package(package).status == "matches"


def test_an_edited_amount_is_reported_at_its_csv_line(package: Path) -> None:
    replace_in(
        package / "data" / "income.csv",
        "201,201,一般公共服务支出,282.91",
        "201,201,一般公共服务支出,282.92",
    )
    outcome = check_package(package)
    assert outcome.status == "differs"
    (problem,) = outcome.problems
    assert problem.file == package / "data" / "income.csv"
    assert problem.line == 3
    assert problem.message == (
        "2024年度收入决算表 row 201 一般公共服务支出, 本年收入合计: "
        "the package has 282.92, the source gives 282.91"
    )


def test_a_blanked_amount(package: Path) -> None:
    replace_in(package / "data" / "expenditure.csv", "167.56", "")
    messages = [p.message for p in check_package(package).problems]
    assert any(
        m.endswith("基本支出: the package has blank, the source gives 167.56") for m in messages
    )


def test_an_edited_narrative_file(package: Path) -> None:
    replace_in(package / "glossary.csv", "财政拨款收入", "财政拨款收人")
    (problem,) = check_package(package).problems
    assert problem.file == package / "glossary.csv"
    assert problem.message.startswith(
        f"glossary.csv differs from what the source gives at line {problem.line}: package "
    )


def test_an_edited_descriptor(package: Path) -> None:
    edit_json(package / "datapackage.json", lambda d: d["juesuan"].update(region="武汉市"))
    (problem,) = check_package(package).problems
    assert problem.message == (
        "datapackage.json differs from what the source gives at juesuan.region "
        '(package: "武汉市", source: "武汉市黄陂区")'
    )


def test_hand_edited_packages_are_skipped(package: Path) -> None:
    replace_in(package / "data" / "income.csv", "282.91", "282.92")
    edit_json(package / "datapackage.json", lambda d: d["juesuan"].update(hand_edited=True))
    outcome = check_package(package)
    assert (outcome.status, outcome.note) == (
        "skipped",
        "hand_edited: not compared with its source",
    )


def test_source_missing(package: Path) -> None:
    source = source_of(package)
    source.unlink()
    (problem,) = check_package(package).problems
    assert problem.file == package / "datapackage.json"
    assert problem.message.startswith(
        f"source missing: datapackage.json names source/{source.name}, which is not in the package"
    )
    assert "hand_edited" in problem.message


def test_source_replaced_without_ingest(package: Path) -> None:
    source = source_of(package)
    source.write_bytes(source.read_bytes() + b"\n")
    (problem,) = check_package(package).problems
    assert problem.message.startswith("the source changed since the package was written")
    assert f"run juesuan ingest {source}" in problem.message


def test_scaffolded_folder_without_a_package(tmp_path: Path) -> None:
    folder = tmp_path / "unit" / "2024"
    (folder / "source").mkdir(parents=True)
    (folder / "source" / ".gitkeep").write_text("")
    assert check_package(folder).problems[0].message.startswith("no source and no package")
    shutil.copyfile(source_of(HUANGPI), folder / "source" / "决算.txt")
    assert check_package(folder).problems[0].message == (
        f"not ingested yet: run juesuan ingest {folder / 'source' / '决算.txt'}"
    )


def test_command_exit_codes_and_annotations(package: Path) -> None:
    root = package.parent.parent
    runner = CliRunner()
    ok = runner.invoke(main, ["check-sources", "--root", str(root)])
    assert ok.exit_code == 0, ok.output
    assert "matches its source" in ok.output
    replace_in(
        package / "data" / "income.csv",
        "201,201,一般公共服务支出,282.91",
        "201,201,一般公共服务支出,282.92",
    )
    bad = runner.invoke(main, ["check-sources", str(package), "--format", "github"])
    assert bad.exit_code == 1
    annotation = next(line for line in bad.output.splitlines() if line.startswith("::error"))
    assert annotation.startswith(f"::error file={package / 'data' / 'income.csv'},line=3,")
    assert annotation.endswith("the package has 282.92, the source gives 282.91")
