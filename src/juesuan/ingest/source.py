"""Read a source document: decode it, normalise digits, remember its hash."""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from juesuan import limits
from juesuan.errors import SourceError
from juesuan.ingest.grid import DIGITS, Grid, Lines, Written, text_grids
from juesuan.text import plain


@dataclass(frozen=True)
class OcrWord:
    """A word OCR read that holds a digit: where it stands and how sure the engine was."""

    line: int
    """The 1-based line of the Document."""
    start: int
    """Where the word starts in the line's text."""
    text: str
    confidence: float
    """0-100, as the engine gives it."""


@dataclass(frozen=True)
class OcrReading:
    """Which pages of a source were read by OCR, by what engine, and its doubtful words."""

    engine: str
    pages: tuple[int, ...]
    words: tuple[OcrWord, ...]
    unmapped: tuple[int, ...] = ()
    """Pages read by OCR though they have a text layer: its glyphs map to no text."""


@dataclass(frozen=True)
class Document:
    """A decoded source document, line by line (line 1 is ``lines[0]``)."""

    path: Path
    encoding: str
    sha256: str
    lines: tuple[str, ...]
    locations: tuple[str, ...] | None = None
    """For sources that are not text (PDF, workbooks): where each line came from,
    as a person finds it in the original ("page 3", "sheet 公开02表 row 12")."""
    grids: tuple[Grid, ...] = ()
    """The tables the reader saw as grids of cells, each with the lines it occupies."""
    ocr: OcrReading | None = None
    """For a PDF with scanned pages: what OCR read there."""

    def line(self, number: int) -> str:
        """The text of 1-based line ``number``."""
        return self.lines[number - 1]

    def with_lines(self, changed: dict[int, str]) -> Document:
        """The document with 1-based lines replaced, and the cells written on them."""
        lines = list(self.lines)
        for number, text in changed.items():
            lines[number - 1] = text
        grids = tuple(
            replace(
                grid,
                rows=tuple(
                    tuple(
                        replace(c, text=_cell_text(changed[c.line])) if c.line in changed else c
                        for c in row
                    )
                    for row in grid.rows
                ),
            )
            for grid in self.grids
        )
        return replace(self, lines=tuple(lines), grids=grids)

    def read_by_ocr(self, number: int) -> bool:
        """Whether 1-based line ``number`` was read by OCR (stands on a scanned page)."""
        if self.ocr is None:
            return False
        where = re.match(r"page (\d+),", self.location(number) or "")
        return where is not None and int(where.group(1)) in self.ocr.pages

    def location(self, number: int | None) -> str | None:
        """Where 1-based line ``number`` stands in the original, when that is not the line."""
        if self.locations is None or number is None or not 0 < number <= len(self.locations):
            return None
        return self.locations[number - 1] or None

    @cached_property
    def cells(self) -> dict[int, Written]:
        """Line → the cell written on it, for every cell of every grid."""
        found: dict[int, Written] = {}
        row = 0
        for grid in self.grids:
            for r, cells in grid.written():
                for cell in cells:
                    assert cell.line is not None
                    found[cell.line] = Written(row, cell, r in grid.plain)
                row += 1
        return found

    @cached_property
    def _spans(self) -> tuple[list[int], list[int]]:
        spans = sorted((grid.first_line, grid.last_line) for grid in self.grids)
        return [first for first, _ in spans], [last for _, last in spans]

    def in_grid(self, line: int) -> bool:
        """Whether ``line`` lies within a grid (a cell, a wrapped cell's line, a row's end)."""
        firsts, lasts = self._spans
        at = bisect.bisect_right(firsts, line) - 1
        return at >= 0 and line <= lasts[at]


def _cell_text(line: str) -> str:
    """The text of a cell as written on its line (after a tab, or a plain row's text)."""
    return line[1:] if line.startswith("\t") else line


def read_bytes(path: Path) -> bytes:
    """The raw bytes of a source, or a SourceError naming it.

    Only a regular file is read, and never more than the size limit: a FIFO or a
    device (``/dev/zero``) would block or never end. The file is checked with
    ``stat`` before it is opened, and again once open, without blocking, in case it
    was swapped in between.
    """
    try:
        _check_regular(path, path.stat())
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise SourceError(path, f"cannot read the source: {error.strerror}") from error
    limit = limits.SOURCE_BYTES.value()
    try:
        with os.fdopen(handle, "rb") as file:
            _check_regular(path, os.fstat(file.fileno()))
            raw = file.read(limit + 1)
    except OSError as error:
        raise SourceError(path, f"cannot read the source: {error.strerror}") from error
    if len(raw) > limit:
        raise _too_large(path, limit, more_than=True)
    if not raw.strip():
        raise SourceError(path, "the source is empty", expected="a 部门决算 document")
    return raw


