"""Findings are frozen values; rendering them is someone else's job."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing a check found, located as precisely as the package allows."""

    rule: str
    """Rule id: a taxonomy rule id, or ``frictionless/<error type>``, ``code/…``,
    ``narrative/…``, ``package/…``."""
    severity: Severity
    message: str
    """English."""
    message_zh: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    expected: str | None = None
    found: str | None = None
    difference: str | None = None
    tolerance: str | None = None
    file: str | None = None
    """The file the finding points into, relative to the repository or package."""
    line: int | None = None
    """Line in ``file``: the source document line when the package was ingested."""
    location: str | None = None
    """Where ``line`` stands in a PDF or workbook source: page 3, line 12; sheet 公开02表 row 7."""

    def as_dict(self) -> dict[str, Any]:
        """The finding as plain JSON-ready data."""
        return asdict(self)


_PAGE_LINE = re.compile(r"page (\d+)(?:, line (\d+))?")
_SHEET_CELL = re.compile(r"sheet (.+?) (?:cell ([A-Z]+\d+)|row (\d+))")


def location_zh(location: str) -> str:
    """A source location as the Chinese pages say it: page 3, line 12 → 第 3 页第 12 行."""
    if match := _PAGE_LINE.fullmatch(location):
        page, line = match.groups()
        return f"第 {page} 页" + (f"第 {line} 行" if line else "")
    if match := _SHEET_CELL.fullmatch(location):
        sheet, cell, row = match.groups()
        return f"工作表“{sheet}”" + (f"单元格 {cell}" if cell else f"第 {row} 行")
    return location


@dataclass
class PackageReport:
    """Everything found in one package, and what the checks covered."""

    package: str
    findings: list[Finding] = field(default_factory=list)
    amounts: int = 0
    """Reported amounts in the package's tables."""
    covered: int = 0
    """Of those, amounts that at least one arithmetic rule reads."""
    uncovered: list[str] = field(default_factory=list)
    """table:row:column of each amount no rule reads."""

    @property
    def errors(self) -> list[Finding]:
        """Findings of severity error."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings of severity warning."""
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def status(self) -> str:
        """``errors``, ``warnings`` or ``valid``."""
        if self.errors:
            return "errors"
        return "warnings" if self.warnings else "valid"

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        return {
            "package": self.package,
            "status": self.status,
            "amounts": self.amounts,
            "covered": self.covered,
            "uncovered": self.uncovered,
            "findings": [f.as_dict() for f in self.findings],
        }
