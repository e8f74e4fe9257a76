"""A unit's years compared: each table's main amounts side by side, with the changes.

The main amount of a table is its first column (for a ledger, the first column
of each side): the one the code pages show too. Rows and columns are labelled
from the tables' definitions and the code lists, never from this module. Two
neighbouring years printed in different editions have other tables, rows and
codes: their change is not computed, and the page says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from juesuan.site import urls
from juesuan.site.corpus import amount
from juesuan.site.html import Markup, el, separated
from juesuan.site.pages import Block, Heading, Page
from juesuan.site.summary import Summary
from juesuan.site.tables import HELD, LEVELS, labelled_row
from juesuan.taxonomy import Table, editions
from juesuan.taxonomy.codes import Code, valid_codes

CHANGE = "增减"
RATE = "增减率"
INCOMPARABLE = "版式不同，不计算增减"


def main_columns(table: Table) -> tuple[str, ...]:
    """The columns whose amounts are compared: the first of each side, else the first."""
    if table.sides:
        return tuple(side.columns[0] for side in table.sides if side.columns)
    return (table.columns[0].id,) if table.columns else ()


@cache
def _codes(kind: str, year: int) -> dict[str, Code]:
    return valid_codes(kind, year)


def _definitions(table_id: str, items: Sequence[Summary]) -> list[Table]:
    """The table's definitions in the editions of ``items``, the newest year's first."""
    found: list[Table] = []
    for summary in reversed(items):
        edition = editions().get(summary.edition)
        table = edition.tables.get(table_id) if edition else None
        if table is not None and all(table is not t for t in found):
            found.append(table)
    return found


Facts = dict[tuple[str, str, str], str]
"""(table, row, column) → printed amount."""


def _facts(summary: Summary) -> Facts:
    out = {}
    for key, value in summary.facts:
        table, row, column = key.split(":")
        out[(table, row, column)] = value
    return out


@dataclass(frozen=True)
class Line:
    """One compared row: a cell of the table, its label and its indent."""

    row: str
    column: str
    label: str
    level: int


def _row_label(row: str, definitions: list[Table], items: Sequence[Summary]) -> tuple[str, int]:
    """A row's label and indent.

    From its definition, else its code's name in the code list, else as the table
    printed it (合计, a code no list holds).
    """
    coded = definitions[0].layout in ("classified", "economic")
    for table in definitions:
        found = next((r for r in table.rows if r.id == row), None)
        if found is not None:
            if coded and found.code:
                return f"{found.code} {found.label}", LEVELS.get(len(found.code), 0)
            return found.label, 0
    kind = definitions[0].codelist or "function"
    for summary in reversed(items):
        entry = _codes(kind, summary.year).get(row)
        if entry is not None:
            return f"{row} {entry.name}", LEVELS.get(len(row), 0)
    table_id = definitions[0].id
    for summary in reversed(items):
        printed = dict(summary.labels).get(f"{table_id}:{row}") or next(
            (u.label for u in summary.codes if u.code == row and u.kind == kind), ""
        )
        if printed:
            level = LEVELS.get(len(row), 0) if row.isdigit() else 0
            return (f"{row} {printed}" if row.isdigit() else printed), level
    return row, 0


def lines(table_id: str, items: Sequence[Summary]) -> list[Line]:
    """The rows of ``table_id`` with a main amount in any year, in the table's order."""
    definitions = _definitions(table_id, items)
    if not definitions:
        return []
    columns = {c for table in definitions for c in main_columns(table)}
    cells = {
        (row, column)
        for summary in items
        for (table, row, column) in _facts(summary)
        if table == table_id and column in columns
    }
    order: dict[str, int] = {}
    for table in reversed(definitions):
        order.update({r.id: i for i, r in enumerate(table.rows)})

    def position(cell: tuple[str, str]) -> tuple[int, int, str]:
        row, _column = cell
        # Definition rows as printed; 合计 of a classified table first, then its codes.
        if row in order:
            return (0, order[row], "")
        return (1, 0, row) if row.isdigit() else (0, -1, row)

    out = []
    for row, column in sorted(cells, key=position):
        label, level = _row_label(row, definitions, items)
        out.append(Line(row, column, label, level))
    return out


def change(before: str, after: str) -> tuple[str, str]:
    """(change, % change) from one year's printed amount to the next; blank when unknown."""
    a, b = amount(before), amount(after)
    if a is None or b is None:
        return "", ""
    difference = b - a
    rate = f"{difference / abs(a) * 100:+.1f}%" if a else ""
    return (f"{difference:+.2f}" if difference else "0.00"), rate


def comparable(before: Summary, after: Summary) -> bool:
    """Whether two years were printed in the same edition (same tables, rows and codes)."""
    return before.edition == after.edition


