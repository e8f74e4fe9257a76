"""Every kind of page on a phone (390×844) and a laptop (1366×900), in Debian's Chromium.

No page scrolls sideways; a wide table scrolls in its own frame with its label
column held at the frame's left; the findings are cards on a phone; the page's
contents are one tap away; chart labels stay readable. Each page is saved as a
screenshot (see the ``screenshots`` fixture for where).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from juesuan.site import urls
from juesuan.site.corpus import load
from juesuan.site.page_disclosure import table_anchor
from tests.seeds import HUANGPI, QIAOKOU

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}

HUANGPI_PAGE = urls.disclosure(load(HUANGPI).slug, load(HUANGPI).year)
PAGES = {
    "home": urls.HOME,
    "units": urls.UNITS,
    "unit": urls.unit(load(HUANGPI).slug),
    "disclosure": HUANGPI_PAGE,
    "disclosure-2019": urls.disclosure(load(QIAOKOU).slug, load(QIAOKOU).year),
    "codes": urls.CODES,
    "codelist": urls.codelist("function"),
    "code": urls.code("function", "2013750"),
    "glossary": urls.GLOSSARY,
    "term": urls.GLOSSARY + "ji-ben-zhi-chu-f156a1/",
    "downloads": urls.DOWNLOADS,
    "search": urls.SEARCH + "?q=黄陂区",
    "contribute": urls.CONTRIBUTE,
    "404": "404.html",
}
"""One page of every kind the site has (the glossary term is 基本支出)."""

READABLE_PX = 11.0


@pytest.fixture(scope="module")
def requests_made() -> list[str]:
    """Every request the pages of this module made."""
    return []


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _open(browser: Any, requests_made: list[str], size: dict[str, int]) -> Any:
    page = browser.new_page()
    page.set_viewport_size(size)
    page.on("request", lambda request: requests_made.append(request.url))
    return page


@pytest.fixture
def phone(browser: Any, requests_made: list[str]) -> Iterator[Any]:
    page = _open(browser, requests_made, PHONE)
    yield page
    page.close()


@pytest.fixture
def laptop(browser: Any, requests_made: list[str]) -> Iterator[Any]:
    page = _open(browser, requests_made, LAPTOP)
    yield page
    page.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_page_scrolls_sideways(
    browser: Any,
    server: str,
    screenshots: Path,
    requests_made: list[str],
    viewport: str,
    name: str,
) -> None:
    page = _open(browser, requests_made, VIEWPORTS[viewport])
    page.goto(urljoin(server, PAGES[name]))
    if name == "search":
        page.locator(".js-result").first.wait_for(timeout=15_000)
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    page.screenshot(path=str(screenshots / f"{viewport}-{name}.png"), full_page=True)
    # The culprits, should it fail: what reaches past the window outside a table's frame.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5
                       && !e.closest('.js-scroll'))
          .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    page.close()
    assert widths[0] <= widths[1], (widths, wide)


def _frames(page: Any) -> Any:
    return page.locator(".js-scroll:has(table.js-table)")


def test_a_wide_table_scrolls_in_its_frame_with_its_labels_held(
    phone: Any, server: str, screenshots: Path
) -> None:
    phone.goto(urljoin(server, HUANGPI_PAGE))
    frames = _frames(phone)
    scrolled = 0
    for index in range(frames.count()):
        frame = frames.nth(index)
        label = frame.locator("tbody tr th.js-label").first
        # A table of one row of amounts (三公经费) has no label column.
        if not frame.evaluate("f => f.scrollWidth > f.clientWidth + 1") or not label.count():
            continue
        frame.scroll_into_view_if_needed()
        left = frame.evaluate("f => f.getBoundingClientRect().left")
        before = label.bounding_box()["x"]
        frame.evaluate("f => { f.scrollLeft = f.scrollWidth; }")
        moved = frame.evaluate("f => f.scrollLeft")
        assert moved > 0
        # The label column scrolls with the rest until it reaches the frame's left edge,
        # and stays there.
        expected = max(left, before - moved)
        box = label.bounding_box()
        assert abs(box["x"] - expected) <= 1, (index, box, left, before, moved)
        # What scrolled under the label column is hidden by it, not shown through.
        assert label.evaluate("c => getComputedStyle(c).backgroundColor") != "rgba(0, 0, 0, 0)"
        scrolled += before - moved < left - 1
        if scrolled == 1:
            frame.screenshot(path=str(screenshots / "phone-table-scrolled.png"))
    assert scrolled >= 3, "expected several tables whose labels scroll to the frame's edge"


def test_the_headers_over_the_label_column_are_held_with_it(phone: Any, server: str) -> None:
    phone.goto(urljoin(server, HUANGPI_PAGE))
    frames = _frames(phone)
    checked = 0
    for index in range(frames.count()):
        frame = frames.nth(index)
        label = frame.locator("tbody tr th.js-label").first
        if not frame.evaluate("f => f.scrollWidth > f.clientWidth + 1") or not label.count():
            continue
        heads = frame.locator("thead .js-held")
        assert heads.count(), f"table {index}: no header cell over its label column"
        frame.scroll_into_view_if_needed()
        frame.evaluate("f => { f.scrollLeft = f.scrollWidth; }")
        for n in range(heads.count()):
            head = heads.nth(n)
            # Brought to the middle of the screen by scrolling the page, never the frame.
            head.evaluate(
                "c => window.scrollBy(0, c.getBoundingClientRect().top - innerHeight / 2)"
            )
            assert frame.evaluate("f => f.scrollLeft") > 0
            column, box = label.bounding_box(), head.bounding_box()
            # Over the label column, where it now stands, not scrolled away with the rest.
            assert abs(box["x"] - column["x"]) <= 1, (index, n, box, column)
            assert abs(box["width"] - column["width"]) <= 1, (index, n, box, column)
            # On top of the headers that scrolled under it, not beneath them.
            on_top = head.evaluate(
                "c => { const r = c.getBoundingClientRect();"
                " const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
                " return c === at || c.contains(at); }"
            )
            assert on_top, (index, n, head.inner_text())
        checked += 1
    assert checked >= 3, "expected several wide tables with a label column"


def test_the_label_column_keeps_room_for_its_words(phone: Any, server: str) -> None:
    phone.goto(urljoin(server, HUANGPI_PAGE))
    ems = phone.locator("table.js-table tbody th.js-label").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().width"
        " / parseFloat(getComputedStyle(c).fontSize))"
    )
    assert ems and min(ems) >= 7.5, min(ems)


def test_column_headings_keep_several_characters_a_line(phone: Any, server: str) -> None:
    phone.goto(urljoin(server, HUANGPI_PAGE))
    ems = phone.locator('table.js-table thead th[scope="col"]').evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().width"
        " / parseFloat(getComputedStyle(c).fontSize))"
    )
    # 上级补助收入 over a blank column stood one character a line (about 2em wide).
    assert ems and min(ems) >= 3.5, min(ems)


def test_findings_are_cards_on_a_phone_and_a_table_on_a_laptop(
    phone: Any, laptop: Any, server: str, screenshots: Path
) -> None:
    phone.goto(urljoin(server, HUANGPI_PAGE))
    findings = phone.locator("table.js-findings")
    findings.scroll_into_view_if_needed()
    assert not phone.locator("table.js-findings thead").is_visible()
    rows = findings.locator("tbody tr")
    assert rows.count() >= 3
    frame = phone.locator(".js-scroll:has(table.js-findings)")
    assert frame.evaluate("f => f.scrollWidth <= f.clientWidth")
    for index in range(rows.count()):
        card = rows.nth(index)
        assert card.evaluate("r => getComputedStyle(r).display") == "block"
        # Each value under its column's name; the explanation reads as a paragraph.
        labels = card.locator("td").evaluate_all(
            "cells => cells.filter(c => c.textContent.trim())"
            ".map(c => getComputedStyle(c, '::before').content)"
        )
        assert '"说明"' in labels and '"规则"' in labels, labels
        text = card.locator('td[data-label="说明"]')
        assert text.bounding_box()["width"] > 250
    findings.screenshot(path=str(screenshots / "phone-findings.png"))
    laptop.goto(urljoin(server, HUANGPI_PAGE))
    assert laptop.locator("table.js-findings thead").is_visible()
    display = laptop.locator("table.js-findings tbody tr").first.evaluate(
        "r => getComputedStyle(r).display"
    )
    assert display == "table-row"


def test_the_contents_of_a_disclosure_are_reachable_on_a_phone(
    phone: Any, laptop: Any, server: str, screenshots: Path
) -> None:
    disclosure = load(HUANGPI)
    tables = [f"#{table_anchor(view.id)}" for view in disclosure.tables]
    phone.goto(urljoin(server, HUANGPI_PAGE))
    contents = phone.locator("nav.js-contents")
    assert contents.is_visible()
    # Before the long findings and tables: in view after one screen or so.
    assert contents.bounding_box()["y"] < 3 * PHONE["height"]
    hrefs = contents.locator("a").evaluate_all("a => a.map(x => x.getAttribute('href'))")
    assert set(tables) <= set(hrefs), hrefs
    assert "#validation" in hrefs
    contents.screenshot(path=str(screenshots / "phone-contents.png"))
    contents.locator(f'a[href="{tables[-1]}"]').click()
    assert urlsplit(phone.url).fragment == tables[-1][1:]
    heading = phone.locator(tables[-1])
    assert heading.evaluate("h => h.getBoundingClientRect().top") < PHONE["height"] / 2
    # On a laptop Material's table of contents stands beside the page instead.
    laptop.goto(urljoin(server, HUANGPI_PAGE))
    assert not laptop.locator("nav.js-contents").is_visible()
    toc = laptop.locator(".md-sidebar--secondary")
    assert toc.is_visible()
    toc_links = toc.locator("a.md-nav__link").evaluate_all("a => a.map(x => new URL(x.href).hash)")
    assert set(tables) <= set(toc_links)


@pytest.mark.parametrize("name", ["disclosure", "disclosure-2019"])
def test_chart_labels_are_readable(
    browser: Any, server: str, requests_made: list[str], viewport: str, name: str
) -> None:
    page = _open(browser, requests_made, VIEWPORTS[viewport])
    page.goto(urljoin(server, PAGES[name]))
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.js-chart')]
          .filter(s => s.getBoundingClientRect().width > 0)
          .flatMap(s => [...s.querySelectorAll('text')].map(t =>
            s.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize)))"""
    )
    page.close()
    assert sizes and min(sizes) >= READABLE_PX, min(sizes or [0])


