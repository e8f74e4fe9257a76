"""The code-list browser: names by year, and a page per code with its uses.

Each list's page shows every code with its name in each year; each code used by
a disclosure gets a page listing those disclosures and their amounts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from juesuan.site import urls
from juesuan.site.html import Markup, el, join, separated
from juesuan.site.pages import Block, Heading, Page
from juesuan.site.summary import CodeUse, Summary
from juesuan.site.tables import LEVELS, labelled_row
from juesuan.taxonomy import editions
from juesuan.taxonomy.codes import KINDS, TITLES, codelist, level_of, parent_of, valid_codes

Uses = dict[tuple[str, str], list[tuple[Summary, CodeUse]]]


def code_uses(summaries: Sequence[Summary]) -> Uses:
    """(kind, code) → the disclosures that print the code, with the row they print."""
    uses: Uses = defaultdict(list)
    for summary in summaries:
        for use in summary.codes:
            uses[(use.kind, use.code)].append((summary, use))
    return dict(uses)


def _years(summaries: Sequence[Summary]) -> list[int]:
    return sorted({s.year for s in summaries})


def _table_heading(table_id: str) -> str:
    """A table's title and first column, from the newest edition that has the table."""
    for edition in editions().values():
        table = edition.tables.get(table_id)
        if table is not None:
            column = table.columns[0]
            return f"{table.title}：{column.group or ''}{column.label}"
    return table_id


def codes_index(summaries: Sequence[Summary], uses: Uses) -> Page:
    """The two code lists and how many of their codes the disclosures use."""
    page = urls.CODES
    items = [
        el(
            "li",
            {},
            el("a", {"href": urls.relative(page, urls.codelist(kind))}, TITLES[kind]),
            f"：{len({e.code for e in codelist(kind)})} 个编码，"
            f"{len({c for k, c in uses if k == kind})} 个在本站的决算中出现",
        )
        for kind in KINDS
    ]
    blocks: list[Block] = [
        Heading(1, "科目", "top"),
        el(
            "p",
            {},
            "决算表按支出功能分类科目（类、款、项）和支出经济分类科目（类、款）列示。"
            "科目名称随年度调整，下表按年度列出；点编码查看使用它的决算及金额。",
        ),
        el("ul", {}, items),
    ]
    return Page(page, "科目", tuple(blocks), description="支出功能分类和经济分类科目")


STATUS = {"official": "官方科目表", "attested": "据决算公开收录"}


def codelist_page(kind: str, summaries: Sequence[Summary], uses: Uses) -> Page:
    """Every code of one list: level, name in each year, and its uses."""
    page = urls.codelist(kind)
    years = _years(summaries) or [max(e.first_year or 0 for e in codelist(kind))]
    names = {year: valid_codes(kind, year) for year in years}
    codes = sorted({e.code for e in codelist(kind)} | {c for k, c in uses if k == kind})
    rows = []
    for code in codes:
        entries = [names[y].get(code) for y in years]
        level = next((e.level for e in entries if e), "")
        used = len(uses.get((kind, code), []))
        rows.append(
            el(
                "tr",
                {"id": f"c{code}"},
                el(
                    "td",
                    {"class": "js-code"},
                    el("a", {"href": urls.relative(page, urls.code(kind, code))}, code)
                    if used
                    else code,
                ),
                el("td", {}, level),
                [
                    el(
                        "th",
                        {"class": f"js-label js-l{LEVELS.get(len(code), 0)}"},
                        e.name if e else "—",
                    )
                    for e in entries
                ],
                el("td", {"class": "num"}, used or ""),
            )
        )
    head = el(
        "tr",
        {},
        el("th", {}, "编码"),
        el("th", {}, "级次"),
        [el("th", {}, f"{y} 年名称") for y in years],
        el("th", {}, "使用的决算"),
    )
    downloads = [
        el(
            "a",
            {"href": urls.relative(page, urls.codelist_file(kind, suffix)), "download": True},
            suffix.upper(),
        )
        for suffix in ("csv", "json")
    ]
    blocks: list[Block] = [
        Heading(1, TITLES[kind], "top"),
        el("p", {}, "“—”表示该年度科目表中没有此编码。"),
        el(
            "p",
            {},
            "下载全部条目（编码、名称、级次、上级、起止年度、收录方式、来源）：",
            downloads[0],
            " · ",
            downloads[1],
            "。收录方式：“官方”取自官方科目表，“据公开”读自印有该科目的决算公开。",
        ),
        el(
            "div",
            {"class": "js-scroll"},
            el(
                "table",
                {"class": "js-table js-codes"},
                el("thead", {}, head),
                el("tbody", {}, rows),
            ),
        ),
    ]
    return Page(
        page,
        TITLES[kind],
        tuple(blocks),
        description=f"{TITLES[kind]}，按年度",
        trail=(("首页", urls.HOME), ("科目", urls.CODES)),
    )


