"""Every table on the built pages as the document prints it.

For each table of both seed packages and of a package read from a document in
Shanghai's layout: the header cells over each column, read from the page,
against the table's definition (its stub, groups, a form's own header, panels
and bands); the 栏次 row; only the columns the document printed; the rows, in
each column, in the order of the package's CSV; the heading and the 金额单位
line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from juesuan.site.build import BuildReport
from juesuan.site.corpus import Disclosure, TableView, load, package_folders
from juesuan.taxonomy import SumRule
from juesuan.taxonomy.model import Stub
from tests.seeds import FIXTURES
from tests.site.tablegrid import ParsedTable, parse_table


def _disclosures(site: BuildReport, packages: Path) -> list[tuple[Disclosure, str]]:
    out = []
    for folder in package_folders(packages):
        disclosure = load(folder)
        page = site.site / "units" / disclosure.slug / str(disclosure.year) / "index.html"
        out.append((disclosure, page.read_text(encoding="utf-8")))
    return out


def _runs(texts: list[str]) -> tuple[str, ...]:
    """A column's header cells top to bottom: a cell over several rows counted once."""
    out: list[str] = []
    previous = None
    for cell, text in texts:
        if cell is not previous:
            out.append(text)
        previous = cell
    return tuple(out)


def _column_heads(parsed: ParsedTable) -> tuple[list[tuple[str, ...]], list[str | None]]:
    """(the header over each column, its 栏次 cell or None), read from the page."""
    grid = parsed.head_grid()
    heads, numbers = [], []
    for column in range(len(grid[0])):
        cells = [grid[row][column] for row in range(len(grid))]
        heads.append(_runs([(c, c.text) for c in cells if c and "js-colno" not in c.classes]))
        colno = [c for c in cells if c and "js-colno" in c.classes]
        numbers.append(colno[0].text if colno else None)
    return heads, numbers


def _stub(view: TableView) -> Stub:
    return view.table.stub or Stub(code=view.field_title("code"), label=view.field_title("label"))


def _stub_heads(view: TableView, prefix: tuple[str, ...], codes: bool) -> list[tuple[str, ...]]:
    stub = _stub(view)
    head = (*prefix, *([stub.group] if stub.group else []))
    out = []
    if codes and stub.code:
        out += [(*head, stub.code, level) for level in stub.levels] or [(*head, stub.code)]
    out.append((*head, stub.label))
    if any(row.get("line") for row in view.rows):
        out.append((*head, "行次"))
    return out


def _value_head(view: TableView, column_id: str) -> tuple[str, ...]:
    """A value column's header from the definition: a form's own, else group and label."""
    printed = tuple(c.id for c in view.printed_columns)
    for order in view.table.column_orders:
        if order.headers and order.columns == printed:
            path = order.headers[column_id]
            return tuple(t for i, t in enumerate(path) if i == 0 or t != path[i - 1])
    column = view.table.column(column_id)
    return tuple(p for p in (column.group, column.label) if p)


def _expected(view: TableView) -> list[tuple[tuple[str, ...], str | None, bool]]:
    """Per printed column: (its header, its 栏次, whether the header is given whole)."""
    table = view.table
    printed = [c.id for c in view.printed_columns]
    explicit = any(o.headers and list(o.columns) == printed for o in table.column_orders)
    out: list[tuple[tuple[str, ...], str | None, bool]] = []

    def values(prefix: tuple[str, ...], ids: list[str]) -> None:
        for column_id in ids:
            number = table.column(column_id).number
            head = (*prefix, *_value_head(view, column_id))
            out.append((head, str(number or ""), explicit or bool(prefix)))

    if table.layout == "ledger":
        for side in table.sides:
            for head in _stub_heads(view, (side.label,), codes=False):
                out.append((head, "栏次" if head[-1] == _stub(view).label else "", True))
            values((side.label,), [c for c in side.columns if c in printed])
    elif table.layout == "economic":
        for panel in table.panels:
            band = (panel.band,) if panel.band else ()
            out += [(head, None, True) for head in _stub_heads(view, band, codes=True)]
            values(band, printed)
    else:
        if table.layout == "classified":
            stub = _stub(view)
            for head in _stub_heads(view, (), codes=True):
                colno = "栏次" if head[-1] == stub.label else None
                out.append((head, colno, True))
        values((), printed)
    return out


def _rows_per_column(parsed: ParsedTable) -> dict[int, list[str]]:
    """Per grid column holding amounts: the row ids of its cells, top to bottom."""
    columns: dict[int, list[str]] = {}
    for line in parsed.body_grid():
        for index, cell in enumerate(line):
            if cell is not None and "data-row" in cell.attrs:
                columns.setdefault(index, []).append(cell.attrs["data-row"])
    return columns


