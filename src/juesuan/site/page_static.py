"""Pages that do not come from one disclosure: home, search, how to contribute."""

from __future__ import annotations

from collections.abc import Sequence

import markdown

from juesuan.paths import THEME
from juesuan.site import urls
from juesuan.site.catalog import SITE_TITLE, Entry
from juesuan.site.html import Markup, el, external_link, external_url, join
from juesuan.site.page_units import disclosure_list
from juesuan.site.pages import Block, Heading, Page
from juesuan.site.summary import Summary

LATEST = 12


def _search_form(page: str) -> Markup:
    return el(
        "form",
        {"class": "js-search-form", "action": urls.relative(page, urls.SEARCH), "method": "get"},
        el(
            "input",
            {
                "type": "search",
                "name": "q",
                "placeholder": "单位、科目或名词，如 网信事务",
                "aria-label": "搜索",
            },
        ),
        " ",
        el("button", {"type": "submit"}, "搜索"),
    )


def home_page(summaries: Sequence[Summary]) -> Page:
    """What the site is, what it holds, the latest disclosures."""
    page = urls.HOME
    units = {s.slug for s in summaries}
    years = sorted({s.year for s in summaries})
    amounts = sum(len(s.facts) for s in summaries)
    regions = {s.region for s in summaries if s.region}
    stats = [
        ("单位", len(units)),
        ("决算", len(summaries)),
        ("年度", f"{years[0]}—{years[-1]}" if len(years) > 1 else (years[0] if years else "—")),
        ("地区", len(regions)),
        ("金额（数据点）", amounts),
    ]
    latest = sorted(summaries, key=lambda s: (-s.year, s.unit))[:LATEST]
    blocks: list[Block] = [
        Heading(1, "部门决算公开数据", "top"),
        el(
            "p",
            {},
            "政府部门每年公开的部门决算（收入支出决算总表、收入决算表、支出决算表、财政拨款表、"
            "“三公”经费表等），在这里按原表样式展示，并可下载为 CSV、JSON、Excel 和完整数据包。"
            "每份决算都经过表内算术、表间勾稽和科目编码校验，校验结果与原文 sha256 一并列出。",
        ),
        _search_form(page),
        el(
            "div",
            {"class": "js-stats"},
            [el("div", {}, el("strong", {}, value), label) for label, value in stats],
        ),
        Heading(2, "最新决算", "latest"),
        disclosure_list(page, latest),
        Heading(2, "浏览", "browse"),
        el(
            "ul",
            {},
            el(
                "li", {}, el("a", {"href": urls.relative(page, urls.UNITS)}, "按地区和年度浏览单位")
            ),
            el(
                "li",
                {},
                el("a", {"href": urls.relative(page, urls.GLOSSARY)}, "名词解释（各单位表述对照）"),
            ),
            el(
                "li",
                {},
                el(
                    "a",
                    {"href": urls.relative(page, urls.CODES)},
                    "科目编码（按年度的名称和使用情况）",
                ),
            ),
            el(
                "li",
                {},
                el(
                    "a",
                    {"href": urls.relative(page, urls.DOWNLOADS)},
                    "下载：全部金额（CSV、Parquet）与数据目录（DCAT-AP，供门户采集）",
                ),
            ),
            el(
                "li",
                {},
                el("a", {"href": urls.relative(page, urls.CONTRIBUTE)}, "如何贡献一个单位"),
            ),
        ),
    ]
    return Page(page, "部门决算公开数据", tuple(blocks), description="部门决算公开表的开放数据")


def search_page() -> Page:
    """The search page: results read from the Pagefind index by site/assets/search.js."""
    page = urls.SEARCH
    bundle = urls.relative(page, "pagefind/")
    blocks: list[Block] = [
        Heading(1, "搜索", "top"),
        Markup(
            f'<div id="search" data-bundle="{bundle}"></div>'
            f'<script src="{urls.relative(page, "assets/search.js")}"></script>'
        ),
        el(
            "noscript",
            {},
            el("p", {}, "搜索需要启用 JavaScript。也可以按单位、名词解释或科目浏览。"),
        ),
    ]
    return Page(page, "搜索", tuple(blocks), description="搜索单位、科目和名词", searchable=False)


def _commands(commands: Sequence[tuple[str, str]]) -> Markup:
    rows = [
        el(
            "tr",
            {},
            el("td", {}, el("code", {}, f"juesuan {name}")),
            el("td", {}, short_help),
        )
        for name, short_help in commands
    ]
    return el(
        "table",
        {"class": "js-list"},
        el("thead", {}, el("tr", {}, el("th", {}, "命令"), el("th", {}, "作用"))),
        el("tbody", {}, rows),
    )


def contribute_page(commands: Sequence[tuple[str, str]]) -> Page:
    """How to contribute a unit: the prose kept in site/, then ``commands``.

    ``commands`` are (name, one-line help) of every command, as the command line
    gives them (:func:`juesuan.cli.command_table`).
    """
    prose = (THEME / "contribute.md").read_text(encoding="utf-8")
    blocks: list[Block] = [
        Heading(1, "如何贡献一个单位", "top"),
        # Trusted text from the repository, not from a source document.
        Markup(markdown.markdown(prose, extensions=["tables"])),
        _commands(commands),
        el("p", {}, "每个命令都有 --help 和示例。"),
    ]
    return Page(urls.CONTRIBUTE, "如何贡献一个单位", tuple(blocks), searchable=False)


def footer(entries: Sequence[Entry]) -> Markup:
    """The footer of every page: the data's licence and how to cite a disclosure.

    The licence is the packages' own; when they state different ones, each
    disclosure page names its own. No relative link: the footer is the same
    text at every depth of the site.
    """
    licences = {(e.licence_title, e.licence_url) for e in entries if e.licence_title}
    if len(licences) == 1:
        ((title, url),) = licences
        link = external_url(url)
        licence: object = external_link(link, title, rel="license") if link else title
    elif licences:
        licence = "各决算页面分别注明"
    else:
        licence = "数据包未注明"
    return join(
        [
            "数据许可：",
            licence,
            "。数据以发布单位公布的原文为准。引用格式：单位. 题名[DB/OL]. ",
            SITE_TITLE,
            ", 更新日期. 页面网址（各决算页面的“引用”一栏给出全文）。",
        ]
    )
