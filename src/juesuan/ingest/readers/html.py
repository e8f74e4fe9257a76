"""Web pages saved from a government site (``.html``, ``.htm``), read with lxml.

Each data ``<table>`` becomes a grid (see :mod:`juesuan.ingest.grid`),
``colspan`` and ``rowspan`` spread as merged cells; the rest of the page is
text, a line per block (paragraph, heading, line break). Tables that hold
other tables are the page's layout, not data, and are read as text around
them. Pages in GBK or GB2312 are decoded by their ``<meta>`` charset; scripts,
styles and the page head are not the document and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from juesuan.errors import SourceError
from juesuan.ingest.grid import Cell, Lines, at_table, cell_of, padded
from juesuan.ingest.source import Document, decode, from_lines, read_bytes

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
# GB2312 and GBK pages hold characters only their superset has.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_SKIPPED = {"script", "style", "noscript", "head", "template", "svg", "iframe", "object"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div",
    "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "ul", "tr",
}  # fmt: skip
_SPACES = re.compile(r"\s+")
_MAX_SPAN = 64
"""A colspan or rowspan beyond any printed table's: a malformed page is not let grow."""


def looks_like_html(raw: bytes) -> bool:
    """Whether ``raw`` begins like an HTML page."""
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and (b"<table" in head or b"<body" in head)
    )


def read_html(path: Path) -> Document:
    """Read a web page: its data tables as cells, its text as lines."""
    import lxml.etree
    import lxml.html

    raw = read_bytes(path)
    text, encoding = _decode(path, raw)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as error:
        raise SourceError(path, f"not a readable web page ({error})") from error
    page = _Page()
    body = root.find("body")
    page.walk(body if body is not None else root)
    page.flush()
    return from_lines(path, raw, page.lines, f"html/{encoding}")


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The page's text, by its declared charset; else as any text source is decoded."""
    declared = _CHARSET.search(raw[:4096])
    if declared is None:
        return decode(path, raw)
    name = declared.group(1).decode("ascii").lower()
    encoding = _SUPERSETS.get(name, name)
    try:
        return raw.decode(encoding), encoding
    except LookupError:
        return decode(path, raw)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(
            path,
            f"bytes {raw[error.start : error.start + 4]!r} at offset {error.start} are not "
            f"{name}, the charset the page declares",
            line=line,
            expected="a page saved as the site served it",
        ) from error


class _Page:
    """Lines of a page being walked, in document order."""

    def __init__(self) -> None:
        self.lines = Lines()
        self.pending: list[str] = []
        self.blocks = 0
        self.tables = 0

    def flush(self) -> None:
        """End the current line of text, if it holds any."""
        text = _SPACES.sub(" ", "".join(self.pending)).strip()
        self.pending = []
        if text:
            self.blocks += 1
            self.lines.add(text, f"text block {self.blocks}")

    def walk(self, element: Any) -> None:
        """Add ``element`` and what it holds; its tail is the caller's text."""
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is None or tag.lower() in _SKIPPED:
            return  # a comment, a processing instruction or a script
        tag = tag.lower()
        if tag == "table" and not element.xpath(".//table"):
            self.flush()
            self.tables += 1
            self.lines.add_grid(_grid(element, self.tables))
            self.lines.add("", f"table {self.tables}")
            return
        block = tag in _BLOCKS or tag in ("td", "th", "table")
        if block:
            self.flush()
        self.pending.append(element.text or "")
        for child in element:
            self.walk(child)
            self.pending.append(child.tail or "")
        if block:
            self.flush()


def _grid(table: Any, number: int) -> list[list[Cell]]:
    """The table's rows, a spanned cell's text once and the positions it covers knowing it.

    A rowspan leaves its columns taken for the rows below: at most
    ``_MAX_SPAN`` of them per cell, so the cost stays linear in the page.
    """
    locate = at_table("table", number)
    rows: list[list[Cell]] = []
    # column → (rows below still covered by a cell above, that cell's position)
    taken: dict[int, tuple[int, tuple[int, int]]] = {}
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        row: list[Cell] = []
        column = 0
        for td in tr.xpath("./td|./th"):
            column = _past_taken(taken, row, r, column, locate)
            colspan, rowspan = _span(td.get("colspan")), _span(td.get("rowspan"))
            where = locate(r, column)
            row.append(cell_of(_SPACES.sub(" ", td.text_content()), r, column, where))
            row.extend(cell_of("", r, column + k, where, (r, column)) for k in range(1, colspan))
            for c in range(column, column + colspan):
                taken[c] = (rowspan - 1, (r, column))
            column += colspan
        column = _past_taken(taken, row, r, column, locate)
        for c, (left, origin) in taken.items():
            if c >= column and left > 0:
                taken[c] = (left - 1, origin)  # a covered column past the row's last cell
        rows.append(row)
    return padded(rows, locate)


def _past_taken(
    taken: dict[int, tuple[int, tuple[int, int]]],
    row: list[Cell],
    r: int,
    column: int,
    locate: Callable[[int, int], str],
) -> int:
    """The next free column of ``row``, the ones a rowspan above covers filled as covered."""
    while taken.get(column, (0, (0, 0)))[0] > 0:
        left, origin = taken[column]
        taken[column] = (left - 1, origin)
        row.append(cell_of("", r, column, locate(r, column), origin))
        column += 1
    return column


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), _MAX_SPAN))
    except ValueError:
        return 1
