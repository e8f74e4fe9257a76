"""Pages read from their picture by Tesseract: words with their boxes and confidences.

A scanned page (or one whose text layer maps its glyphs to no text) is rendered
(pypdfium2). Its ruling lines are found and whitened (Tesseract reads a ruled
grid as letters); lines that cross make ruled tables (:mod:`.ocr_grid`), whose
cells are read cut out and stacked (:mod:`.ocr_cells`) and handed on as cells,
as pdfplumber's are. The text around them is read as the page, its words set
into lines by position, as a text PDF's characters are. What Tesseract reads
is kept by the picture's content (:mod:`.ocr_cache`). The confidence of every
word holding a digit is kept: the arithmetic decides what to do with a doubtful
amount (:mod:`juesuan.ingest.ocr_correct`).
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
from juesuan.ingest.readers import ocr_cache, ocr_scan
from juesuan.ingest.readers.ocr_cells import Stack, stacked
from juesuan.ingest.readers.ocr_grid import Ruled, find_tables
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
_CELL_RULE = 0.2
"""Inches a vertical run must reach to be a table's line between two of its horizontal ones:
longer than a letter's stroke, shorter than a row."""
_SETTINGS = "--psm 6"
_LINES = ("--psm 7", "--psm 13")
"""One line of a cell read alone: as a line, and as a raw line (as a block, a short one is
sometimes missed)."""
_SPACE = 0.35
"""A gap of this share of the line's height parts two numbers; digits of one stand closer."""
_SURE_LINE = 80.0
"""Confidence of a line read alone above which it is not read the other way too."""
_DIGIT_LANGUAGE = "eng"
_ONLY_DIGITS = " -c tessedit_char_whitelist=0123456789.,-"
"""Amounts and codes are read a second time for digits alone, which reads them far better."""
_EDGE = 2
"""Pixels beside a ruling line whitened with it: a line's grey edge reads as a letter."""

