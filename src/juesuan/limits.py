"""The declared limits on what juesuan reads, each raised by an environment variable.

Sources and packages come from strangers, so no input may cost more than its
size warrants: a few kilobytes that unpack to gigabytes, claim a million rows or
never end are refused before the expensive step, with an error that names the
limit, the value seen and the variable that raises it. The defaults are far above
what a 部门决算 disclosure needs (a few hundred rows per table, a few megabytes).
``docs/limits.md`` is generated from :data:`LIMITS`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

PREFIX = "JUESUAN_MAX_"


class InvalidLimit(ValueError):
    """An environment variable sets a limit to something that is no whole number above 0."""


@dataclass(frozen=True)
class Limit:
    """One limit: its environment variable, default, unit and what it bounds."""

    variable: str
    default: int
    unit: str
    """What is counted, plural: "bytes", "pages"."""
    of: str
    """What the limit applies to, as the end of "over the limit of N bytes …"."""
    description: str
    """For the reference page: what is counted, and when it is checked."""

    def value(self) -> int:
        """The limit in force: the environment variable if set, else the default."""
        text = os.environ.get(self.variable, "").strip()
        if not text:
            return self.default
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            value = 0
        if value < 1:
            raise InvalidLimit(
                f"{self.variable}={text!r} is no limit: give a whole number of {self.unit} "
                f"above 0 (the default is {self.default:_})"
            )
        return value

    def exceeded(self, seen: int) -> bool:
        """Whether ``seen`` is over the limit in force."""
        return seen > self.value()

    def breach(self, seen: int, *, more_than: bool = False) -> str:
        """The value seen and the limit, for an error: "60,000,000 bytes, over the limit …".

        ``more_than`` when counting stopped once past the limit: "more than ``seen``".
        """
        counted = f"more than {seen:,}" if more_than else f"{seen:,}"
        return (
            f"{counted} {self.unit}, over the limit of {self.value():,} {self.unit} {self.of} "
            f"(set the environment variable {self.variable} to raise it)"
        )


def _mb(megabytes: int) -> int:
    return megabytes * 1_000_000


SOURCE_BYTES = Limit(
    f"{PREFIX}SOURCE_BYTES",
    _mb(50),
    "bytes",
    "for a source document",
    "Size of a source document (PDF, workbook, text) given to `juesuan ingest`, "
    "`juesuan corpus` or kept in a package. Checked with `stat` before the file is "
    "opened; at most this many bytes are ever read.",
)
SOURCE_LINES = Limit(
    f"{PREFIX}SOURCE_LINES",
    500_000,
    "lines",
    "for the text of a source",
    "Lines of a source's text: of a text file, or of what a PDF or workbook gives "
    "(one line per cell or text line). Checked before the text is split into lines.",
)
PDF_PAGES = Limit(
    f"{PREFIX}PDF_PAGES",
    500,
    "pages",
    "for a PDF source",
    "Pages of a PDF source. Counted in the page tree (stopping one past the limit) "
    "before any page is read.",
)
WORKBOOK_BYTES = Limit(
    f"{PREFIX}WORKBOOK_BYTES",
    _mb(50),
    "bytes",
    "unpacked for an .xlsx workbook",
    "Total size of the files inside an .xlsx workbook (a zip archive) once unpacked, "
    "as its directory declares them (the unpacking never yields more). Checked before "
    "the workbook is opened, so a small zip of zeros is refused unpacked.",
)
SHEETS = Limit(
    f"{PREFIX}SHEETS",
    100,
    "sheets",
    "for a workbook",
    "Sheets of an .xlsx or .xls workbook, hidden ones included.",
)
SHEET_ROWS = Limit(
    f"{PREFIX}SHEET_ROWS",
    20_000,
    "rows",
    "for the used range of a sheet",
    "Rows of a sheet's used range (from row 1 to the last row holding a cell, "
    "merged or linked ranges included). Checked before the rows are read.",
)
SHEET_COLUMNS = Limit(
    f"{PREFIX}SHEET_COLUMNS",
    200,
    "columns",
    "for the used range of a sheet",
    "Columns of a sheet's used range (from column A to the last column holding a cell).",
)
CELLS = Limit(
    f"{PREFIX}CELLS",
    200_000,
    "cells",
    "for a workbook",
    "Cells of a workbook: the cells its sheets hold, each cell of a merged or linked "
    "range counted (the reader makes one for each), counted in the unpacked XML "
    "before the workbook is opened; and the cells of the used ranges together, "
    "checked before the sheets are read.",
)
PACKAGE_FILE_BYTES = Limit(
    f"{PREFIX}PACKAGE_FILE_BYTES",
    _mb(20),
    "bytes",
    "for a file of a package",
    "Size of each file of a package (datapackage.json, data CSV and JSON, "
    "narrative), its source document excepted (that is `JUESUAN_MAX_SOURCE_BYTES`). "
    "Checked with `stat` at the trust check, before any file of the package is read: "
    "`juesuan validate` reports `package/too-large`, `juesuan build` and "
    "`juesuan check-sources` refuse the package.",
)
PACKAGE_BYTES = Limit(
    f"{PREFIX}PACKAGE_BYTES",
    _mb(100),
    "bytes",
    "for all the files of a package together",
    "Size of all the files of a package together, its source document included. "
    "Checked with `stat` at the trust check, like `JUESUAN_MAX_PACKAGE_FILE_BYTES`.",
)
PACKAGE_ROWS = Limit(
    f"{PREFIX}PACKAGE_ROWS",
    100_000,
    "rows",
    "for a CSV file of a package",
    "Rows of each CSV file of a package, its header not counted (a line break "
    "inside a quoted cell counts as a row). Counted streaming at the trust check, "
    "before frictionless or any other reader loads the file.",
)

LIMITS: tuple[Limit, ...] = (
    SOURCE_BYTES,
    SOURCE_LINES,
    PDF_PAGES,
    WORKBOOK_BYTES,
    SHEETS,
    SHEET_ROWS,
    SHEET_COLUMNS,
    CELLS,
    PACKAGE_FILE_BYTES,
    PACKAGE_BYTES,
    PACKAGE_ROWS,
)


def check_environment() -> None:
    """Raise InvalidLimit for a limit set to no number, or a variable naming no limit."""
    known = {limit.variable for limit in LIMITS}
    for name in sorted(os.environ):
        if name.startswith(PREFIX) and name not in known:
            raise InvalidLimit(f"{name} names no limit: the limits are {', '.join(sorted(known))}")
    for limit in LIMITS:
        limit.value()
