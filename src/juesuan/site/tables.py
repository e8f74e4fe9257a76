"""Render a disclosure table like the original, driven by its taxonomy definition.

Only the columns the document printed (the resource's ``juesuan.columns``, else
the definition's ``printed`` set), headed as the template heads them: the stub
(项目 over 功能分类科目编码, 类 款 项 and 科目名称), the column groups or a
form's own header, and the 栏次 row where the template prints one. Rows come
from the package CSV in the order printed. Layouts: ``ledger`` (two sides
printed next to each other, with 行次), ``classified`` (类/款/项 indented),
``economic`` (the panels printed side by side, under their bands, the group
totals across the bottom) and ``single``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from juesuan.site.corpus import FindingView, TableView, amount, term_key
from juesuan.site.html import Markup, el, join
from juesuan.taxonomy import Column, SumRule, Table
from juesuan.taxonomy.codes import Code
from juesuan.taxonomy.model import Panel, Stub
from juesuan.taxonomy.tolerance import PRINTED_DECIMALS, UNIT, shift_of

LEVELS = {3: 1, 5: 2, 7: 3}
"""Code length → indentation level (类, 款, 项)."""

SEVERITY = {"error": "错误", "warning": "提示"}


@dataclass(frozen=True)
class GlossaryLink:
    """Where a term's definition is, and the definition for the hover text."""

    href: str
    definition: str


@dataclass(frozen=True)
class Flag:
    """A finding on a cell: its number on the page, and the finding."""

    number: int
    finding: FindingView


CellKey = tuple[str, str, str]
"""(table, row, column); column is ``code`` or ``label`` for the key cells."""


@dataclass
class TableContext:
    """What a table needs from its page: links and the findings on its cells."""

    codes: dict[str, Code]
    code_href: Callable[[str], str]
    glossary: dict[str, GlossaryLink] = field(default_factory=dict)
    flags: dict[CellKey, list[Flag]] = field(default_factory=dict)
    rendered: set[CellKey] = field(default_factory=set)
    """Filled while rendering: the flagged cells the page shows (a link may point at them)."""
    explain: Callable[[FindingView], str] = lambda finding: finding.message_zh
    """A finding in the words shown beside its cell."""


@dataclass(frozen=True)
class Leaf:
    """A column of the printed table: its header and how to fill its cells.

    ``path`` is the header from the top row down; an entry repeated down the
    path is one cell over those rows. ``colno`` is the column's cell in the 栏次
    row (None: the column has none, as the code columns under 类 款 项).
    """

    path: tuple[str, ...]
    kind: str
    """code, label, line or value."""
    column: Column | None = None
    colno: str | None = None
    first: bool = True
    """For a code printed across 类 款 项: whether this is the leftmost of them."""
    width: int = 1
    """For the leftmost code column: how many columns the code spans."""


_SAFE_ID = re.compile(r"^[A-Za-z0-9_]+$")


HELD = "js-held"
"""The class of a header cell over the label column: it stays at the frame's left too."""


def label_class(level: int) -> str:
    """The class of a label cell: ``js-label``, with its indent for a 款 or 项."""
    return f"js-label js-l{level}" if level else "js-label"


def labelled_row(
    label: object,
    cells: Iterable[Markup],
    *,
    level: int | None = None,
    attributes: Mapping[str, str | None] | None = None,
) -> Markup:
    """A body row: ``label`` as its row header, then ``cells``.

    With ``level`` the header is a label cell (held at the frame's left, indented
    by level); without, a plain row header.
    """
    header = {"scope": "row", "class": None if level is None else label_class(level)}
    return el("tr", attributes or {}, el("th", header, label), cells)


def cell_anchor(table: str, row: str, column: str) -> str:
    """The id of a cell on the disclosure page (c-basic_expenditure-301-amount).

    Row ids come with the package: one that is no plain identifier is hashed,
    so the id stays a valid, inert fragment.
    """
    if all(_SAFE_ID.match(part) for part in (table, row, column)):
        return f"c-{table}-{row}-{column}"
    digest = hashlib.sha256("\x1f".join((table, row, column)).encode()).hexdigest()[:16]
    return f"c-x{digest}"


