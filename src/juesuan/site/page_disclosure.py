"""The page of one disclosure: facts, validation, charts, every table, the narrative."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from juesuan.site import catalog, urls
from juesuan.site.catalog import Entry, citation, schema_org, script
from juesuan.site.charts import figures
from juesuan.site.corpus import Disclosure, FindingView, TableView, term_key
from juesuan.site.downloads import (
    excel_csv_name,
    json_name,
    source_name,
    table_json,
    xlsx_name,
    zip_name,
)
from juesuan.site.figures import disclosure_charts
from juesuan.site.findings import Place, badge, cell_notes, explanation, report
from juesuan.site.hints import disclosure_hints
from juesuan.site.html import Markup, el, external_link, join, separated
from juesuan.site.narrative import chapter_html
from juesuan.site.pages import Block, Heading, Page
from juesuan.site.summary import term_slug
from juesuan.site.tables import (
    CellKey,
    Flag,
    GlossaryLink,
    TableContext,
    cell_anchor,
    render_table,
)
from juesuan.validation.labels import cell_name, column_name, row_name, table_name
from juesuan.validation.registry import rule_name

EXCEL_HINT = (
    "“CSV”是数据包的原文件：UTF-8 编码，表头和行标识为稳定的英文标识（row、income…），"
    "其中文名称见 datapackage.json 中各栏的 title，行按原文印刷顺序。“CSV（Excel）”"
    "供直接阅读：带 BOM（Excel 双击打开不乱码），表头为中文，收支写作“收入/支出”，"
    "科目行按类、款、项排序，以 = + - @ 开头的文字单元格前加了单引号，防止 Excel 将其"
    "当作公式执行。JSON 与 Excel 工作簿同样按类、款、项排序。"
)


def table_anchor(table_id: str) -> str:
    """The id of a table's section on the disclosure page."""
    return f"t-{table_id.replace('_', '-')}"


def term_anchor(key: str) -> str:
    """The id of a glossary entry on the disclosure page."""
    return f"gl-{term_slug(key)}"


class _Links:
    def __init__(self, disclosure: Disclosure) -> None:
        self.disclosure = disclosure
        self.page = urls.disclosure(disclosure.slug, disclosure.year)

    def to(self, target: str) -> str:
        return urls.relative(self.page, target)

    def package(self, path: str) -> str:
        d = self.disclosure
        return self.to(urls.package_file(d.slug, d.year, path))

    def download(self, name: str) -> str:
        d = self.disclosure
        return self.to(urls.download(d.slug, d.year, name))


