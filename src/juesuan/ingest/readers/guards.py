"""The limits a workbook or PDF is held to before its reader spends time on it.

openpyxl makes one object per cell it is told of: a cell element, and every cell
of a merged range or of a hyperlink's range. A few kilobytes can so describe
billions of cells, or a zip member unpack to gigabytes. The archive is therefore
checked first: its declared unpacked size (zipfile never yields more than that),
then its XML, parsed once by the same expat parser openpyxl uses but without
building a tree, counting sheets and cells. Once the workbook is open, each
sheet's used range is checked before its rows are walked. A PDF's pages are
counted in its page tree before any page is read.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path
from typing import Any
from xml.parsers import expat

from juesuan.errors import SourceError
from juesuan.limits import CELLS, PDF_PAGES, SHEET_COLUMNS, SHEET_ROWS, SHEETS, WORKBOOK_BYTES

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROWS, _COLUMNS = 1_048_576, 16_384
"""A sheet's greatest extent: what a whole-column or whole-row range covers."""
_CHUNK = 1 << 20


def check_xlsx(path: Path, raw: bytes) -> None:
    """Refuse a workbook whose archive unpacks, or whose XML describes cells, past the limits.

    What is not a zip archive, or not XML, is left for the reader to report.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with archive:
        members = _unpacked(path, archive, "workbook")
        count = _Count()
        for member in members:
            count.member(path, archive, member)


def check_unpacked(path: Path, raw: bytes, what: str) -> None:
    """Refuse a zipped document (a Word .docx) whose members unpack past the limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            _unpacked(path, archive, what)
    except (zipfile.BadZipFile, ValueError, OSError):
        return


def _unpacked(path: Path, archive: zipfile.ZipFile, what: str) -> list[zipfile.ZipInfo]:
    """The archive's members, once their declared unpacked size is within the limit."""
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    if WORKBOOK_BYTES.exceeded(unpacked):
        raise SourceError(path, f"the {what} unpacks to {WORKBOOK_BYTES.breach(unpacked)}")
    return members


class _Count:
    """Sheets and cells told of in a workbook's XML, refused as soon as past a limit."""

    def __init__(self) -> None:
        self.sheets = 0
        self.cells = 0
        self.path = Path()

    def member(self, path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
        self.path = path
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self._start
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except (expat.ExpatError, zipfile.BadZipFile, ValueError, OSError, EOFError):
            return  # not XML, or a broken member: the reader reports what it needs

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, tag = name.rpartition(" ")
        if namespace != _MAIN:
            return
        if tag == "sheet":
            self.sheets += 1
            if SHEETS.exceeded(self.sheets):
                raise SourceError(
                    self.path, f"the workbook has {SHEETS.breach(SHEETS.value(), more_than=True)}"
                )
            return
        if tag == "c":
            self._add(1)
        elif tag == "mergeCell" or (tag == "hyperlink" and ":" in attributes.get("ref", "")):
            self._add(_area(attributes.get("ref", "")))

    def _add(self, cells: int) -> None:
        self.cells += cells
        if CELLS.exceeded(self.cells):
            raise SourceError(
                self.path,
                f"the sheets of the workbook hold {CELLS.breach(CELLS.value(), more_than=True)}; "
                "each cell of a merged or linked range counts",
            )


def _area(reference: str) -> int:
    """The cells of a range such as ``A1:G20``; 0 when it is no range."""
    from openpyxl.utils.cell import range_boundaries

    try:
        low_column, low_row, high_column, high_row = range_boundaries(reference)
    except (ValueError, TypeError):
        return 0
    rows = (high_row or _ROWS) - (low_row or 1) + 1
    columns = (high_column or _COLUMNS) - (low_column or 1) + 1
    return max(rows, 0) * max(columns, 0)


def check_sheet_count(path: Path, sheets: int) -> None:
    """Refuse a workbook of more sheets than the limit."""
    if SHEETS.exceeded(sheets):
        raise SourceError(path, f"the workbook has {SHEETS.breach(sheets)}")


def check_used_range(
    path: Path, sheet: str, rows: int, columns: int, cells: int, merged: int = 0
) -> int:
    """The cells of the used ranges read so far, with ``rows`` × ``columns`` of ``sheet``.

    ``merged`` are the cells of the sheet's merged ranges, when the reader walks
    them too (an .xls; an .xlsx's are counted in its XML). Refused past a limit,
    before the sheet's rows are walked.
    """
    from openpyxl.utils.cell import get_column_letter

    where = f"sheet {sheet}"
    used = f"the used range A1:{get_column_letter(max(columns, 1))}{max(rows, 1)}"
    expected = "sheets that end where their tables end (delete the rows and columns beyond)"
    for limit, seen in ((SHEET_ROWS, rows), (SHEET_COLUMNS, columns)):
        if limit.exceeded(seen):
            raise SourceError(
                path, f"{used} has {limit.breach(seen)}", location=where, expected=expected
            )
    cells += rows * columns + merged
    if CELLS.exceeded(cells):
        also = f" and {merged:,} merged cells" if merged else ""
        raise SourceError(
            path,
            f"with {used}{also}, the sheets have {CELLS.breach(cells)}",
            location=where,
            expected=expected,
        )
    return cells


def check_pages(path: Path, pdf: Any) -> None:
    """Refuse a PDF of more pages than the limit, counting no further than one past it.

    A page tree pdfminer cannot walk raises what pdfplumber raises for it.
    """
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.utils.exceptions import PdfminerException

    limit = PDF_PAGES.value()
    try:
        pages = sum(1 for _page in itertools.islice(PDFPage.create_pages(pdf.doc), limit + 1))
    except Exception as error:  # as pdfplumber wraps whatever its page walk raises
        raise PdfminerException(error) from error
    if pages > limit:
        raise SourceError(path, f"the PDF has {PDF_PAGES.breach(limit, more_than=True)}")
