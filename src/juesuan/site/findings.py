"""A disclosure's validation status and findings as HTML."""

from __future__ import annotations

from collections.abc import Callable

from juesuan.package.read import parse_amount
from juesuan.site.corpus import FindingView, Validation
from juesuan.site.html import Markup, el, join
from juesuan.validation.findings import location_zh

STATUS = {
    "valid": "通过",
    "warnings": "通过（有提示）",
    "errors": "未通过（有错误）",
}
SEVERITY = {"error": "错误", "warning": "提示"}


def badge(status: str | None) -> Markup:
    """The status as a short coloured label."""
    if status is None:
        return el("span", {"class": "js-badge js-unknown"}, "未校验")
    return el("span", {"class": f"js-badge js-{status}"}, STATUS.get(status, status))


Place = Callable[[FindingView], tuple[str, str | None]]
"""A finding's location in words (表, 行, 栏 as printed) and a link to its table."""


def report(validation: Validation, place: Place) -> Markup:
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
        "。提示为四舍五入容差以内的差异，按原文照录，不作修改。"
        if any(f.severity == "warning" for f in validation.findings)
        else "",
    )
    if not validation.findings:
        return summary
    head = ("级别", "规则", "位置", "说明", "应为", "实为", "差额", "容差", "原文行")
    rows = [
        el(
            "tr",
            {"class": f"js-{f.severity}"},
            el("td", {}, SEVERITY.get(f.severity, f.severity)),
            el("td", {}, el("code", {}, f.rule)),
            el("td", {}, _where(f, place)),
            el("td", {}, f.message_zh),
            *(el("td", {"class": _cell_class(v)}, v or "") for v in (f.expected, f.found)),
            *(el("td", {"class": "num"}, v or "") for v in (f.difference, f.tolerance)),
            el("td", {"class": "num"}, location_zh(f.location) if f.location else f.line or ""),
        )
        for f in validation.findings
    ]
    return join(
        [
            summary,
            el(
                "div",
                {"class": "js-scroll"},
                el(
                    "table",
                    {"class": "js-findings"},
                    el("thead", {}, el("tr", {}, [el("th", {}, h) for h in head])),
                    el("tbody", {}, rows),
                ),
            ),
        ]
    )


def _where(finding: FindingView, place: Place) -> Markup:
    text, href = place(finding)
    return el("a", {"href": href}, text) if href else join([text])


def _cell_class(value: str | None) -> str:
    """Numbers right-aligned on one line; a code and its name, or words, wrap."""
    return "num" if value is None or parse_amount(value) is not None else "js-text"
