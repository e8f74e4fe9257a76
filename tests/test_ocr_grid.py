"""A scanned ruled table is read as cells, and OCR's words are kept by content.

The cells seed printed with ruled tables has its page of 收入决算表, 支出决算表
and 财政拨款收入支出决算总表 turned into a 200 dpi picture: its ruling lines
give the cells, as pdfplumber gives a text PDF's, and the facts are the text
source's. Reading it again costs no OCR; a damaged cache entry is read afresh.
A page whose text layer maps its glyphs to no text is read from its picture.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pdfplumber
import pytest

from juesuan.ingest.pipeline import ingest
from juesuan.ingest.readers import ocr_cache
from juesuan.ingest.readers.ocr import prepared
from juesuan.ingest.readers.ocr_grid import find_tables
from juesuan.package.facts import write_facts
from juesuan.package.write import write_package
from tests.disclosure_files import flow_pdf, image_pdf, ingested_facts, ruled_pdf
from tests.seeds import HUANGPI, QIAOKOU, source_of

INCOME = "2024年度收入决算表"


def _facts(text: str) -> list[list[str]]:
    """Facts without table_title: OCR reads a title's full-width brackets as ASCII."""
    return [row[:1] + row[2:] for row in csv.reader(io.StringIO(text))]


def _ingested(pdf: Path, folder: Path) -> list[list[str]]:
    written = write_package(ingest(pdf), folder)
    out = io.StringIO()
    write_facts(written, out)
    return _facts(out.getvalue())


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The ruled seed with its page of 收入决算表 scanned, and that page."""
    folder = tmp_path_factory.mktemp("ruled")
    pdf = ruled_pdf(source_of(HUANGPI), folder / "huangpi.pdf")
    with pdfplumber.open(pdf) as document:
        (page,) = [
            n
            for n, p in enumerate(document.pages, start=1)
            if INCOME in (p.extract_text() or "").replace(" ", "")
        ]
    return image_pdf(pdf, folder / "scan.pdf", pages={page}), page


@pytest.fixture(scope="module")
def text_facts(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    return _facts(ingested_facts(source_of(HUANGPI), tmp_path_factory.mktemp("text")))


def test_a_scanned_ruled_table_gives_the_facts_of_the_text(
    scan: tuple[Path, int], text_facts: list[list[str]], tmp_path: Path
) -> None:
    pdf, page = scan
    disclosure = ingest(pdf)
    document = disclosure.document
    assert document.ocr is not None and document.ocr.pages == (page,)
    # The scanned page's tables are grids of cells, located on the page.
    scanned = [g for g in document.grids if g.rows[0][0].where.startswith(f"page {page},")]
    assert len(scanned) == 3
    assert any(cell.merged for grid in scanned for row in grid.rows for cell in row)
    assert _ingested(pdf, tmp_path / "package") == text_facts


def test_the_ruling_lines_of_a_picture_make_cells_merged_ones_included() -> None:
    import numpy as np

    dark = np.zeros((300, 400), dtype=bool)
    for y in (20, 80, 140, 200):
        dark[y : y + 2, 20:380] = True
    for x in (20, 380):
        dark[20:202, x : x + 2] = True
    dark[80:202, 200:202] = True  # the first row is one cell across both columns
    dark[100:110, 50:52] = True  # a letter's stroke is no line
    horizontal = np.zeros_like(dark)
    horizontal[dark.sum(axis=1) > 100] = dark[dark.sum(axis=1) > 100]
    vertical = np.zeros_like(dark)
    vertical[:, dark.sum(axis=0) > 100] = dark[:, dark.sum(axis=0) > 100]
    (table,) = find_tables(dark, horizontal, vertical)
    assert table.shape == (3, 2)
    assert table.owner[(0, 1)] == (0, 0)
    assert table.owner[(1, 1)] == (1, 1)
    assert table.cell_at(300, 50) == (0, 0) and table.cell_at(300, 170) == (2, 1)
    assert table.cell_at(10, 10) is None


def test_a_page_without_ruling_has_no_cells(tmp_path: Path) -> None:
    import pypdfium2

    pdf = flow_pdf(source_of(QIAOKOU), tmp_path / "flow.pdf", lines_per_page=40)
    document = pypdfium2.PdfDocument(pdf)
    try:
        picture = prepared(document[0].render(scale=200 / 72, grayscale=True).to_pil())
    finally:
        document.close()
    assert picture.tables == [] and picture.cells is None


def test_a_second_ingest_reads_its_words_from_the_cache_and_a_bad_entry_afresh(
    monkeypatch: pytest.MonkeyPatch,
    scan: tuple[Path, int],
    text_facts: list[list[str]],
    tmp_path: Path,
) -> None:
    pdf, _page = scan
    monkeypatch.setattr(ocr_cache, "FOLDER", tmp_path / "cache")
    monkeypatch.setattr(ocr_cache, "counts", ocr_cache.Counts())
    ingest(pdf)
    read = ocr_cache.counts.misses
    assert read and ocr_cache.counts.hits == 0
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == read
    ingest(pdf)
    assert (ocr_cache.counts.hits, ocr_cache.counts.misses) == (read, read)
    entries[0].write_text('{"format": "juesuan-ocr-words/1", "words": [{"text": 1}]}')
    for entry in entries[1:]:
        entry.write_bytes(b"\xff not json")
    assert _ingested(pdf, tmp_path / "package") == text_facts
    assert (ocr_cache.counts.ignored, ocr_cache.counts.misses) == (read, 2 * read)


def test_a_page_whose_glyphs_map_to_no_text_is_read_from_its_picture(
    monkeypatch: pytest.MonkeyPatch, scan: tuple[Path, int], tmp_path: Path
) -> None:
    """A font embedded without its ToUnicode map gives (cid:N) for every glyph.

    reportlab always writes the map, so the text layer is made unmapped where
    pdfplumber hands it over: the page's characters come out as (cid:N).
    """
    pdf = ruled_pdf(source_of(HUANGPI), tmp_path / "huangpi.pdf")
    _scan, page = scan
    chars = pdfplumber.page.Page.chars

    def unmapped(self: pdfplumber.page.Page) -> list[dict[str, object]]:
        found = chars.fget(self)  # type: ignore[attr-defined]
        if self.page_number != page:
            return found
        return [{**c, "text": f"(cid:{ord(c['text'][0]) % 97})"} for c in found]

    monkeypatch.setattr(pdfplumber.page.Page, "chars", property(unmapped))
    disclosure = ingest(pdf)
    reading = disclosure.document.ocr
    assert reading is not None
    assert reading.pages == (page,) and reading.unmapped == (page,)
    folder = write_package(disclosure, tmp_path / "package")
    assert '"unmapped_pages": [\n' in (folder / "datapackage.json").read_text(encoding="utf-8")


def test_numbers_ocr_runs_together_are_cut_at_the_gaps_the_picture_shows() -> None:
    from PIL import Image, ImageDraw

    from juesuan.ingest.readers.ocr import Word, _spaced

    picture = Image.new("L", (200, 30), 255)
    draw = ImageDraw.Draw(picture)
    for x, text in ((10, "1"), (40, "2"), (70, "10"), (110, "11")):
        draw.text((x, 8), text, fill=0)
    word = Word("121011", 5, 5, 150, 25, 70.0)
    assert [(w.text, w.confidence) for w in _spaced(picture, word)] == [
        ("1", 70.0),
        ("2", 70.0),
        ("10", 70.0),
        ("11", 70.0),
    ]
    # Glyphs that are not as many as the digits read: the word is left whole.
    assert _spaced(picture, Word("12101", 5, 5, 150, 25, 70.0)) == [
        Word("12101", 5, 5, 150, 25, 70.0)
    ]


def test_a_digit_printed_wrong_in_each_of_two_scanned_tables_is_refused_naming_both(
    tmp_path: Path,
) -> None:
    from juesuan.errors import SourceError

    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    # 2013750 事业运行: 表2's 财政拨款收入 and 表3's 基本支出, each a digit off.
    for number, printed, wrong in ((368, "\t282.91", "\t282.97"), (464, "\t167.56", "\t167.58")):
        assert lines[number - 1] == printed
        lines[number - 1] = wrong
    seed = tmp_path / "wrong.txt"
    seed.write_text("\n".join(lines), encoding="utf-8")
    pdf = ruled_pdf(seed, tmp_path / "wrong.pdf")
    with pdfplumber.open(pdf) as document:
        (page,) = [
            n
            for n, p in enumerate(document.pages, start=1)
            if INCOME in (p.extract_text() or "").replace(" ", "")
        ]
    with pytest.raises(SourceError) as caught:
        ingest(image_pdf(pdf, tmp_path / "scan.pdf", pages={page}))
    income, expenditure = str(caught.value).split("; and ")
    assert "收入决算表 row 事业运行 column 财政拨款收入 282.97" in income
    assert "支出决算表 row 事业运行 column 基本支出 167.58" in expenditure
    assert "282.97" not in expenditure and "167.58" not in income
    assert "ocr_values.yaml" in (caught.value.expected or "")