def _header(page: str, items: Sequence[Summary]) -> Markup:
    cells: list[Markup] = [el("th", {"scope": "col", "class": HELD}, "项目")]
    for index, summary in enumerate(items):
        cells.append(
            el(
                "th",
                {"scope": "col"},
                el(
                    "a",
                    {"href": urls.relative(page, urls.disclosure(summary.slug, summary.year))},
                    summary.year,
                ),
            )
        )
        if index:
            before = items[index - 1]
            mark = "" if comparable(before, summary) else "※"
            attributes = {"scope": "col", "class": None if not mark else "js-incomparable"}
            cells += [
                el("th", attributes, f"{summary.year} 比 {before.year} {CHANGE}{mark}"),
                el("th", attributes, f"{RATE}{mark}"),
            ]
    return el("thead", {}, el("tr", {}, cells))


def _row(table_id: str, line: Line, items: Sequence[Summary], facts: list[Facts]) -> Markup:
    cells: list[Markup] = []
    for index, summary in enumerate(items):
        value = facts[index].get((table_id, line.row, line.column), "")
        cells.append(el("td", {"class": "num"}, value))
        if index:
            if comparable(items[index - 1], summary):
                before = facts[index - 1].get((table_id, line.row, line.column), "")
                difference, rate = change(before, value)
                cells += [el("td", {"class": "num"}, difference), el("td", {"class": "num"}, rate)]
            else:
                cells += [
                    el("td", {"class": "num js-incomparable", "title": INCOMPARABLE}, "—")
                    for _ in range(2)
                ]
    code = line.row if line.level else None
    # 合计 rows stay on top when sorted, as in the printed tables.
    total = "js-total" if not line.row.isdigit() and "total" in line.row else None
    return labelled_row(
        line.label,
        cells,
        level=line.level,
        attributes={
            "data-cell": f"{table_id}:{line.row}:{line.column}",
            "data-code": code,
            "class": total,
        },
    )


def _editions_note(items: Sequence[Summary]) -> list[Block]:
    """The edition of each year, when they differ: why some changes are not computed."""
    if len({s.edition for s in items}) < 2:
        return []
    each = separated([f"{s.year} 年：{s.edition_title}" for s in items], "；")
    return [
        el(
            "p",
            {"class": "js-incomparable"},
            "※ 各年度按不同的版式公开（",
            each,
            "）。版式不同的相邻两年，表式、行和科目不同，不计算增减。",
        )
    ]


def compare_page(items: Sequence[Summary]) -> Page:
    """A unit's comparison page: for each table, its main amounts year by year."""
    latest = items[-1]
    page = urls.compare(latest.slug)
    trail = (("首页", urls.HOME), ("单位", urls.UNITS), (latest.unit, urls.unit(latest.slug)))
    title = f"{latest.unit}：历年对比"
    blocks: list[Block] = [Heading(1, title, "top")]
    if len(items) < 2:
        blocks.append(
            el(
                "p",
                {},
                f"本单位只有 {latest.year} 年一份决算，还没有可以对比的年度：",
                el(
                    "a",
                    {"href": urls.relative(page, urls.disclosure(latest.slug, latest.year))},
                    latest.title,
                ),
                "。",
            )
        )
        return Page(
            page, title, tuple(blocks), description=f"{latest.unit}历年决算对比", trail=trail
        )
    blocks += [
        el(
            "p",
            {},
            f"{len(items)} 个年度（{items[0].year}—{latest.year}）的决算，"
            "每张表的主要金额逐年并列，并列出与上一年度相比的增减和增减率。金额单位：万元。",
        ),
        *_editions_note(items),
    ]
    facts = [_facts(s) for s in items]
    newest = editions().get(latest.edition)
    table_ids = list(newest.tables) if newest else []
    for summary in reversed(items):
        edition = editions().get(summary.edition)
        table_ids += [t for t in (edition.tables if edition else ()) if t not in table_ids]
    for table_id in table_ids:
        compared = lines(table_id, items)
        if not compared:
            continue
        definition = _definitions(table_id, items)[0]
        columns = main_columns(definition)
        what = definition.printed_label(columns[0]) if len(columns) == 1 else ""
        heading = f"{definition.title}（{what + '，' if what else ''}万元）"
        blocks += [
            Heading(2, heading, f"t-{table_id}"),
            el(
                "div",
                {"class": "js-scroll"},
                el(
                    "table",
                    {"class": "js-table js-compare js-years", "data-table": table_id},
                    _header(page, items),
                    el("tbody", {}, [_row(table_id, line, items, facts) for line in compared]),
                ),
            ),
        ]
    return Page(page, title, tuple(blocks), description=f"{latest.unit}历年决算对比", trail=trail)
