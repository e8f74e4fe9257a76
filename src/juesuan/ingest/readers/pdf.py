"""PDF sources (pdfplumber): ruled tables as cells, everything else as flowed text.

A table drawn with ruling lines is read cell by cell (``find_tables``) into a
grid, so blank cells keep their place and merged ones are known; a page without ruling
lines gives its text line by line, which is the flow layout that the placement
solver reads. Text around a ruled table (titles, 单位, notes) stays plain lines,
in reading order. Page numbers and the header a table repeats on each page are
dropped: they are print furniture, not content. A page without a text layer (a
scan), or whose text is mostly glyphs without a Unicode mapping, is read by OCR
(:mod:`juesuan.ingest.readers.ocr`): its ruled tables as cells, its other lines
going the same way as a text page's.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juesuan.errors import SourceError
from juesuan.ingest.grid import Cell, Lines, cell_of
from juesuan.ingest.readers import guards, ocr
from juesuan.ingest.source import Document, from_lines, read_bytes

_PAGE_NUMBER = re.compile(
    r"^[-—－–\s]*\d{1,4}[-—－–\s]*$|^第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?$"
)
_MARGIN = 0.08
"""Share of the page height at top and bottom where a page number may stand."""
_UNMAPPED = "(cid:"
_MAX_SPAN = 64
"""Rows or columns a merged cell spans at most, as far as its origin is looked for."""

OCR_HINT = (
    "a PDF with a text layer: run OCR first (for example `ocrmypdf -l chi_sim in.pdf "
    "out.pdf`), or ask the publisher for the Word, Excel or text version"
)


@dataclass
class _Item:
    """A text line or a ruled table on a page, with its top edge."""

    top: float
    text: str | None = None
    rows: list[list[str | None]] | None = None
    origins: dict[tuple[int, int], tuple[int, int]] | None = None
    """Each position a merged cell covers → that cell's position (pdfplumber's are found)."""
    words: ocr.Words = ()
    """For a line read by OCR: its words, where they start in ``text``, their confidence."""
    cell_words: dict[tuple[int, int], ocr.Words] | None = None
    """For a table read by OCR: each cell's words, where they start in its text."""


