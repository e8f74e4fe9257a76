"""The rounding tolerance follows the precision each table prints its amounts to."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.taxonomy.tolerance import IN_WAN_YUAN, Precision, half_unit, places, to_units


def test_half_a_unit_of_the_last_printed_digit_in_wan_yuan() -> None:
    assert half_unit("万元") == Decimal("0.005")
    assert half_unit("元") == Decimal("0.0000005")  # ±0.005 元
    assert half_unit("千元") == Decimal("0.0005")
    assert half_unit("亿元") == Decimal("50")


def test_a_table_not_named_prints_in_wan_yuan() -> None:
    assert IN_WAN_YUAN.limit(["income"], 3) == Decimal("0.015")
    assert Precision({"income": "元"}).limit(["income"], 3) == Decimal("0.0000015")


def test_an_equation_across_units_takes_the_coarser() -> None:
    precision = Precision({"income": "元", "expenditure": "千元"})
    assert precision.coarsest(["income", "expenditure"]) == "千元"
    assert precision.coarsest(["income", "fiscal_summary"]) == "万元"
    assert precision.limit(["income", "income"], 2) == Decimal("0.000001")


def test_integers_fine_enough_for_every_amount_and_half_unit() -> None:
    assert places(["万元"]) == 3
    assert places(["万元", "元"]) == 7
    assert Precision({"income": "元"}).places == 7
    assert IN_WAN_YUAN.places == 3
    # 1,234,567.89 元 and its half unit, exactly.
    assert to_units(Decimal("123.456789"), 7) == 1234567890
    assert to_units(half_unit("元"), 7) == 5


def test_an_unknown_unit_is_no_unit() -> None:
    with pytest.raises(KeyError):
        half_unit("美元")
