"""Placement never guesses: flowed rows come back in their true columns, or the
ingest says it cannot decide. Property-tested over random consistent tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juesuan.errors import SourceError
from juesuan.ingest.layouts import RawRow
from juesuan.ingest.placement import place
from juesuan.ingest.tokens import Kind, Token
from juesuan.taxonomy import editions
from juesuan.taxonomy.rules import table_equations

TABLE = editions()["2019"].tables["expenditure"]
PARTS = [c.id for c in TABLE.columns][1:]
COLUMNS = tuple(c.id for c in TABLE.columns)

amounts = st.integers(min_value=1, max_value=99_999).map(lambda cents: Decimal(cents) / 100)


@st.composite
def expenditure_tables(draw: st.DrawFn) -> dict[str, dict[str, Decimal]]:
    """A 类 with one 款 and some 项, each 项 with amounts in random part columns."""
    items = draw(st.integers(min_value=1, max_value=3))
    rows: dict[str, dict[str, Decimal]] = {}
    for index in range(items):
        columns = draw(st.lists(st.sampled_from(PARTS), min_size=1, max_size=3, unique=True))
        rows[f"20105{index + 50:02d}"] = {c: draw(amounts) for c in columns}
    parent: dict[str, Decimal] = {}
    for values in rows.values():
        for column, value in values.items():
            parent[column] = parent.get(column, Decimal(0)) + value
    rows = {"total": dict(parent), "201": dict(parent), "20105": dict(parent), **rows}
    for values in rows.values():
        values["total"] = sum(values.values(), Decimal(0))
    return rows


def _token(value: Decimal, line: int) -> Token:
    return Token(Kind.AMOUNT, f"{value:.2f}", line, line)


def _flowed(rows: dict[str, dict[str, Decimal]]) -> list[RawRow]:
    raw = []
    for line, (row_id, values) in enumerate(rows.items(), start=1):
        printed = tuple(_token(values[c], line) for c in COLUMNS if c in values)
        raw.append(
            RawRow(TABLE.id, row_id, "", line, COLUMNS, printed, exact=len(printed) == len(COLUMNS))
        )
    return raw


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expenditure_tables())
def test_placement_is_right_or_refuses(rows: dict[str, dict[str, Decimal]]) -> None:
    raw = _flowed(rows)
    equations = table_equations(TABLE, list(rows))
    try:
        placements, _ = place(Path("generated.txt"), {TABLE.id: TABLE}, raw, equations)
    except SourceError as error:
        assert "cannot decide" in error.message
        return
    for row in raw:
        placed = row.placed(placements[(row.table, row.id)])
        got = {column: token.amount for column, token in placed.items()}
        assert got == rows[row.id], row.id


def test_a_row_the_rules_cannot_decide_is_refused_with_its_candidates() -> None:
    rows = {"total": {"basic": Decimal("5.00")}, "201": {"basic": Decimal("5.00")}}
    for values in rows.values():
        values["total"] = Decimal("5.00")
    raw = _flowed(rows)
    try:
        place(Path("x.txt"), {TABLE.id: TABLE}, raw, table_equations(TABLE, list(rows)))
    except SourceError as error:
        candidates = " or ".join(
            f"(本年支出合计, {label})"
            for label in ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
        )
        assert f"fit {candidates}" in error.message
        assert error.table == "表3"
    else:
        raise AssertionError("an undecidable placement was not refused")
