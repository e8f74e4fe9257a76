"""A disclosure's validation status and findings as HTML, for a finance officer.

Each finding is named by its rule's Chinese name and placed as the paper places
it: the table (title and number as printed), the row and the column by their
printed labels, and the page and line of the source. The cell it concerns is
linked, coloured and numbered in its table, and the explanation stands under
the table and beside the cell it is opened at: nothing is told on hover only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from juesuan.package.read import parse_amount
from juesuan.site.corpus import FindingView, Validation
from juesuan.site.html import Markup, el, join
from juesuan.site.tables import Flag, note_anchor
from juesuan.validation.findings import location_zh

STATUS = {
    "valid": "通过",
    "warnings": "通过（有提示）",
    "errors": "未通过（有错误）",
}
SEVERITY = {"error": "错误", "warning": "提示"}
MEANING = {
    "warning": "差额在四舍五入容差以内，或需人工核对；按原文照录，不作修改",
    "error": "超出容差，或不合规则",
}


def badge(status: str | None) -> Markup:
    """The status as a short coloured label."""
    if status is None:
        return el("span", {"class": "js-badge js-unknown"}, "未校验")
    return el("span", {"class": f"js-badge js-{status}"}, STATUS.get(status, status))


@dataclass(frozen=True)
class Place:
    """Where a finding is, in words, with the links to its table and to its cell."""

    table: str = ""
    row: str = ""
    column: str = ""
    table_href: str | None = None
    cell_href: str | None = None
    """The cell on the page, when the page shows it."""


Placer = Callable[[FindingView], Place]
Namer = Callable[[str], str]
"""A rule id → the rule's Chinese name."""


def finding_anchor(number: int) -> str:
    """The id of finding ``number``'s line in the list of findings."""
    return f"finding-{number}"


def source_place(finding: FindingView, source: str | None) -> str:
    """Where in the source the finding is: 第 3 页第 12 行, or the line of a text."""
    if finding.location:
        return location_zh(finding.location)
    if finding.line is not None and source and finding.file == source:
        return f"第 {finding.line} 行"
    if finding.file and finding.line is not None:
        return f"{finding.file} 第 {finding.line} 行"
    return finding.file or ""


def legend() -> Markup:
    """What the colours and the numbers in the tables mean, always in view."""
    items = [
        el(
            "li",
            {},
            el("span", {"class": f"js-key js-{severity}", "aria-hidden": "true"}),
            el("strong", {}, SEVERITY[severity]),
            f"：{MEANING[severity]}",
        )
        for severity in ("warning", "error")
    ]
    items.append(el("li", {}, "单元格旁的 [编号] 对应下方说明和校验结果中的同一编号"))
    return el("ul", {"class": "js-flag-legend", "aria-label": "图例"}, items)


def explanation(finding: FindingView, name: str) -> str:
    """The message less the rule's name it opens with (the name has its own column)."""
    return finding.message_zh.removeprefix(f"{name}：")


HEAD = (
    "编号",
    "级别",
    "规则",
    "表",
    "行",
    "栏",
    "原文位置",
    "说明",
    "应为",
    "实为",
    "差额",
    "容差",
)
"""The findings' columns; each cell repeats its column's name for the cards a phone shows."""


def report(validation: Validation, place: Placer, name: Namer, source: str | None = None) -> Markup:
    """The status line and the table of findings (or the note why there is none)."""
    if validation.status is None:
        return el("p", {"class": "js-note"}, validation.note)
    summary = el(
        "p",
        {},
        "校验结果：",
        badge(validation.status),
        f"　{sum(f.severity == 'error' for f in validation.findings)} 个错误，"
        f"{sum(f.severity == 'warning' for f in validation.findings)} 个提示",
        f"；{validation.covered}/{validation.amounts} 个金额受算术规则核对"
        if validation.amounts
        else "",
        "。",
    )
    if not validation.findings:
        return summary
    rows = [
        _row(number, finding, place(finding), name(finding.rule), source)
        for number, finding in enumerate(validation.findings, start=1)
    ]
    return join(
        [
            summary,
            legend(),
            el(
                "div",
                {"class": "js-scroll"},
                el(
                    "table",
                    {"class": "js-findings"},
                    el("thead", {}, el("tr", {}, [el("th", {"scope": "col"}, h) for h in HEAD])),
                    el("tbody", {}, rows),
                ),
            ),
        ]
    )


def _row(number: int, f: FindingView, where: Place, name: str, source: str | None) -> Markup:
    target = where.cell_href or where.table_href
    cells = [
        (
            {"class": "num"},
            el("a", {"href": target}, f"[{number}]") if target else f"[{number}]",
        ),
        ({}, SEVERITY.get(f.severity, f.severity)),
        # One element: a card lays each cell's children out as a grid.
        ({"class": "js-rule"}, el("span", {}, name, el("br"), el("code", {}, f.rule))),
        (
            {},
            el("a", {"href": where.table_href}, where.table) if where.table_href else where.table,
        ),
        ({}, el("a", {"href": where.cell_href}, where.row) if where.cell_href else where.row),
        ({}, where.column),
        ({}, source_place(f, source)),
        ({}, explanation(f, name)),
        *(({"class": _cell_class(v)}, v or "") for v in (f.expected, f.found)),
        *(({"class": "num"}, v or "") for v in (f.difference, f.tolerance)),
    ]
    return el(
        "tr",
        {"class": f"js-{f.severity}", "id": finding_anchor(number)},
        [
            el("td", {**attributes, "data-label": label}, content)
            for label, (attributes, content) in zip(HEAD, cells, strict=True)
        ],
    )


def cell_notes(flags: Sequence[Flag], name: Namer, source: str | None) -> Markup:
    """Under a table: the explanation of each numbered cell, linked to its finding."""
    if not flags:
        return Markup("")
    items = []
    for flag in flags:
        f = flag.finding
        where = source_place(f, source)
        items.append(
            el(
                "li",
                {"id": note_anchor(flag.number), "class": f"js-{f.severity}"},
                el("a", {"href": f"#{finding_anchor(flag.number)}"}, f"[{flag.number}]"),
                " ",
                el("strong", {}, SEVERITY.get(f.severity, f.severity)),
                f"（{name(f.rule)}）：",
                explanation(f, name(f.rule)),
                f"（{'原文' if f.location or f.file == source else ''}{where}）" if where else "",
            )
        )
    return join([legend(), el("ol", {"class": "js-cell-notes"}, items)])


def _cell_class(value: str | None) -> str:
    """Numbers right-aligned on one line; a code and its name, or words, wrap."""
    return "num" if value is None or parse_amount(value) is not None else "js-text"