def _expected_rows(view: TableView) -> list[list[str]]:
    """Per column of amounts, left to right: the CSV's rows it holds, in CSV order."""
    table = view.table
    rows = view.rows
    printed = [c.id for c in view.printed_columns]
    if table.layout == "ledger":
        return [
            [r["row"] for r in rows if r.get("side") == side.id]
            for side in table.sides
            for c in side.columns
            if c in printed
        ]
    if table.layout != "economic":
        return [[r["row"] for r in rows] for _c in printed]
    where = {c: i for i, panel in enumerate(table.panels) for c in panel.classes}
    panels: list[list[str]] = [[] for _ in table.panels]
    # A group total (a row with no code) stands under the last panel it adds up.
    totals = {
        rule.total: max(i for i, p in enumerate(table.panels) if set(p.classes) & set(rule.parts))
        for rule in table.rules
        if isinstance(rule, SumRule) and rule.axis == "column" and not table.row(rule.total).code
    }
    for row in rows:
        code = row.get("code") or ""
        if code:
            panels[where.get(code[:3], len(panels) - 1)].append(row["row"])
    for row in rows:
        if row["row"] in totals:
            panels[totals[row["row"]]].append(row["row"])
    return [members for members in panels for _c in printed]


def _heading(html: str, view: TableView) -> str:
    anchor = f"t-{view.id.replace('_', '-')}"
    match = re.search(rf'<h2 id="{anchor}">(.*?)<a class="headerlink"', html)
    assert match, anchor
    return match.group(1)


def _check(disclosure: Disclosure, html: str) -> int:
    checked = 0
    for view in disclosure.tables:
        parsed = parse_table(html, view.id)
        heads, numbers = _column_heads(parsed)
        expected = _expected(view)
        assert len(heads) == len(expected), (view.id, heads)
        for (head, number, whole), shown, shown_number in zip(
            expected, heads, numbers, strict=True
        ):
            if whole:
                assert shown == head, (view.id, shown, head)
            else:  # a group nested in another (三公: 预算数 › 公务用车… › 小计)
                assert shown[-len(head) :] == head, (view.id, shown, head)
            if view.table.column_numbers and any(c.number for c in view.printed_columns):
                assert shown_number == number, (view.id, head, shown_number, number)
            else:
                assert shown_number is None, (view.id, head)
        shown_columns = {
            c.attrs["data-col"] for row in parsed.body for c in row if "data-col" in c.attrs
        }
        by_column = _rows_per_column(parsed)
        if view.rows:
            assert shown_columns == {c.id for c in view.printed_columns}, view.id
            assert [by_column[k] for k in sorted(by_column)] == _expected_rows(view), view.id
        else:  # a table printed without a row: its header over one blank line
            assert not by_column and len(parsed.body) == 1, view.id
        number = view.printed_number
        title = view.title
        assert _heading(html, view) == (
            f"{number} {title}"
            if number and number.replace(" ", "") not in title.replace(" ", "")
            else title
        )
        after = html.split(f'data-table="{view.id}">', 1)[1]
        assert after.startswith('<caption class="js-unit">金额单位：万元</caption>'), view.id
        checked += 1
    return checked


def test_seed_tables_are_printed_as_the_documents_print_them(built_site: BuildReport) -> None:
    checked = sum(_check(d, html) for d, html in _disclosures(built_site, FIXTURES))
    assert checked == 17


def test_shanghai_layout_tables_are_printed_as_shanghai_prints_them(
    shanghai_site: BuildReport,
) -> None:
    ((disclosure, html),) = _disclosures(shanghai_site, shanghai_site.site.parent / "packages")
    assert disclosure.edition.key == "2024/shanghai"
    assert _check(disclosure, html) == 9
    tables = html[html.index('id="t-summary"') : html.index('id="n-')]
    assert "公开0" not in tables and "栏次" not in tables and "行次" not in tables


@pytest.fixture(scope="module")
def huangpi_html(built_site: BuildReport) -> str:
    page = built_site.site / "units" / "wuhan-huangpi-dashujuzhongxin-benji" / "2024"
    return (page / "index.html").read_text(encoding="utf-8")


def test_state_capital_prints_only_its_three_columns_under_the_printed_stub(
    huangpi_html: str,
) -> None:
    parsed = parse_table(huangpi_html, "state_capital")
    assert [[(c.text, c.colspan, c.rowspan) for c in row] for row in parsed.head] == [
        [("项目", 4, 1), ("本年支出", 3, 1)],
        [
            ("功能分类科目编码", 3, 1),
            ("科目名称", 1, 1),
            ("合计", 1, 1),
            ("基本支出", 1, 1),
            ("项目支出", 1, 1),
        ],
        [
            ("类", 1, 1),
            ("款", 1, 1),
            ("项", 1, 1),
            ("栏次", 1, 1),
            ("1", 1, 1),
            ("2", 1, 1),
            ("3", 1, 1),
        ],
    ]
    assert "年初结转和结余" not in str(parsed.head)


def test_basic_expenditure_prints_three_panels_under_two_bands(huangpi_html: str) -> None:
    parsed = parse_table(huangpi_html, "basic_expenditure")
    assert [(c.text, c.colspan) for c in parsed.head[0]] == [("人员经费", 3), ("公用经费", 6)]
    assert [c.text for c in parsed.head[1]] == ["经济分类科目编码", "科目名称", "决算数"] * 3
    last = parsed.body[-1]
    assert [(c.text, c.colspan) for c in last] == [
        ("人员经费合计", 2),
        ("161.22", 1),
        ("公用经费合计", 5),
        ("6.35", 1),
    ]
