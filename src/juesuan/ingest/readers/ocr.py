"""Pages without a text layer, read by Tesseract: words with their boxes and confidences.

A scanned page is rendered (pypdfium2), its ruling lines are whitened (Tesseract
reads a ruled grid as letters) and Tesseract gives every word with its box and
confidence. The words are set into lines by position, as a text PDF's characters
are, and the page's lines go the way of a text page's lines. The confidence of
every word holding a digit is kept: the arithmetic decides what to do with a
doubtful amount (:mod:`juesuan.ingest.ocr_correct`).
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from juesuan.errors import SourceError
from juesuan.ingest.source import Document, OcrReading, OcrWord

LANGUAGE = "chi_sim"
DPI = 200
"""Resolution pages are rendered at, that of most scans: finer adds no detail, and
Tesseract reads a 200 dpi scan upsampled to 300 dpi worse, not better."""
_LINE_SHARE = 0.5
"""A word is on a line when half its height overlaps the line's."""
_RULE_SHARE = 0.04
"""A dark run longer than this share of the page's width (or height) is a ruling line."""
_DARK = 128

INSTALL_HINT = (
    "Tesseract with its simplified-Chinese data (Debian: apt-get install tesseract-ocr "
    "tesseract-ocr-chi-sim; scripts/setup-ocr.sh does it)"
)


@dataclass(frozen=True)
class Word:
    """A word Tesseract read, its box in pixels and its confidence (0-100)."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float


Words = tuple[tuple[int, Word], ...]
"""Words of a line, each with the offset in the line's text where it starts."""


@dataclass(frozen=True)
class Line:
    """Words standing on one line of a page, left to right, and the line's text."""

    top: float
    """In pixels of the rendered page, or in points once placed on the PDF page."""
    text: str
    words: Words


class Scanned:
    """The scanned pages of one PDF: read by OCR, several at a time, and recorded."""

    def __init__(self, path: Path, raw: bytes) -> None:
        self.path = path
        self.raw = raw
        self._pool: ThreadPoolExecutor | None = None
        self._pending: dict[int, Future[list[Word]]] = {}
        self.pages: list[int] = []
        self.words: list[OcrWord] = []

    def start(self, numbers: Sequence[int]) -> None:
        """Render the pages ``numbers`` (1-based) and set Tesseract reading them."""
        if not numbers:
            return
        import pypdfium2

        check_installed(self.path)
        self._pool = ThreadPoolExecutor(max_workers=_workers())
        document = pypdfium2.PdfDocument(self.raw)
        try:
            for number in numbers:
                # Rendering stays on this thread (pdfium is not thread-safe); at most
                # a few rendered pages wait for a reader at a time.
                waiting = [f for f in self._pending.values() if not f.done()]
                if len(waiting) > 2 * _workers():
                    waiting[0].result()
                image = without_rules(_render(document[number - 1]))
                self._pending[number] = self._pool.submit(read_words, image)
        finally:
            document.close()

    def lines(self, number: int, page: Any) -> list[Line]:
        """The lines of page ``number``, their tops in the points of pdfplumber's ``page``."""
        future = self._pending.pop(number)
        self.pages.append(number)
        scale = 72 / DPI
        return [replace(line, top=line.top * scale) for line in lines_of(future.result())]

    def read(self, line: int, words: Words) -> None:
        """Keep the words holding a digit of the Document's 1-based ``line``."""
        self.words += [
            OcrWord(line, start, word.text, word.confidence)
            for start, word in words
            if any(char.isdigit() for char in word.text)
        ]

    def record(self, document: Document) -> Document:
        """``document`` with what OCR read, when it read any page."""
        if self._pool is not None:
            self._pool.shutdown()
        if not self.pages:
            return document
        kept = tuple(w for w in self.words if _stands(document, w))
        return replace(document, ocr=OcrReading(engine(), tuple(self.pages), kept))


def _stands(document: Document, word: OcrWord) -> bool:
    """Whether ``word`` still stands where OCR put it once the text is normalised."""
    return document.line(word.line)[word.start : word.start + len(word.text)] == word.text


def _workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _render(page: Any) -> Any:
    return page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")