def _check_regular(path: Path, status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        kind = "a folder" if stat.S_ISDIR(status.st_mode) else "a FIFO, device or socket"
        raise SourceError(
            path, f"the source is {kind}, not a regular file", expected="a document file"
        )
    if limits.SOURCE_BYTES.exceeded(status.st_size):
        raise _too_large(path, status.st_size)


def _too_large(path: Path, size: int, *, more_than: bool = False) -> SourceError:
    breach = limits.SOURCE_BYTES.breach(size, more_than=more_than)
    return SourceError(path, f"the source is {breach}")


def from_text(path: Path, raw: bytes, text: str, encoding: str) -> Document:
    """A Document of ``text`` read from ``path`` (whose bytes were ``raw``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Counted before the split: a file of line breaks would make millions of lines.
    count = text.count("\n") + 1
    if limits.SOURCE_LINES.exceeded(count):
        raise SourceError(path, f"the text of the source has {limits.SOURCE_LINES.breach(count)}")
    text = plain(unicodedata.normalize("NFC", text)).translate(DIGITS)
    lines = tuple(text.split("\n"))
    return Document(path, encoding, hashlib.sha256(raw).hexdigest(), lines)


def from_lines(path: Path, raw: bytes, lines: Lines, kind: str) -> Document:
    """A Document of lines and grids extracted from a binary source (PDF, workbook) of ``kind``."""
    # A line break inside a cell would shift every later line number.
    flat = [re.sub(r"[\r\n]+", "", line) for line in lines.text]
    document = from_text(path, raw, "\n".join(flat), kind)
    return replace(document, locations=tuple(lines.where), grids=tuple(lines.grids))


def read_text(path: Path) -> Document:
    """Decode ``path`` as UTF-8 (with or without BOM) or else GB18030 (GBK's superset)."""
    raw = read_bytes(path)
    text, encoding = decode(path, raw)
    document = from_text(path, raw, text, encoding)
    return replace(document, grids=text_grids(document.lines))


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The text of a source's bytes and the encoding it was in (UTF-8, UTF-16, GBK)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as error:
            offset = error.start + 3
            line = raw[:offset].count(b"\n") + 1
            raise SourceError(
                path,
                f"bytes {raw[offset : offset + 4]!r} at offset {offset} are not UTF-8, though "
                "the file starts with a UTF-8 byte-order mark",
                line=line,
                expected="text in UTF-8 throughout (or GBK without a UTF-8 byte-order mark)",
            ) from error
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # What Windows calls "Unicode" text.
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise SourceError(
                path,
                f"bytes at offset {error.start} are not UTF-16, though the file starts with "
                "a UTF-16 byte-order mark",
                expected="text in UTF-16 throughout, or in UTF-8 or GBK",
            ) from error
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as gbk_error:
            # Name the bytes where the decoder that got furthest stopped: in a file
            # that is UTF-8 but for a stray byte, that is the stray byte.
            furthest = max(utf8_error, gbk_error, key=lambda e: e.start)
            line = raw[: furthest.start].count(b"\n") + 1
            raise SourceError(
                path,
                f"bytes {raw[furthest.start : furthest.start + 4]!r} at offset {furthest.start} "
                "are neither UTF-8 nor GBK/GB18030",
                line=line,
                expected="text in UTF-8, GBK or GB18030",
            ) from utf8_error
        _refuse_big5(path, raw, text)
        return text, "gb18030"


# Words every 部门决算 prints, in simplified and in traditional characters.
_SIMPLIFIED_WORDS = ("决算", "收入", "支出")
_TRADITIONAL_WORDS = ("決算", "收入", "支出")


def _refuse_big5(path: Path, raw: bytes, text: str) -> None:
    """GB18030 decodes almost any bytes: Big5 text comes out as garbage with no title."""
    if any(word in text for word in _SIMPLIFIED_WORDS):
        return
    try:
        big5 = raw.decode("big5")
    except UnicodeDecodeError:
        return
    if any(word in big5 for word in _TRADITIONAL_WORDS):
        raise SourceError(
            path,
            "the text is Big5 (traditional characters), not GBK: read as GBK it is garbage",
            expected="the document as the unit published it, in UTF-8 or GBK/GB18030",
        )
