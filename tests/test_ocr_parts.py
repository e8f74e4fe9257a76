"""A part's heading and its glossary terms as OCR reads them are still the part's.

The cells seed is given to the pipeline as if OCR had read it (every line on a
scanned page), its 名词解释 heading read with a stray mark, a space and a
character otherwise, and its terms' ordinals spaced out ((一 )), so each case
runs without Tesseract.
"""

from __future__ import annotations

import re
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


def _as_ocr_reads(text: str) -> str:
    """A glossary line as OCR gives it: ordinals and quotes spaced out, a colon read as ;."""
    term = re.match(r"^\((十[一二三四五六七八])\)(.*)$", text)
    if term:
        ordinal, rest = term.groups()
        spaced = " ".join(ordinal)
        # Half the terms numbered 十 一 、 as other documents print them.
        head = f"{spaced} 、" if ordinal[-1] in "一三五七" else f"(十 {ordinal[1]} )"
        return head + rest.replace("“三公”", "“三 公 ” ").replace("：", " ; ", 1)
    if text.startswith("1."):
        return "（1）" + text[2:]
    return text


def test_glossary_terms_numbered_and_spaced_as_ocr_reads_them_are_the_terms(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(source_of(HUANGPI).read_bytes())
    text = replace(read_document(source_of(HUANGPI)), path=source)
    monkeypatch.setattr(pipeline, "read_document", lambda _path: text)
    printed = pipeline.ingest(source).glossary
    assert len(printed) == 19 and [e.number for e in printed].count("1") == 1
    start = text.lines.index(HEADING) + 1
    changed = {
        n: _as_ocr_reads(line)
        for n, line in enumerate(text.lines, start=1)
        if n > start and _as_ocr_reads(line) != line
    }
    assert len(changed) == 9
    scanned = replace(text.with_lines(changed), ocr=OcrReading("tesseract 5.3.0", (1,), ()))
    where = tuple(f"page 1, line {n}" for n in range(1, len(text.lines) + 1))
    scanned = replace(scanned, locations=where)
    monkeypatch.setattr(pipeline, "read_document", lambda _path: scanned)
    read = pipeline.ingest(source).glossary
    assert [(e.number, e.term, e.parent) for e in read] == [
        (e.number, e.term, e.parent) for e in printed
    ]
    three = next(e for e in read if "三公" in e.term)
    assert three.term == "“三公”经费" and three.definition.startswith("纳入市级财政")
