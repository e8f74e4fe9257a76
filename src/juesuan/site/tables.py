"""Render a disclosure table like the original, driven by its taxonomy definition.

Headers come from the columns (label, group, 栏次) and the Table Schema field
titles; rows from the package CSV. Layouts: ``ledger`` (two sides printed next
to each other, with 行次), ``classified`` (合计 first, 类/款/项 indented),
``economic`` (panels side by side, one per group total) and ``single``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.site.corpus import FindingView, TableView, amount, term_key
from juesuan.site.html import Markup, el, join
from juesuan.taxonomy import Column, SumRule, Table
from juesuan.taxonomy.codes import Code

LEVELS = {3: 1, 5: 2, 7: 3}
"""Code length → indentation level (类, 款, 项)."""


@dataclass(frozen=True)
class GlossaryLink:
    """Where a term's definition is, and the definition for the hover text."""

    href: str
    definition: str


@dataclass
class TableContext:
    """What a table needs from its page: links and findings."""

    codes: dict[str, Code]
    code_href: Callable[[str], str]
    glossary: dict[str, GlossaryLink] = field(default_factory=dict)
    findings: dict[tuple[str, str, str], list[FindingView]] = field(default_factory=dict)


@dataclass(frozen=True)
class Leaf:
    """A column of the printed table: its header path and how to fill a cell."""

    path: tuple[str, ...]
    kind: str
    """code, label, line or value."""
    column: Column | None = None
    number: int | None = None
    side: str | None = None


# Header ------------------------------------------------------------------


def column_paths(columns: Sequence[Column]) -> list[tuple[str, ...]]:
    """Header path of each value column: (outer group, inner group, label).

    A run of columns whose group differs from the group on both sides of it,
    where those are the same, is nested inside that group (三公: 公务用车… sits
    inside 预算数 and inside 决算数).
    """
    runs: list[tuple[str | None, list[int]]] = []
    for index, column in enumerate(columns):
        if runs and runs[-1][0] == column.group:
            runs[-1][1].append(index)
        else:
            runs.append((column.group, [index]))
    paths: list[tuple[str, ...]] = [()] * len(columns)
    for position, (group, members) in enumerate(runs):
        outer = None
        if 0 < position < len(runs) - 1:
            before, after = runs[position - 1][0], runs[position + 1][0]
            if before is not None and before == after and before != group:
                outer = before
        for index in members:
            label = columns[index].label
            path = tuple(p for p in (outer, group, label) if p)
            paths[index] = path or (label,)
    return paths


def _header(leaves: Sequence[Leaf]) -> Markup:
    depth = max(len(leaf.path) for leaf in leaves)
    rows: list[list[Markup]] = [[] for _ in range(depth)]
    for level in range(depth):
        index = 0
        while index < len(leaves):
            leaf = leaves[index]
            if len(leaf.path) <= level:
                index += 1
                continue
            if len(leaf.path) == level + 1:
                span = depth - level
                rows[level].append(
                    el("th", {"rowspan": span if span > 1 else None, "scope": "col"}, leaf.path[-1])
                )
                index += 1
                continue
            prefix = leaf.path[: level + 1]
            end = index + 1
            while (
                end < len(leaves)
                and len(leaves[end].path) > level + 1
                and leaves[end].path[: level + 1] == prefix
            ):
                end += 1
            rows[level].append(
                el("th", {"colspan": end - index if end - index > 1 else None}, prefix[-1])
            )
            index = end
    numbered = [leaf for leaf in leaves if leaf.kind == "value" and leaf.column is not None]
    if any(leaf.column.number is not None for leaf in numbered if leaf.column):
        numbers = []
        for leaf in leaves:
            if leaf.kind == "value" and leaf.column is not None:
                numbers.append(el("td", {"class": "js-colno"}, leaf.column.number or ""))
            elif leaf.kind == "label":
                numbers.append(el("td", {"class": "js-colno"}, "栏次"))
            else:
                numbers.append(el("td", {"class": "js-colno"}))
        rows.append(numbers)
    return el("thead", {}, [el("tr", {}, row) for row in rows if row])


# Cells -------------------------------------------------------------------


def printed(value: str | None) -> str:
    """An amount with two decimals as the tables print it; blank stays blank."""
    number = amount(value)
    if number is None:
        return ""
    return f"{number.quantize(Decimal('0.01')):f}"


