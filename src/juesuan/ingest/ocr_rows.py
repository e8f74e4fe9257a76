"""行次 and 栏次 OCR read with a digit lost (61 as 6), given back by their run.

A ledger table numbers its lines down each 行次 column: 1, 2, 3 … on the left,
30, 31 … on the right; a table numbers its columns along its 栏次 row. In
small type Tesseract now and then loses a digit of one (61 as 6, 11 as 1), and
the row is taken for another line or for none. On a page read by OCR, a number
of such a run that follows neither the number before it nor the one after, but
is the one the run asks for with one digit lost, is read as that one and
recorded; so is the one mark of a flowed 栏次 line where its run lacks one
number (1 ， 3 for 1 2 3). When the numbers around it ask for two
different ones it could have lost a digit of, nothing decides, and the ingest
stops naming the cell; a number that is no lost digit away is left as read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from juesuan.errors import SourceError
from juesuan.ingest.grid import Cell
from juesuan.ingest.ocr_correct import Correction
from juesuan.ingest.source import Document
from juesuan.text import normalise

_LINE_HEADING = "行次"
_COLUMN_HEADING = "栏次"
_NUMBER = re.compile(r"\d{1,3}")
_PAGE = re.compile(r"^page (\d+),")
_RUN = 4
"""Numbers a column without a 行次 heading holds at least to be taken for one."""
_SHARE = 0.75
"""Share of its numbers that follow the one above in such a column."""
_LARGEST = 200
"""A 行次 is smaller than any code of the code lists (201 on)."""


def repair_row_numbers(document: Document) -> tuple[Document, list[Correction]]:
    """``document`` with its scanned tables' 行次 and 栏次 given back by their runs."""
    if document.ocr is None:
        return document, []
    pages = set(document.ocr.pages)
    changed: dict[int, str] = {}
    repairs: list[Correction] = []
    for column in _runs(document, pages):
        numbers = [
            int(c.text.strip()) if _NUMBER.fullmatch(c.text.strip()) else None for c in column
        ]
        for index, cell in enumerate(column):
            read = numbers[index]
            if read is None or cell.line is None:
                continue
            above = next((n for n in reversed(numbers[:index]) if n is not None), None)
            below = next((n for n in numbers[index + 1 :] if n is not None), None)
            if (above is not None and read == above + 1) or (
                below is not None and read == below - 1
            ):
                continue
            wanted = {n for n in (_after(above), _before(below)) if n is not None}
            lost = sorted(n for n in wanted if _lost_digit(str(n), str(read)))
            if len(lost) > 1:
                raise SourceError(
                    document.path,
                    f"行次 read as {read} between {above} and {below} could be "
                    + " or ".join(map(str, lost))
                    + " with a digit lost in OCR, so neither is chosen",
                    line=cell.line,
                    expected="the 行次 as printed on the paper; or a version of the document "
                    "with a text layer",
                )
            if lost:
                (number,) = lost
                changed[cell.line] = "\t" + str(number)
                repairs.append(
                    Correction(
                        cell.line,
                        str(read),
                        str(number),
                        None,
                        "sequence",
                        start=1,
                        kind="row_number",
                    )
                )
    for at, text, start, mark, fixed in _flowed_numbering(document, pages):
        changed[at] = text[:start] + fixed + text[start + len(mark) :]
        repairs.append(
            Correction(at, mark, fixed, None, "sequence", start=start, kind="row_number")
        )
    if not changed:
        return document, []
    return document.with_lines(changed), repairs


def _flowed_numbering(
    document: Document, pages: set[int]
) -> Iterator[tuple[int, str, int, str, str]]:
    """A flowed 栏次 line's one mark where its run lacks one number (1 ， 3 for 1 2 3).

    Each is the line, its text, where the mark starts, the mark and the number.
    """
    for number, text in enumerate(document.lines, start=1):
        where = _PAGE.match(document.location(number) or "")
        if where is None or int(where.group(1)) not in pages or document.in_grid(number):
            continue
        heading = text.find(_COLUMN_HEADING)
        if heading < 0 or text[:heading].strip():
            continue
        words = list(re.finditer(r"\S+", text[heading + len(_COLUMN_HEADING) :]))
        others = [i for i, w in enumerate(words) if not _NUMBER.fullmatch(w.group())]
        if len(others) != 1 or not 0 < others[0] < len(words) - 1:
            continue
        at = others[0]
        before, after = int(words[at - 1].group()), int(words[at + 1].group())
        if after == before + 2:
            mark = words[at]
            yield (
                number,
                text,
                heading + len(_COLUMN_HEADING) + mark.start(),
                mark.group(),
                str(before + 1),
            )


def _runs(document: Document, pages: set[int]) -> Iterator[list[Cell]]:
    """The 行次 columns and 栏次 rows of the grids read by OCR, cells in reading order.

    Cells under a 行次 heading, or after a 栏次 one, count; so does a column or a row
    of small whole numbers most of which follow the one before (a table continued
    on the next page prints no heading; some print no 栏次).
    """
    for grid in document.grids:
        cells = [c for row in grid.rows for c in row if c.line is not None and not c.merged]
        where = _PAGE.match(document.location(cells[0].line) or "") if cells else None
        if where is None or int(where.group(1)) not in pages:
            continue
        headed = {c.column: c.row for c in cells if normalise(c.text) == _LINE_HEADING}
        for column in sorted({c.column for c in cells}):
            run = [c for c in cells if c.column == column and c.row > headed.get(column, -1)]
            if column in headed:
                yield run
            elif _counts(_after_text(run)):
                yield _after_text(run)
        numbered = {c.row: c.column for c in cells if normalise(c.text) == _COLUMN_HEADING}
        for row in sorted({c.row for c in cells}):
            run = [c for c in cells if c.row == row and c.column > numbered.get(row, -1)]
            run.sort(key=lambda c: c.column)
            if row in numbered or _counts(run):
                yield run


def _after_text(cells: list[Cell]) -> list[Cell]:
    """The cells after the last that holds no whole number: a column's headings stand above."""
    texts = [
        i for i, c in enumerate(cells) if c.text.strip() and not _NUMBER.fullmatch(c.text.strip())
    ]
    return cells[texts[-1] + 1 :] if texts else cells


def _counts(cells: list[Cell]) -> bool:
    """Whether ``cells`` hold a run of 行次: small numbers, most one more than the last."""
    texts = [c.text.strip() for c in cells if c.text.strip()]
    if len(texts) < _RUN or not all(_NUMBER.fullmatch(t) for t in texts):
        return False
    numbers = [int(t) for t in texts]
    steps = sum(b == a + 1 for a, b in pairwise(numbers))
    return max(numbers) <= _LARGEST and steps >= _SHARE * (len(numbers) - 1)


def _after(number: int | None) -> int | None:
    return None if number is None else number + 1


def _before(number: int | None) -> int | None:
    return None if number is None or number <= 1 else number - 1


def _lost_digit(wanted: str, read: str) -> bool:
    """Whether ``read`` is ``wanted`` with one of its digits lost."""
    return any(wanted[:i] + wanted[i + 1 :] == read for i in range(len(wanted)))
