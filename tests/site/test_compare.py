"""Comparing years and units, and sorting and filtering tables, in Debian's Chromium.

The site is built from synthetic packages: one unit with two years of one
edition, one whose years are of two editions, one with a single year. Every
expected amount comes from the packages' facts view, in desktop and phone
viewports.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from juesuan.cli import command_table
from juesuan.package.facts import facts
from juesuan.site import urls
from juesuan.site.build import BuildReport, build_site
from juesuan.site.local import CHROMIUM, CHROMIUM_ARGS, static_server
from juesuan.units import slug_for
from tests.synthetic import write_disclosure

SAME = "武汉市江岸区统计局"
"""Two years, one edition."""
MIXED = "武汉市江汉区审计局"
"""Two years, two editions."""
SINGLE = "武汉市硚口区档案馆"
PLANS = (
    (SAME, 2024, "2024", 45),
    (SAME, 2025, "2024", 145),
    (MIXED, 2019, "2019", 7),
    (MIXED, 2024, "2024", 8),
    (SINGLE, 2024, "2024", 9),
)
"""(unit, year, edition, seed): the seeds give SAME 项 printed in both years and one not."""

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
REQUESTS: list[str] = []


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("compare") / "packages"
    for unit, year, edition, seed in PLANS:
        write_disclosure(root, unit, year, edition, seed)
    return root


@pytest.fixture(scope="module")
def site(packages: Path) -> BuildReport:
    out = packages.parent / "site"
    return build_site(packages, out, jobs=2, with_search=False, commands=command_table())


@pytest.fixture(scope="module")
def base(site: BuildReport) -> Iterator[str]:
    with static_server(site.site) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: scripts/setup-browser.sh installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request: pytest.FixtureRequest, chromium: Any) -> Iterator[Any]:
    width, height = VIEWPORTS[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.on("request", lambda r: REQUESTS.append(r.url))
    yield tab
    context.close()


def _facts(packages: Path, unit: str, year: int) -> dict[tuple[str, str, str], Decimal]:
    return {
        (f.table, f.row, f.column): Decimal(f.value)
        for f in facts(packages / slug_for(unit) / str(year))
    }


OVERFLOW = """() => Array.from(document.querySelectorAll(".md-main *"))
    .filter(e => !e.closest(".js-scroll") && e.getBoundingClientRect().right > innerWidth + 0.5)
    .map(e => e.tagName + "." + e.className)"""
"""What sticks out of the page body (a wide table scrolls inside its own box)."""


def _no_overflow(page: Any) -> None:
    assert page.evaluate(OVERFLOW) == [], page.url
    width = page.evaluate("document.querySelector('.md-main').scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def _amounts(page: Any, table: Any, column: int) -> list[Decimal | None]:
    """A column's amounts in the rows shown, 合计 (kept on top) left out."""
    texts = table.locator("tbody tr:not([hidden]):not(.js-total)").evaluate_all(
        f"rows => rows.map(r => r.cells[{column}].textContent.trim())"
    )
    return [Decimal(t) if t else None for t in texts]


def test_the_unit_comparison_shows_each_change(page: Any, base: str, packages: Path) -> None:
    slug = slug_for(SAME)
    page.goto(urljoin(base, urls.unit(slug)))
    page.get_by_role("link", name="历年对比").click()
    # The address changes when the navigation commits, before the page has loaded.
    page.wait_for_url(f"**/{urls.compare(slug)}")
    assert urlsplit(page.url).path.endswith(f"/{urls.compare(slug)}")
    before, after = _facts(packages, SAME, 2024), _facts(packages, SAME, 2025)
    # 本年收入合计 of the 总表, and a 项 of the 支出决算表 printed both years.
    items = sorted(
        k
        for k in before.keys() & after.keys()
        if k[0] == "expenditure" and len(k[1]) == 7 and k[2] == "total"
    )
    assert items
    for key in [("summary", "income_total", "income"), items[0]]:
        row = page.locator(f'tr[data-cell="{":".join(key)}"]')
        cells = row.locator("td").all_inner_texts()
        difference = after[key] - before[key]
        assert cells[:3] == [f"{before[key]:.2f}", f"{after[key]:.2f}", f"{difference:+.2f}"]
        assert cells[3] == f"{difference / abs(before[key]) * 100:+.1f}%"
    label = page.locator('tr[data-cell="summary:income_total:income"] th').inner_text()
    assert label == "本年收入合计"  # the definition's label
    header = page.locator('table[data-table="summary"] thead th').all_inner_texts()
    assert header[:5] == ["项目", "2024", "2025", "2025 比 2024 增减", "增减率"]
    _no_overflow(page)


def test_years_of_other_editions_are_marked_not_compared(page: Any, base: str) -> None:
    page.goto(urljoin(base, urls.compare(slug_for(MIXED))))
    note = page.locator("p.js-incomparable")
    assert "2019 年" in note.inner_text() and "不计算增减" in note.inner_text()
    row = page.locator('tr[data-cell="summary:income_total:income"]')
    assert row.locator("td").all_inner_texts()[2:] == ["—", "—"]
    assert "※" in page.locator('table[data-table="summary"] thead').inner_text()
    _no_overflow(page)


def test_a_unit_with_one_year_says_so(page: Any, base: str) -> None:
    page.goto(urljoin(base, urls.compare(slug_for(SINGLE))))
    body = page.locator("article").inner_text()
    assert "只有 2024 年一份决算" in body
    assert page.locator("article table").count() == 0


