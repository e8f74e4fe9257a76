"""A disclosure table read back from a built page, with the standard library's parser.

The header comes back as a grid (a cell over several rows or columns fills
each slot it covers), the body as rows of cells with their attributes and the
text a reader sees in them (a flagged cell's markers and explanation left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import ClassVar

SKIPPED = ("js-mark", "js-explain")
"""Classes of what a flagged cell holds besides its value."""


@dataclass
class Cell:
    """One ``th`` or ``td``."""

    tag: str
    attrs: dict[str, str]
    text: str = ""

    @property
    def classes(self) -> set[str]:
        """The cell's classes."""
        return set(self.attrs.get("class", "").split())

    @property
    def rowspan(self) -> int:
        """Rows the cell covers."""
        return int(self.attrs.get("rowspan", 1))

    @property
    def colspan(self) -> int:
        """Columns the cell covers."""
        return int(self.attrs.get("colspan", 1))


@dataclass
class ParsedTable:
    """A table of a page: header rows and body rows of cells."""

    head: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)

    def head_grid(self) -> list[list[Cell]]:
        """The header as a grid: ``grid[row][column]`` is the cell over that slot."""
        return _grid(self.head)

    def body_grid(self) -> list[list[Cell]]:
        """The body as a grid, a cell over several columns in each of them."""
        return _grid(self.body)


def _grid(rows: list[list[Cell]]) -> list[list[Cell]]:
    grid: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dy in range(cell.rowspan):
                for dx in range(cell.colspan):
                    grid[(r + dy, c + dx)] = cell
            c += cell.colspan
    height = max((r for r, _c in grid), default=-1) + 1
    width = max((c for _r, c in grid), default=-1) + 1
    return [[grid.get((r, c)) for c in range(width)] for r in range(height)]  # type: ignore[misc]


class _Parser(HTMLParser):
    VOID: ClassVar[set[str]] = {"br", "img", "input", "wbr", "hr", "meta", "link", "col"}

    def __init__(self, table: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = table
        self.found: ParsedTable | None = None
        self.depth = 0  # nesting inside the wanted <table>
        self.part: str | None = None
        self.cell: Cell | None = None
        self.skip: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "table" and values.get("data-table") == self.wanted and self.found is None:
            self.found, self.depth = ParsedTable(), 1
            return
        if not self.depth or tag in self.VOID:
            return
        self.depth += 1
        if tag in ("thead", "tbody"):
            self.part = tag
        elif tag == "tr" and self.found is not None:
            (self.found.head if self.part == "thead" else self.found.body).append([])
        elif tag in ("th", "td") and self.found is not None:
            self.cell = Cell(tag, values)
            rows = self.found.head if self.part == "thead" else self.found.body
            rows[-1].append(self.cell)
        classes = set(values.get("class", "").split())
        self.skip.append(bool(classes & set(SKIPPED)) or bool(self.skip and self.skip[-1]))

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or tag in self.VOID:
            return
        self.depth -= 1
        if self.depth and self.skip:
            self.skip.pop()
        if tag in ("th", "td"):
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.depth and self.cell is not None and not (self.skip and self.skip[-1]):
            self.cell.text += data


def parse_table(html: str, table: str) -> ParsedTable:
    """The table ``data-table=table`` of the page ``html``."""
    parser = _Parser(table)
    parser.feed(html)
    assert parser.found is not None, f"no table {table} on the page"
    for rows in (parser.found.head, parser.found.body):
        for row in rows:
            for cell in row:
                cell.text = cell.text.strip()
    return parser.found
