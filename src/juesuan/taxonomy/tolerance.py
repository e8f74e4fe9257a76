"""XBRL calculation 1.1 style rounding tolerance, at the precision each table prints.

Amounts are printed rounded to 0.01 of their table's unit (0.01 万元 in most
documents, 0.01 元 in some), so each reported amount stands for an interval of
half a unit of its last digit: ±0.005 万元, or ±0.005 元 = ±0.0000005 万元. An
equation over n reported amounts (both sides, blanks not counted) holds when
|left − right| ≤ n × that half unit: the intervals overlap. An equation reading
tables printed in different units takes the coarser half unit, so a rounding the
coarser print allows is never a finding. Amounts are kept in 万元; compared as
integers of the finest unit needed (see :func:`places`), never as floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

UNIT = "万元"
"""The unit every amount of a package is kept in, whatever its table printed."""

SHIFTS: Mapping[str, int] = {"亿元": 4, "百万元": 2, "万元": 0, "千元": -1, "元": -4}
"""Printed unit → the power of ten that turns an amount in it into 万元."""

PRINTED_DECIMALS = 2
"""Amounts print two decimals, whatever their unit."""


def shift_of(unit: str) -> int:
    """The power of ten from ``unit`` to 万元 (元: −4); KeyError for a unit not in SHIFTS."""
    return SHIFTS[unit]


def half_unit(unit: str = UNIT) -> Decimal:
    """Half a unit of the last digit printed in ``unit``, in 万元 (万元: 0.005)."""
    return Decimal(5).scaleb(shift_of(unit) - PRINTED_DECIMALS - 1)


def places(units: Iterable[str]) -> int:
    """Decimal places of 万元 that hold every amount and half unit of ``units`` as integers.

    Amounts printed in 万元 need three (mills: the half unit is 0.005); in 元, seven.
    """
    return max((PRINTED_DECIMALS + 1 - shift_of(u) for u in units), default=3)


def to_units(amount: Decimal, decimals: int) -> int:
    """An amount in 万元 as an integer number of 10^−``decimals`` 万元.

    Exact for an amount with no more decimals than that; a finer amount is cut
    toward zero (it has no place in the comparison asked for).
    """
    return int(amount.scaleb(decimals))


class Precision:
    """The unit each table of a document prints its amounts in, and the tolerance that follows.

    A table not named prints in 万元, the unit of the definitions.
    """

    def __init__(self, printed: Mapping[str, str] | None = None) -> None:
        self.printed = {t: u for t, u in (printed or {}).items() if u != UNIT}

    def unit(self, table: str) -> str:
        """The unit ``table`` prints in."""
        return self.printed.get(table, UNIT)

    def coarsest(self, tables: Iterable[str]) -> str:
        """The coarsest unit among ``tables``' (万元 when there are none)."""
        units = [self.unit(t) for t in tables]
        return max(units, key=shift_of, default=UNIT)

    def per_term(self, tables: Iterable[str]) -> Decimal:
        """The half unit each reported amount of an equation over ``tables`` counts for."""
        return half_unit(self.coarsest(tables))

    def limit(self, tables: Iterable[str], reported_terms: int) -> Decimal:
        """The tolerance of an equation over ``reported_terms`` amounts of ``tables``, in 万元."""
        return self.per_term(tables) * reported_terms

    @property
    def places(self) -> int:
        """Decimal places of 万元 that hold every amount and tolerance as integers."""
        return places([UNIT, *self.printed.values()])


IN_WAN_YUAN = Precision()
"""Every table printed in 万元."""
