"""Grids of cells (a workbook sheet, a ruled PDF table) as lines of the cells layout.

The cells layout is what every table reader understands: one tab-indented line
per cell, a lone tab for a blank cell, an empty line after each row, titles and
notes as plain lines. A grid gives each position one of three things: text, an
empty string (a blank cell) or None (a position covered by a merged cell, which
a Word export would not print either).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_NUMBER = re.compile(r"-?[\d,]+(?:\.\d+)?")

GridRow = Sequence[str | None]
Locate = Callable[[int, int], str]
"""(row index, column index) → where a person finds that cell in the original."""


@dataclass
class Lines:
    """Lines of a Document being built, each with where it came from."""

    text: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)

    def add(self, text: str, where: str) -> None:
        """Append one line."""
        self.text.append(text)
        self.where.append(where)


def at_table(kind: str, number: int) -> Locate:
    """Where a cell of the ``number``-th table of a Word document or web page stands."""
    return lambda row, _column: f"{kind} {number} row {row + 1}"


def add_grid(lines: Lines, rows: Sequence[GridRow], locate: Locate, trim: bool = True) -> None:
    """Append ``rows`` to ``lines`` in the cells layout.

    ``trim`` drops the empty columns at either side (a sheet's used range is often
    wider than its table); a ruled table's columns are exactly its own.
    """
    left, right = _extent(rows) if trim else (0, max((len(row) for row in rows), default=0) - 1)
    for r, row in enumerate(rows):
        cells = [(c, row[c]) for c in range(left, min(right + 1, len(row)))]
        cells += [(c, "") for c in range(len(row), right + 1)]
        present = [(c, text.strip()) for c, text in cells if text is not None]
        filled = [(c, text) for c, text in present if text]
        if not filled:
            continue
        if _is_plain(present, filled):
            column, text = filled[0]
            lines.add(text, locate(r, column))
        else:
            for column, text in present:
                lines.add(f"\t{text}", locate(r, column))
        lines.add("", locate(r, filled[-1][0]))


def _extent(rows: Sequence[GridRow]) -> tuple[int, int]:
    """First and last column that hold text in any row: stray empty columns go."""
    used = [c for row in rows for c, text in enumerate(row) if text and text.strip()]
    return (min(used), max(used)) if used else (0, -1)


def _is_plain(present: list[tuple[int, str]], filled: list[tuple[int, str]]) -> bool:
    """A title or note: one text cell, nothing but merged cells after it.

    A 合计 row with blank amounts after it is a table row and stays in cells.
    """
    if len(filled) != 1 or _NUMBER.fullmatch(filled[0][1]):
        return False
    column = filled[0][0]
    return all(c <= column for c, _text in present)
