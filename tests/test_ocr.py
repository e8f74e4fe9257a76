"""Scanned pages are read by Tesseract and give the text source's facts, or are refused.

The flow seed is printed, and its page with 收入决算表 and 支出决算表 is turned
into a 200 dpi picture (one scanned page keeps the suite quick). A digit is
then made hard to read, or printed wrong: the first is mended by the
arithmetic and recorded, the second refused.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PIL import Image

from juesuan.errors import SourceError
from juesuan.ingest.pipeline import Disclosure, ingest
from juesuan.ingest.readers.ocr import engine
from juesuan.package.facts import write_facts
from juesuan.package.write import write_package
from tests.disclosure_files import flow_pdf, image_pdf, ingested_facts
from tests.seeds import QIAOKOU, source_of

DPI = 200
ROW = "2150502 一般行政管理事务 191.89 191.89"
BREAKS = ("2019 年度收入决算表", "2019 年度财政拨款收入支出决算总表")


def _print(source: Path, target: Path) -> tuple[Path, int]:
    """The seed printed as a text PDF, and the page that holds 表2 and 表3."""
    pdf = flow_pdf(source, target, gap="   ", breaks=BREAKS, spread=("栏次",))
    with pdfplumber.open(pdf) as document:
        (page,) = [
            number
            for number, page in enumerate(document.pages, start=1)
            if "收入决算表（表 2）" in (page.extract_text() or "")
        ]
    return pdf, page


def _written(disclosure: Disclosure, folder: Path) -> tuple[list[list[str]], dict[str, Any]]:
    """The facts of the package written from ``disclosure``, and its juesuan block."""
    written = write_package(disclosure, folder)
    out = io.StringIO()
    write_facts(written, out)
    meta = json.loads((written / "datapackage.json").read_text(encoding="utf-8"))["juesuan"]
    return _facts(out.getvalue()), meta


def _facts(text: str) -> list[list[str]]:
    """Facts without table_title: OCR reads a title's full-width brackets as ASCII."""
    rows = list(csv.reader(io.StringIO(text)))
    return [row[:1] + row[2:] for row in rows]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    return _print(source_of(QIAOKOU), tmp_path_factory.mktemp("ocr") / "qiaokou.pdf")


