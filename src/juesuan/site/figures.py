"""Which charts a disclosure gets, read off the tables' own sum rules.

A chart's parts are the parts of a declared rule (收入 = Σ sources, 本年支出 =
基本 + 项目 + …, 三公 合计 = Σ categories), so a new edition's columns show up
without code changes.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.site.charts import Chart
from juesuan.site.corpus import Disclosure, TableView, amount
from juesuan.taxonomy import SumRule, Table

TOP_ITEMS = 10


def _row_rules(table: Table) -> list[SumRule]:
    return [r for r in table.rules if isinstance(r, SumRule) and r.axis == "row"]


def _first_rule(table: Table) -> SumRule | None:
    """The row rule whose total is the table's first column (合计 = Σ parts)."""
    first = table.columns[0].id
    return next((r for r in _row_rules(table) if r.total == first), None)


def _name(table: Table, column_id: str) -> str:
    """A column's name; a subtotal column (the total of another rule) goes by its group."""
    column = table.column(column_id)
    if column.group and any(r.total == column_id for r in _row_rules(table)):
        return column.group
    return column.label


def _class_rows(view: TableView) -> list[dict[str, str]]:
    return [r for r in view.rows if len(r.get("code") or "") == 3]


def income_sources(view: TableView) -> Chart | None:
    """收入来源: the total row's parts of 本年收入合计."""
    rule = _first_rule(view.table)
    row = view.row("total")
    if rule is None or row is None:
        return None
    parts = [p for p in rule.parts if not p.startswith("-")]
    return Chart(
        f"收入来源：{view.table.column(rule.total).label}",
        tuple(view.table.column(p).label for p in parts),
        (view.table.column(rule.total).label,),
        tuple((amount(row.get(p)),) for p in parts),
    )


def expenditure_by_class(view: TableView) -> Chart | None:
    """支出按功能分类（类）, each bar split by kind (基本支出, 项目支出, …)."""
    rule = _first_rule(view.table)
    rows = _class_rows(view)
    if rule is None or not rows:
        return None
    parts = [p for p in rule.parts if not p.startswith("-")]
    return Chart(
        f"支出结构：按功能分类（类）和{'、'.join(view.table.column(p).label for p in parts[:2])}",
        tuple(f"{r['code']} {r['label']}" for r in rows),
        tuple(view.table.column(p).label for p in parts),
        tuple(tuple(amount(r.get(p)) for p in parts) for r in rows),
        stacked=True,
    )


def economic_classes(view: TableView) -> Chart | None:
    """基本支出按经济分类（类）."""
    column = view.table.columns[0]
    rows = _class_rows(view)
    if not rows:
        return None
    return Chart(
        f"基本支出：按经济分类（类），{column.label}",
        tuple(f"{r['code']} {r['label']}" for r in rows),
        (column.label,),
        tuple((amount(r.get(column.id)),) for r in rows),
    )


def economic_items(view: TableView) -> Chart | None:
    """The largest 款 of the economic breakdown."""
    column = view.table.columns[0]
    items = [
        (r, amount(r.get(column.id)) or Decimal(0))
        for r in view.rows
        if len(r.get("code") or "") == 5
    ]
    items = sorted((i for i in items if i[1] > 0), key=lambda i: -i[1])[:TOP_ITEMS]
    if len(items) < 2:
        return None
    return Chart(
        f"基本支出：金额最大的经济分类（款），前 {len(items)} 项",
        tuple(f"{r['code']} {r['label']}" for r, _v in items),
        (column.label,),
        tuple((v,) for _r, v in items),
    )


def budget_vs_actual(view: TableView) -> Chart | None:
    """三公经费: 预算数 against 决算数, category by category.

    The two top rules (totals no other rule sums) are the series; their parts,
    position by position, are the categories.
    """
    table = view.table
    rules = _row_rules(table)
    inner = {p.removeprefix("-") for r in rules for p in r.parts}
    top = [r for r in rules if r.total not in inner]
    row = view.rows[0] if view.rows else None
    if len(top) != 2 or row is None or len(top[0].parts) != len(top[1].parts):
        return None
    series = tuple(table.column(r.total).group or table.column(r.total).label for r in top)
    columns = list(zip(top[0].parts, top[1].parts, strict=True))
    return Chart(
        f"{view.title}：{' 与 '.join(series)}",
        (table.column(top[0].total).label, *(_name(table, a) for a, _b in columns)),
        series,
        tuple(
            (amount(row.get(a)), amount(row.get(b)))
            for a, b in [(top[0].total, top[1].total), *columns]
        ),
    )


def disclosure_charts(disclosure: Disclosure) -> list[Chart]:
    """The charts of one disclosure, in the order of the tables they summarise."""
    plans = (
        ("income", income_sources),
        ("expenditure", expenditure_by_class),
        ("basic_expenditure", economic_classes),
        ("basic_expenditure", economic_items),
        ("three_public", budget_vs_actual),
    )
    charts = []
    for table_id, plan in plans:
        view = disclosure.table(table_id)
        chart = plan(view) if view is not None else None
        if chart is not None:
            charts.append(chart)
    return charts
