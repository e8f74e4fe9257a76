"""A code's page of uses: one row per unit, split over pages when many units print it."""

from __future__ import annotations

from juesuan.site import urls
from juesuan.site.page_codes import UNITS_PER_PAGE, code_pages, code_uses
from juesuan.site.summary import CodeUse, Summary

CODE = "2013750"


def _summary(index: int, year: int) -> Summary:
    slug = f"unit-{index:04d}"
    use = CodeUse("function", CODE, "事业运行", (("expenditure", f"{index}.{year % 100:02d}"),))
    return Summary(
        slug, year, f"单位{index:04d}", "", "", f"单位{index:04d}{year}年度部门决算",
        "2024", "", None, 0, 0, (), (use,), (), (),
    )  # fmt: skip


def test_many_units_are_split_over_pages_each_unit_once() -> None:
    count = UNITS_PER_PAGE + 7
    summaries = [_summary(i, y) for i in range(count) for y in (2024, 2025)]
    pages = list(code_pages("function", CODE, code_uses(summaries)))
    assert [p.url for p in pages] == [
        urls.code("function", CODE),
        f"{urls.code('function', CODE)}2/",
    ]
    assert [p.searchable for p in pages] == [True, False]
    html = ["".join(str(b) for b in p.blocks) for p in pages]
    for index in range(count):
        name = f"单位{index:04d}"
        assert sum(h.count(f">{name}</a>") for h in html) == 1, name
        # Both years of the unit stand in its one row.
        row = next(h for h in html if f">{name}</a>" in h).split(f">{name}</a>")[1]
        row = row.split("</tr>")[0]
        assert f">{index}.24<" in row and f">{index}.25<" in row
    assert "第 2 页，共 2 页" in html[1] and 'aria-current="page"' in html[1]


def test_a_code_few_units_print_has_one_page_without_page_links() -> None:
    pages = list(code_pages("function", CODE, code_uses([_summary(1, 2024)])))
    assert len(pages) == 1 and "js-parts" not in "".join(str(b) for b in pages[0].blocks)