def note_anchor(number: int) -> str:
    """The id of finding ``number``'s note under its table."""
    return f"note-{number}"


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


def column_headers(table: Table, columns: Sequence[Column]) -> list[tuple[str, ...]]:
    """The header of each printed column: a form's own, else from labels and groups."""
    ids = tuple(c.id for c in columns)
    for order in table.column_orders:
        if order.headers and order.columns == ids:
            return [tuple(order.headers[i]) for i in ids]
    return column_paths(columns)


Grid = list[list[tuple[object, str, str]]]
"""Per column, per header row: (merge key, text, kind)."""


def _column_grid(leaf: Leaf, index: int, height: int) -> list[tuple[object, str, str]]:
    path = list(leaf.path) + [leaf.path[-1]] * (height - len(leaf.path))
    cells: list[tuple[object, str, str]] = []
    runs: tuple[object, ...] = ()
    for row, text in enumerate(path):
        if row == 0 or text != path[row - 1]:
            runs = (*runs, text)
        last = all(t == text for t in path[row:])
        # A column's own label never merges with its neighbour's, however spelled.
        key = (*runs, ("leaf", index)) if last else runs
        cells.append((key, text, "leaf" if last else "group"))
    return cells


def header_grid(leaves: Sequence[Leaf], numbered: bool) -> Grid:
    """The header as a grid, one list of cells per column, the 栏次 row included.

    The 栏次 row shares the last header row when no numbered column reaches
    down to it (类 款 项 | 栏次 | 1 2 3), else it is a row of its own.
    """
    depth = max(len(leaf.path) for leaf in leaves)
    numbered = numbered and any(leaf.colno for leaf in leaves if leaf.kind == "value")
    shared = numbered and all(len(leaf.path) < depth for leaf in leaves if leaf.colno is not None)
    grid: Grid = []
    for index, leaf in enumerate(leaves):
        has_colno = numbered and (leaf.colno is not None or not shared)
        height = depth - 1 if shared and leaf.colno is not None else depth
        cells = _column_grid(leaf, index, height)
        if has_colno:
            cells.append((("colno", index), leaf.colno or "", "colno"))
        grid.append(cells)
    return grid


def _header(leaves: Sequence[Leaf], numbered: bool) -> Markup:
    grid = header_grid(leaves, numbered)
    # The cells over the label column the body holds at the frame's left are held too.
    held = next((i for i, leaf in enumerate(leaves) if leaf.kind == "label"), -1)
    height = max(len(cells) for cells in grid)
    covered: set[tuple[int, int]] = set()
    rows: list[list[Markup]] = [[] for _ in range(height)]
    for r in range(height):
        for c in range(len(grid)):
            if (r, c) in covered or r >= len(grid[c]):
                continue
            key, text, kind = grid[c][r]
            right = c + 1
            while right < len(grid) and r < len(grid[right]) and grid[right][r][0] == key:
                right += 1
            down = r + 1
            while down < height and all(
                down < len(grid[k]) and grid[k][down][0] == key for k in range(c, right)
            ):
                down += 1
            covered |= {(y, x) for y in range(r, down) for x in range(c, right)}
            spans = {
                "rowspan": down - r if down - r > 1 else None,
                "colspan": right - c if right - c > 1 else None,
            }
            over_label = c == held and right == held + 1
            if kind == "colno":
                colno = "js-colno js-held" if over_label else "js-colno"
                rows[r].append(el("td", {"class": colno, **spans}, text))
            else:
                scope = "col" if kind == "leaf" else "colgroup"
                hold = HELD if over_label else None
                rows[r].append(el("th", {**spans, "scope": scope, "class": hold}, text))
    return el("thead", {}, [el("tr", {}, row) for row in rows if row])


# Cells -------------------------------------------------------------------