def _value_cell(
    view: TableView, row: dict[str, str] | None, leaf: Leaf, ctx: TableContext
) -> Markup:
    if row is None or leaf.column is None:
        return el("td", {"class": "num"})
    key = (view.id, row.get("row", ""), leaf.column.id)
    found = ctx.findings.get(key, [])
    severity = "error" if any(f.severity == "error" for f in found) else "warning"
    return el(
        "td",
        {
            "class": f"num js-{severity}" if found else "num",
            "data-row": row.get("row"),
            "data-col": leaf.column.id,
            "title": "；".join(f.message_zh for f in found) or None,
        },
        printed(row.get(leaf.column.id)),
    )


def _label(text: str, ctx: TableContext) -> Markup:
    link = ctx.glossary.get(term_key(text)) if text else None
    if link is None:
        return join([text])
    return el("a", {"href": link.href, "class": "js-term", "title": link.definition}, text)


def _code_cell(code: str, ctx: TableContext, used: bool) -> Markup:
    """The code with its name on hover; linked to its page when the row has amounts."""
    if not code:
        return el("td", {"class": "js-code"})
    entry = ctx.codes.get(code)
    title = f"{code} {entry.name}（{entry.level}）" if entry else f"{code}（不在本年度科目表中）"
    if not used:  # 公开06 prints the whole list; only codes with amounts get a page
        return el("td", {"class": "js-code"}, el("abbr", {"title": title}, code))
    return el(
        "td",
        {"class": "js-code"},
        el("a", {"href": ctx.code_href(code), "title": title}, code),
    )


def _row_cells(
    view: TableView, row: dict[str, str] | None, leaves: Sequence[Leaf], ctx: TableContext
) -> list[Markup]:
    indented = any(leaf.kind == "code" for leaf in leaves)  # ledgers print codes in words
    cells = []
    for leaf in leaves:
        if leaf.kind == "value":
            cells.append(_value_cell(view, row, leaf, ctx))
        elif row is None:
            cells.append(el("td"))
        elif leaf.kind == "code":
            used = any((row.get(c.id) or "").strip() for c in view.table.columns)
            cells.append(_code_cell(row.get("code", ""), ctx, used))
        elif leaf.kind == "line":
            cells.append(el("td", {"class": "js-line"}, row.get("line", "")))
        else:
            code = row.get("code", "")
            level = LEVELS.get(len(code), 0) if code and indented else 0
            cells.append(
                el(
                    "th",
                    {"scope": "row", "class": f"js-label js-l{level}" if level else "js-label"},
                    _label(row.get("label", ""), ctx),
                )
            )
    return cells


def _row_class(row: dict[str, str] | None, indented: bool) -> str | None:
    if row is None:
        return None
    code = row.get("code", "")
    if code:
        return f"js-l{LEVELS.get(len(code), 0)}" if indented else None
    return "js-total" if row.get("row") == "total" or "total" in row.get("row", "") else None


# Layouts -----------------------------------------------------------------


def _fixed_leaves(
    view: TableView, side: str | None = None, prefix: tuple[str, ...] = ()
) -> list[Leaf]:
    leaves = []
    if "code" in view.fields and view.table.layout != "ledger":
        leaves.append(Leaf((*prefix, view.field_title("code")), "code", side=side))
    leaves.append(Leaf((*prefix, view.field_title("label")), "label", side=side))
    if "line" in view.fields:
        leaves.append(Leaf((*prefix, view.field_title("line")), "line", side=side))
    return leaves


def _value_leaves(
    columns: Sequence[Column], prefix: tuple[str, ...] = (), side: str | None = None
) -> list[Leaf]:
    paths = column_paths(columns)
    return [
        Leaf((*prefix, *path), "value", column, side=side)
        for column, path in zip(columns, paths, strict=True)
    ]


Line = Sequence[tuple[dict[str, str] | None, Sequence[Leaf]]]
"""One printed line: (row, the leaves it fills) per panel or side."""


def _body(view: TableView, lines: Sequence[Line], ctx: TableContext) -> Markup:
    body = []
    for line in lines:
        cells = []
        classes = []
        for row, leaves in line:
            cells += _row_cells(view, row, leaves, ctx)
            if len(line) == 1:
                classes.append(_row_class(row, any(leaf.kind == "code" for leaf in leaves)))
        body.append(el("tr", {"class": " ".join(c for c in classes if c) or None}, cells))
    return el("tbody", {}, body)


