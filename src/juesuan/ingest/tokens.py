"""Tokens of a table body: amounts, integers (codes, 行次, 栏次), text and blanks.

Three source layouts give tokens: *cells*, read from the grids the reader saw
(a blank cell is a blank cell, so positions are known); *rows*, tab-separated
rows pasted from a web page; and *flow*, text extracted from a PDF, where cells
are joined by spaces, an amount may be glued to the next code, labels wrap, and
blank cells are simply gone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from functools import cached_property

from juesuan.ingest.source import Document
from juesuan.text import AMOUNT


class Kind(Enum):
    """What a token is."""

    AMOUNT = "amount"
    INT = "int"
    TEXT = "text"
    BLANK = "blank"


@dataclass(frozen=True)
class Token:
    """One token, with the source line it came from and its physical row."""

    kind: Kind
    text: str
    line: int
    row: int
    """Index of the physical row: a cell group in the cells layout, a line in flow."""
    shift: int = 0
    """The power of ten from the unit the table prints in to 万元 (元: −4)."""

    @cached_property
    def printed(self) -> Decimal:
        """The amount in the unit printed, thousands separators removed."""
        return Decimal(self.text.replace(",", ""))

    @cached_property
    def amount(self) -> Decimal:
        """The amount in 万元, exactly: the decimal point moved, nothing rounded."""
        return self.printed.scaleb(self.shift) if self.shift else self.printed

    @property
    def is_code(self) -> bool:
        """Whether this integer has the shape of a classification code."""
        return self.kind is Kind.INT and len(self.text) in (3, 5, 7)


# A greedy two-decimal match splits `12.15302` into 12.15 and the code 302 that
# the PDF glued to it.
_AMOUNT = AMOUNT
_FLOW = re.compile(rf"(?P<amount>{_AMOUNT})|(?P<int>\d+)|(?P<text>[^\s\d]+)")
_CELL_AMOUNT = re.compile(rf"{_AMOUNT}")
_CELL_INT = re.compile(r"\d+")
_SPLIT_CODE = re.compile(r"\d{3}(?:\s+\d{2}){1,2}")
# Some documents print a dash (or a slash) in a cell with nothing to report.
_DASH = re.compile(r"[-—–－/／]+")


def flow_tokens(lines: Sequence[tuple[int, str]]) -> list[Token]:
    """Tokens of flowed text; text runs on one line joined, broken only by numbers."""
    tokens: list[Token] = []
    for row, (number, text) in enumerate(lines):
        pending: list[str] = []
        for match in _FLOW.finditer(text):
            if match.lastgroup == "text" and not _DASH.fullmatch(match.group()):
                pending.append(match.group())
                continue
            if match.lastgroup == "text":  # a dash printed in a blank cell
                if pending:
                    tokens.append(Token(Kind.TEXT, "".join(pending), number, row))
                    pending = []
                continue
            if pending:
                tokens.append(Token(Kind.TEXT, "".join(pending), number, row))
                pending = []
            kind = Kind.AMOUNT if match.lastgroup == "amount" else Kind.INT
            tokens.append(Token(kind, match.group(), number, row))
        if pending:
            tokens.append(Token(Kind.TEXT, "".join(pending), number, row))
    return tokens


def cell_tokens(document: Document, lines: Sequence[tuple[int, str]]) -> list[Token]:
    """Tokens of a table body read from the document's grids: one per cell, blanks kept.

    Only the cells on ``lines`` count (a page number or a note left out of the body
    leaves its cell out too). A line outside every grid (a row printed outside the
    ruled grid) and a grid row written as one plain line are read as flowed text,
    so the amounts in them stay amounts, never part of a label.
    """
    tokens: list[Token] = []
    cells = document.cells
    rows: dict[tuple[str, int], int] = {}  # a grid row or a line outside the grids → its index

    def row_of(key: tuple[str, int]) -> int:
        return rows.setdefault(key, len(rows))

    for number, text in lines:
        entry = cells.get(number)
        if entry is None:
            if text.strip() and not document.in_grid(number):
                row = row_of(("line", number))
                tokens += [replace(t, row=row) for t in flow_tokens([(number, text)])]
            continue  # a wrapped cell's later line or the empty line ending a row
        row = row_of(("grid", entry.row))
        text = entry.cell.text
        if entry.plain:
            tokens += [replace(t, row=row) for t in flow_tokens([(number, text)])]
        else:
            tokens.append(Token(_cell_kind(text), _cell_text(text), number, row))
    return tokens


def _cell_kind(text: str) -> Kind:
    if text == "" or _DASH.fullmatch(text):
        return Kind.BLANK
    if _CELL_AMOUNT.fullmatch(text):
        return Kind.AMOUNT
    if _CELL_INT.fullmatch(text) or _SPLIT_CODE.fullmatch(text):
        return Kind.INT
    return Kind.TEXT


def _cell_text(text: str) -> str:
    return re.sub(r"\s+", "", text) if _SPLIT_CODE.fullmatch(text) else text


def as_amount(token: Token) -> Token:
    """A whole number printed in a value cell, read as the amount it is (16 → 16.00)."""
    if token.kind is Kind.INT:
        return Token(Kind.AMOUNT, f"{int(token.text)}.00", token.line, token.row, token.shift)
    return token


def row_tokens(lines: Sequence[tuple[int, str]]) -> list[Token]:
    """Tokens of tab-separated rows, blank cells kept.

    A table copied from a web page or a workbook: one line per printed row, its
    cells separated by tabs.
    """
    tokens: list[Token] = []
    for row, (number, text) in enumerate(line for line in lines if line[1].strip()):
        for cell in text.split("\t"):
            cell = cell.strip()
            tokens.append(Token(_cell_kind(cell), _cell_text(cell), number, row))
    return tokens


LAYOUTS = ("cells", "rows", "flow")
"""cells: the grids a reader saw (or the cells layout typed in a text source);
rows: one tab-separated row per line; flow: text extracted from a PDF, blank cells lost."""


def layout_of(document: Document, first: int, last: int) -> str:
    """Which of LAYOUTS the table lines ``first``..``last`` of ``document`` are in."""
    lines = document.lines[first - 1 : last]
    filled = sum(1 for line in lines if line.strip()) or 1
    cells = document.cells
    in_cells = sum(1 for n in range(first, last + 1) if n in cells and not cells[n].plain)
    # The rows layout is text only: tabs between the cells of a line.
    separated = sum(1 for line in lines if "\t" in line.lstrip("\t").rstrip())
    if in_cells >= 20 and in_cells * 5 >= filled:
        return "cells"
    if separated >= 10 and separated * 4 >= filled:
        return "rows"
    return "flow"


def tokenize(document: Document, layout: str, lines: Sequence[tuple[int, str]]) -> list[Token]:
    """Tokens of a table body in ``layout``."""
    if layout == "cells":
        return cell_tokens(document, lines)
    return row_tokens(lines) if layout == "rows" else flow_tokens(lines)


_BARE_CELL = re.compile(rf"^\t\s*{_AMOUNT}\s*$")
_TABLE_AMOUNT = re.compile(rf"(?<![\d.,]){_AMOUNT}(?!\d*\s*(?:万元|元|%|％))")


def holds_table_amounts(text: str) -> bool:
    """Whether a line reads as a table row.

    A cell holding an amount, or several amounts that are not prose (prose says
    282.91万元 or 59.2%).
    """
    return bool(_BARE_CELL.match(text)) or len(_TABLE_AMOUNT.findall(text)) >= 2