def read_pdf(path: Path) -> Document:
    """Read a PDF: ruled tables become the cells layout, other text the flow layout."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    raw = read_bytes(path)
    lines = Lines()
    characters = unmapped = 0
    scanned = ocr.Scanned(path, raw)
    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
        # Before the with: closing a pdfplumber PDF walks every page of its tree.
        guards.check_pages(path, pdf)
        with pdf:
            head: list[list[str | None]] | None = None
            glyphs = [_unmapped(page) for page in pdf.pages]
            scanned.unmapped = [n for n, (_, share) in enumerate(glyphs, start=1) if share]
            scanned.start(
                [
                    n
                    for n, page in enumerate(pdf.pages, start=1)
                    if not page.chars or glyphs[n - 1][1]
                ]
            )
            for number, page in enumerate(pdf.pages, start=1):
                count, glyphs_only = glyphs[number - 1]
                if not glyphs_only:
                    characters += len(page.chars)
                    unmapped += count
                # Faux bold (a font without a bold face, printed twice a hair apart)
                # puts each character twice in the text layer: 收收入入 matches no title.
                items = (
                    _items(_without_overprint(page))
                    if page.chars and not glyphs_only
                    else _scanned_items(scanned, number)
                )
                head = _add_page(lines, items, page, number, head, scanned)
            pages = len(pdf.pages)
    except (PDFPasswordIncorrect, PDFSyntaxError, PdfminerException) as error:
        cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
        if isinstance(cause, PDFPasswordIncorrect):
            message = "the PDF is protected by a password"
        else:
            message = f"not a readable PDF ({type(cause).__name__}: {cause})"
        raise SourceError(path, message, expected="a PDF that opens without a password") from error
    if pages == 0:
        raise SourceError(path, "the PDF has no pages", expected="the complete document")
    if characters == 0 and not lines.text:
        raise SourceError(
            path,
            f"the PDF has no text layer (its {pages} page{'s' if pages > 1 else ''} are "
            "images, as from a scanner) and OCR read no text on them",
            expected=OCR_HINT,
        )
    if unmapped * 10 > characters:
        raise SourceError(
            path,
            f"{unmapped} of the PDF's {characters} characters have no Unicode mapping in "
            "their font, so the text cannot be read: OCR is needed",
            expected=OCR_HINT,
        )
    return scanned.record(from_lines(path, raw, lines, "pdf"))


def _add_page(
    lines: Lines,
    items: list[_Item],
    page: Any,
    number: int,
    head: list[list[str | None]] | None,
    scanned: ocr.Scanned,
) -> list[list[str | None]] | None:
    """Append one page's lines; return the first rows of the last table begun.

    Each line is located as a reader finds it on the printed page: the page, and
    the line counted from the top, a table row counting as one line.
    """
    if items and items[-1].text is not None and _is_page_number(items[-1], page):
        items.pop()
    if items and items[0].text is not None and _is_page_number(items[0], page):
        items.pop(0)
    seen = 0  # lines of the page above the item
    for index, item in enumerate(items):
        if item.text is not None:
            seen += 1
            lines.add(item.text, f"page {number}, line {seen}")
            scanned.read(len(lines.text), item.words)
            continue
        rows = all_rows = item.rows or []
        if index == 0 and head is not None:
            # A table running on from the last page repeats its header rows.
            rows = _without_repeated_head(all_rows, head)
        else:
            head = rows[:8]
        skipped = len(all_rows) - len(rows)
        lines.add_grid(_grid(item.origins or {}, all_rows, skipped, number, seen), trim=False)
        if item.cell_words:
            _read_cells(lines, item.cell_words, skipped, scanned)
        seen += len(all_rows)
    return head


def _read_cells(
    lines: Lines,
    words: dict[tuple[int, int], ocr.Words],
    skipped: int,
    scanned: ocr.Scanned,
) -> None:
    """Keep the OCR words of the grid just added, where its cells stand in the lines."""
    for row in lines.grids[-1].rows:
        for cell in row:
            if cell.line is None:
                continue
            # A cell is written after a tab, a title or note row as the plain text.
            shift = 1 if lines.text[cell.line - 1].startswith("\t") else 0
            found = words.get((cell.row + skipped, cell.column), ())
            scanned.read(cell.line, tuple((start + shift, w) for start, w in found))


def _grid(
    origins: dict[tuple[int, int], tuple[int, int]],
    rows: list[list[str | None]],
    skipped: int,
    page: int,
    above: int,
) -> list[list[Cell]]:
    """A ruled table's rows from ``skipped`` on, as a grid.

    A position pdfplumber finds no cell for (None) is covered by the merged cell
    drawn over it. Each row stands on its page under ``above`` lines, a table row counting as one.
    """
    grid: list[list[Cell]] = []
    for i, row in enumerate(rows[skipped:], start=skipped):
        where = f"page {page}, line {above + i + 1}"
        cells = []
        for j, text in enumerate(row):
            origin = None
            if text is None:
                r, c = origins.get((i, j), (i, j - 1) if j else (i - 1, j))
                origin = (max(r - skipped, 0), c)
            cells.append(cell_of(text, i - skipped, j, where, origin))
        grid.append(cells)
    return grid


def _without_overprint(page: Any) -> Any:
    """``page`` less the doubles of faux bold, when it has any.

    Each character's twin is looked for in a one-point grid around it (a linear
    pass); only a page that has twins pays for pdfplumber's ``dedupe_chars``,
    which costs many times more on a page of many characters.
    """
    seen: set[tuple[str, int, int]] = set()
    for char in page.chars:
        text, x, y = char["text"], int(char["x0"]), int(char["top"])
        if any((text, x + dx, y + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            return page.dedupe_chars()
        seen.add((text, x, y))
    return page


def _unmapped(page: Any) -> tuple[int, bool]:
    """A page's characters without a Unicode mapping, and whether they are most of its text.

    A font embedded without its ToUnicode map gives ``(cid:N)`` for every glyph:
    such a page is read from its picture, as a scan is.
    """
    count = sum(1 for char in page.chars if _UNMAPPED in char["text"])
    return count, count * 2 > len(page.chars) > 0


def _scanned_items(scanned: ocr.Scanned, number: int) -> list[_Item]:
    read = scanned.page(number)
    items = [_Item(line.top, line.text, words=line.words) for line in read.lines]
    items += [_Item(t.top, rows=t.rows, origins=t.origins, cell_words=t.words) for t in read.tables]
    return sorted(items, key=lambda item: item.top)


def _origins(table: Any) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, column) of each position without a cell → that of the cell drawn over it.

    That cell starts above or to the left of the position: looked for from it
    back up and left, the nearest found first, at most ``_MAX_SPAN`` rows and
    columns away (so a malformed table costs no more than a real one).
    """
    if table is None:
        return {}
    boxes = [row.cells for row in table.rows]
    lefts = [column.bbox[0] for column in table.columns]
    origins = {}
    for i, row in enumerate(table.rows):
        for j, box in enumerate(boxes[i]):
            if box is not None or j >= len(lefts):
                continue
            x, y = lefts[j] + 0.5, row.bbox[1] + 0.5
            origins[(i, j)] = next(
                (
                    (r, c)
                    for r in range(i, max(i - _MAX_SPAN, -1), -1)
                    for c in range(min(j, len(boxes[r]) - 1), max(j - _MAX_SPAN, -1), -1)
                    if (cover := boxes[r][c]) is not None
                    and cover[0] <= x < cover[2]
                    and cover[1] <= y < cover[3]
                ),
                (i, j - 1) if j else (i - 1, j),
            )
    return origins


def _items(page: Any) -> list[_Item]:
    """Text lines and ruled tables of ``page`` in reading order (top to bottom)."""
    tables = [t for t in page.find_tables() if _is_grid(t)]
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    items = [
        _Item(line["top"], text=line["text"])
        for line in outside.extract_text_lines(return_chars=False)
        if line["text"].strip()
    ]
    for table in tables:
        rows = [[_cell(text) for text in row] for row in table.extract()]
        items.append(_Item(table.bbox[1], rows=rows, origins=_origins(table)))
    return sorted(items, key=lambda item: item.top)


def _is_grid(table: Any) -> bool:
    """A real table, not a page frame or a box drawn around one paragraph."""
    rows = table.extract()
    return len(rows) >= 2 and max((len(row) for row in rows), default=0) >= 2


def _cell(text: str | None) -> str | None:
    # A wrapped cell's line breaks are layout: 本年收入\n合计 is 本年收入合计.
    return None if text is None else re.sub(r"\s*\n\s*", "", text).strip()


def _is_page_number(item: _Item, page: Any) -> bool:
    in_margin = item.top < page.height * _MARGIN or item.top > page.height * (1 - _MARGIN)
    return in_margin and bool(_PAGE_NUMBER.match((item.text or "").strip()))


def _without_repeated_head(
    rows: list[list[str | None]], head: list[list[str | None]]
) -> list[list[str | None]]:
    def flat(row: list[str | None]) -> list[str]:
        return [re.sub(r"\s+", "", text or "") for text in row]

    skip = 0
    while skip < len(rows) and skip < len(head) and flat(rows[skip]) == flat(head[skip]):
        skip += 1
    return rows[skip:] if skip < len(rows) else rows