def test_sorting_a_column_orders_rows_numerically(page: Any, base: str) -> None:
    page.goto(urljoin(base, urls.compare(slug_for(SAME))))
    table = page.locator('table[data-table="expenditure"]')
    printed = table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.cell)")
    head = table.locator("thead th").nth(1)
    head.get_by_role("button").click()
    assert head.get_attribute("aria-sort") == "ascending"
    shown = _amounts(page, table, 1)
    numbers = [a for a in shown if a is not None]
    assert numbers == sorted(numbers) and len(numbers) > 3
    assert table.locator("tbody tr").first.get_attribute("data-cell") == "expenditure:total:total"
    assert shown[len(numbers) :] == [None] * (len(shown) - len(numbers))  # blanks last
    head.get_by_role("button").click()
    assert head.get_attribute("aria-sort") == "descending"
    numbers = [a for a in _amounts(page, table, 1) if a is not None]
    assert numbers == sorted(numbers, reverse=True)
    assert table.locator("thead th[aria-sort]").count() == 1
    page.get_by_role("button", name="按原表顺序").first.click()
    assert table.locator("thead th[aria-sort]").count() == 0
    after = table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.cell)")
    assert after == printed
    _no_overflow(page)


def test_sorting_works_from_the_keyboard(page: Any, base: str, packages: Path) -> None:
    slug = slug_for(SAME)
    page.goto(urljoin(base, f"{urls.disclosure(slug, 2025)}"))
    table = page.locator('table[data-table="expenditure"]')
    head = table.locator("thead th", has_text="本年支出合计")
    button = head.get_by_role("button")
    button.focus()
    page.keyboard.press("Enter")
    assert head.get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Space")
    assert head.get_attribute("aria-sort") == "descending"
    # Sorted, the rows stand flat with their codes; 合计 stays on top.
    amounts = [
        Decimal(t) if t else None
        for t in table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => r.querySelector('td[data-col=total]').textContent.trim())"
        )
    ]
    expected = sorted(
        (v for (t, row, c), v in _facts(packages, SAME, 2025).items()
         if t == "expenditure" and c == "total" and row != "total"),
        reverse=True,
    )  # fmt: skip
    assert amounts[1:] == expected
    assert "js-sorted" in (table.get_attribute("class") or "")
    _no_overflow(page)


def test_the_filter_hides_rows_that_do_not_match(page: Any, base: str) -> None:
    page.goto(urljoin(base, urls.compare(slug_for(SAME))))
    table = page.locator('table[data-table="expenditure"]')
    labels = table.locator("tbody th").all_inner_texts()
    target = next(t for t in labels if len(t.split(" ")[0]) == 7)
    code = target.split(" ")[0]
    box = page.locator(f'input[aria-controls="{table.get_attribute("id")}"]')
    assert box.get_attribute("aria-label") == "筛选本表的行（名称或编码包含的文字）"
    box.fill(code)
    visible = table.locator("tbody tr:not([hidden]) th").all_inner_texts()
    # The 项, and its 类 and 款 above it for context.
    assert visible == [t for t in labels if code.startswith(t.split(" ")[0])]
    assert table.locator("tbody tr.js-context").count() == 2
    box.fill("")
    assert table.locator("tbody tr:not([hidden])").count() == len(labels)
    _no_overflow(page)


def test_a_code_page_compares_every_unit_and_year(page: Any, base: str, packages: Path) -> None:
    every = {(unit, year): _facts(packages, unit, year) for unit, year, _edition, _seed in PLANS}
    code = min(k[1] for k in every[(SAME, 2025)] if k[0] == "expenditure" and len(k[1]) == 7)
    printing = {
        (unit, year): f[("expenditure", code, "total")]
        for (unit, year), f in every.items()
        if ("expenditure", code, "total") in f
    }
    page.goto(urljoin(base, urls.code("function", code)))
    table = page.locator("table.js-uses")
    assert sorted(table.locator("tbody th").all_inner_texts()) == sorted({u for u, _y in printing})
    # The columns under each table's heading, one per year.
    groups = table.locator("thead tr").first.evaluate(
        "r => Array.from(r.cells).slice(2).map(c => [c.textContent, c.colSpan])"
    )
    years = table.locator("thead tr").nth(1).locator("th").all_inner_texts()
    headed = [text for text, span in groups for _ in range(span)]
    columns = list(zip(headed, [int(y.strip()) for y in years], strict=True))
    for (unit, year), value in printing.items():
        cells = table.locator("tbody tr", has_text=unit).locator("td").all_inner_texts()
        where = next(
            i for i, (t, y) in enumerate(columns) if t.startswith("支出决算表") and y == year
        )
        assert cells[1 + where] == f"{value:.2f}"
    first = table.locator("thead th").first
    first.get_by_role("button").click()
    assert first.get_attribute("aria-sort") == "ascending"
    _no_overflow(page)


def test_without_script_the_table_is_as_printed(chromium: Any, base: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.on("request", lambda r: REQUESTS.append(r.url))
    page.goto(urljoin(base, urls.disclosure(slug_for(SAME), 2025)))
    assert page.locator(".js-tablebar, .js-sort").count() == 0
    assert page.locator('table[data-table="expenditure"] tbody tr').count() > 3
    context.close()


def test_the_script_is_served_by_the_site_itself(site: BuildReport) -> None:
    html = (site.site / urls.compare(slug_for(SAME)) / "index.html").read_text(encoding="utf-8")
    assert 'src="../../../assets/tables.js"' in html
    assert (site.site / "assets" / "tables.js").is_file()


def test_no_request_left_the_local_server(base: str) -> None:
    host = urlsplit(base).netloc
    assert REQUESTS, "the browser tests made no request"
    foreign = [u for u in REQUESTS if urlsplit(u).scheme != "data" and urlsplit(u).netloc != host]
    assert not foreign
