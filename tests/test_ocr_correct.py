"""Amounts OCR doubts are corrected only when the arithmetic leaves one choice.

These tests give the pipeline the text seed as if OCR had read it (its words
and their confidences), so each case runs in a second; tests/test_ocr.py reads
real scans with Tesseract.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from juesuan.errors import SourceError
from juesuan.ingest import pipeline
from juesuan.ingest.ocr_correct import DOUBTFUL, FILE
from juesuan.ingest.readers import read_document
from juesuan.ingest.report import report
from juesuan.ingest.source import Document, OcrReading, OcrWord
from juesuan.package.write import write_package
from juesuan.taxonomy.package_meta import PackageMeta
from tests.disclosure_files import ingested_facts
from tests.seeds import HUANGPI, QIAOKOU, source_of

ROW = "2150502 一般行政管理事务 191.89 191.89"
"""A row of 收入决算表 (表2): 本年收入合计 and 财政拨款收入 of one 项."""


def _scanned(path: Path, read: str, confidence: float) -> Document:
    """The seed as OCR would give it, its first ``ROW`` read with ``read`` last."""
    document = read_document(source_of(QIAOKOU))
    number = document.lines.index(ROW) + 1
    lines = list(document.lines)
    start = len(ROW) - len("191.89")
    lines[number - 1] = ROW[:start] + read
    words = (
        OcrWord(number, 0, "2150502", 95.0),
        OcrWord(number, ROW.index("191.89"), "191.89", 93.0),
        OcrWord(number, start, read, confidence),
    )
    pages = OcrReading("tesseract 5.3.0", (3,), words)
    return replace(document, path=path, lines=tuple(lines), ocr=pages)


@pytest.fixture
def as_scanned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Make ingest read ``tmp_path/<unit>/<year>/source/scan.pdf`` as the given OCR."""
    source = tmp_path / "unit" / "2019" / "source" / "scan.pdf"
    source.parent.mkdir(parents=True)
    shutil.copyfile(source_of(QIAOKOU), source)

    def scanned(read: str, confidence: float) -> Path:
        document = _scanned(source, read, confidence)
        monkeypatch.setattr(pipeline, "read_document", lambda _path: document)
        return source

    return scanned


def _meta(folder: Path) -> PackageMeta:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return PackageMeta.model_validate_json(json.dumps(descriptor["juesuan"]))


def test_a_doubtful_digit_the_rules_confirm_is_corrected_and_recorded(
    as_scanned, tmp_path: Path
) -> None:
    source = as_scanned("191.8:", 27.0)
    disclosure = pipeline.ingest(source)
    (correction,) = disclosure.ocr_corrections
    assert (correction.table, correction.row, correction.column) == (
        "income",
        "2150502",
        "fiscal_appropriation",
    )
    assert (correction.read, correction.corrected, correction.by) == (
        "191.8:",
        "191.89",
        "arithmetic",
    )
    assert "income-by-source" in correction.rules
    folder = write_package(disclosure, tmp_path / "out")
    meta = _meta(folder)
    assert meta.ocr is not None and meta.ocr.pages == [3]
    assert meta.ocr_corrections is not None
    assert meta.ocr_corrections[0].corrected == "191.89"
    assert meta.ocr_corrections[0].confidence == 27.0
    shown = "\n".join(report(disclosure, source, tmp_path / "out"))
    assert "pages read by OCR (tesseract 5.3.0): 3" in shown
    assert "read '191.8:' (confidence 27), corrected to 191.89 by the rules income-" in shown
    text = ingested_facts(source_of(QIAOKOU), tmp_path / "text")
    assert ingested_facts(source, tmp_path / "scan") == text


def test_a_confident_wrong_digit_is_refused_not_corrected(as_scanned) -> None:
    source = as_scanned("191.83", 93.0)
    with pytest.raises(SourceError) as caught:
        pipeline.ingest(source)
    message = str(caught.value)
    assert "OCR was sure of every digit, so none is changed but by a person" in message
    assert "191.83" in message
    assert FILE in (caught.value.expected or "")


def test_a_doubtful_amount_two_characters_off_is_refused(as_scanned) -> None:
    source = as_scanned("181.88", DOUBTFUL - 1)
    with pytest.raises(SourceError) as caught:
        pipeline.ingest(source)
    message = str(caught.value)
    assert "read '181.88' (confidence 79)" in message
    assert "no single-character change of an amount OCR was unsure of mends it" in message


def test_a_value_given_by_hand_settles_a_confident_misreading(as_scanned, tmp_path: Path) -> None:
    source = as_scanned("191.83", 93.0)
    with pytest.raises(SourceError) as caught:
        pipeline.ingest(source)
    line = caught.value.line or int(str(caught.value).split("line ")[1].split(" ")[0])
    given = source.parent.parent / FILE
    given.write_text(f'- line: {line}\n  read: "191.83"\n  value: "191.89"\n', encoding="utf-8")
    disclosure = pipeline.ingest(source)
    (correction,) = disclosure.ocr_corrections
    assert (correction.by, correction.read, correction.corrected) == ("hand", "191.83", "191.89")
    assert correction.row == "2150502"
    folder = write_package(disclosure, tmp_path / "out")
    assert (folder / FILE).read_text(encoding="utf-8") == given.read_text(encoding="utf-8")
    meta = _meta(folder)
    assert meta.ocr_corrections is not None and meta.ocr_corrections[0].by == "hand"


