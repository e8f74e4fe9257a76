"""XBRL calculation 1.1 style rounding tolerance.

Amounts are printed rounded to 0.01 万元, so each reported amount stands for an
interval of ±0.005. An equation over n reported amounts (both sides, blanks not
counted) holds when |left − right| ≤ n × 0.005: the intervals overlap. Amounts are
compared in thousandths of 万元 (mills), as integers, never as floats.
"""

from __future__ import annotations

from decimal import Decimal

MILLS_PER_TERM = 5
"""Half a unit of the printed precision (0.005 万元), in mills."""


def to_mills(amount: Decimal) -> int:
    """An amount in 万元 as an integer number of 0.001 万元."""
    return int(amount * 1000)


def tolerance(reported_terms: int) -> Decimal:
    """The tolerance of an equation over ``reported_terms`` amounts, in 万元."""
    return Decimal(MILLS_PER_TERM * reported_terms) / 1000
