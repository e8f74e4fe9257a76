"""A document printed in 元 (not 万元) is read exactly, and checked at its own precision.

The seeds print 万元; reprinted here with every table amount × 10,000 under
单位：元, they must give the same facts, say 元 was printed, and validate as the
original does. A gap of 3 元, invisible at 0.01 万元, is a finding.
"""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.ingest.pipeline import ingest
from juesuan.package.write import write_package
from juesuan.text import AMOUNT
from juesuan.validation import validate_package
from tests.disclosure_files import ingested_facts
from tests.seeds import HUANGPI, QIAOKOU, source_of

# A table amount: not one the prose states in 万元 or 元, nor a percentage. One glued
# to the code after it (12.15302, flowed text) is a table amount too.
_TABLE_AMOUNT = re.compile(rf"(?<![\d.,]){AMOUNT}(?!\d*\s*(?:万元|元|%|％))")


def _in_yuan(source: Path, target: Path, edit: tuple[str, str] | None = None) -> Path:
    """``source`` reprinted in 元: every table amount × 10,000, with thousands separators."""
    text = source.read_text(encoding="utf-8").replace("单位：万元", "单位：元")
    text = _TABLE_AMOUNT.sub(lambda m: f"{Decimal(m.group().replace(',', '')) * 10000:,.2f}", text)
    if edit is not None:
        assert edit[0] in text, edit
        text = text.replace(*edit, 1)
    target.write_text(text, encoding="utf-8")
    return target


def _folder(source: Path, scratch: Path) -> Path:
    return write_package(ingest(source), scratch / source.stem)


@pytest.mark.parametrize("seed", [HUANGPI, QIAOKOU], ids=["cells", "flow"])
def test_a_document_printed_in_yuan_gives_the_facts_of_its_wan_yuan_print(
    tmp_path: Path, seed: Path
) -> None:
    source = source_of(seed)
    reprinted = _in_yuan(source, tmp_path / f"yuan{source.suffix}")
    assert "单位：元" in reprinted.read_text(encoding="utf-8")
    assert ingested_facts(reprinted, tmp_path / "yuan") == ingested_facts(source, tmp_path / "wan")


def test_the_package_says_which_unit_each_table_was_printed_in(tmp_path: Path) -> None:
    source = source_of(QIAOKOU)
    descriptor = json.loads(
        (_folder(_in_yuan(source, tmp_path / "yuan.txt"), tmp_path) / "datapackage.json").read_text(
            encoding="utf-8"
        )
    )
    tables = [r for r in descriptor["resources"] if "table" in r.get("juesuan", {})]
    assert tables and {r["juesuan"].get("printed_unit") for r in tables} == {"元"}
    assert all("原表以元列示" in r["description"] for r in tables)
    original = json.loads((QIAOKOU / "datapackage.json").read_text(encoding="utf-8"))
    assert not [r for r in original["resources"] if "printed_unit" in r.get("juesuan", {})]


def test_amounts_printed_in_yuan_are_kept_to_the_fen(tmp_path: Path) -> None:
    # 282.91 万元 printed as 2,829,112.34 元 is 282.911234 万元: nothing rounded away.
    source = _in_yuan(
        source_of(HUANGPI), tmp_path / "yuan.txt", ("\t2,829,100.00", "\t2,829,112.34")
    )
    folder = _folder(source, tmp_path)
    with (folder / "data" / "summary.csv").open(encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "282.911234" in cells and "2829112.34" not in cells


def test_a_document_printed_in_yuan_validates_as_its_wan_yuan_print(tmp_path: Path) -> None:
    folder = _folder(_in_yuan(source_of(QIAOKOU), tmp_path / "yuan.txt"), tmp_path)
    report = validate_package(folder)
    assert report.findings == [] and report.amounts == report.covered > 0


def test_a_gap_of_three_yuan_is_a_finding(tmp_path: Path) -> None:
    # The total 803.94 万元 printed as 8,039,403.00 元: 0.0003 万元 over the sum of its
    # terms, far inside 0.005 万元 a term but beyond 0.005 元 a term.
    source = _in_yuan(
        source_of(QIAOKOU),
        tmp_path / "yuan.txt",
        ("总计 27 8,039,400.00", "总计 27 8,039,403.00"),
    )
    errors = validate_package(_folder(source, tmp_path)).errors
    assert errors, "a 3 元 gap went unreported"
    gaps = {Decimal(f.difference or "0").copy_abs() for f in errors}
    assert gaps == {Decimal("0.0003")}
    assert all(Decimal(f.tolerance or "0") < Decimal("0.0003") for f in errors)
    assert {f.table for f in errors} == {"summary"} and all(f.line for f in errors)


def test_a_units_name_beginning_with_yuan_is_no_money_unit(tmp_path: Path) -> None:
    # 单位：元宝山区… names the unit, not the currency: the table is read in 万元.
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("\t单位："))
    lines[at] = "\t单位：元宝山区大数据中心"
    path = tmp_path / "named.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    named, original = ingest(path).tables, ingest(source_of(HUANGPI)).tables
    assert [t.unit for t in named] == [t.unit for t in original] == ["万元"] * len(original)
    assert [r.values for t in named for r in t.rows] == [r.values for t in original for r in t.rows]
