"""Search as a visitor types it, in Debian's Chromium, over the site of the seed packages.

A unit by any part of its name (its page first), a disclosure by unit and year,
an amount as printed (with unit, year, table and 万元 in the result), a term of
the 名词解释, a code; a query the site cannot answer finds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pytest

from juesuan.site import urls
from juesuan.site.corpus import load
from tests.seeds import HUANGPI, QIAOKOU

HUANGPI_UNIT = load(HUANGPI).unit
"""武汉市黄陂区大数据中心（本级）"""
HUANGPI_YEAR = str(load(HUANGPI).year)


@pytest.fixture(scope="module")
def requests_made() -> list[str]:
    """Every request the pages of this module made."""
    return []


@pytest.fixture
def page(browser: Any, requests_made: list[str]) -> Iterator[Any]:
    tab = browser.new_page()
    tab.on("request", lambda request: requests_made.append(request.url))
    yield tab
    tab.close()


def _search(page: Any, server: str, query: str) -> tuple[str, list[str], list[str]]:
    """(status line, result paths in order, result texts) for ``query`` on the search page."""
    page.goto(urljoin(server, f"{urls.SEARCH}?q={quote(query)}"))
    status = page.locator(".js-search-status")
    page.wait_for_function(
        "() => { const s = document.querySelector('.js-search-status');"
        " return s && s.textContent && !s.textContent.startsWith('正在'); }",
        timeout=20_000,
    )
    links = page.locator(".js-result-link").evaluate_all("a => a.map(x => x.href)")
    texts = page.locator(".js-result").all_inner_texts()
    return status.inner_text(), [urlsplit(h).path for h in links], texts


def _unit(folder: Path) -> str:
    return "/" + urls.unit(load(folder).slug)


def _disclosure(folder: Path) -> str:
    d = load(folder)
    return "/" + urls.disclosure(d.slug, d.year)


@pytest.mark.parametrize(
    ("query", "folder"),
    [
        ("黄陂区", HUANGPI),
        ("黄陂", HUANGPI),
        ("陂区大数据", HUANGPI),  # from the middle of the name
        ("大数据中心（本级）", HUANGPI),
        ("硚口", QIAOKOU),
        ("硚口区大数据中心", QIAOKOU),
    ],
)
def test_a_unit_is_found_by_any_part_of_its_name_its_page_first(
    page: Any, server: str, query: str, folder: Path
) -> None:
    _status, paths, _texts = _search(page, server, query)
    assert paths and paths[0] == _unit(folder), paths
    assert _disclosure(folder) in paths


@pytest.mark.parametrize(("query", "folder"), [("黄陂区大数据中心", HUANGPI), ("硚口", QIAOKOU)])
def test_a_unit_s_excerpt_names_it_once(page: Any, server: str, query: str, folder: Path) -> None:
    _status, paths, _texts = _search(page, server, query)
    assert paths[0] == _unit(folder), paths
    excerpt = page.locator(".js-result").first.locator(".js-result-excerpt").inner_text()
    # The excerpt may start inside the name: its end is in it either way.
    tail = load(folder).unit[2:]
    assert excerpt.count(tail) == 1, excerpt
    assert "地区：" in excerpt, excerpt  # what the page says besides its title


@pytest.mark.parametrize(
    ("query", "folder"),
    [
        (f"{HUANGPI_UNIT} {HUANGPI_YEAR}", HUANGPI),
        ("黄陂区 2024", HUANGPI),
        ("硚口区大数据中心 2019", QIAOKOU),
    ],
)
def test_a_disclosure_is_found_by_unit_and_year(
    page: Any, server: str, query: str, folder: Path
) -> None:
    _status, paths, texts = _search(page, server, query)
    assert paths and paths[0] == _disclosure(folder), paths
    year = str(load(folder).year)
    assert f"年度：{year}" in texts[0] and f"单位：{load(folder).unit}" in texts[0]


def test_an_amount_as_printed_leads_to_the_table_that_prints_it(
    page: Any, server: str, screenshots: Path
) -> None:
    _status, paths, texts = _search(page, server, "282.91")
    assert paths and paths[0] == _disclosure(HUANGPI), paths
    first = texts[0]
    # Unit, year, the table's heading and 万元 in the result, the amount in its excerpt.
    for part in (f"单位：{HUANGPI_UNIT}", f"年度：{HUANGPI_YEAR}", "金额单位：万元"):
        assert part in first, first
    result = page.locator(".js-result").first
    tables = result.locator(".js-subresult-link").all_inner_texts()
    assert any("收入支出决算总表" in t for t in tables), tables
    excerpts = result.locator(".js-result-excerpt").all_inner_texts()
    assert any("282.91" in e for e in excerpts), excerpts
    marked = result.locator(".js-result-excerpt mark").all_inner_texts()
    assert {"282", "91"} <= set(marked), marked
    link = result.locator(".js-subresult-link").first
    link.click()
    assert urlsplit(page.url).fragment.startswith("t-"), page.url
    page.screenshot(path=str(screenshots / "search-amount-followed.png"))


def test_an_amount_finds_no_page_that_prints_its_parts_apart(page: Any, server: str) -> None:
    status, paths, _texts = _search(page, server, "282.35")
    assert not paths and status.startswith("没有找到"), (status, paths)


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("基本支出", "/" + urls.GLOSSARY + "ji-ben-zhi-chu-f156a1/"),
        ("2013750", "/" + urls.code("function", "2013750")),
        ("30217", "/" + urls.code("economic", "30217")),
    ],
)
def test_terms_and_codes_are_found_their_page_first(
    page: Any, server: str, query: str, path: str
) -> None:
    _status, paths, texts = _search(page, server, query)
    assert paths and paths[0] == path, paths
    assert query in texts[0]


@pytest.mark.parametrize("query", ["qzxqzx", "火星人民政府", "9999999"])
def test_a_query_the_site_cannot_answer_finds_nothing(page: Any, server: str, query: str) -> None:
    status, paths, _texts = _search(page, server, query)
    assert paths == [], paths
    assert status.startswith("没有找到")


def test_no_request_left_the_local_server(server: str, requests_made: list[str]) -> None:
    host = urlsplit(server).netloc
    assert requests_made, "the tests of this module made no request"
    foreign = [u for u in requests_made if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    assert all(urlsplit(u).netloc == host for u in foreign), foreign
