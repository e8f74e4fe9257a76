"""Word documents and web pages give the facts of the text they were made from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from juesuan.errors import SourceError
from juesuan.ingest.pipeline import ingest
from juesuan.ingest.readers import read_document, sniffed_suffix
from tests.disclosure_files import docx_document, html_page, ingested_facts, xlsx_workbook
from tests.seeds import HUANGPI, source_of


@pytest.fixture(scope="module")
def text_facts(tmp_path_factory: pytest.TempPathFactory) -> str:
    return ingested_facts(source_of(HUANGPI), tmp_path_factory.mktemp("text"))


def test_a_word_document_gives_the_facts_of_its_text(tmp_path: Path, text_facts: str) -> None:
    document = docx_document(source_of(HUANGPI), tmp_path / "决算.docx")
    assert ingested_facts(document, tmp_path) == text_facts
    disclosure = ingest(document)
    assert disclosure.layout == "cells" and disclosure.document.encoding == "docx"
    locations = [where for where in disclosure.document.locations or () if where]
    assert any(where.startswith("table ") and " row " in where for where in locations)
    assert any(where.startswith("paragraph ") for where in locations)


@pytest.mark.parametrize(("encoding", "framed"), [("utf-8", False), ("gb2312", True)])
def test_a_web_page_gives_the_facts_of_its_text(
    tmp_path: Path, text_facts: str, encoding: str, framed: bool
) -> None:
    page = html_page(source_of(HUANGPI), tmp_path / "决算.html", encoding, framed)
    assert ingested_facts(page, tmp_path) == text_facts
    disclosure = ingest(page)
    assert disclosure.document.encoding == f"html/{'gb18030' if encoding == 'gb2312' else encoding}"
    # The script in the head is not the document.
    assert not any("var x" in line for line in disclosure.document.lines)


def test_rowspans_and_colspans_are_merged_cells(tmp_path: Path) -> None:
    page = tmp_path / "spans.html"
    page.write_text(
        "<html><body><p>标题</p><table>"
        '<tr><td rowspan="2">项目</td><td colspan="2">决算数</td></tr>'
        "<tr><td>基本支出</td><td>项目支出</td></tr>"
        "<tr><td>合计</td><td>1.00</td><td>2.00</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    lines = list(read_document(page).lines)
    assert lines == [
        "标题",
        "\t项目", "\t决算数", "",
        "\t基本支出", "\t项目支出", "",
        "\t合计", "\t1.00", "\t2.00", "",
        "",
    ]  # fmt: skip


def test_the_kind_is_told_by_content_not_by_suffix(tmp_path: Path, text_facts: str) -> None:
    document = docx_document(source_of(HUANGPI), tmp_path / "a.docx")
    renamed = shutil.copy(document, tmp_path / "决算.pdf")
    assert sniffed_suffix(Path(renamed)) == ".docx"
    assert ingested_facts(Path(renamed), tmp_path / "renamed") == text_facts
    page = html_page(source_of(HUANGPI), tmp_path / "page.html")
    saved = shutil.copy(page, tmp_path / "detail.txt")  # what a browser "save as" may name it
    assert sniffed_suffix(Path(saved)) == ".html"
    workbook = xlsx_workbook(source_of(HUANGPI), tmp_path / "book.xlsx")
    assert sniffed_suffix(workbook) == ".xlsx"


def test_a_doc_without_libreoffice_says_how(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    doc = tmp_path / "决算.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") * 4)
    with pytest.raises(SourceError) as caught:
        ingest(doc)
    assert "needs LibreOffice" in caught.value.message
    assert "saved as .docx or PDF" in str(caught.value)


def test_a_damaged_word_document_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(SourceError) as caught:
        ingest(bad)
    assert str(bad) in str(caught.value)


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_damaged_copies_are_read_or_refused(tmp_path: Path, kind: str) -> None:
    import random

    make = docx_document if kind == "docx" else html_page
    original = make(source_of(HUANGPI), tmp_path / f"seed.{kind}").read_bytes()
    chance = random.Random(kind)
    for index in range(20):
        data = bytearray(original)
        for _ in range(chance.randint(1, 8)):
            data[chance.randrange(len(data))] = chance.randrange(256)
        mutant = tmp_path / f"mutant-{index}.{kind}"
        mutant.write_bytes(bytes(data))
        try:
            ingest(mutant)
        except SourceError as error:
            assert str(mutant) in str(error)