@functools.cache
def engine() -> str:
    """The OCR engine and its version, as a package records it."""
    import pytesseract

    return f"tesseract {pytesseract.get_tesseract_version()}"


def check_installed(path: Path) -> None:
    """Raise a SourceError naming what to install when Tesseract or its data is missing."""
    import pytesseract

    binary = shutil.which(pytesseract.pytesseract.tesseract_cmd)
    try:
        languages = pytesseract.get_languages() if binary else []
    except pytesseract.TesseractError:
        languages = []
    if LANGUAGE not in languages:
        raise SourceError(
            path,
            "the PDF has pages without a text layer (a scan) and OCR is not installed",
            expected=INSTALL_HINT,
        )


def page_lines(page: Any) -> list[Line]:
    """The lines Tesseract reads on a pypdfium2 ``page``, top to bottom, in pixels."""
    return lines_of(read_words(without_rules(_render(page))))


def read_words(image: Any) -> list[Word]:
    """Every word Tesseract reads in a Pillow ``image``, with box and confidence."""
    import pytesseract

    # One thread per page: the machine's cores are better spent on pages.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(
        image, lang=LANGUAGE, config="--psm 6", output_type=pytesseract.Output.DICT
    )
    words = []
    for index, text in enumerate(data["text"]):
        text = text.strip()
        confidence = float(data["conf"][index])
        if not text or confidence < 0:
            continue
        left, top = int(data["left"][index]), int(data["top"][index])
        words.append(
            Word(
                text,
                left,
                top,
                left + int(data["width"][index]),
                top + int(data["height"][index]),
                confidence,
            )
        )
    return words


def without_rules(image: Any) -> Any:
    """``image`` with its long horizontal and vertical dark runs (ruling lines) whitened."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image)
    dark = pixels < _DARK
    height, width = dark.shape
    ruled = (
        _runs(dark, max(8, int(width * _RULE_SHARE)))
        | _runs(dark.T, max(8, int(height * _RULE_SHARE))).T
    )
    cleaned = pixels.copy()
    cleaned[ruled] = 255
    return Image.fromarray(cleaned)


def _runs(dark: Any, length: int) -> Any:
    """Pixels of ``dark`` in a horizontal run at least ``length`` long."""
    import numpy as np

    counts = np.concatenate(
        [np.zeros((dark.shape[0], 1), dtype=np.int32), np.cumsum(dark, axis=1, dtype=np.int32)],
        axis=1,
    )
    # starts[:, j]: the run of ``length`` from column j is all dark.
    starts = (counts[:, length:] - counts[:, :-length]) == length
    marks = np.concatenate(
        [np.zeros((dark.shape[0], 1), dtype=np.int32), np.cumsum(starts, axis=1, dtype=np.int32)],
        axis=1,
    )
    width = dark.shape[1]
    # Column c is covered when a run starts in [c - length + 1, c].
    columns = np.arange(width)
    high = np.minimum(columns + 1, starts.shape[1])
    low = np.clip(columns - length + 1, 0, starts.shape[1])
    covered = (marks[:, high] - marks[:, low]) > 0
    return covered & dark


def lines_of(words: Sequence[Word]) -> list[Line]:
    """Words set into lines by their vertical overlap, each line read left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        if rows and _on_line(rows[-1], word):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [_line(sorted(row, key=lambda w: w.left)) for row in rows]


def _on_line(row: Sequence[Word], word: Word) -> bool:
    top = min(w.top for w in row)
    bottom = max(w.bottom for w in row)
    overlap = min(bottom, word.bottom) - max(top, word.top)
    return overlap >= _LINE_SHARE * min(bottom - top, word.bottom - word.top)


def _line(row: Sequence[Word]) -> Line:
    text = ""
    placed: list[tuple[int, Word]] = []
    previous: Word | None = None
    for word in row:
        if previous is not None and not (_is_han(previous.text) and _is_han(word.text)):
            # Tesseract splits Han text into characters, other text at its spaces.
            text += " "
        placed.append((len(text), word))
        text += word.text
        previous = word
    return Line(min(w.top for w in row), text, tuple(placed))


def _is_han(text: str) -> bool:
    """Text of Han characters and full-width punctuation only, which prints no spaces."""
    return all("\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" for char in text)
