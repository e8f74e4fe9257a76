"""Ruled tables of a page image: its ruling lines made into cells, merged ones included.

A text PDF's ruled tables come from pdfplumber, which builds cells from the
lines drawn; a scan has only pixels. Here the long dark runs of the picture
are the lines: horizontal ones, and vertical ones that reach a horizontal line
at both ends (a letter's stroke does not). Lines that cross make a table; the
positions of its lines cut it into elementary cells, and two neighbours with no
line drawn between them are one merged cell, as pdfplumber finds. OCR's words
are then given to the cell their middle stands in.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_TOLERANCE = 6
"""Pixels (at 200 dpi) two line positions may differ by and be one, or a line miss a corner by."""
_BORDER = 0.9
"""Share of the edge between two cells that must be dark for a line to stand there."""
_GAP = 3
"""Pixels of a line a scan may lose and the line still be whole."""


@dataclass(frozen=True)
class Segment:
    """A straight ruling line: where it stands across, and from where to where it runs."""

    at: int
    start: int
    end: int


@dataclass(frozen=True)
class Ruled:
    """A ruled table of a page image: its line positions and each elementary cell's owner."""

    xs: tuple[int, ...]
    ys: tuple[int, ...]
    owner: dict[tuple[int, int], tuple[int, int]]
    """(row, column) of each elementary cell → that of the merged cell it belongs to (top left)."""

    @property
    def shape(self) -> tuple[int, int]:
        """Rows and columns of elementary cells."""
        return len(self.ys) - 1, len(self.xs) - 1

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The (merged) cell the point stands in, or None outside the table."""
        if not (self.xs[0] <= x < self.xs[-1] and self.ys[0] <= y < self.ys[-1]):
            return None
        return self.owner[(bisect_right(self.ys, y) - 1, bisect_right(self.xs, x) - 1)]


def find_tables(dark: Any, horizontal: Any, vertical: Any) -> list[Ruled]:
    """The ruled tables of a page: ``dark`` its dark pixels, the others its long runs."""
    rows = _segments(horizontal)
    columns = _segments(vertical.T)
    # A vertical line of a table runs from one horizontal line to another.
    columns = [c for c in columns if _meets(c.start, c.at, rows) and _meets(c.end, c.at, rows)]
    rows = [r for r in rows if sum(_crosses(r, c) for c in columns) >= 2]
    tables = []
    for group_rows, group_columns in _connected(rows, columns):
        ys = _positions([r.at for r in group_rows])
        xs = _positions([c.at for c in group_columns])
        if len(ys) >= 3 and len(xs) >= 3:
            tables.append(Ruled(tuple(xs), tuple(ys), _owners(dark, xs, ys)))
    return tables


def _segments(runs: Any) -> list[Segment]:
    """The lines of a mask of horizontal runs: neighbouring pixel rows of a thick line as one."""
    import numpy as np

    found: list[Segment] = []
    marked = np.flatnonzero(runs.any(axis=1))
    if not len(marked):
        return found
    groups = np.split(marked, np.flatnonzero(np.diff(marked) > 1) + 1)
    for group in groups:
        covered = runs[group[0] : group[-1] + 1].any(axis=0)
        at = int(group[0] + group[-1]) // 2
        for start, end in _spans(covered):
            found.append(Segment(at, start, end))
    return found


def _spans(covered: Any) -> list[tuple[int, int]]:
    """The runs of True in a row of pixels, gaps of at most ``_GAP`` bridged."""
    import numpy as np

    on = np.flatnonzero(covered)
    if not len(on):
        return []
    breaks = np.flatnonzero(np.diff(on) > _GAP + 1)
    starts = [on[0], *on[breaks + 1]]
    ends = [*on[breaks], on[-1]]
    return [(int(s), int(e)) for s, e in zip(starts, ends, strict=True)]


def _meets(y: int, x: int, rows: Sequence[Segment]) -> bool:
    return any(
        abs(r.at - y) <= _TOLERANCE and r.start - _TOLERANCE <= x <= r.end + _TOLERANCE
        for r in rows
    )


def _crosses(row: Segment, column: Segment) -> bool:
    return (
        row.start - _TOLERANCE <= column.at <= row.end + _TOLERANCE
        and column.start - _TOLERANCE <= row.at <= column.end + _TOLERANCE
    )


def _connected(
    rows: list[Segment], columns: list[Segment]
) -> list[tuple[list[Segment], list[Segment]]]:
    """Horizontal and vertical lines grouped by crossing: one group per table."""
    parent = list(range(len(rows) + len(columns)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, row in enumerate(rows):
        for j, column in enumerate(columns):
            if _crosses(row, column):
                parent[find(i)] = find(len(rows) + j)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(find(i), ([], []))[0].append(row)
    for j, column in enumerate(columns):
        groups.setdefault(find(len(rows) + j), ([], []))[1].append(column)
    return list(groups.values())


def _positions(values: list[int]) -> list[int]:
    """Line positions, those a few pixels apart taken as one (their mean)."""
    clusters: list[list[int]] = []
    for value in sorted(values):
        if clusters and value - clusters[-1][-1] <= _TOLERANCE:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [sum(c) // len(c) for c in clusters]


def _owners(dark: Any, xs: list[int], ys: list[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """Each elementary cell's merged cell: neighbours with no line between them are one."""
    rows, columns = len(ys) - 1, len(xs) - 1
    parent = {(i, j): (i, j) for i in range(rows) for j in range(columns)}

    def find(cell: tuple[int, int]) -> tuple[int, int]:
        while parent[cell] != cell:
            cell = parent[cell]
        return cell

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the top-left cell owns the merge

    for i in range(rows):
        for j in range(columns):
            if j + 1 < columns and not _drawn(dark[ys[i] : ys[i + 1], :], xs[j + 1], vertical=True):
                join((i, j), (i, j + 1))
            if i + 1 < rows and not _drawn(dark[:, xs[j] : xs[j + 1]], ys[i + 1], vertical=False):
                join((i, j), (i + 1, j))
    return {cell: find(cell) for cell in parent}


def _drawn(band: Any, at: int, *, vertical: bool) -> bool:
    """Whether a line stands at ``at`` along the inside of the edge ``band`` holds."""
    if vertical:
        inner = band[_TOLERANCE : band.shape[0] - _TOLERANCE, max(at - 2, 0) : at + 3]
        hit = inner.any(axis=1)
    else:
        inner = band[max(at - 2, 0) : at + 3, _TOLERANCE : band.shape[1] - _TOLERANCE]
        hit = inner.any(axis=0)
    return bool(hit.size) and float(hit.mean()) >= _BORDER
