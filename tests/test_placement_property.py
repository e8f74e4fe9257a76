"""Placement never guesses and never gives up on what the rules decide.

Property-tested over random consistent tables against an oracle that tries every
combination of placements: where exactly one makes every rule hold, the rows must
come back in their true columns; where several do, the ingest must refuse.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import product
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juesuan.errors import SourceError
from juesuan.ingest.layouts import RawRow
from juesuan.ingest.placement import candidates, place
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


@st.composite
def open_items(draw: st.DrawFn) -> dict[str, dict[str, Decimal]]:
    """Like expenditure_tables, with every cell of the 合计, 类 and 款 rows printed.

    Only the 项 rows lose their blank cells, so the oracle below stays small.
    """
    rows = draw(expenditure_tables())
    for row_id in ("total", "201", "20105"):
        rows[row_id] = {c: rows[row_id].get(c, Decimal(0)) for c in COLUMNS}
    return rows


def _solutions(raw: list[RawRow], equations: list) -> list[dict[str, tuple[int, ...]]]:
    """Every combination of the rows' placements under which each rule holds."""
    from juesuan.ingest.placement import holds

    options = [candidates(row) for row in raw]
    found = []
    for combination in product(*options):
        values = {}
        for row, placement in zip(raw, combination, strict=True):
            for column, token in row.placed(placement).items():
                values[(row.table, row.id, column)] = token.amount
        if all(holds(e, {}, values) for e in equations):
            found.append({row.id: p for row, p in zip(raw, combination, strict=True)})
    return found


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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(open_items())
def test_placement_places_what_the_rules_decide_and_refuses_the_rest(
    rows: dict[str, dict[str, Decimal]],
) -> None:
    raw = _flowed(rows)
    equations = table_equations(TABLE, list(rows))
    solutions = _solutions(raw, equations)
    assert solutions, "the true placement always satisfies the rules"
    try:
        placements, _ = place(Path("generated.txt"), {TABLE.id: TABLE}, raw, equations)
    except SourceError as error:
        assert len(solutions) > 1, f"refused a placement the rules decide: {error.message}"
        assert "cannot decide" in error.message
        return
    assert len(solutions) == 1, "placed rows that several placements fit"
    assert {row.id: placements[(row.table, row.id)] for row in raw} == solutions[0]


def test_a_decidable_table_is_placed() -> None:
    # Two 项 whose amounts differ: the 款's per-column sums tell which is which.
    rows = {
        "2010550": {"basic": Decimal("1.00"), "project": Decimal("2.00")},
        "2010551": {"project": Decimal("4.00")},
    }
    parent = {"basic": Decimal("1.00"), "project": Decimal("6.00")}
    rows = {"total": dict(parent), "201": dict(parent), "20105": dict(parent), **rows}
    for values in rows.values():
        values["total"] = sum(values.values(), Decimal(0))
    for row_id in ("total", "201", "20105"):
        rows[row_id] = {c: rows[row_id].get(c, Decimal(0)) for c in COLUMNS}
    raw = _flowed(rows)
    equations = table_equations(TABLE, list(rows))
    assert len(_solutions(raw, equations)) == 1
    placements, inferences = place(Path("x.txt"), {TABLE.id: TABLE}, raw, equations)
    assert {i.row for i in inferences} == {"2010550", "2010551"}
    for row in raw:
        got = {c: t.amount for c, t in row.placed(placements[(row.table, row.id)]).items()}
        assert got == rows[row.id]


def test_a_placement_that_breaks_a_rule_is_refused() -> None:
    # The 项 lost one of its amounts: no placement makes the 款 sums hold.
    rows = {"2010550": {"basic": Decimal("1.00"), "project": Decimal("2.00")}}
    parent = {"basic": Decimal("1.00"), "project": Decimal("2.00")}
    rows = {"total": dict(parent), "201": dict(parent), "20105": dict(parent), **rows}
    for values in rows.values():
        values["total"] = sum(values.values(), Decimal(0))
    raw = _flowed(rows)
    item = raw[-1]
    raw[-1] = RawRow(item.table, item.id, "", item.source_line, COLUMNS, item.values[:2], False)
    try:
        place(Path("x.txt"), {TABLE.id: TABLE}, raw, table_equations(TABLE, list(rows)))
    except SourceError as error:
        assert "no placement of these amounts makes the rules hold" in error.message
        assert "row 2010550" in error.message
    else:
        raise AssertionError("a placement that breaks the rules was accepted")
