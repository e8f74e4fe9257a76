"""Grids of cells: the typed table every reader that sees a real table hands on.

A :class:`Grid` is rows of :class:`Cell` s, each knowing its text, whether it is
blank or covered by a merged cell (and which cell covers it), and where a person
finds it in the original. The reader says which cells are merged or blank
(a workbook's merged ranges, Word's gridSpan and vMerge, a page's rowspan and
colspan, a PDF cell pdfplumber finds none for); nothing later guesses it.

The Document also keeps each grid as lines, so the outline, line numbers and
findings read the same whatever the source: one tab-indented line per written
cell (a lone tab for a blank one), an empty line after each row, and a title or
note (one text cell, nothing but merged cells after it) as one plain line. That
is the cells layout a person may also type by hand in a text source, which
:func:`text_grids` reads into the same grids once, at the text reader.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from juesuan.text import plain

_NUMBER = re.compile(r"-?[\d,]+(?:\.\d+)?")
# Full-width digits and decimal point become ASCII so amounts parse (as in source).
DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")

Locate = Callable[[int, int], str]
"""(row index, column index) → where a person finds that cell in the original."""


@dataclass(frozen=True)
class Cell:
    """One position of a grid."""

    text: str
    row: int
    column: int
    where: str
    """Where a person finds it in the original ("page 3, line 7", "sheet 公开02表 cell B12")."""
    origin: tuple[int, int] | None = None
    """(row, column) of the merged cell that covers this position; None when it is its own."""
    line: int | None = None
    """The Document line the cell is written on; None when it is not written."""

    @property
    def merged(self) -> bool:
        """Whether a merged cell elsewhere covers this position."""
        return self.origin is not None

    @property
    def blank(self) -> bool:
        """Whether the cell is its own and prints nothing."""
        return self.origin is None and not self.text


@dataclass(frozen=True)
class Grid:
    """Rows of cells, and where the Document holds them."""

    rows: tuple[tuple[Cell, ...], ...]
    first_line: int = 0
    """First and last Document line the grid occupies (0 before it is written)."""
    last_line: int = 0
    plain: frozenset[int] = frozenset()
    """Rows written as one plain line (a title or a note): read as text, not cells."""

    def written(self) -> list[tuple[int, list[Cell]]]:
        """Each row written to the Document, with its written cells."""
        rows = []
        for r, row in enumerate(self.rows):
            cells = [cell for cell in row if cell.line is not None]
            if cells:
                rows.append((r, cells))
        return rows


def cell_of(
    text: str | None, row: int, column: int, where: str, origin: tuple[int, int] | None = None
) -> Cell:
    """A cell of a reader's grid, its text as Document lines hold text."""
    return Cell(normal(text or ""), row, column, where, origin)


def normal(text: str) -> str:
    """Text as a Document holds it: one line, NFC, no invisible characters, ASCII digits."""
    flat = re.sub(r"[\r\n]+", "", text)
    return plain(unicodedata.normalize("NFC", flat)).translate(DIGITS).strip()


class Written(NamedTuple):
    """A cell as the Document holds it on its line."""

    row: int
    """The physical row, counted across all the Document's grids."""
    cell: Cell
    plain: bool
    """Whether its row is written as one plain line (a title or a note), read as text."""


@dataclass
class Lines:
    """Lines of a Document being built, each with where it came from, and its grids."""

    text: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)

    def add(self, text: str, where: str) -> None:
        """Append one line."""
        self.text.append(text)
        self.where.append(where)

    def add_grid(self, rows: Sequence[Sequence[Cell]], trim: bool = True) -> None:
        """Append a grid and its lines.

        ``trim`` drops the empty columns at either side (a sheet's used range is
        often wider than its table); a ruled table's columns are exactly its own.
        """
        left, right = _extent(rows) if trim else (0, max((len(row) for row in rows), default=0) - 1)
        first = len(self.text) + 1
        placed: list[tuple[Cell, ...]] = []
        plain_rows = set()
        for r, row in enumerate(rows):
            kept = [c for c in row if left <= c.column <= right]
            present = [c for c in kept if not c.merged]
            filled = [c for c in present if c.text]
            if not filled:
                placed.append(tuple(row))
                continue
            written: dict[int, int] = {}
            if _is_plain(present, filled):
                plain_rows.add(r)
                self.add(filled[0].text, filled[0].where)
                written[filled[0].column] = len(self.text)
            else:
                for c in present:
                    self.add(f"\t{c.text}", c.where)
                    written[c.column] = len(self.text)
            self.add("", filled[-1].where)
            placed.append(tuple(replace(c, line=written.get(c.column)) for c in row))
        self.grids.append(Grid(tuple(placed), first, len(self.text), frozenset(plain_rows)))


def at_table(kind: str, number: int) -> Locate:
    """Where a cell of the ``number``-th table of a Word document or web page stands."""
    return lambda row, _column: f"{kind} {number} row {row + 1}"


def padded(rows: Sequence[Sequence[Cell]], locate: Locate) -> list[list[Cell]]:
    """Rows made as wide as the widest, blank cells to their right."""
    width = max((len(row) for row in rows), default=0)
    return [
        [*row, *(Cell("", r, c, locate(r, c)) for c in range(len(row), width))]
        for r, row in enumerate(rows)
    ]


def _extent(rows: Sequence[Sequence[Cell]]) -> tuple[int, int]:
    """First and last column that hold text in any row: stray empty columns go."""
    used = [c.column for row in rows for c in row if c.text and not c.merged]
    return (min(used), max(used)) if used else (0, -1)


def _is_plain(present: list[Cell], filled: list[Cell]) -> bool:
    """A title or note: one text cell, nothing but merged cells after it.

    A 合计 row with blank amounts after it is a table row and stays in cells.
    """
    if len(filled) != 1 or _NUMBER.fullmatch(filled[0].text):
        return False
    column = filled[0].column
    return all(c.column <= column for c in present)


def text_grids(lines: Sequence[str]) -> tuple[Grid, ...]:
    """The grids a person typed in the cells layout, read once at the text reader.

    A line starting with a tab starts a cell, a line without one continues the
    cell before it (a wrapped cell), an empty line ends the row; a run of rows
    is one grid. A line with tabs between its cells is a tab-separated row (the
    rows layout), not a cell.
    """
    grids: list[Grid] = []
    rows: list[tuple[Cell, ...]] = []
    row: list[Cell] = []
    first = 0

    def end_row() -> None:
        nonlocal row
        if row:
            rows.append(tuple(row))
        row = []

    def end_grid(last: int) -> None:
        nonlocal rows
        end_row()
        if rows:
            grids.append(Grid(tuple(rows), first, last))
        rows = []

    for number, text in enumerate(lines, start=1):
        if text.startswith("\t") and "\t" not in text[1:].rstrip():
            if not rows and not row:
                first = number
            where = f"line {number}"
            row.append(Cell(text[1:].strip(), len(rows), len(row), where, line=number))
        elif not text.strip():
            end_row()
        elif row and "\t" not in text:
            last = row[-1]
            row[-1] = replace(last, text=last.text + text.strip())
        else:
            end_grid(number - 1)
    end_grid(len(lines))
    return tuple(grids)
