"""A part's heading and its glossary terms as OCR reads them are still the part's.

The cells seed is given to the pipeline as if OCR had read it (every line on a
scanned page), its 名词解释 heading read with a stray mark, a space and a
character otherwise, and its terms' ordinals spaced out ((一 )), so each case
runs without Tesseract.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from juesuan.ingest import pipeline
from juesuan.ingest.readers import read_document
from juesuan.ingest.source import Document, OcrReading
from tests.seeds import HUANGPI, source_of

HEADING = "第五部分  名词解释"
READ = "第五部分 ”名 词解粹"


def _read(path: Path, *, scanned: bool) -> Document:
    document = read_document(source_of(HUANGPI))
    changed = {document.lines.index(HEADING) + 1: READ}
    for number, text in enumerate(document.lines, start=1):
        if text.startswith("(一)"):
            changed[number] = "(一 )" + text[3:]
    document = replace(document.with_lines(changed), path=path)
    if not scanned:
        return document
    where = tuple(f"page 1, line {n}" for n in range(1, len(document.lines) + 1))
    return replace(document, locations=where, ocr=OcrReading("tesseract 5.3.0", (1,), ()))


def _glossary(monkeypatch: pytest.MonkeyPatch, document: Document) -> list[str]:
    monkeypatch.setattr(pipeline, "read_document", lambda _path: document)
    disclosure = pipeline.ingest(document.path)
    return [entry.term for entry in disclosure.glossary]


def test_a_glossary_heading_and_terms_as_ocr_reads_them_give_the_glossary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(source_of(HUANGPI).read_bytes())
    printed = _glossary(monkeypatch, replace(read_document(source_of(HUANGPI)), path=source))
    assert len(printed) > 5
    assert _glossary(monkeypatch, _read(source, scanned=True)) == printed


def test_the_same_heading_in_a_text_layer_heads_no_glossary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "text.pdf"
    source.write_bytes(source_of(HUANGPI).read_bytes())
    assert _glossary(monkeypatch, _read(source, scanned=False)) == []