def size_text(size: int) -> str:
    """A file size as people read it (28.8 KB, 3.1 MB)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def source_rows(d: Disclosure) -> list[tuple[str, str]]:
    """The source file in words: its name, size, pages, encoding and sha256."""
    source = d.provenance.source
    if source is None:
        return [("原文文件", "—")]
    rows = [
        ("原文文件", f"{Path(source.path).name}（{source.kind}，{size_text(source.size)}）"),
        ("原文 sha256", source.sha256),
    ]
    if source.pages:
        rows.append(("原文页数", f"{source.pages} 页"))
    if source.is_text and source.encoding:
        rows.append(("原文编码", source.encoding))
    return rows


def _source_links(d: Disclosure, links: _Links) -> Markup:
    source = d.provenance.source
    if source is None:
        return join(["—"])
    name = Path(source.path).name
    if source.is_text:
        readable_link = "原文（网页，UTF-8，带行号）"
    elif source.kind == "PDF":
        readable_link = f"原文 PDF（{source.pages} 页）" if source.pages else "原文 PDF"
    else:
        readable_link = "原文电子表格"
    return join(
        [
            el("a", {"href": links.download(source_name(d, source))}, readable_link),
            "　",
            el(
                "a",
                {"href": links.package(source.path), "class": "js-original"},
                f"原始文件 {name}",
            ),
            f"（{size_text(source.size)}）",
            el("br"),
            "sha256 ",
            el("code", {"class": "js-hash"}, source.sha256),
        ]
    )


def _dates(d: Disclosure) -> str:
    dates = d.provenance.dates
    if not dates.added:
        return "—（尚未提交到仓库）"
    if dates.changed and dates.changed != dates.added:
        return f"{dates.added} 收录，{dates.changed} 更新"
    return f"{dates.added} 收录"


def _licence(d: Disclosure) -> object:
    licence = d.provenance.licence
    if licence is None:
        return "—（数据包未注明）"
    if licence.url is None:
        return licence.title
    return external_link(licence.url, licence.title, rel="license")


def _units(d: Disclosure) -> str:
    """万元, and the tables the document printed in another unit (shown on this page as printed)."""
    other = [v for v in d.tables if v.printed_unit != v.table.unit]
    if not other:
        return "万元"
    named = "、".join(f"{v.printed_number or v.table.number}（{v.printed_unit}）" for v in other)
    return f"万元；原表以其他单位列示的：{named}，本页按原表单位显示，数据包中已折算为万元"


def _facts(d: Disclosure, links: _Links, e: Entry, site_url: str | None) -> Markup:
    p = d.provenance
    region = f"{d.region}（{e.region_code}）" if d.region and e.region_code else d.region or "—"
    publisher: list[object] = [el("a", {"href": links.to(urls.unit(d.slug))}, d.unit)]
    if p.parent:
        publisher += ["（主管部门：", p.parent, "）"]
    rows: list[tuple[str, object]] = [
        ("发布单位", join(publisher)),
        ("地区", region),
        ("年度", d.year),
        ("版式", f"{d.edition.title}（{d.edition.id} 版）"),
        ("金额单位", _units(d)),
        (
            "原文出处",
            external_link(p.source_url, p.source_url, rel="nofollow")
            if p.source_url
            else "未登记（在单位的 unit.json 中补充 source_url）",
        ),
        (
            "公开日期",
            p.published.isoformat()
            if p.published
            else "未登记（在单位的 unit.json 中补充 published）",
        ),
        ("收录日期", _dates(d)),
        ("原文", _source_links(d, links)),
        ("许可", _licence(d)),
        ("引用", el("span", {"class": "js-cite"}, citation(e, site_url))),
        ("校验", join([badge(d.validation.status), " ", el("a", {"href": "#validation"}, "详情")])),
        ("转换", str(d.meta.get("generator", ""))),
    ]
    return el(
        "dl",
        {"class": "js-facts"},
        [join([el("dt", {}, k), el("dd", {}, v)]) for k, v in rows],
    )


def _package_downloads(d: Disclosure, links: _Links) -> Markup:
    return el(
        "ul",
        {"class": "js-downloads"},
        el(
            "li",
            {},
            el("a", {"href": links.download(zip_name(d)), "download": True}, "整个数据包（zip）"),
        ),
        el("li", {}, el("a", {"href": links.package("datapackage.json")}, "datapackage.json")),
        el(
            "li",
            {},
            el(
                "a",
                {"href": links.download(xlsx_name(d)), "download": True},
                "Excel 工作簿（全部表格，含校验结果）",
            ),
        ),
        el(
            "li",
            {},
            el("a", {"href": links.to(urls.DOWNLOADS)}, "全部单位的全部金额（CSV、Parquet）"),
        ),
    )


def _table_downloads(d: Disclosure, view: TableView, links: _Links) -> Markup:
    items = [
        el("a", {"href": links.package(view.resource["path"]), "download": True}, "CSV"),
        el("a", {"href": links.download(excel_csv_name(view)), "download": True}, "CSV（Excel）"),
    ]
    if table_json(d, view):
        items.append(el("a", {"href": links.download(json_name(view)), "download": True}, "JSON"))
    return el("p", {"class": "js-table-downloads"}, "下载本表：", separated(items, " · "))


def _glossary_links(d: Disclosure) -> dict[str, GlossaryLink]:
    return {
        term_key(e.term): GlossaryLink(f"#{term_anchor(term_key(e.term))}", e.definition)
        for e in d.glossary
        if e.parent is None and e.term and e.definition
    }


def _place(d: Disclosure, finding: FindingView, shown: set[CellKey]) -> Place:
    """表, 行, 栏 as printed, with links to the table and to the cell when it is shown."""
    view = d.table(finding.table) if finding.table else None
    if view is None:
        return Place(finding.table or "", finding.row or "", finding.column or "")
    table = view.table
    record = view.row(finding.row) if finding.row else None
    key = (view.id, finding.row or "", finding.column or "")
    return Place(
        table_name(table, view.title, view.printed_number),
        row_name(table, finding.row, record) if finding.row else "",
        column_name(table, finding.column) if finding.column else "",
        f"#{table_anchor(view.id)}",
        f"#{cell_anchor(*key)}" if key in shown else None,
    )


def _beside_cell(d: Disclosure, finding: FindingView, name: str) -> str:
    """A finding as told beside its cell: 本格为 …, the rule named after it."""
    text = explanation(finding, name)
    view = d.table(finding.table) if finding.table else None
    if view is not None and finding.row:
        record = view.row(finding.row)
        for column in (finding.column, None):
            cell = cell_name(
                view.table,
                finding.row,
                column if column not in ("code", "label") else None,
                title=view.title,
                number=view.printed_number,
                record=record,
            )
            if text.startswith(cell):
                text = "本格" + text[len(cell) :].lstrip("：")
                break
    return f"{text}（规则：{name}）"


def _flags(d: Disclosure) -> dict[CellKey, list[Flag]]:
    """The findings on cells, each with its number in the page's list of findings."""
    cells: dict[CellKey, list[Flag]] = {}
    for number, finding in enumerate(d.validation.findings, start=1):
        if finding.table and finding.row and finding.column:
            key = (finding.table, finding.row, finding.column)
            cells.setdefault(key, []).append(Flag(number, finding))
    return cells