INSTALL_HINT = (
    "Tesseract with its simplified-Chinese and English data (Debian: apt-get install "
    "tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng; scripts/setup-ocr.sh does it)"
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


@dataclass(frozen=True)
class Table:
    """A ruled table of a scanned page: its cells' texts and words, rows top to bottom."""

    top: float
    """In points of the PDF page."""
    rows: list[list[str | None]]
    """Each position's text, None where a merged cell covers it (as pdfplumber gives)."""
    origins: dict[tuple[int, int], tuple[int, int]]
    """Each covered position → the position of the merged cell over it."""
    words: dict[tuple[int, int], Words]
    """Each cell's words, where they start in its text."""


@dataclass(frozen=True)
class Page:
    """What OCR read on a page: the lines outside its ruled tables, and the tables."""

    lines: list[Line]
    tables: list[Table]


@dataclass(frozen=True)
class _Picture:
    """A rendered page made ready for Tesseract, and the ruled tables found on it."""

    outside: Any
    """The page with its lines and tables whitened: the text around the tables."""
    cells: Stack | None
    """The tables' inked cells, stacked to be read as a column of text."""
    tables: list[Ruled]

    def words(self) -> list[Word]:
        """Every word Tesseract reads on the page, where it stands on the page."""
        words = [
            split for word in read_words(self.outside) for split in _spaced(self.outside, word)
        ]
        if self.cells is not None:
            words += self.cells.read(_text, _digits)
        return words


def _spaced(image: Any, word: Word) -> list[Word]:
    """``word``, or the numbers it runs together when a space parts them on the page.

    Read as Chinese, numbers in a row (栏次 1 2 3 … 12) come out as one word,
    123456789101112. The picture shows where they part: a gap wider than
    between two digits of a number. Each glyph of ink is a digit; when the
    glyphs are as many as the digits read, the word is cut at the gaps.
    """
    import numpy as np

    if not word.text.isdigit() or len(word.text) < 3:
        return [word]
    ink = np.asarray(image)[word.top : word.bottom, word.left : word.right] < _DARK
    inked: list[bool] = np.asarray(ink.any(axis=0)).tolist()
    height = word.bottom - word.top
    pieces: list[tuple[int, int, int]] = []  # first column, last column, glyphs
    blank = 0
    for column, dark in enumerate(inked):
        if not dark:
            blank += 1
            continue
        if pieces and blank < _SPACE * height:
            first, _last, glyphs = pieces[-1]
            pieces[-1] = (first, column, glyphs + (blank > 0))
        else:
            pieces.append((column, column, 1))
        blank = 0
    if len(pieces) < 2 or sum(glyphs for *_, glyphs in pieces) != len(word.text):
        return [word]
    parts, at = [], 0
    for first, last, glyphs in pieces:
        text = word.text[at : at + glyphs]
        at += glyphs
        parts.append(replace(word, text=text, left=word.left + first, right=word.left + last + 1))
    return parts


class Scanned:
    """The scanned pages of one PDF: read by OCR, several at a time, and recorded."""

    def __init__(self, path: Path, raw: bytes) -> None:
        self.path = path
        self.raw = raw
        self._pool: ThreadPoolExecutor | None = None
        self._pending: dict[int, tuple[Future[list[Word]], list[Ruled]]] = {}
        self.pages: list[int] = []
        self.unmapped: list[int] = []
        """Pages read by OCR though they have a text layer: its glyphs map to no text."""
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
                waiting = [f for f, _ in self._pending.values() if not f.done()]
                if len(waiting) > 2 * _workers():
                    waiting[0].result()
                picture = prepared(_render(document[number - 1]))
                future = self._pool.submit(picture.words)
                self._pending[number] = (future, picture.tables)
        finally:
            document.close()

    def page(self, number: int) -> Page:
        """What OCR read on page ``number``, tops in points of the PDF page."""
        future, tables = self._pending.pop(number)
        self.pages.append(number)
        return page_of(future.result(), tables)

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
        reading = OcrReading(engine(), tuple(self.pages), kept, tuple(self.unmapped))
        return replace(document, ocr=reading)


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
    if LANGUAGE not in languages or _DIGIT_LANGUAGE not in languages:
        raise SourceError(
            path,
            "the PDF has pages without a text layer (a scan) and OCR is not installed",
            expected=INSTALL_HINT,
        )


def read_page(page: Any) -> Page:
    """What Tesseract reads on a pypdfium2 ``page``: its lines and its ruled tables."""
    picture = prepared(_render(page))
    return page_of(picture.words(), picture.tables)


def page_of(words: Sequence[Word], tables: Sequence[Ruled]) -> Page:
    """The words of a page set into its ruled tables' cells, the others into lines."""
    outside: list[Word] = []
    inside: list[list[tuple[tuple[int, int], Word]]] = [[] for _ in tables]
    for word in words:
        x, y = (word.left + word.right) / 2, (word.top + word.bottom) / 2
        for index, table in enumerate(tables):
            cell = table.cell_at(x, y)
            if cell is not None:
                inside[index].append((cell, word))
                break
        else:
            outside.append(word)
    scale = 72 / DPI
    lines = [replace(line, top=line.top * scale) for line in lines_of(outside)]
    return Page(lines, [_table(t, w, scale) for t, w in zip(tables, inside, strict=True)])


def _table(ruled: Ruled, words: list[tuple[tuple[int, int], Word]], scale: float) -> Table:
    rows, columns = ruled.shape
    by_cell: dict[tuple[int, int], list[Word]] = {}
    for cell, word in words:
        by_cell.setdefault(cell, []).append(word)
    texts: list[list[str | None]] = [[None] * columns for _ in range(rows)]
    placed: dict[tuple[int, int], Words] = {}
    origins = {}
    for (i, j), owner in ruled.owner.items():
        if owner != (i, j):
            origins[(i, j)] = owner
            continue
        # A wrapped cell's lines run on: 本年收入 / 合计 is 本年收入合计.
        text, at = "", []
        for line in lines_of(by_cell.get(owner, [])):
            at += [(len(text) + start, word) for start, word in line.words]
            text += line.text
        texts[i][j] = text
        placed[owner] = tuple(at)
    return Table(ruled.ys[0] * scale, texts, origins, placed)


def prepared(image: Any) -> _Picture:
    """A rendered page's ruled tables, and the page with its ruling lines whitened.

    A scan is set straight and made black on white first (:mod:`.ocr_scan`).
    """
    import numpy as np
    from PIL import Image

    pixels = np.asarray(ocr_scan.straightened(ocr_scan.cleaned(image)))
    dark = pixels < _DARK
    height, width = dark.shape
    horizontal = _runs(dark, max(8, int(width * _RULE_SHARE)))
    across = np.ascontiguousarray(dark.T)
    vertical = _runs(across, max(8, int(height * _RULE_SHARE))).T
    cell_rules = _runs(across, int(DPI * _CELL_RULE)).T
    tables = find_tables(dark, horizontal, cell_rules)
    ruled = horizontal | vertical
    for table in tables:
        # Inside a table a shorter vertical run is a line too (a header's divisions).
        top, bottom = max(table.ys[0] - 8, 0), table.ys[-1] + 8
        left, right = max(table.xs[0] - 8, 0), table.xs[-1] + 8
        ruled[top:bottom, left:right] |= cell_rules[top:bottom, left:right]
    cleaned = pixels.copy()
    cleaned[_widened(ruled)] = 255
    cells = stacked(cleaned, cleaned < _DARK, tables)
    outside = cleaned.copy()
    for table in tables:
        outside[table.ys[0] : table.ys[-1] + 1, table.xs[0] : table.xs[-1] + 1] = 255
    return _Picture(Image.fromarray(outside), cells, tables)


def _widened(ruled: Any) -> Any:
    """``ruled`` and the pixels beside it: a line's grey edge would be read as a letter (|)."""
    import numpy as np

    wide = ruled.copy()
    for shift in range(1, _EDGE + 1):
        wide[shift:] |= ruled[:-shift]
        wide[:-shift] |= ruled[shift:]
        wide[:, shift:] |= ruled[:, :-shift]
        wide[:, :-shift] |= ruled[:, shift:]
    return np.asarray(wide)


def read_words(image: Any, language: str = LANGUAGE, settings: str = _SETTINGS) -> list[Word]:
    """Every word Tesseract reads in a Pillow ``image`` (or the cache holds for it)."""
    entries = ocr_cache.cached(
        image,
        "\0".join((engine(), language, settings)),
        lambda picture: _tesseract(picture, language, settings),
    )
    return [Word(**entry) for entry in entries]


def _text(image: Any, line: bool) -> list[Word]:
    if not line:
        return read_words(image, LANGUAGE, _SETTINGS)
    # Alone, a line is read as a line, and when that is unsure as a raw line too.
    readings: list[list[Word]] = []
    for settings in _LINES:
        readings.append(read_words(image, LANGUAGE, settings))
        if _least(readings[-1]) >= _SURE_LINE:
            break
    return max(readings, key=_least)


def _least(words: Sequence[Word]) -> float:
    return min((w.confidence for w in words), default=0.0)


def _digits(image: Any, line: bool) -> list[Word]:
    return read_words(image, _DIGIT_LANGUAGE, ("--psm 7" if line else _SETTINGS) + _ONLY_DIGITS)


def _tesseract(image: Any, language: str, settings: str) -> list[dict[str, Any]]:
    """Every word Tesseract reads in a Pillow ``image``, with box and confidence."""
    import pytesseract

    # One thread per page: the machine's cores are better spent on pages.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(
        image, lang=language, config=settings, output_type=pytesseract.Output.DICT
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
    return ocr_cache.as_entries(words)


def _runs(dark: Any, length: int) -> Any:
    """Pixels of ``dark`` in a horizontal run at least ``length`` long.

    Only rows with that many dark pixels can hold one: the others (most rows of
    a page of text) are left out of the count, which is most of its cost.
    """
    import numpy as np

    found = np.zeros(dark.shape, dtype=bool)
    rows = np.flatnonzero(np.count_nonzero(dark, axis=1) >= length)
    if not len(rows):
        return found
    some = np.ascontiguousarray(dark[rows])
    zeros = np.zeros((len(rows), 1), dtype=np.int32)
    counts = np.concatenate([zeros, np.cumsum(some, axis=1, dtype=np.int32)], axis=1)
    # starts[:, j]: the run of ``length`` from column j is all dark.
    starts = (counts[:, length:] - counts[:, :-length]) == length
    marks = np.concatenate([zeros, np.cumsum(starts, axis=1, dtype=np.int32)], axis=1)
    # Column c is covered when a run starts in [c - length + 1, c].
    columns = np.arange(dark.shape[1])
    high = np.minimum(columns + 1, starts.shape[1])
    low = np.clip(columns - length + 1, 0, starts.shape[1])
    found[rows] = ((marks[:, high] - marks[:, low]) > 0) & some
    return found


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
