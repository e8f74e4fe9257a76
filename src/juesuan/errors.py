"""Errors that name the file, line, table and value at fault."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class SourceError(Exception):
    """The source document cannot be turned into a package as it stands."""

    path: Path
    message: str
    line: int | None = None
    table: str | None = None
    expected: str | None = None
    location: str | None = None
    """Where a person finds the line in the original: "page 3", "sheet 公开02表 row 12"."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        if self.location:
            where += f" ({self.location})"
        table = f" [{self.table}]" if self.table else ""
        expected = f"; expected {self.expected}" if self.expected else ""
        return f"{where}:{table} {self.message}{expected}"
