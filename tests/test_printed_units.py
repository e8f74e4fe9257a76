"""A document printed in 元 (not 万元) is read exactly, and checked at its own precision.

The seeds print 万元; reprinted here with every table amount × 10,000 under
单位：元, they must give the same facts, say 元 was printed, and validate as the
original does. A gap of 3 元, invisible at 0.01 万元, is a finding.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.ingest import pipeline
from juesuan.ingest.pipeline import ingest
from juesuan.ingest.readers import read_document
from juesuan.ingest.source import OcrReading, OcrWord
from juesuan.package.write import write_package
from juesuan.taxonomy.statements import decimals_of, number_of
from juesuan.text import AMOUNT
from juesuan.validation import validate_package
from tests.disclosure_files import (
    docx_document,
    html_page,
    ingested_facts,
    ruled_pdf,
    xlsx_workbook,
)
from tests.seeds import HUANGPI, QIAOKOU, source_of

# A table amount: not one the prose states in 万元 or 元, nor a percentage. One glued
# to the code after it (12.15302, flowed text) is a table amount too.
_TABLE_AMOUNT = re.compile(rf"(?<![\d.,]){AMOUNT}(?!\d*\s*(?:万元|元|%|％))")


# An amount the prose states in 万元 to the cent (803.94 万元).
_STATED = re.compile(r"(?<![\d.,])(\d[\d,]*\.\d{2})\s*万元")


def _in_yuan(
    source: Path,
    target: Path,
    edit: tuple[str, str] | None = None,
    prose: bool = False,
    separators: bool = True,
) -> Path:
    """``source`` reprinted in 元: every table amount × 10,000, with thousands separators.

    With ``prose``, the amounts the narrative states in 万元 are stated in 元 too.
    ``edit`` then replaces the first occurrence of a text. Without ``separators``
    the amounts are plain numbers (a workbook's cells hold numbers).
    """
    text = source.read_text(encoding="utf-8").replace("单位：万元", "单位：元")
    text = _TABLE_AMOUNT.sub(lambda m: _times_10000(m.group(), separators), text)
    if prose:
        text = _STATED.sub(lambda m: _times_10000(m.group(1)) + "元", text)
    if edit is not None:
        assert edit[0] in text, edit
        text = text.replace(*edit, 1)
    target.write_text(text, encoding="utf-8")
    return target


def _times_10000(amount: str, separators: bool = True) -> str:
    value = Decimal(amount.replace(",", "")) * 10000
    return f"{value:,.2f}" if separators else f"{value:.2f}"


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


@pytest.mark.parametrize("make", [ruled_pdf, xlsx_workbook, docx_document, html_page])
def test_every_reader_gives_the_same_facts_in_yuan(
    tmp_path: Path, make: Callable[[Path, Path], Path]
) -> None:
    # Each reader's lines go through the same table reading: 单位：元 is seen in all.
    source = _in_yuan(source_of(HUANGPI), tmp_path / "yuan.txt", separators=False)
    suffix = {ruled_pdf: ".pdf", xlsx_workbook: ".xlsx", docx_document: ".docx"}
    made = make(source, tmp_path / f"决算{suffix.get(make, '.html')}")
    assert ingested_facts(made, tmp_path / "made") == ingested_facts(
        source_of(HUANGPI), tmp_path / "wan"
    )


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
    report = validate_package(_folder(source, tmp_path))
    errors = report.errors
    assert errors, "a 3 元 gap went unreported"
    # The narrative's 803.94万元 is the rounding of 8,039,403.00 元: no finding.
    assert [f.rule for f in report.findings if f.rule.startswith("narrative")] == []
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


def test_a_narrative_stating_yuan_is_compared_in_yuan(tmp_path: Path) -> None:
    source = _in_yuan(source_of(QIAOKOU), tmp_path / "yuan.txt", prose=True)
    assert "收、支总计8,039,400.00元" in source.read_text(encoding="utf-8").replace(" ", "")
    assert validate_package(_folder(source, tmp_path / "same")).findings == []
    # A sentence stating the total 3 元 off is held to the fen it prints.
    off = _in_yuan(
        source_of(QIAOKOU), tmp_path / "off.txt", ("8,039,400.00元。", "8,039,403.00元。"), True
    )
    (finding,) = validate_package(_folder(off, tmp_path / "off")).findings
    assert finding.rule == "narrative-grand-total" and finding.severity == "warning"
    assert Decimal(finding.found or "") == Decimal("803.9403") and finding.expected == "803.94"
    assert "8,039,403.00元" in finding.message


def test_a_stated_amount_is_read_in_wan_yuan_at_the_precision_stated() -> None:
    assert number_of("2,829,100.00元") == Decimal("282.91")
    assert number_of("282.91万元") == Decimal("282.91")
    assert number_of("59.2") == Decimal("59.2")
    assert [decimals_of(t) for t in ("16万元", "282.91万元", "1.50元", "59.2")] == [0, 2, 6, 1]


def test_a_document_mixing_units_checks_each_table_at_its_own_precision(
    tmp_path: Path,
) -> None:
    # Only 公开01表 printed in 元: its rules at 0.005 元 a term, the identities it shares
    # with tables printed in 万元 at the coarser 0.005 万元, so the findings are the
    # original's.
    source = source_of(HUANGPI)
    text = source.read_text(encoding="utf-8")
    first, second = [m.start() for m in re.finditer("金额单位：万元", text)][:2]
    head = text[:first] + "金额单位：元" + text[first + len("金额单位：万元") : second]
    head = re.sub(
        r"(?m)^(\t)(-?\d+\.\d{2})$", lambda m: m.group(1) + _times_10000(m.group(2)), head
    )
    mixed = tmp_path / "mixed.txt"
    mixed.write_text(head + text[second:], encoding="utf-8")
    folder = _folder(mixed, tmp_path / "mixed")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    units = {
        r["juesuan"]["table"]: r["juesuan"].get("printed_unit", "万元")
        for r in descriptor["resources"]
        if "table" in r.get("juesuan", {})
    }
    assert units.pop("summary") == "元" and set(units.values()) == {"万元"}
    assert ingested_facts(mixed, tmp_path / "facts") == ingested_facts(source, tmp_path / "wan")

    def found(package: Path) -> list[tuple[str, str, str | None]]:
        return sorted(
            (f.rule, f.severity, f.difference) for f in validate_package(package).findings
        )

    assert found(folder) == found(HUANGPI)
    # 一般公共预算财政拨款收入 printed 30 元 more: 0.003 万元, beyond 0.005 元 a term in
    # 公开01表's own sum, within 0.005 万元 a term where it meets the 万元 tables.
    mixed.write_text(
        head.replace("\t2,829,100.00", "\t2,829,130.00", 1) + text[second:], encoding="utf-8"
    )
    report = validate_package(_folder(mixed, tmp_path / "gap"))
    by_rule = {f.rule: f for f in report.findings if f.difference == "-0.003"}
    assert by_rule.pop("summary-income-total").severity == "error"
    assert len(by_rule) == 3 and all(f.severity == "warning" for f in by_rule.values())
    assert {f.tolerance for f in by_rule.values()} == {"0.010"}


def test_a_doubtful_amount_of_a_scan_in_yuan_is_corrected_by_the_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cell holds 万元, the scan's line 元: the correction finds its cell all the same.
    source = tmp_path / "unit" / "2019" / "source" / "scan.pdf"
    source.parent.mkdir(parents=True)
    text = _in_yuan(source_of(QIAOKOU), tmp_path / "yuan.txt")
    shutil.copyfile(text, source)
    document = read_document(text)
    row = "2150502 一般行政管理事务 1,918,900.00 1,918,900.00"
    number = document.lines.index(row) + 1
    start = len(row) - len("1,918,900.00")
    lines = list(document.lines)
    lines[number - 1] = row[:start] + "1,918,900.0:"
    words = (
        OcrWord(number, 0, "2150502", 95.0),
        OcrWord(number, row.index("1,918,900.00"), "1,918,900.00", 93.0),
        OcrWord(number, start, "1,918,900.0:", 27.0),
    )
    scanned = replace(
        document,
        path=source,
        lines=tuple(lines),
        ocr=OcrReading("tesseract 5.3.0", (3,), words),
    )
    monkeypatch.setattr(pipeline, "read_document", lambda _path: scanned)
    (correction,) = pipeline.ingest(source).ocr_corrections
    assert (correction.corrected, correction.by) == ("1,918,900.00", "arithmetic")
    assert (correction.table, correction.row, correction.column) == (
        "income",
        "2150502",
        "fiscal_appropriation",
    )