@pytest.fixture(scope="module")
def text_facts(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    return _facts(ingested_facts(source_of(QIAOKOU), tmp_path_factory.mktemp("text")))


def test_a_scanned_page_gives_the_facts_of_the_text(
    printed: tuple[Path, int], text_facts: list[list[str]], tmp_path: Path
) -> None:
    pdf, page = printed
    scan = image_pdf(pdf, tmp_path / "scan.pdf", dpi=DPI, pages={page})
    with pdfplumber.open(scan) as document:
        assert not document.pages[page - 1].chars
    disclosure = ingest(scan)
    assert disclosure.document.ocr is not None
    assert disclosure.document.ocr.pages == (page,)
    assert disclosure.ocr_corrections == []
    facts, meta = _written(disclosure, tmp_path / "package")
    assert facts == text_facts
    assert meta["ocr"] == {"engine": engine(), "pages": [page]}
    assert engine().startswith("tesseract ")
    assert "ocr_corrections" not in meta


def _last_digit_box(pdf: Path, page: int) -> tuple[int, int, int, int]:
    """The pixel box, at ``DPI``, of the last digit of the second amount of ``ROW``."""
    with pdfplumber.open(pdf) as document:
        words = document.pages[page - 1].extract_words()
    code = next(i for i, w in enumerate(words) if w["text"] == "2150502")
    word = words[code + 3]
    assert word["text"] == "191.89"
    scale = DPI / 72
    right = int(word["x1"] * scale)
    return right - 12, int(word["top"] * scale) - 2, right + 2, int(word["bottom"] * scale) + 3


def test_a_worn_digit_is_mended_by_the_arithmetic_and_recorded(
    printed: tuple[Path, int], text_facts: list[list[str]], tmp_path: Path
) -> None:
    pdf, page = printed
    box = _last_digit_box(pdf, page)

    def wear(number: int, picture: Image.Image) -> Image.Image:
        assert number == page
        chance = random.Random(1)
        pixels = picture.load()
        for x in range(box[0], box[2]):
            for y in range(box[1], box[3]):
                if chance.random() < 0.4:
                    pixels[x, y] = 255
        return picture

    scan = image_pdf(pdf, tmp_path / "worn.pdf", dpi=DPI, pages={page}, edit=wear)
    disclosure = ingest(scan)
    document = disclosure.document
    assert document.ocr is not None
    row = next(n for n, line in enumerate(document.lines, 1) if line.startswith("2150502"))
    (worn,) = [w for w in document.ocr.words if w.line == row and w.start > 10][1:]
    assert worn.text != "191.89", "the worn digit should be misread"
    (correction,) = disclosure.ocr_corrections
    assert (correction.table, correction.row, correction.column) == (
        "income",
        "2150502",
        "fiscal_appropriation",
    )
    assert (correction.read, correction.corrected) == (worn.text, "191.89")
    assert correction.by == "arithmetic" and correction.rules
    facts, meta = _written(disclosure, tmp_path / "package")
    assert facts == text_facts
    (recorded,) = meta["ocr_corrections"]
    assert recorded["read"] == worn.text and recorded["corrected"] == "191.89"
    assert recorded["confidence"] == worn.confidence < 80


def test_a_digit_printed_wrong_is_refused_never_published(
    printed: tuple[Path, int], tmp_path: Path
) -> None:
    seed = tmp_path / "wrong.txt"
    text = source_of(QIAOKOU).read_text(encoding="utf-8")
    seed.write_text(text.replace(ROW, ROW[:-1] + "3", 1), encoding="utf-8")
    pdf, page = _print(seed, tmp_path / "wrong.pdf")
    scan = image_pdf(pdf, tmp_path / "wrong-scan.pdf", dpi=DPI, pages={page})
    with pytest.raises(SourceError) as caught:
        ingest(scan)
    message = str(caught.value)
    assert "OCR was sure of every digit, so none is changed but by a person" in message
    assert "ocr_values.yaml" in (caught.value.expected or "")
    assert f"(page {page}, line " in message


def test_a_page_scanned_turned_on_grey_speckled_paper_gives_the_facts_of_the_text(
    printed: tuple[Path, int], text_facts: list[list[str]], tmp_path: Path
) -> None:
    import numpy as np

    from juesuan.ingest.readers import ocr_scan

    pdf, page = printed

    def scanner(number: int, picture: Image.Image) -> Image.Image:
        turned = picture.rotate(1.6, resample=Image.Resampling.BICUBIC, fillcolor=255)
        grey = np.asarray(turned).astype(float) * 0.78 + 28
        speckled = grey + np.random.default_rng(number).normal(0, 10, grey.shape)
        return Image.fromarray(np.clip(speckled, 0, 255).astype(np.uint8))

    scan = image_pdf(pdf, tmp_path / "scanner.pdf", dpi=DPI, pages={page}, edit=scanner)
    import pypdfium2

    document = pypdfium2.PdfDocument(scan)
    try:
        picture = document[page - 1].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    assert abs(ocr_scan.skew(ocr_scan.cleaned(picture)) - 1.6) < 0.1
    disclosure = ingest(scan)
    facts, _meta = _written(disclosure, tmp_path / "package")
    assert facts == text_facts


def test_a_page_rendered_from_a_text_pdf_is_left_as_it_is(printed: tuple[Path, int]) -> None:
    import pypdfium2

    from juesuan.ingest.readers import ocr_scan

    pdf, page = printed
    document = pypdfium2.PdfDocument(pdf)
    try:
        picture = document[page - 1].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    # Left as is, the page's words stay in the cache: nothing read anew.
    assert ocr_scan.cleaned(picture) is picture
    assert ocr_scan.straightened(picture) is picture
    turned = picture.rotate(-1.2, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert abs(ocr_scan.skew(turned) + 1.2) < 0.1
