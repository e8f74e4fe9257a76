"""Expand the declared rules into equations over concrete cells.

One expansion serves both the ingest (which places amounts in flowed text so the
equations hold) and the validator (which checks them). Rules are data in the
table definitions and edition files; nothing here knows a table by name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from juesuan.taxonomy import CrossRule, Edition, HierarchyRule, SumRule, Table

CellKey = tuple[str, str, str]
"""(table id, row id, column id)."""

Term = tuple[int, CellKey]
"""(+1 or -1, cell)."""


@dataclass(frozen=True)
class Equation:
    """``Σ left`` op ``Σ right`` over concrete cells; blank cells count as zero."""

    rule: str
    description: str
    severity: str
    left: tuple[Term, ...]
    op: str
    right: tuple[Term, ...]

    @cached_property
    def cells(self) -> tuple[CellKey, ...]:
        """Every cell the equation reads."""
        return tuple(cell for _sign, cell in (*self.left, *self.right))


def _signed(term: str) -> tuple[int, str]:
    return (-1, term[1:]) if term.startswith("-") else (1, term)


def table_equations(
    table: Table, row_ids: Iterable[str], printed: Iterable[str] | None = None
) -> list[Equation]:
    """Equations of ``table``'s own rules, given the ids of the rows it has.

    ``printed`` names the columns the document prints (all by default); a rule
    about a column the document does not print says nothing about it.
    """
    rows = list(row_ids)
    present = set(rows)
    columns = list(printed) if printed is not None else [c.id for c in table.columns]
    shown = set(columns)
    equations: list[Equation] = []
    for rule in table.rules:
        if isinstance(rule, HierarchyRule):
            equations.extend(_hierarchy(table, rule, rows, columns))
        elif rule.axis == "row":
            terms = {_signed(p)[1] for p in rule.parts} | {rule.total}
            if not terms <= shown:
                continue
            for row in rule.within or rows:
                if row in present:
                    equations.append(_sum(table.id, rule, functools.partial(_in_row, row)))
        else:
            parts = {_signed(p)[1] for p in rule.parts} | {rule.total}
            if not parts & present:
                continue
            for column in rule.within or columns:
                if column in shown:
                    equations.append(_sum(table.id, rule, functools.partial(_in_column, column)))
    return equations


def _in_row(row: str, column: str) -> tuple[str, str]:
    return row, column


def _in_column(column: str, row: str) -> tuple[str, str]:
    return row, column


def _sum(table_id: str, rule: SumRule, cell: Callable[[str], tuple[str, str]]) -> Equation:
    left = ((1, (table_id, *cell(rule.total))),)
    right = tuple((sign, (table_id, *cell(name))) for sign, name in map(_signed, rule.parts))
    return Equation(rule.id, rule.description, rule.severity, left, "=", right)


def _hierarchy(
    table: Table, rule: HierarchyRule, rows: list[str], columns: list[str]
) -> list[Equation]:
    codes = [r for r in rows if r.isdigit()]
    parents: dict[str, list[str]] = {}
    for code in codes:
        parent = _parent(code, codes)
        if parent:
            parents.setdefault(parent, []).append(code)
    if rule.total and rule.total in rows:
        top = [c for c in codes if len(c) == 3]
        if top:
            parents[rule.total] = top
    equations = []
    for parent, children in parents.items():
        for column in [c for c in rule.within or columns if c in columns]:
            equations.append(
                Equation(
                    rule.id,
                    rule.description,
                    rule.severity,
                    ((1, (table.id, parent, column)),),
                    "=",
                    tuple((1, (table.id, child, column)) for child in children),
                )
            )
    return equations


def _parent(code: str, codes: list[str]) -> str | None:
    """The 类 of a 款, the 款 of a 项, if the table has that row."""
    if len(code) <= 3:
        return None
    parent = code[: len(code) - 2]
    return parent if parent in codes else None


def cross_equations(edition: Edition, rows: Mapping[str, Iterable[str]]) -> list[Equation]:
    """Equations of the edition's cross-table rules, given each table's row ids."""
    row_sets = {table: set(ids) for table, ids in rows.items()}
    equations = []
    for rule in edition.rules:
        # A rule over a table the document does not print cannot be checked.
        if any(_signed(ref)[1].split(":")[0] not in rows for ref in (*rule.left, *rule.right)):
            continue
        for code in _codes(rule, row_sets):
            left = tuple(_ref(ref, code) for ref in rule.left)
            right = tuple(_ref(ref, code) for ref in rule.right)
            equations.append(
                Equation(rule.id, rule.description, rule.severity, left, rule.op, right)
            )
    return equations


def _codes(rule: CrossRule, rows: Mapping[str, set[str]]) -> list[str | None]:
    if rule.each is None:
        return [None]
    tables = {
        ref.removeprefix("-").split(":")[0] for ref in (*rule.left, *rule.right) if "{code}" in ref
    }
    codes = set()
    for table in tables:
        codes |= {r for r in rows.get(table, ()) if r.isdigit()}
    if rule.each == "function_class":
        codes = {c for c in codes if len(c) == 3}
    return [*sorted(codes)]


def _ref(ref: str, code: str | None) -> Term:
    sign, body = _signed(ref)
    table, row, column = body.split(":")
    if code is not None:
        row = row.replace("{code}", code)
    return sign, (table, row, column)


def equations_for(
    edition: Edition,
    rows: Mapping[str, Iterable[str]],
    printed: Mapping[str, Iterable[str]] | None = None,
) -> list[Equation]:
    """Every equation of ``edition``'s rules over the tables present.

    ``rows`` gives each table's row ids; ``printed``, for a table printed with fewer
    columns than its definition, the columns printed.
    """
    equations: list[Equation] = []
    for table_id, row_ids in rows.items():
        shown = (printed or {}).get(table_id)
        equations += table_equations(edition.tables[table_id], row_ids, shown)
    return equations + cross_equations(edition, rows)