def _name(kind: str, code: str, year: int | None, uses: Uses) -> str:
    """A code's name in ``year`` (else its latest), else as a disclosure prints it."""
    entries = [e for e in codelist(kind) if e.code == code]
    if year is not None:
        for entry in entries:
            if entry.valid_in(year):
                return entry.name
    if entries:
        return entries[-1].name
    found = uses.get((kind, code), [])
    return found[0][1].label if found else ""


def lineage(kind: str, code: str, year: int | None, uses: Uses) -> list[tuple[str, str]]:
    """(code, name) from the code's 类 down to the code itself: 201 › 20137 › 2013750."""
    chain = []
    while code:
        chain.append((code, _name(kind, code, year, uses)))
        code = parent_of(code)
    return chain[::-1]


def _code_link(kind: str, code: str, uses: Uses) -> str:
    """A code's page when a disclosure uses it, else its line in the code list."""
    return urls.code(kind, code) if (kind, code) in uses else f"{urls.codelist(kind)}#c{code}"


UNITS_PER_PAGE = 150
"""Units on one page of a code's uses: a code every unit prints stays far under 200 KB."""

ByYear = dict[int, tuple[Summary, CodeUse]]
"""One unit's uses of a code, by year."""


def _by_unit(found: Sequence[tuple[Summary, CodeUse]]) -> list[ByYear]:
    """The uses grouped by unit, the units in order of their latest name."""
    units: dict[str, ByYear] = defaultdict(dict)
    for summary, use in found:
        units[summary.slug][summary.year] = (summary, use)
    return sorted(units.values(), key=lambda u: (u[max(u)][0].unit, u[max(u)][0].slug))


def _columns(found: Sequence[tuple[Summary, CodeUse]]) -> dict[str, list[int]]:
    """Table id → the years any disclosure prints the code in that table."""
    tables = sorted({t for _s, use in found for t, _v in use.amounts})
    return {t: sorted({s.year for s, use in found if t in dict(use.amounts)}) for t in tables}


def uses_table(page: str, units: Sequence[ByYear], years: dict[str, list[int]]) -> Markup:
    """Every unit that prints the code, one row each: its amounts by table and year."""
    tables = list(years)
    rows = []
    for by_year in units:
        latest, use = by_year[max(by_year)]
        amounts = {(t, y): v for y, (_s, u) in by_year.items() for t, v in u.amounts}
        link = el("a", {"href": urls.relative(page, urls.compare(latest.slug))}, latest.unit)
        cells = [el("td", {}, use.label)] + [
            el("td", {"class": "num"}, amounts.get((t, y), "")) for t in tables for y in years[t]
        ]
        rows.append(labelled_row(link, cells))
    head = [
        el(
            "tr",
            {},
            el("th", {"scope": "col", "rowspan": 2}, "单位"),
            el("th", {"scope": "col", "rowspan": 2}, "决算中的名称"),
            [
                el("th", {"scope": "colgroup", "colspan": len(years[t])}, _table_heading(t))
                for t in tables
            ],
        ),
        el("tr", {}, [el("th", {"scope": "col"}, y) for t in tables for y in years[t]]),
    ]
    return el(
        "div",
        {"class": "js-scroll"},
        el(
            "table",
            {"class": "js-list js-uses"},
            el("thead", {}, head),
            el("tbody", {}, rows),
        ),
    )