def test_a_value_given_for_nothing_ocr_read_is_an_error(as_scanned) -> None:
    source = as_scanned("191.89", 93.0)
    (source.parent.parent / FILE).write_text(
        '- line: 3\n  read: "191.83"\n  value: "191.89"\n', encoding="utf-8"
    )
    with pytest.raises(SourceError, match=r"OCR read no '191.83' on line 3"):
        pipeline.ingest(source)


INCOME_CELL = 368
"""The line of 表2's row 2013750 事业运行, column 财政拨款收入 (282.91), in the cells seed."""
EXPENDITURE_CELL = 464
"""The line of 表3's row 2013750 事业运行, column 基本支出 (167.56)."""


def _cells_scanned(path: Path, reads: dict[int, tuple[str, float]]) -> Document:
    """The cells seed as OCR would give it, the cells on the lines of ``reads`` so read."""
    document = read_document(source_of(HUANGPI))
    assert document.line(INCOME_CELL) == "\t282.91"
    assert document.line(EXPENDITURE_CELL) == "\t167.56"
    words = tuple(OcrWord(n, 1, read, confidence) for n, (read, confidence) in reads.items())
    document = document.with_lines({n: "\t" + read for n, (read, _c) in reads.items()})
    return replace(document, path=path, ocr=OcrReading("tesseract 5.3.0", (6,), words))


@pytest.fixture
def cells_scanned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Make ingest read a scan of the cells seed with the cells given misread."""
    source = tmp_path / "unit" / "2024" / "source" / "scan.pdf"
    source.parent.mkdir(parents=True)
    shutil.copyfile(source_of(HUANGPI), source)

    def scanned(reads: dict[int, tuple[str, float]]) -> Path:
        document = _cells_scanned(source, reads)
        monkeypatch.setattr(pipeline, "read_document", lambda _path: document)
        return source

    return scanned


def test_a_doubtful_digit_in_each_of_two_tables_is_mended_by_each_tables_rules(
    cells_scanned, tmp_path: Path
) -> None:
    source = cells_scanned({INCOME_CELL: ("282.97", 41.0), EXPENDITURE_CELL: ("187.56", 38.0)})
    disclosure = pipeline.ingest(source)
    corrections = sorted(disclosure.ocr_corrections, key=lambda c: c.line)
    assert [(c.table, c.row, c.column, c.read, c.corrected, c.by) for c in corrections] == [
        ("income", "2013750", "fiscal_appropriation", "282.97", "282.91", "arithmetic"),
        ("expenditure", "2013750", "basic", "187.56", "167.56", "arithmetic"),
    ]
    assert all(c.rules for c in corrections)
    meta = _meta(write_package(disclosure, tmp_path / "out"))
    assert meta.ocr_corrections is not None
    assert [c.table for c in meta.ocr_corrections] == ["income", "expenditure"]
    text = ingested_facts(source_of(HUANGPI), tmp_path / "text")
    assert ingested_facts(source, tmp_path / "scan") == text


def test_a_confident_wrong_digit_in_each_of_two_tables_is_refused_naming_both(
    cells_scanned,
) -> None:
    source = cells_scanned({INCOME_CELL: ("282.97", 96.0), EXPENDITURE_CELL: ("187.56", 38.0)})
    # The expenditure cell alone would be mended; the income cell is sure, so both
    # stop the ingest: a mend is never published beside a cell left wrong.
    with pytest.raises(SourceError) as caught:
        pipeline.ingest(source)
    message = str(caught.value)
    assert "收入决算表 row 事业运行" in message
    assert "OCR was sure of every digit, so none is changed but by a person" in message
    assert caught.value.line is not None
    source = cells_scanned({INCOME_CELL: ("282.97", 96.0), EXPENDITURE_CELL: ("187.56", 97.0)})
    with pytest.raises(SourceError) as caught:
        pipeline.ingest(source)
    income, expenditure = str(caught.value).split("; and ")
    assert "收入决算表 row 事业运行" in income and "支出决算表" not in income
    assert "支出决算表 row 事业运行" in expenditure
    for said in (income, expenditure):
        assert "OCR was sure of every digit, so none is changed but by a person" in said


def test_a_garbled_amount_in_each_of_two_tables_is_mended_by_each_tables_rules(
    cells_scanned, tmp_path: Path
) -> None:
    # Neither 282.9: nor 167.5 is an amount: the tables cannot be read until both
    # are mended, and what each is, is its own table's rules' to say.
    source = cells_scanned({INCOME_CELL: ("282.9:", 31.0), EXPENDITURE_CELL: ("167.5", 35.0)})
    disclosure = pipeline.ingest(source)
    corrections = sorted(disclosure.ocr_corrections, key=lambda c: c.line)
    assert [(c.table, c.column, c.read, c.corrected) for c in corrections] == [
        ("income", "fiscal_appropriation", "282.9:", "282.91"),
        ("expenditure", "basic", "167.5", "167.56"),
    ]
    text = ingested_facts(source_of(HUANGPI), tmp_path / "text")
    assert ingested_facts(source, tmp_path / "scan") == text