def printed(value: str | None, unit: str = UNIT) -> str:
    """An amount of the package (万元) as a table printed in ``unit`` prints it; blank stays blank.

    Two decimals, as the tables print them, or more when the amount has them (an
    amount printed in 元, shown in 万元): no digit is hidden.
    """
    number = amount(value)
    if number is None:
        return ""
    number = number.scaleb(-shift_of(unit))
    exponent = number.normalize().as_tuple().exponent
    decimals = max(PRINTED_DECIMALS, -exponent) if isinstance(exponent, int) else PRINTED_DECIMALS
    return f"{number:.{decimals}f}"


def _flagged(
    tag: str, key: CellKey, attributes: dict[str, Any], content: object, ctx: TableContext
) -> Markup:
    """A cell, with its findings' colour, anchor, markers and explanation when it has any."""
    flags = ctx.flags.get(key, [])
    if not flags:
        return el(tag, attributes, content)
    ctx.rendered.add(key)
    severity = "error" if any(f.finding.severity == "error" for f in flags) else "warning"
    classes = " ".join(c for c in (attributes.get("class"), "js-flag", f"js-{severity}") if c)
    marks = [
        el(
            "a",
            {
                "class": "js-mark",
                "href": f"#{note_anchor(f.number)}",
                "aria-label": f"说明 {f.number}",
            },
            f"[{f.number}]",
        )
        for f in flags
    ]
    # Shown beside the value when the cell is the link's target (see juesuan.css).
    explain = el(
        "span",
        {"class": "js-explain"},
        [
            el(
                "span",
                {},
                f"[{f.number}] {SEVERITY.get(f.finding.severity, '')}：{ctx.explain(f.finding)}",
            )
            for f in flags
        ],
    )
    return el(
        tag,
        {**attributes, "class": classes, "id": cell_anchor(*key)},
        el("span", {"class": "js-v"}, content),
        *marks,
        explain,
    )


def _value_cell(
    view: TableView, row: dict[str, str] | None, leaf: Leaf, ctx: TableContext
) -> Markup:
    if row is None or leaf.column is None:
        return el("td", {"class": "num"})
    row_id = row.get("row", "")
    attributes = {"class": "num", "data-row": row_id, "data-col": leaf.column.id}
    text = printed(row.get(leaf.column.id), view.printed_unit)
    return _flagged("td", (view.id, row_id, leaf.column.id), attributes, text, ctx)


def _label(text: str, ctx: TableContext) -> Markup:
    link = ctx.glossary.get(term_key(text)) if text else None
    if link is None:
        return join([text])
    return el("a", {"href": link.href, "class": "js-term", "title": link.definition}, text)


def _code_cell(
    view: TableView, row: dict[str, str], leaf: Leaf, ctx: TableContext, used: bool
) -> Markup:
    """The code with its name on hover; linked to its page when the row has amounts."""
    code = row.get("code", "")
    attributes = {"class": "js-code", "colspan": leaf.width if leaf.width > 1 else None}
    if not code:
        return el("td", attributes)
    entry = ctx.codes.get(code)
    title = f"{code} {entry.name}（{entry.level}）" if entry else f"{code}（不在本年度科目表中）"
    if not used:  # 公开06 prints the whole list; only codes with amounts get a page
        content = el("abbr", {"title": title}, code)
    else:
        content = el("a", {"href": ctx.code_href(code), "title": title}, code)
    return _flagged("td", (view.id, row.get("row", ""), "code"), attributes, content, ctx)


