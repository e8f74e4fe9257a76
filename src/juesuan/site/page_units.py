"""The units index (by region and year) and one page per unit with its years side by side."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from juesuan.site import urls
from juesuan.site.charts import Chart, render
from juesuan.site.corpus import amount
from juesuan.site.findings import badge
from juesuan.site.hints import unit_hints
from juesuan.site.html import Markup, el
from juesuan.site.pages import Block, Heading, Page
from juesuan.site.summary import Summary, term_slug
from juesuan.site.tables import HELD, LEVELS, labelled_row
from juesuan.taxonomy import editions

KEY_FIGURES = (
    "summary:income_total:income",
    "summary:expenditure_total:expenditure",
    "summary:income_grand_total:income",
    "expenditure:total:basic",
    "expenditure:total:project",
    "fiscal_summary:income_total:income",
    "general_budget_expenditure:total:total",
    "basic_expenditure:personnel_total:amount",
    "basic_expenditure:public_total:amount",
    "three_public:total:budget_total",
    "three_public:total:actual_total",
)
"""Cells compared across years on a unit's page (ids only; labels come from the data)."""
TREND = ("summary:income_total:income", "summary:expenditure_total:expenditure")


def disclosure_list(page: str, summaries: Iterable[Summary]) -> Markup:
    """A list of disclosures, each linked from ``page`` with its validation badge."""
    return el(
        "ul",
        {},
        [
            el(
                "li",
                {},
                el("a", {"href": urls.relative(page, urls.disclosure(s.slug, s.year))}, s.title),
                " ",
                badge(s.status),
            )
            for s in summaries
        ],
    )


def by_unit(summaries: Sequence[Summary]) -> dict[str, list[Summary]]:
    """Summaries grouped by unit slug, each unit's years in order."""
    units: dict[str, list[Summary]] = defaultdict(list)
    for summary in summaries:
        units[summary.slug].append(summary)
    return {slug: sorted(units[slug], key=lambda s: s.year) for slug in sorted(units)}


def _column_label(table_id: str, column_id: str) -> tuple[str, str]:
    """(table title, column label) from the newest edition that has the column."""
    for edition in editions().values():
        table = edition.tables.get(table_id)
        if table is None:
            continue
        try:
            column = table.column(column_id)
        except KeyError:
            continue
        return table.title, " ".join(p for p in (column.group, column.label) if p)
    return table_id, column_id


def units_index(summaries: Sequence[Summary]) -> Page:
    """Every unit, grouped by region, with a link per year."""
    page = urls.UNITS
    units = by_unit(summaries)
    years = sorted({s.year for s in summaries})
    regions: dict[str, list[str]] = defaultdict(list)
    for slug, items in units.items():
        regions[items[-1].region or "（未注明地区）"].append(slug)
    blocks: list[Block] = [
        Heading(1, "单位", "top"),
        el(
            "p",
            {},
            f"{len(units)} 个单位，{len(summaries)} 份决算，按地区排列；点年度进入该年的决算。",
        ),
    ]
    for region in sorted(regions):
        rows = []
        for slug in sorted(regions[region], key=lambda s: units[s][-1].unit):
            by_year = {s.year: s for s in units[slug]}
            cells = [
                el(
                    "td",
                    {"class": "num"},
                    el("a", {"href": urls.relative(page, urls.disclosure(slug, y))}, y)
                    if y in by_year
                    else "",
                )
                for y in years
            ]
            link = el("a", {"href": urls.relative(page, urls.unit(slug))}, units[slug][-1].unit)
            rows.append(labelled_row(link, cells))
        blocks += [
            Heading(2, region, f"r-{term_slug(region)}"),
            el(
                "div",
                {"class": "js-scroll"},
                el(
                    "table",
                    {"class": "js-list"},
                    el(
                        "thead",
                        {},
                        el("tr", {}, el("th", {}, "单位"), [el("th", {}, y) for y in years]),
                    ),
                    el("tbody", {}, rows),
                ),
            ),
        ]
    return Page(page, "单位", tuple(blocks), description="按地区和年度排列的单位及其决算")


def _side_by_side(
    page: str, items: Sequence[Summary], keys: Sequence[tuple[str, str, int]], head: str
) -> Markup:
    """A table of amounts: one row per (key, label, level), one column per year."""
    rows = []
    for key, label, level in keys:
        cells = [el("td", {"class": "num"}, s.fact(key)) for s in items]
        rows.append(labelled_row(label, cells, level=level))
    header = el(
        "tr",
        {},
        el("th", {"class": HELD}, head),
        [
            el(
                "th",
                {},
                el("a", {"href": urls.relative(page, urls.disclosure(s.slug, s.year))}, s.year),
            )
            for s in items
        ],
    )
    return el(
        "div",
        {"class": "js-scroll"},
        el(
            "table",
            {"class": "js-table js-compare"},
            el("thead", {}, header),
            el("tbody", {}, rows),
        ),
    )


def unit_page(items: Sequence[Summary]) -> Page:
    """A unit's page: its disclosures and their amounts side by side."""
    latest = items[-1]
    page = urls.unit(latest.slug)
    blocks: list[Block] = [
        Heading(1, latest.unit, "top"),
        el("p", {}, f"地区：{latest.region or '—'}。{len(items)} 份决算："),
        disclosure_list(page, reversed(items)),
        el(
            "p",
            {},
            el("a", {"href": urls.relative(page, urls.compare(latest.slug))}, "历年对比"),
            "：每张表的主要金额逐年并列，及与上一年度相比的增减。",
        ),
    ]
    if len(items) > 1:
        chart = Chart(
            "收入与支出，按年度",
            tuple(str(s.year) for s in items),
            tuple(_labelled(latest, k) for k in TREND),
            tuple(tuple(amount(s.fact(k)) for k in TREND) for s in items),
        )
        blocks.append(render(chart))
    figures = [(k, _labelled(latest, k), 0) for k in KEY_FIGURES if any(s.fact(k) for s in items)]
    if figures:
        blocks += [
            Heading(2, "主要数字（万元）", "figures"),
            _side_by_side(page, items, figures, "项目"),
        ]
    for table_id, column_id, title, anchor in (
        ("expenditure", "total", "支出功能分类", "function"),
        ("basic_expenditure", "amount", "基本支出经济分类", "economic"),
    ):
        codes: dict[str, str] = {}
        for s in items:
            for use in s.codes:
                key = f"{table_id}:{use.code}:{column_id}"
                if s.fact(key):
                    codes[use.code] = use.label
        if not codes:
            continue
        table_title, column = _column_label(table_id, column_id)
        keys = [
            (f"{table_id}:{c}:{column_id}", f"{c} {codes[c]}", LEVELS.get(len(c), 0))
            for c in sorted(codes)
        ]
        blocks += [
            Heading(2, f"{title}（{table_title}，{column}，万元）", anchor),
            _side_by_side(page, items, keys, "科目"),
        ]
    return Page(
        page,
        latest.unit,
        tuple(blocks),
        description=f"{latest.unit}历年部门决算",
        trail=(("首页", urls.HOME), ("单位", urls.UNITS)),
        search=unit_hints(latest),
    )


def _labelled(summary: Summary, key: str) -> str:
    table_id, row_id, column_id = key.split(":")
    labels = dict(summary.labels)
    table_title, column = _column_label(table_id, column_id)
    row = labels.get(f"{table_id}:{row_id}", "")
    return "，".join(p for p in (table_title, row, column) if p)
