"""Findings on a disclosure page as a finance officer reads them.

Rules by their Chinese names, places by the printed table, row and column and
the source's page and line, a link to the cell, which is coloured, numbered
and explained under its table and beside itself: nothing on hover only.
"""

from __future__ import annotations

import re

import pytest

from juesuan.site.build import BuildReport
from juesuan.site.corpus import FindingView, Validation
from juesuan.site.findings import Place, report, source_place
from tests.site.tablegrid import parse_table


@pytest.fixture(scope="module")
def huangpi(built_site: BuildReport) -> str:
    page = built_site.site / "units" / "wuhan-huangpi-dashujuzhongxin-benji" / "2024"
    return (page / "index.html").read_text(encoding="utf-8")


def _findings_rows(html: str) -> list[list[str]]:
    body = html.split('<table class="js-findings">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"js-\w+\" id=\"finding-\d+\">(.*?)</tr>", body)
    return [
        [re.sub(r"<[^>]+>", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        for r in rows
    ]


def test_each_finding_is_named_and_placed_as_printed(huangpi: str) -> None:
    rows = _findings_rows(huangpi)
    assert len(rows) == 3
    number, level, rule, table, row, column, where, text, *_numbers = rows[1]
    assert (number, level) == ("[2]", "提示")
    assert rule.startswith("一般公共预算财政拨款基本支出决算明细表 人员经费合计")
    assert rule.endswith("basic-expenditure-equals-general-budget-basic")
    assert table == "《2024年度一般公共预算财政拨款基本支出决算明细表》（公开06表）"
    assert (row, column, where) == ("人员经费合计", "决算数", "第 1214 行")
    assert "为 167.57，应为 167.56" in text
    assert "personnel_total" not in text and "basic_expenditure" not in text


def test_a_finding_links_to_its_cell_which_is_flagged_and_explained(huangpi: str) -> None:
    anchor = "c-basic_expenditure-personnel_total-amount"
    assert f'<a href="#{anchor}">[2]</a>' in huangpi
    assert f'<a href="#{anchor}">人员经费合计</a>' in huangpi
    parsed = parse_table(huangpi, "basic_expenditure")
    (cell,) = [c for row in parsed.body for c in row if c.attrs.get("id") == anchor]
    assert {"js-flag", "js-warning"} <= cell.classes
    assert cell.text == "161.22" and "title" not in cell.attrs
    beside = huangpi.split(f'id="{anchor}"', 1)[1].split("</td>", 1)[0]
    assert '<a class="js-mark" href="#note-2"' in beside
    assert "本格为 167.57，应为 167.56" in beside
    notes = huangpi.split('data-table="basic_expenditure"', 1)[1].split("</ol>", 1)[0]
    assert 'class="js-flag-legend"' in notes
    assert '<li id="note-2" class="js-warning"><a href="#finding-2">[2]</a>' in notes
    assert "（原文第 1214 行）" in notes
    assert not re.search(r"<td[^>]*js-flag[^>]*title=", huangpi)


def _finding(**changes: object) -> FindingView:
    values: dict = {
        "rule": "code/unknown",
        "severity": "error",
        "message_zh": "《收入决算表》“20805 行政事业单位养老支出”行：科目编码 20805 不在科目表中",
        "table": "income",
        "row": "20805",
        "column": "code",
        "expected": None,
        "found": "20805 行政事业单位养老支出",
        "difference": None,
        "tolerance": None,
        "line": 296,
        "location": "page 8, line 7",
        "file": "source/x.pdf",
    }
    return FindingView(**{**values, **changes})


def test_the_source_place_is_the_page_and_line_or_the_line_of_a_text() -> None:
    assert source_place(_finding(), "source/x.pdf") == "第 8 页第 7 行"
    text = _finding(location=None, file="source/x.txt")
    assert source_place(text, "source/x.txt") == "第 296 行"
    csv = _finding(location=None, file="data/income.csv", line=5)
    assert source_place(csv, "source/x.txt") == "data/income.csv 第 5 行"


def test_a_fixed_rule_is_named_in_chinese_with_its_id_beside() -> None:
    html = report(
        Validation("errors", (_finding(),), 10, 10),
        lambda f: Place("《收入决算表》", "20805 行政事业单位养老支出", "科目编码", "#t-income"),
        lambda rule: {"code/unknown": "科目编码不在当年科目表中"}[rule],
        "source/x.pdf",
    )
    assert "科目编码不在当年科目表中<br><code>code/unknown</code>" in html
    assert '<td data-label="原文位置">第 8 页第 7 行</td>' in html  # its column named for a card
    # No cell on the page: the number links to the table instead.
    assert '<a href="#t-income">[1]</a>' in html
    assert 'class="js-flag-legend"' in html