def code_pages(kind: str, code: str, uses: Uses) -> Iterator[Page]:
    """One code: its names over the years and every disclosure that uses it.

    The uses are split over pages of :data:`UNITS_PER_PAGE` units: the first at
    the code's address, the others under it (``2/``, ``3/``…).
    """
    found = sorted(uses.get((kind, code), []), key=lambda u: (-u[0].year, u[0].unit))
    units = _by_unit(found)
    parts = [units[i : i + UNITS_PER_PAGE] for i in range(0, len(units), UNITS_PER_PAGE)]
    for number, part in enumerate(parts or [[]], start=1):
        yield _code_page(kind, code, uses, (number, len(parts), part))


def _part_nav(kind: str, code: str, page: str, number: int, count: int) -> Markup:
    """Links to every page of a code's uses, this one marked."""
    links = [
        el("strong", {"aria-current": "page"}, n)
        if n == number
        else el("a", {"href": urls.relative(page, urls.code_part(kind, code, n))}, n)
        for n in range(1, count + 1)
    ]
    return el(
        "nav",
        {"class": "js-parts", "aria-label": "分页"},
        f"第 {number} 页，共 {count} 页（每页 {UNITS_PER_PAGE} 个单位；排序和筛选只作用于本页）：",
        separated(links, " "),
    )


def _code_page(kind: str, code: str, uses: Uses, part: tuple[int, int, Sequence[ByYear]]) -> Page:
    number, count, units = part
    page = urls.code_part(kind, code, number)
    entries = [e for e in codelist(kind) if e.code == code]
    found = uses.get((kind, code), [])
    history = [
        el(
            "li",
            {},
            f"{e.name}（{e.level}）：",
            f"{e.first_year or '…'}—{e.last_year or '今'} 年有效；",
            f"{STATUS.get(e.status, e.status)}，来源：{e.source}",
            *(
                [
                    "；上级科目：",
                    el(
                        "a",
                        {"href": urls.relative(page, urls.codelist(kind)) + f"#c{e.parent}"},
                        e.parent,
                    ),
                ]
                if e.parent
                else []
            ),
        )
        for e in entries
    ] or [el("li", {}, "不在本站的科目表中：使用它的决算会被校验指出。")]
    newest = max((s.year for s, _use in found), default=None)
    chain = lineage(kind, code, newest, uses)
    name = chain[-1][1]
    above = chain[:-1]
    # 事业运行 is a 项 under many 款: the chain tells 2013750 from 2010550.
    path = [
        join(
            [
                f"{level_of(c)} ",
                el("a", {"href": urls.relative(page, _code_link(kind, c, uses))}, f"{c} {n}")
                if c != code
                else el("strong", {}, f"{c} {n}"),
            ]
        )
        for c, n in chain
    ]
    blocks: list[Block] = [
        Heading(1, f"{code} {name}", "top"),
        el("p", {"class": "js-chain"}, separated(path, " › ")),
        el("p", {}, el("a", {"href": urls.relative(page, urls.codelist(kind))}, TITLES[kind])),
        el("ul", {}, history),
        Heading(2, f"使用此编码的决算（{len(found)} 份，金额单位：万元）", "uses"),
        el("p", {}, "每个单位一行，各表的金额按年度并列；点表头排序。"),
        *([_part_nav(kind, code, page, number, count)] if count > 1 else []),
        uses_table(page, units, _columns(found)),
    ]
    within = "（" + " › ".join(n for _c, n in above) + "）" if above else ""
    return Page(
        page,
        f"{code} {name}{within}" + (f"（第 {number} 页）" if number > 1 else ""),
        tuple(blocks),
        searchable=number == 1,
        description=f"{TITLES[kind]} {' › '.join(f'{c} {n}' for c, n in chain)}",
        trail=(
            ("首页", urls.HOME),
            ("科目", urls.CODES),
            (TITLES[kind], urls.codelist(kind)),
            *((f"{c} {n}", _code_link(kind, c, uses)) for c, n in above),
        ),
    )