def _row_cells(
    view: TableView, row: dict[str, str] | None, leaves: Sequence[Leaf], ctx: TableContext
) -> list[Markup]:
    indented = any(leaf.kind == "code" for leaf in leaves)  # ledgers print codes in words
    cells = []
    for leaf in leaves:
        if leaf.kind == "code" and not leaf.first:
            continue  # the code is printed across 类 款 项 in the leftmost cell
        if leaf.kind == "value":
            cells.append(_value_cell(view, row, leaf, ctx))
        elif row is None:
            cells.append(el("td", {"colspan": leaf.width if leaf.width > 1 else None}))
        elif leaf.kind == "code":
            used = any((row.get(c.id) or "").strip() for c in view.table.columns)
            cells.append(_code_cell(view, row, leaf, ctx, used))
        elif leaf.kind == "line":
            cells.append(el("td", {"class": "js-line"}, row.get("line", "")))
        else:
            code = row.get("code", "")
            level = LEVELS.get(len(code), 0) if code and indented else 0
            attributes = {"scope": "row", "class": label_class(level)}
            key = (view.id, row.get("row", ""), "label")
            cells.append(_flagged("th", key, attributes, _label(row.get("label", ""), ctx), ctx))
    return cells


def _row_class(row: dict[str, str] | None, indented: bool) -> str | None:
    if row is None:
        return None
    code = row.get("code", "")
    if code:
        return f"js-l{LEVELS.get(len(code), 0)}" if indented else None
    return "js-total" if row.get("row") == "total" or "total" in row.get("row", "") else None


# Leaves ------------------------------------------------------------------


def _stub(view: TableView) -> Stub:
    """The stub as the definition heads it, else by the Table Schema's field titles."""
    if view.table.stub is not None:
        return view.table.stub
    return Stub(code=view.field_title("code"), label=view.field_title("label"))


def _stub_leaves(view: TableView, prefix: tuple[str, ...] = (), codes: bool = True) -> list[Leaf]:
    """The code, label and 行次 columns, under ``prefix`` (a side, a band)."""
    stub = _stub(view)
    head = (*prefix, stub.group) if stub.group else prefix
    leaves = []
    if codes and "code" in view.fields and stub.code:
        levels = stub.levels or (None,)
        for index, level in enumerate(levels):
            path = (*head, stub.code, level) if level else (*head, stub.code)
            leaves.append(Leaf(path, "code", first=index == 0, width=len(levels)))
    leaves.append(Leaf((*head, stub.label), "label", colno="栏次"))
    if "line" in view.fields and any((row.get("line") or "").strip() for row in view.rows):
        leaves.append(Leaf((*head, view.field_title("line")), "line", colno=""))
    return leaves


def _value_leaves(
    view: TableView, columns: Sequence[Column], prefix: tuple[str, ...] = ()
) -> list[Leaf]:
    paths = column_headers(view.table, columns)
    return [
        Leaf((*prefix, *path), "value", column, colno=str(column.number or ""))
        for column, path in zip(columns, paths, strict=True)
    ]


Line = Sequence[tuple[dict[str, str] | None, Sequence[Leaf]]]
"""One printed line: (row, the leaves it fills) per panel or side."""


def _table(
    view: TableView,
    leaves: Sequence[Leaf],
    lines: Sequence[Line],
    ctx: TableContext,
    bottom: Sequence[Markup] = (),
) -> Markup:
    """The header over the rows; a table printed with no data, over the note saying so."""
    header = _header(leaves, _numbered(view))
    if view.empty_note is not None and not view.rows:
        note = el("td", {"class": "js-empty", "colspan": len(leaves)}, view.empty_note)
        return join([header, el("tbody", {}, el("tr", {}, note))])
    return join([header, _body(view, lines, ctx, bottom)])


def _body(
    view: TableView, lines: Sequence[Line], ctx: TableContext, bottom: Sequence[Markup] = ()
) -> Markup:
    body = []
    for line in lines:
        cells = []
        classes = []
        for row, leaves in line:
            cells += _row_cells(view, row, leaves, ctx)
            if len(line) == 1:
                classes.append(_row_class(row, any(leaf.kind == "code" for leaf in leaves)))
        body.append(el("tr", {"class": " ".join(c for c in classes if c) or None}, cells))
    return el("tbody", {}, body, bottom)


# Layouts -----------------------------------------------------------------


def _numbered(view: TableView) -> bool:
    return view.table.column_numbers