@pytest.mark.parametrize("name", ["home", "unit", "disclosure", "code", "term", "404"])
def test_every_page_has_a_search_box_in_its_header(phone: Any, server: str, name: str) -> None:
    phone.goto(urljoin(server, PAGES[name]))
    box = phone.locator("header form.js-header-search input[type=search]")
    assert box.is_visible()
    box.fill("黄陂区")
    box.press("Enter")
    phone.wait_for_url("**/search/?q=*")
    first = phone.locator(".js-result-link").first
    first.wait_for(timeout=15_000)
    assert urlsplit(first.evaluate("a => a.href")).path.endswith(urls.unit(load(HUANGPI).slug))


MENU = {
    "units": "单位",
    "unit": "单位",
    "disclosure": "单位",
    "codes": "科目",
    "codelist": "科目",
    "code": "科目",
    "glossary": "名词解释",
    "term": "名词解释",
    "downloads": "下载",
    "search": "搜索",
    "contribute": "参与贡献",
}
"""The menu item each page stands under."""


@pytest.mark.parametrize("name", sorted(MENU))
def test_every_page_shows_where_it_stands(laptop: Any, server: str, name: str) -> None:
    laptop.goto(urljoin(server, PAGES[name]))
    trail = laptop.locator("nav.js-trail")
    assert trail.is_visible()
    assert trail.locator("a").first.inner_text() == "首页"
    menu = laptop.locator(".md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link")
    weights = dict(
        zip(
            [t.strip() for t in menu.all_inner_texts()],
            menu.evaluate_all("links => links.map(a => getComputedStyle(a).fontWeight)"),
            strict=True,
        )
    )
    assert [item for item, weight in weights.items() if weight == "700"] == [MENU[name]]


def test_no_request_left_the_local_server(server: str, requests_made: list[str]) -> None:
    host = urlsplit(server).netloc
    assert requests_made, "the tests of this module made no request"
    foreign = [u for u in requests_made if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    assert all(urlsplit(u).netloc == host for u in foreign), foreign
