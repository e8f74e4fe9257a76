"""行次 and 栏次 a scan read with a digit lost are given back by their run, or named.

The cells seed is given to the pipeline as if OCR had read it (every line on a
scanned page), with numbers misread as small type makes Tesseract misread
them, so each case runs without Tesseract.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from juesuan.errors import SourceError
from juesuan.ingest import pipeline
from juesuan.ingest.ocr_rows import repair_row_numbers
from juesuan.ingest.readers import read_document
from juesuan.ingest.source import Document, OcrReading
from juesuan.package.facts import write_facts
from juesuan.package.write import write_package
from tests.disclosure_files import ingested_facts
from tests.seeds import HUANGPI, source_of


def _misread(path: Path, reads: dict[str, tuple[int, str]], *, scanned: bool = True) -> Document:
    """The cells seed with each line ``printed`` (the nth such) read otherwise."""
    document = read_document(source_of(HUANGPI))
    changed = {}
    for printed, (nth, read) in reads.items():
        numbers = [n for n, line in enumerate(document.lines, start=1) if line == printed]
        changed[numbers[nth]] = read
    document = replace(document.with_lines(changed), path=path)
    if not scanned:
        return document
    where = tuple(f"page 1, line {n}" for n in range(1, len(document.lines) + 1))
    return replace(document, locations=where, ocr=OcrReading("tesseract 5.3.0", (1,), ()))


@pytest.fixture(scope="module")
def text_facts(tmp_path_factory: pytest.TempPathFactory) -> str:
    return ingested_facts(source_of(HUANGPI), tmp_path_factory.mktemp("text"))


def test_a_line_number_and_a_column_number_with_a_digit_lost_are_given_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text_facts: str
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(source_of(HUANGPI).read_bytes())
    # 行次 61 ends its column (no number below it); 栏次 11 stands between 10 and 12.
    document = _misread(source, {"\t61": (0, "\t6"), "\t11": (2, "\t1")})
    monkeypatch.setattr(pipeline, "read_document", lambda _path: document)
    disclosure = pipeline.ingest(source)
    repairs = sorted((c.read, c.corrected, c.kind, c.by) for c in disclosure.ocr_corrections)
    assert repairs == [("1", "11", "row_number", "sequence"), ("6", "61", "row_number", "sequence")]
    folder = write_package(disclosure, tmp_path / "package")
    meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["juesuan"]
    assert {c["kind"] for c in meta["ocr_corrections"]} == {"row_number"}
    out = io.StringIO()
    write_facts(folder, out)
    assert out.getvalue() == text_facts


def test_a_number_two_of_the_run_could_have_lost_a_digit_of_is_named(tmp_path: Path) -> None:
    # Between 26 and 29, 2 could be 27 or 28 with a digit lost.
    document = _misread(tmp_path / "scan.pdf", {"\t27": (0, "\t26"), "\t28": (0, "\t2")})
    with pytest.raises(SourceError) as caught:
        repair_row_numbers(document)
    assert "行次 read as 2 between 26 and 29 could be 27 or 28" in caught.value.message
    assert caught.value.line == read_document(source_of(HUANGPI)).lines.index("\t28") + 1


def test_a_number_no_lost_digit_from_the_run_and_a_text_layer_are_left() -> None:
    path = Path("scan.pdf")
    wrong = _misread(path, {"\t61": (0, "\t67")})
    assert repair_row_numbers(wrong) == (wrong, [])
    text = _misread(path, {"\t61": (0, "\t6")}, scanned=False)
    assert repair_row_numbers(text) == (text, [])


def test_a_flowed_column_numbering_missing_one_number_takes_it() -> None:
    lines = ("2019 年度收入决算表", "栏次 1 ， 3 4 5", "栏次 1 ， ， 4", "合计 1 ， 3")
    document = Document(
        Path("scan.pdf"),
        "pdf",
        "0" * 64,
        lines,
        tuple(f"page 2, line {n}" for n in range(1, len(lines) + 1)),
        ocr=OcrReading("tesseract 5.3.0", (2,), ()),
    )
    mended, (repair,) = repair_row_numbers(document)
    assert mended.lines == (lines[0], "栏次 1 2 3 4 5", *lines[2:])
    assert (repair.line, repair.read, repair.corrected, repair.start) == (2, "，", "2", 5)