def _ledger(view: TableView, ctx: TableContext) -> Markup:
    table = view.table
    printed_ids = {c.id for c in view.printed_columns}
    if not table.sides:
        leaves = _stub_leaves(view, codes=False) + _value_leaves(view, view.printed_columns)
        plain: list[Line] = [[(r, leaves)] for r in view.rows]
        return _table(view, leaves, plain, ctx)
    blocks = []
    for side in table.sides:
        columns = [table.column(c) for c in side.columns if c in printed_ids]
        leaves = _stub_leaves(view, (side.label,), codes=False) + _value_leaves(
            view, columns, (side.label,)
        )
        rows = [r for r in view.rows if r.get("side") == side.id]
        blocks.append((leaves, rows))
    height = max(len(rows) for _leaves, rows in blocks)
    lines: list[Line] = [
        [(rows[i] if i < len(rows) else None, leaves) for leaves, rows in blocks]
        for i in range(height)
    ]
    all_leaves = [leaf for leaves, _rows in blocks for leaf in leaves]
    return _table(view, all_leaves, lines, ctx)


def _classified(view: TableView, ctx: TableContext) -> Markup:
    leaves = _stub_leaves(view) + _value_leaves(view, view.printed_columns)
    rows: list[dict[str, str] | None] = list(view.rows) or [None]
    return _table(view, leaves, [[(r, leaves)] for r in rows], ctx)


def _group_totals(table: Table) -> list[SumRule]:
    """Column-sum rules whose total is no code row (人员经费合计 = 301 + 303)."""
    codes = {row.id: row.code for row in table.rows}
    return [
        r
        for r in table.rules
        if isinstance(r, SumRule) and r.axis == "column" and not codes.get(r.total)
    ]


def panel_layout(table: Table) -> tuple[Panel, ...]:
    """The panels as printed; a table that declares none gets one per group total."""
    if table.panels:
        return table.panels
    derived = tuple(
        Panel(classes=tuple(p.removeprefix("-")[:3] for p in rule.parts))
        for rule in _group_totals(table)
    )
    return derived or (Panel(classes=()),)


def panel_rows(
    table: Table, rows: Sequence[dict[str, str]]
) -> tuple[list[list[dict[str, str]]], list[dict[str, str]]]:
    """(the rows of each panel in printed order, the group-total rows).

    A row belongs to the panel that lists its 类; a row of no listed 类, or with
    no code and no group total, joins the last panel.
    """
    layout = panel_layout(table)
    totals = {rule.total for rule in _group_totals(table)}
    where = {c: index for index, panel in enumerate(layout) for c in panel.classes}
    members: list[list[dict[str, str]]] = [[] for _ in layout]
    bottom = []
    for row in rows:
        code = row.get("code") or ""
        if not code and row.get("row") in totals:
            bottom.append(row)
        else:
            members[where.get(code[:3], len(layout) - 1)].append(row)
    return members, bottom


def total_panels(table: Table, total: str) -> range:
    """The panels a group total stands under: those listing the classes it adds up."""
    layout = panel_layout(table)
    rule = next((r for r in _group_totals(table) if r.total == total), None)
    parts = {p.removeprefix("-")[:3] for p in rule.parts} if rule else set()
    hit = [i for i, panel in enumerate(layout) if parts & set(panel.classes)]
    return range(min(hit), max(hit) + 1) if hit else range(len(layout) - 1, len(layout))


def _economic(view: TableView, ctx: TableContext) -> Markup:
    table = view.table
    layout = panel_layout(table)
    source = list(view.rows) or [_template_row(table, row.id) for row in table.rows]
    members, totals = panel_rows(table, source)
    per_panel = [
        _stub_leaves(view, (panel.band,) if panel.band else ())
        + _value_leaves(view, view.printed_columns, (panel.band,) if panel.band else ())
        for panel in layout
    ]
    height = max(len(rows) for rows in members)
    lines = [
        [
            (rows[i] if i < len(rows) else None, leaves)
            for rows, leaves in zip(members, per_panel, strict=True)
        ]
        for i in range(height)
    ]
    bottom = _total_lines(view, totals, per_panel, ctx)
    all_leaves = [leaf for leaves in per_panel for leaf in leaves]
    return _table(view, all_leaves, lines, ctx, bottom)


