"""The years a disclosure can be for."""

from __future__ import annotations

import datetime

FIRST_YEAR = 2007
"""政府收支分类, the function and economic codes the tables print, took effect in 2007."""


def latest_year() -> int:
    """The current year: no accounts can be for a later one."""
    return datetime.date.today().year


def year_problem(year: int) -> str | None:
    """Why no disclosure can be for ``year``, or None when one can."""
    if year < FIRST_YEAR:
        return f"{year} is before {FIRST_YEAR}, when the classification the tables print began"
    if year > latest_year():
        return f"{year} is in the future (it is {latest_year()})"
    return None
