"""Rendering pieces without a build: escaping, links, table headers, charts, narrative."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.site import urls
from juesuan.site.charts import Chart, keep_series, render
from juesuan.site.corpus import load, term_key
from juesuan.site.html import Markup, el, safe_url
from juesuan.site.narrative import chapter_html, to_html
from juesuan.site.page_disclosure import disclosure_page
from juesuan.site.summary import term_slug
from juesuan.site.tables import column_paths, panel_layout, panel_rows, printed
from juesuan.taxonomy import edition_for, editions
from tests.seeds import HUANGPI, QIAOKOU


def test_text_is_escaped_and_markup_is_not() -> None:
    html = el("p", {"title": '"><script>'}, "<script>alert(1)</script>", Markup("<b>ok</b>"))
    assert html == (
        '<p title="&quot;&gt;&lt;script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;<b>ok</b></p>'
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://example.com/", "//cdn.x/y.js"])
def test_links_must_be_relative(url: str) -> None:
    with pytest.raises(ValueError):
        safe_url(url)


def test_relative_links_between_pages() -> None:
    page = urls.disclosure("u", 2024)
    assert urls.relative(page, urls.GLOSSARY) == "../../../glossary/"
    assert urls.relative(page, urls.package_file("u", 2024, "data/x.csv")) == "package/data/x.csv"
    assert urls.relative(urls.HOME, urls.UNITS) == "units/"
    assert urls.relative(page, "#t-summary") == "#t-summary"


def test_three_public_header_nests_the_vehicle_group_in_budget_and_actual() -> None:
    table = editions()["2024"].tables["three_public"]
    paths = column_paths(table.columns)
    assert paths[0] == ("预算数", "合计")
    assert paths[2] == ("预算数", "公务用车购置及运行维护费", "小计")
    assert paths[5] == ("预算数", "公务接待费")
    assert paths[8] == ("决算数", "公务用车购置及运行维护费", "小计")


def test_economic_panels_are_the_printed_ones() -> None:
    national = editions()["2024"].tables["basic_expenditure"]
    assert [(p.band, p.classes) for p in panel_layout(national)] == [
        ("人员经费", ("301", "303")),
        ("公用经费", ("302",)),
        ("公用经费", ("310",)),
    ]
    shanghai = edition_for("2024", "shanghai").tables["basic_expenditure"]
    assert [p.classes for p in panel_layout(shanghai)] == [("301", "303"), ("302", "310")]
    rows = [{"row": r.id, "code": r.code or ""} for r in national.rows]
    members, totals = panel_rows(shanghai, rows)
    assert [r["row"] for r in totals] == ["personnel_total", "public_total"]
    assert members[0][0]["row"] == "301" and members[0][-1]["row"] == "30399"
    assert members[1][0]["row"] == "302" and members[1][-1]["row"] == "31099"


def test_a_table_without_declared_panels_gets_one_per_group_total() -> None:
    table = editions()["2024"].tables["basic_expenditure"].model_copy(update={"panels": ()})
    assert [p.classes for p in panel_layout(table)] == [("301", "303"), ("302", "310")]


def test_amounts_print_with_two_decimals_and_blanks_stay_blank() -> None:
    assert printed("16") == "16.00"
    assert printed("0.00") == "0.00"
    assert printed("") == ""


def test_glossary_terms_match_row_labels() -> None:
    assert term_key("一、一般公共预算财政拨款收入") == term_key("一般公共预算财政拨款收入")
    assert term_key("使用非财政拨款结余（含专用结余）") == term_key(
        "使用非财政拨款结余(含专用结余)"
    )
    assert term_slug("基本支出") == term_slug("基本支出")
    assert term_slug("基本支出") != term_slug("项目支出")


def test_narrative_markup_stays_text() -> None:
    html = to_html(
        "<script>alert(1)</script> [x](javascript:alert(1)) {{ x }}\n\n| a | b |\n|---|---|"
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "href" not in html
    assert "{{ x }}" in html
    assert "<table" not in html


def test_key_work_table_is_built_from_the_package_pipe_table() -> None:
    text = (HUANGPI / "narrative" / "key_work.md").read_text(encoding="utf-8")
    html = str(chapter_html(text))
    head = html.split('<table class="js-grid">', 1)[1].split("</thead>", 1)[0]
    assert [cell.split("</th>")[0] for cell in head.split("<th>")[1:]] == [
        "序号",
        "重要事项",
        "工作内容及目标",
        "完成情况",
    ]
    assert html.count("<td>完成</td>") == 2  # row 1's is a table of its own, as typed


def test_chart_leaves_out_empty_series_and_categories() -> None:
    chart = Chart(
        "t",
        ("a", "b"),
        ("x", "y"),
        ((Decimal("1.00"), None), (None, None)),
    )
    kept = keep_series(chart)
    assert kept.categories == ("a",) and kept.series == ("x",)
    svg = render(kept)
    assert "<svg" in svg and "1.00" in svg
    assert render(Chart("t", ("a",), ("x",), ((None,),))) == ""


@pytest.mark.parametrize("folder", [HUANGPI, QIAOKOU], ids=["huangpi", "qiaokou"])
def test_every_amount_of_the_package_is_on_the_page(folder) -> None:
    disclosure = load(folder)
    html = "".join(str(b) for b in disclosure_page(disclosure).blocks)
    for view in disclosure.tables:
        table = html.split(f'data-table="{view.id}"', 1)[1].split("</table>", 1)[0]
        for row in view.rows:
            for column in view.table.columns:
                value = row.get(column.id, "")
                if value:
                    cell = f'data-row="{row["row"]}" data-col="{column.id}"'
                    assert cell in table, (view.id, row["row"], column.id)
                    shown = table.split(cell, 1)[1].split("</td>", 1)[0]
                    # A flagged cell holds the amount first, then its markers.
                    shown = shown.split('<span class="js-v">', 1)[-1]
                    assert shown.split(">", 1)[-1].startswith(printed(value)), (view.id, shown)