def _total_lines(
    view: TableView, totals: list[dict[str, str]], per_panel: list[list[Leaf]], ctx: TableContext
) -> list[Markup]:
    """The group totals across the bottom, each under the panels it sums.

    Totals under different panels share a line (人员经费合计 … 公用经费合计 …).
    """
    lines: list[list[tuple[range, dict[str, str]]]] = []
    for row in totals:
        span = total_panels(view.table, row.get("row", ""))
        line = next(
            (ln for ln in lines if all(not set(span) & set(other) for other, _row in ln)), None
        )
        if line is None:
            lines.append([(span, row)])
        else:
            line.append((span, row))
    out = []
    for line in lines:
        ends = {span.stop - 1: (span, row) for span, row in line}
        inside = {i for span, _row in line for i in span}
        cells: list[Markup] = []
        for index, leaves in enumerate(per_panel):
            if index not in inside:
                cells += [el("td") for leaf in leaves if leaf.kind != "code" or leaf.first]
            elif index in ends:
                span, row = ends[index]
                cells += _total_cells(view, row, [per_panel[i] for i in span], ctx)
        out.append(el("tr", {"class": "js-total"}, cells))
    return out


def _total_cells(
    view: TableView, row: dict[str, str], panels: list[list[Leaf]], ctx: TableContext
) -> list[Markup]:
    """A group total's label over the panels' columns, its amounts under the last panel's."""
    width = sum(1 for leaves in panels for leaf in leaves if leaf.kind != "code" or leaf.first)
    values = [leaf for leaf in panels[-1] if leaf.kind == "value"]
    attributes = {"scope": "row", "class": "js-label", "colspan": width - len(values)}
    key = (view.id, row.get("row", ""), "label")
    label = _flagged("th", key, attributes, _label(row.get("label", ""), ctx), ctx)
    return [label, *(_value_cell(view, row, leaf, ctx) for leaf in values)]


def _template_row(table: Table, row_id: str) -> dict[str, str]:
    """A template row, for a table the package holds no row of: printed blank."""
    row = table.row(row_id)
    return {"row": row.id, "code": row.code or "", "label": row.label}


def _single(view: TableView, ctx: TableContext) -> Markup:
    leaves = _value_leaves(view, view.printed_columns)
    rows: list[dict[str, str] | None] = list(view.rows) or [None]
    return _table(view, leaves, [[(r, leaves)] for r in rows], ctx)


RENDERERS: dict[str, Callable[[TableView, TableContext], Markup]] = {
    "ledger": _ledger,
    "classified": _classified,
    "economic": _economic,
    "single": _single,
}
"""One renderer per table layout: a new layout registers here."""


AMOUNT_WEIGHT = "2"
"""Of a disclosure's tables in the search index, against 1 for the pages quoting them."""


def _unit_line(view: TableView) -> str:
    """金额单位 as printed; a table printed in 元 says the data are kept in 万元."""
    if view.printed_unit == view.table.unit:
        return f"金额单位：{view.table.unit}"
    return f"金额单位：{view.printed_unit}（按原表列示；数据包及其他页面折算为{view.table.unit}）"


def render_table(view: TableView, ctx: TableContext) -> Markup:
    """The table as printed: its 金额单位 line above, its header, 栏次 and rows."""
    inner = RENDERERS[view.table.layout](view, ctx)
    return el(
        "div",
        {"class": "js-scroll"},
        el(
            "table",
            {
                "class": f"js-table js-{view.table.layout}",
                # An amount searched for leads to the table that prints it first.
                "data-pagefind-weight": AMOUNT_WEIGHT,
                "data-table": view.id,
            },
            # A caption spans the table: the unit stands at its right edge, as printed.
            el("caption", {"class": "js-unit"}, _unit_line(view)),
            inner,
        ),
    )
