"""Characters that print nothing or mimic others neither hide a title nor make a second unit."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from juesuan.cli import main
from juesuan.errors import SourceError
from juesuan.ingest.pipeline import ingest
from juesuan.package.facts import facts
from juesuan.package.write import write_package
from juesuan.repository.unitmeta import load_unit
from juesuan.text import escape, plain
from tests.seeds import HUANGPI, source_of

NAME = "武汉市黄陂区大数据中心（本级）"
ZERO_WIDTH = "\u200b"
KANGXI_HEART = "\u2f3c"  # ⼼, which some PDF fonts give for 心
RTL_OVERRIDE = "\u202e"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _facts(source: Path, out: Path) -> list:
    return list(facts(write_package(ingest(source), out)))


def test_invisible_and_radical_characters_read_as_the_plain_text(tmp_path: Path) -> None:
    text = source_of(HUANGPI).read_text(encoding="utf-8")
    # Zero-width spaces inside every title and label, a BOM mid-text, Kangxi ⼼ for 心.
    odd = (
        text.replace("决算表", f"决{ZERO_WIDTH}算\ufeff表")
        .replace("支出", f"支{ZERO_WIDTH}出")
        .replace("心", KANGXI_HEART)
    )
    source = tmp_path / "odd.txt"
    source.write_text(odd, encoding="utf-8")
    disclosure = ingest(source)
    assert disclosure.unit == NAME
    assert _facts(source, tmp_path / "odd" / "2024") == _facts(
        source_of(HUANGPI), tmp_path / "plain" / "2024"
    )


def test_a_name_with_a_zero_width_space_is_no_new_unit(tmp_path: Path) -> None:
    result = run(
        "new", "huangpi-dsj", "2024", "--name", NAME.replace("数据", f"数{ZERO_WIDTH}据"),
        "--region-code", "420116", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "holds characters that print nothing or mimic others" in result.output
    assert "U+200B ZERO WIDTH SPACE at 9" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_look_alike_of_a_registered_unit_is_a_duplicate(tmp_path: Path) -> None:
    args = ["2024", "--region-code", "420116", "--out", str(tmp_path)]
    assert run("new", "huangpi-dsj", *args, "--name", NAME).exit_code == 0
    look_alike = NAME.replace("心", KANGXI_HEART)
    result = run("new", "huangpi-dsj-2", *args, "--name", look_alike)
    assert result.exit_code == 1
    assert f"duplicate unit: {look_alike} is already {tmp_path / 'huangpi-dsj'}" in result.output


def test_a_unit_json_with_a_bidi_override_is_refused(tmp_path: Path) -> None:
    unit = tmp_path / "huangpi-dsj"
    unit.mkdir()
    name = f"武汉市{RTL_OVERRIDE}心中据数大"
    (unit / "unit.json").write_text(
        json.dumps({"name": name, "region_code": "420116"}, ensure_ascii=False), encoding="utf-8"
    )
    try:
        load_unit(unit)
    except SourceError as error:
        assert "name: Value error, holds characters that print nothing" in error.message
        assert "U+202E RIGHT-TO-LEFT OVERRIDE at 4" in error.message
    else:
        raise AssertionError("unit.json with a bidi override was accepted")


def test_pages_never_show_a_bidi_override() -> None:
    assert escape(f"合计{RTL_OVERRIDE}10.82") == "合计10.82"
    assert plain(f"中{KANGXI_HEART}") == "中心"
