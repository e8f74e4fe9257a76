"""Workbooks as finance bureaus send them: ``.xlsx`` (openpyxl) and ``.xls`` (xlrd).

Each visible sheet becomes a grid (see :mod:`juesuan.ingest.grid`), sheets one
after the other in workbook order, so a workbook with one sheet per table reads
like a Word export. A merged range is its first cell, the others covered by it. Numbers
are written as the sheet shows them: amounts with their two decimals.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from juesuan.errors import SourceError
from juesuan.ingest.grid import Cell, Lines, cell_of
from juesuan.ingest.readers import guards
from juesuan.ingest.source import Document, from_lines, read_bytes

_DECIMALS = re.compile(r"0\.(0+)")
# Bureaus rename files: an .xls may be a zipped .xlsx and the other way round.
_OLE = b"\xd0\xcf\x11\xe0"
_ZIP = b"PK\x03\x04"
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_TOO_LARGE = Decimal(10) ** 13
"""No 决算 amount reaches it (13 digits in 元 are ten trillion); inf and 1e308 do."""


def column_letter(index: int) -> str:
    """Spreadsheet column name of 0-based ``index``: 0 → A, 27 → AB."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def read_xlsx(path: Path) -> Document:
    """Read an Excel 2007+ workbook."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    raw = read_bytes(path)
    if raw.startswith(_OLE):
        return read_xls(path)
    guards.check_xlsx(path, raw)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(raw), data_only=False)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        zlib.error,  # a damaged compressed member
        SyntaxError,  # damaged XML in a member (ElementTree's and lxml's ParseError)
        KeyError,
        ValueError,
        OSError,
    ) as error:
        raise SourceError(
            path, f"not a readable .xlsx workbook ({error})", expected="an Excel 2007+ workbook"
        ) from error
    guards.check_sheet_count(path, len(book.worksheets))
    lines = Lines()
    cells = 0
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        # The range up to the last value: styled empty cells beyond it print nothing.
        extent = _used_range(path, sheet.title, (sheet, formulas[sheet.title]))
        cells = guards.check_used_range(path, sheet.title, *extent, cells)
        lines.add_grid(_xlsx_grid(path, sheet, formulas[sheet.title], extent))
        lines.add("", f"sheet {sheet.title}")
    return _document(path, raw, lines, "xlsx")


def _used_range(path: Path, name: str, sheets: tuple[Any, ...]) -> tuple[int, int]:
    """Last row and column holding a value (or a formula) in any of ``sheets``.

    A sheet's own max_row and max_column count styled empty cells too, out to a
    stray one at XFD1048576; the cells beyond the last value print nothing. The
    declared limits (:mod:`juesuan.ingest.readers.guards`) hold this range.
    """
    rows = columns = 0
    for sheet in sheets:
        for (r, c), cell in sheet._cells.items():  # the cells stored, not the whole range
            if cell.value is not None:
                rows, columns = max(rows, r), max(columns, c)
    return rows, columns


def _xlsx_grid(path: Path, sheet: Any, formulas: Any, extent: tuple[int, int]) -> list[list[Cell]]:
    """The visible cells of one sheet, each covered by a merged range knowing its origin."""
    last_row, last_column = extent
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in sheet.merged_cells.ranges:
        for r in range(merged.min_row, min(merged.max_row, last_row) + 1):
            for c in range(merged.min_col, min(merged.max_col, last_column) + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    origins[(r, c)] = (merged.min_row, merged.min_col)
    # Hidden rows and columns are not printed, so they are not read.
    columns = [
        c for c in range(1, last_column + 1) if not _column_hidden(sheet, column_letter(c - 1))
    ]
    numbers = [r for r in range(1, last_row + 1) if not sheet.row_dimensions[r].hidden]
    at_row = {r: i for i, r in enumerate(numbers)}
    at_column = {c: j for j, c in enumerate(columns)}
    rows: list[list[Cell]] = []
    for i, r in enumerate(numbers):
        row: list[Cell] = []
        for j, c in enumerate(columns):
            where = f"sheet {sheet.title} cell {column_letter(c - 1)}{r}"
            origin = origins.get((r, c))
            if origin is not None:
                # The origin as grid indices (one in a hidden row or column: this row or column).
                at = (at_row.get(origin[0], i), at_column.get(origin[1], j))
                row.append(cell_of("", i, j, where, at))
                continue
            value = sheet.cell(r, c)
            if value.value is None and formulas.cell(r, c).data_type == "f":
                raise SourceError(
                    path,
                    f"{where} holds a formula whose result was never saved",
                    location=where,
                    expected="a workbook saved by Excel or LibreOffice (they store the "
                    "results): open it there and save it again",
                )
            row.append(cell_of(_text(path, value.value, value.number_format, where), i, j, where))
        rows.append(row)
    return rows


def _is_xlsx(raw: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _column_hidden(sheet: Any, letter: str) -> bool:
    dimension = sheet.column_dimensions.get(letter)
    return bool(dimension is not None and dimension.hidden)


def read_xls(path: Path) -> Document:
    """Read an Excel 97–2003 workbook."""
    import xlrd

    raw = read_bytes(path)
    if raw.startswith(_ZIP) and _is_xlsx(raw):
        return read_xlsx(path)
    from xlrd.compdoc import CompDocError

    try:
        # xlrd prints its warnings on damaged files to stdout: keep them out of the output.
        # Ragged rows: a stray cell at row 65536 does not pad every row to the widest.
        book = xlrd.open_workbook(
            file_contents=raw, formatting_info=True, ragged_rows=True, logfile=io.StringIO()
        )
    except (
        xlrd.XLRDError,
        CompDocError,
        zipfile.BadZipFile,
        ValueError,
        AssertionError,
        IndexError,
        KeyError,
        struct.error,
        UnicodeDecodeError,
    ) as error:
        raise SourceError(
            path, f"not a readable .xls workbook ({error})", expected="an Excel 97–2003 workbook"
        ) from error
    guards.check_sheet_count(path, book.nsheets)
    lines = Lines()
    cells = 0
    for sheet in book.sheets():
        if sheet.visibility != 0:
            continue
        merged = sum((r1 - r0) * (c1 - c0) for r0, r1, c0, c1 in sheet.merged_cells)
        extent = _xls_used_range(path, sheet)
        cells = guards.check_used_range(path, sheet.name, *extent, cells, merged)
        lines.add_grid(_xls_grid(path, book, sheet, extent))
        lines.add("", f"sheet {sheet.name}")
    return _document(path, raw, lines, "xls")


def _where(sheet: str, row: int, column: int) -> str:
    return f"sheet {sheet} cell {column_letter(column)}{row + 1}"


def _xls_grid(path: Path, book: Any, sheet: Any, extent: tuple[int, int]) -> list[list[Cell]]:
    rows, columns = extent
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for r_low, r_high, c_low, c_high in sheet.merged_cells:
        for r in range(r_low, min(r_high, rows)):
            for c in range(c_low, min(c_high, columns)):
                if (r, c) != (r_low, c_low):
                    origins[(r, c)] = (r_low, c_low)
    return [
        [
            cell_of(
                "" if (r, c) in origins else _xls_text(path, book, sheet, r, c, where),
                r,
                c,
                where,
                origins.get((r, c)),
            )
            for c in range(columns)
            for where in (_where(sheet.name, r, c),)
        ]
        for r in range(rows)
    ]


def _xls_used_range(path: Path, sheet: Any) -> tuple[int, int]:
    """Rows and columns up to the last cell holding a value.

    Blank, styled cells count in xlrd's nrows and ncols, out to row 65536.
    """
    import xlrd

    empty = {xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK}
    rows = columns = 0
    for r in range(sheet.nrows):
        kinds = sheet.row_types(r)
        if set(kinds) <= empty:
            continue
        last = next(c for c in range(len(kinds) - 1, -1, -1) if kinds[c] not in empty)
        rows, columns = r + 1, max(columns, last + 1)
    return rows, columns


def _xls_text(path: Path, book: Any, sheet: Any, r: int, c: int, where: str) -> str:
    import xlrd

    if c >= sheet.row_len(r):  # beyond a ragged row's last cell
        return ""
    cell = sheet.cell(r, c)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return _text(path, cell.value, "General", where)
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        return _text(path, cell.value, book.format_map[xf.format_key].format_str, where)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        raise SourceError(
            path,
            f"{where} shows an error value ({xlrd.error_text_from_code.get(cell.value, '?')})",
            location=where,
            expected="the value the printed table shows",
        )
    return str(cell.value)


def _document(path: Path, raw: bytes, lines: Lines, kind: str) -> Document:
    if not any(line.strip() for line in lines.text):
        raise SourceError(path, "the workbook has no filled cells", expected="the 决算 tables")
    return from_lines(path, raw, lines, kind)


def _text(path: Path, value: Any, number_format: str, where: str) -> str:
    """A cell's content as the sheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _number(path, value, number_format or "General", where)
    # A wrapped cell's line breaks are layout, not content.
    return re.sub(r"\s*[\r\n]+\s*", "", str(value)).strip()


def _number(path: Path, value: float, number_format: str, where: str) -> str:
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or abs(number) >= _TOO_LARGE:
        raise SourceError(
            path,
            f"{where} holds {value}, which is no amount",
            location=where,
            expected="an amount with two decimals in the table's unit (万元, 元…), such as 282.91",
        )
    section = _QUOTED.sub("", number_format.split(";")[0])
    match = _DECIMALS.search(section)
    decimals = len(match.group(1)) if match else 0
    if "%" in section:
        return f"{number * 100:.{decimals}f}%"
    if decimals == 0 and number == number.to_integral_value():
        # Codes, 行次 and 栏次 are whole numbers in a General or "0" format.
        return f"{number.to_integral_value()}"
    amount = number.quantize(Decimal("0.01"), ROUND_HALF_UP)
    if decimals == 2 or amount == number:
        # What a 0.00 format shows, or a two-decimal amount in another format.
        return f"{amount:.2f}"
    raise SourceError(
        path,
        f"{where} holds {value}, which is not a two-decimal amount",
        location=where,
        expected="amounts with two decimals in the table's unit (format the cell as 0.00)",
    )