def _ledger(view: TableView, ctx: TableContext) -> Markup:
    table = view.table
    if not table.sides:
        leaves = _fixed_leaves(view) + _value_leaves(table.columns)
        return join([_header(leaves), _body(view, [[(r, leaves)] for r in view.rows], ctx)])
    blocks = []
    for side in table.sides:
        columns = [table.column(c) for c in side.columns]
        leaves = _fixed_leaves(view, side.id, (side.label,)) + _value_leaves(
            columns, (side.label,), side.id
        )
        rows = [r for r in view.rows if r.get("side") == side.id]
        blocks.append((leaves, rows))
    height = max(len(rows) for _leaves, rows in blocks)
    lines = [
        [(rows[i] if i < len(rows) else None, leaves) for leaves, rows in blocks]
        for i in range(height)
    ]
    all_leaves = [leaf for leaves, _rows in blocks for leaf in leaves]
    return join([_header(all_leaves), _body(view, lines, ctx)])


def _classified(view: TableView, ctx: TableContext) -> Markup:
    leaves = _fixed_leaves(view) + _value_leaves(view.table.columns)
    rows = sorted(view.rows, key=lambda r: r.get("row") != "total")  # 合计 first, stable
    if not rows:
        rows = [None]  # type: ignore[list-item]
    return join([_header(leaves), _body(view, [[(r, leaves)] for r in rows], ctx)])


def panels(table: Table, row_ids: Sequence[str]) -> list[tuple[list[str], str | None]]:
    """Economic tables: (rows, total row) per panel, one panel per group-total rule.

    A column-sum rule whose total is not a code row (人员经费合计 = 301 + 303)
    makes a panel of its 类 and their 款; rows no rule claims join the last panel.
    """
    codes = {row.id: row.code for row in table.rows}
    rules = [
        r
        for r in table.rules
        if isinstance(r, SumRule) and r.axis == "column" and not codes.get(r.total)
    ]
    claimed: set[str] = set()
    result: list[tuple[list[str], str | None]] = []
    for rule in rules:
        classes = [p.removeprefix("-") for p in rule.parts]
        members = [
            r for r in row_ids if codes.get(r) and any(str(codes[r]).startswith(c) for c in classes)
        ]
        members.sort(key=lambda r: next(i for i, c in enumerate(classes) if r.startswith(c)))
        claimed |= {*members, rule.total}
        result.append((members, rule.total))
    rest = [r for r in row_ids if r not in claimed]
    if result:
        result[-1][0].extend(rest)
    else:
        result.append((rest, None))
    return result


def _economic(view: TableView, ctx: TableContext) -> Markup:
    table = view.table
    by_id = {r.get("row", ""): r for r in view.rows}
    template = [row.id for row in table.rows]
    order = template + [r for r in by_id if r not in template]
    groups = panels(table, order)
    leaves_per_panel = [_fixed_leaves(view) + _value_leaves(table.columns) for _ in groups]
    height = max(len(members) for members, _total in groups) + 1
    lines = []
    for i in range(height - 1):
        line = []
        for (members, _total), leaves in zip(groups, leaves_per_panel, strict=True):
            row = (
                by_id.get(members[i], _template_row(table, members[i]))
                if i < len(members)
                else None
            )
            line.append((row, leaves))
        lines.append(line)
    lines.append(
        [
            (by_id.get(total, _template_row(table, total)) if total else None, leaves)
            for (_members, total), leaves in zip(groups, leaves_per_panel, strict=True)
        ]
    )
    all_leaves = [leaf for leaves in leaves_per_panel for leaf in leaves]
    return join([_header(all_leaves), _body(view, lines, ctx)])


def _template_row(table: Table, row_id: str) -> dict[str, str]:
    """A template row the package left out: printed blank, labelled as the template."""
    try:
        row = table.row(row_id)
    except KeyError:
        return {"row": row_id, "label": row_id}
    return {"row": row.id, "code": row.code or "", "label": row.label}


def _single(view: TableView, ctx: TableContext) -> Markup:
    leaves = _value_leaves(view.table.columns)
    rows: list[dict | None] = list(view.rows) or [None]
    return join([_header(leaves), _body(view, [[(r, leaves)] for r in rows], ctx)])


RENDERERS: dict[str, Callable[[TableView, TableContext], Markup]] = {
    "ledger": _ledger,
    "classified": _classified,
    "economic": _economic,
    "single": _single,
}
"""One renderer per table layout: a new layout registers here."""


def render_table(view: TableView, ctx: TableContext) -> Markup:
    """The table as printed: ``<table>`` with its header, 栏次 and rows."""
    inner = RENDERERS[view.table.layout](view, ctx)
    return el(
        "div",
        {"class": "js-scroll"},
        el(
            "table",
            {"class": f"js-table js-{view.table.layout}", "data-table": view.id},
            inner,
        ),
    )