def _glossary(d: Disclosure, links: _Links) -> Markup:
    """The unit's 名词解释 as printed: terms, and headings with the entries under them.

    A heading (其他专用名词, 本部门使用的支出功能分类科目) explains nothing
    itself: it gets no link to other units' wordings; its entries do.
    """
    items = []
    for entry in d.glossary:
        key = term_key(entry.term)
        more = (
            el(
                "a",
                {"href": links.to(urls.glossary_term(term_slug(key))), "class": "js-more"},
                "各单位表述",
            )
            if entry.definition.strip()
            else None
        )
        if entry.parent is None:
            items.append(
                el(
                    "dt",
                    {"id": term_anchor(key), "class": None if more else "js-heading"},
                    f"（{entry.number}）" if entry.number else "",
                    entry.term,
                    " " if more else "",
                    more,
                )
            )
            if entry.definition:
                items.append(el("dd", {}, entry.definition))
        else:
            items.append(
                el(
                    "dd",
                    {"class": "js-subitem", "id": term_anchor(key)},
                    f"{entry.number}. " if entry.number else "",
                    el("strong", {}, entry.term),
                    "：" if entry.definition else "",
                    entry.definition,
                    " " if more else "",
                    more,
                )
            )
    return el("dl", {"class": "js-glossary"}, items)


def _code_link(links: _Links, kind: str, code: str) -> str:
    return links.to(urls.code(kind, code))


def _explain(d: Disclosure, name: Callable[[str], str], finding: FindingView) -> str:
    return _beside_cell(d, finding, name(finding.rule))


def contents(blocks: Sequence[Block]) -> Markup:
    """The page's sections as a list of links, for a screen without Material's sidebar."""
    items = [
        el("li", {}, el("a", {"href": f"#{b.anchor}"}, b.text))
        for b in blocks
        if isinstance(b, Heading) and b.level == 2
    ]
    return el(
        "nav",
        {"class": "js-contents", "aria-label": "本页目录", "data-pagefind-ignore": True},
        el("p", {}, "本页目录"),
        el("ol", {}, items),
    )


def _notes_below(view: TableView) -> list[str]:
    """The notes printed under a table; one saying it holds no data stands in it instead."""
    if view.rows or view.empty_note is None:
        return list(view.notes)
    return [note for note in view.notes if note != view.empty_note]


def disclosure_page(d: Disclosure, e: Entry | None = None, site_url: str | None = None) -> Page:
    """The page of disclosure ``d``, with its catalog entry ``e`` as schema.org JSON-LD.

    ``site_url`` is the site's public address, when known: the citation and the
    JSON-LD give absolute addresses with it, relative ones without.
    """
    e = e or catalog.entry(d)
    links = _Links(d)
    codes = {kind: d.codes(kind) for kind in ("function", "economic")}
    ctx_links = _glossary_links(d)
    cells = _flags(d)
    source = str((d.meta.get("source") or {}).get("path") or "") or None

    def name(rule: str) -> str:
        return rule_name(rule, d.edition)

    shown: set[CellKey] = set()
    tables: list[Block] = []
    for view in d.tables:
        kind = view.table.codelist or "function"
        ctx = TableContext(
            codes[kind],
            functools.partial(_code_link, links, kind),
            ctx_links,
            cells,
            explain=functools.partial(_explain, d, name),
        )
        table = render_table(view, ctx)
        shown |= ctx.rendered
        flags = [flag for key, found in cells.items() if key in ctx.rendered for flag in found]
        tables += [
            Heading(2, view.heading, table_anchor(view.id)),
            table,
            cell_notes(sorted(flags, key=lambda f: f.number), name, source),
            el("div", {"class": "js-notes"}, [el("p", {}, note) for note in _notes_below(view)]),
            _table_downloads(d, view, links),
        ]
    blocks: list[Block] = [
        Heading(1, d.title, "top"),
        _facts(d, links, e, site_url),
        script(schema_org(e, site_url), where=f"{d.name} schema.org"),
        Heading(2, "下载", "downloads"),
        _package_downloads(d, links),
        el("p", {"class": "js-note"}, EXCEL_HINT),
        Heading(2, "校验", "validation"),
        report(d.validation, lambda f: _place(d, f, shown), name, source),
    ]
    charts = figures(disclosure_charts(d))
    if charts:
        blocks += [Heading(2, "图表", "charts"), charts]
    blocks += tables
    for chapter in d.chapters:
        if chapter.key == "glossary" and d.glossary:
            continue
        blocks += [
            Heading(2, chapter.title, f"n-{chapter.key.replace('_', '-')}"),
            el("div", {"class": "js-narrative"}, chapter_html(chapter.markdown, shift=1)),
        ]
    if d.glossary:
        blocks += [Heading(2, "名词解释", "glossary"), _glossary(d, links)]
    blocks.insert(2, contents(blocks))
    return Page(
        urls.disclosure(d.slug, d.year),
        d.title,
        tuple(blocks),
        description=str(d.descriptor.get("description", "")),
        trail=(("首页", urls.HOME), ("单位", urls.UNITS), (d.unit, urls.unit(d.slug))),
        search=disclosure_hints(d),
    )
