"""The classification code lists (支出功能分类科目, 支出经济分类科目) with validity years."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from juesuan.paths import SCHEMAS

CODELISTS = SCHEMAS / "codelists"
KINDS = ("function", "economic")
TITLES = {"function": "支出功能分类科目", "economic": "支出经济分类科目"}
FIELDS = ("code", "name", "level", "parent", "first_year", "last_year", "status", "source")
"""The registry's columns, in order."""
STATUSES = ("official", "attested")
"""official: taken from an official list; attested: read from the disclosures that print it."""
LEVELS = {3: "类", 5: "款", 7: "项"}


def level_of(code: str) -> str:
    """类, 款 or 项 by the code's length; empty for a code of no such length."""
    return LEVELS.get(len(code), "")


def parent_of(code: str) -> str:
    """The code one level up (20137 for 2013750), empty for a 类."""
    return code[:3] if len(code) == 5 else code[:5] if len(code) == 7 else ""


@dataclass(frozen=True)
class Code:
    """One entry of a code list, valid from ``first_year`` to ``last_year`` (None: open)."""

    code: str
    name: str
    level: str
    first_year: int | None
    last_year: int | None
    source: str
    """Where the entry comes from: an official list, or the disclosures that print it."""
    parent: str = ""
    status: str = "attested"

    def valid_in(self, year: int) -> bool:
        """Whether the entry is in force in ``year``."""
        return (self.first_year is None or self.first_year <= year) and (
            self.last_year is None or year <= self.last_year
        )


@cache
def codelist(kind: str) -> tuple[Code, ...]:
    """Every entry of the ``function`` or ``economic`` list."""
    return read_codelist(CODELISTS / f"{kind}.csv")


def read_codelist(path: Path) -> tuple[Code, ...]:
    """The entries of a code-list CSV with the registry's columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Code(
                row["code"],
                row["name"],
                row["level"],
                int(row["first_year"]) if row["first_year"] else None,
                int(row["last_year"]) if row["last_year"] else None,
                row["source"],
                row["parent"],
                row["status"],
            )
            for row in csv.DictReader(handle)
        )


def valid_codes(kind: str, year: int) -> dict[str, Code]:
    """The entries in force in ``year``, by code."""
    return {entry.code: entry for entry in codelist(kind) if entry.valid_in(year)}
