"""The site as a visitor uses it, in Debian's Chromium on a plain local server.

Navigate from the home page to each seed disclosure, read the amounts from the
page, search in Chinese, follow every download, and never leave the local host.
"""

from __future__ import annotations

import base64
import csv
import functools
import html
import io
import json
import threading
import zipfile
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jsonschema
import openpyxl
import pytest

from juesuan.paths import SCHEMAS
from juesuan.site import readable
from juesuan.site.build import BuildReport
from juesuan.site.corpus import load
from juesuan.site.downloads import people_csv
from juesuan.site.local import QuietHandler
from juesuan.site.readable import ordered_rows
from juesuan.site.tables import printed
from juesuan.site.workbook import HEADER_ROW
from tests.seeds import HUANGPI, QIAOKOU, SEED_PACKAGES, source_of

REQUESTS: list[str] = []
"""Every request any page of this module made."""


def _page(browser: Any) -> Any:
    page = browser.new_page()
    page.on("request", lambda request: REQUESTS.append(request.url))
    return page


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.parametrize("folder", SEED_PACKAGES, ids=lambda p: p.parent.name)
def test_home_to_disclosure_shows_the_package_amounts(
    browser: Any, server: str, artifacts: Path, folder: Path
) -> None:
    disclosure = load(folder)
    page = _page(browser)
    page.goto(server)
    page.get_by_role("link", name="单位", exact=True).first.click()
    page.get_by_role("link", name=disclosure.unit, exact=True).first.click()
    assert _path(page.url).endswith(f"/units/{disclosure.slug}/")
    page.get_by_role("link", name=disclosure.title, exact=True).first.click()
    assert _path(page.url).endswith(f"/units/{disclosure.slug}/{disclosure.year}/")
    assert page.locator("h1").first.inner_text().removesuffix("¶") == disclosure.title

    compared = 0
    for view in disclosure.tables:
        cells = page.locator(f'table[data-table="{view.id}"] td[data-row][data-col]')
        shown = {
            (c["row"], c["col"]): c["text"]
            for c in cells.evaluate_all(
                # A flagged cell holds its value in .js-v, then its markers.
                "cells => cells.map(c => ({row: c.dataset.row, col: c.dataset.col,"
                " text: (c.querySelector('.js-v') || c).textContent}))"
            )
        }
        sides = {side.id: side.columns for side in view.table.sides}
        shown_columns = [c.id for c in view.printed_columns]
        expected = {
            (row["row"], column): printed(row.get(column))
            for row in view.rows
            for column in sides.get(row.get("side", ""), shown_columns)
            if column in shown_columns
        }
        assert shown == expected, view.id
        compared += any(expected.values())
    assert compared >= 3
    page.screenshot(
        path=str(artifacts / f"{disclosure.slug}-{disclosure.year}.png"), full_page=True
    )
    page.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("网信事务", HUANGPI),
        ("黄陂", HUANGPI),
        ("公务接待费", HUANGPI),
        ("硚口", QIAOKOU),
    ],
)
def test_chinese_search_reaches_the_disclosure(
    browser: Any, server: str, query: str, expected: Path
) -> None:
    disclosure = load(expected)
    target = f"/units/{disclosure.slug}/{disclosure.year}/"
    page = _page(browser)
    page.goto(server)
    header = page.locator("header form.js-header-search")
    header.get_by_role("searchbox").fill(query)
    header.get_by_role("button").click()
    results = page.locator(".js-result-link")
    results.first.wait_for(timeout=15_000)
    hrefs = [_path(urljoin(page.url, h)) for h in results.evaluate_all("a => a.map(x => x.href)")]
    assert any(h.endswith(target) for h in hrefs), hrefs
    page.locator(f'.js-result-link[href*="{target}"]').first.click()
    page.wait_for_url(f"**{target}")
    page.close()


FETCH = """async (url) => {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}"""


def _fetched(page: Any, href: str, download: bool) -> bytes:
    """The bytes behind a link: clicked as a download, or fetched by the page."""
    if download:
        # A tab may start one download on its own; Chromium blocks the next ones.
        tab = _page(page.context)
        tab.goto(page.url, wait_until="domcontentloaded")
        with tab.expect_download() as info:
            tab.locator(f'a[href="{href}"]').first.evaluate("a => a.click()")
        body = Path(info.value.path()).read_bytes()
        tab.close()
        return body
    return base64.b64decode(page.evaluate(FETCH, href))


def _check_json(folder: Path, edition: str, relative: str, body: bytes) -> None:
    table = Path(relative).stem
    schema = json.loads((SCHEMAS / "generated" / edition / f"{table}.schema.json").read_text())
    jsonschema.validate(json.loads(body), schema)


def _check_xlsx(folder: Path, body: bytes) -> None:
    disclosure = load(folder)
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    for view in disclosure.tables:
        sheet = workbook[view.number]
        columns = readable.fields(view, locations=bool(disclosure.locations))
        first = HEADER_ROW + max(len(f.path) for f in columns) + 1
        values = [i for i, f in enumerate(columns) if f.kind == "value"]
        rows = list(sheet.iter_rows(min_row=first, values_only=True))
        shown = sorted(f"{row[i]:.2f}" for row in rows for i in values if row[i] is not None)
        expected = sorted(
            printed(row[c.id]) for row in view.rows for c in view.table.columns if row.get(c.id)
        )
        assert shown == expected, view.id
        headers = next(sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 1))
        assert all(not str(h.value).isascii() for h in headers if h.value), headers
    assert {"说明", "校验", "名词解释", "表注"} <= set(workbook.sheetnames)


def _check_people_csv(folder: Path, table: str, body: bytes) -> None:
    disclosure = load(folder)
    view = disclosure.table(table)
    assert view is not None
    assert body == b"\xef\xbb\xbf" + people_csv(disclosure, view).encode("utf-8")
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert all(not name.isascii() for name in header), header


def _check_ordered_json(folder: Path, edition: str, name: str, body: bytes) -> None:
    disclosure = load(folder)
    table = name.removesuffix(".json")
    _check_json(folder, edition, f"data/{name}", body)
    records = json.loads(body)
    package = json.loads((folder / "data" / name).read_bytes())
    key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
    assert sorted(map(key, records)) == sorted(map(key, package))
    view = disclosure.table(table)
    assert view is not None
    assert [r["row"] for r in records] == [r["row"] for r in ordered_rows(view)]


def _check_source_view(folder: Path, body: bytes) -> None:
    source = source_of(folder)
    assert body.startswith(b"\xef\xbb\xbf<!doctype html>")
    assert b'<meta charset="utf-8">' in body
    text = body.decode("utf-8-sig")
    for line in source.read_text(encoding="utf-8").splitlines()[:50]:
        assert html.escape(line) in text


@pytest.mark.parametrize("folder", SEED_PACKAGES, ids=lambda p: p.parent.name)
def test_every_download_is_the_package_file(browser: Any, server: str, folder: Path) -> None:
    disclosure = load(folder)
    page = _page(browser)
    page.goto(urljoin(server, f"units/{disclosure.slug}/{disclosure.year}/"))
    links = page.locator('a[href*="package/"], a[href*="download/"]')
    seen = set()
    for index in range(links.count()):
        link = links.nth(index)
        href = link.get_attribute("href")
        # The whole-package files are clicked and saved; the rest fetched by the page.
        body = _fetched(page, href, href.endswith((".zip", ".xlsx")))
        seen.add(href)
        name = href.split("/", 1)[1]
        if href.startswith("package/"):
            assert body == (folder / name).read_bytes(), href
            if name.endswith(".json") and name.startswith("data/"):
                _check_json(folder, disclosure.edition.id, name, body)
        elif name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                for member in archive.namelist():
                    inner = member.split("/", 1)[1]
                    assert archive.read(member) == (folder / inner).read_bytes(), member
                assert len(archive.namelist()) == sum(1 for p in folder.rglob("*") if p.is_file())
        elif name.endswith(".xlsx"):
            _check_xlsx(folder, body)
        elif name.endswith("-excel.csv"):
            _check_people_csv(folder, name.removesuffix("-excel.csv"), body)
        elif name.endswith("-source.html"):
            _check_source_view(folder, body)
        elif name.endswith(".json"):
            _check_ordered_json(folder, disclosure.edition.id, name, body)
        else:
            pytest.fail(f"unexpected download {href}")
    kinds = {h.rsplit(".", 1)[-1] for h in seen}
    assert {"zip", "xlsx", "csv", "json"} <= kinds
    assert "package/datapackage.json" in seen
    page.close()


def test_no_request_left_the_local_server(server: str) -> None:
    host = urlsplit(server).netloc
    assert REQUESTS, "the browser tests made no request"
    foreign = [
        u
        for u in REQUESTS
        if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != host
    ]
    assert not foreign


def test_a_finding_links_to_its_cell_which_shows_why(
    browser: Any, server: str, artifacts: Path
) -> None:
    disclosure = load(HUANGPI)
    page = _page(browser)
    page.goto(urljoin(server, f"units/{disclosure.slug}/{disclosure.year}/"))
    row = page.locator("#finding-2")
    assert "人员经费合计" in row.inner_text() and "basic-expenditure" in row.inner_text()
    # The explanation waits beside the cell, out of sight until the cell is opened.
    cell = page.locator("#c-basic_expenditure-personnel_total-amount")
    assert not cell.locator(".js-explain").is_visible()
    row.get_by_role("link", name="人员经费合计").click()
    assert urlsplit(page.url).fragment == "c-basic_expenditure-personnel_total-amount"
    cell.scroll_into_view_if_needed()
    explain = cell.locator(".js-explain")
    assert explain.is_visible()
    assert "应为 167.56" in explain.inner_text()
    outline = cell.evaluate("c => getComputedStyle(c).outlineStyle")
    assert outline == "solid"
    # The legend and the numbered note under the table are in view without a hover.
    table = page.locator('table[data-table="basic_expenditure"]')
    legend = page.locator(".js-flag-legend").nth(1)
    assert legend.is_visible() and "容差以内" in legend.inner_text()
    note = page.locator("#note-2")
    assert note.is_visible() and "167.57" in note.inner_text()
    assert cell.get_attribute("title") is None
    table.screenshot(path=str(artifacts / "finding-cell-opened.png"))
    page.close()


def test_the_tables_are_headed_as_printed_in_the_browser(browser: Any, server: str) -> None:
    disclosure = load(HUANGPI)
    page = _page(browser)
    page.goto(urljoin(server, f"units/{disclosure.slug}/{disclosure.year}/"))
    head = page.locator('table[data-table="state_capital"] thead')
    assert head.locator("th").all_inner_texts() == [
        "项目",
        "本年支出",
        "功能分类科目编码",
        "科目名称",
        "合计",
        "基本支出",
        "项目支出",
        "类",
        "款",
        "项",
    ]
    caption = page.locator('table[data-table="state_capital"] caption')
    assert caption.is_visible() and caption.inner_text() == "金额单位：万元"
    page.close()


def test_breadcrumbs_lead_up_and_the_menu_marks_the_section(
    browser: Any, server: str, artifacts: Path
) -> None:
    disclosure = load(HUANGPI)
    page = _page(browser)
    page.goto(urljoin(server, f"units/{disclosure.slug}/{disclosure.year}/"))
    menu = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link")
    weights = menu.evaluate_all("links => links.map(a => getComputedStyle(a).fontWeight)")
    texts = [t.strip() for t in menu.all_inner_texts()]
    assert dict(zip(texts, weights, strict=True))["单位"] == "700"
    assert [w for t, w in zip(texts, weights, strict=True) if t != "单位"].count("700") == 0
    trail = page.locator("nav.js-trail")
    assert trail.is_visible()
    assert trail.inner_text().split("\n")[0].startswith("首页")
    page.screenshot(path=str(artifacts / "disclosure-top.png"))
    trail.get_by_role("link", name=disclosure.unit).click()
    assert _path(page.url).endswith(f"/units/{disclosure.slug}/")
    page.goto(urljoin(server, "404.html"))  # what a host serves for a missing page
    assert "页面不存在" in page.locator("h1").first.inner_text()
    page.close()


class _WrongCharset(QuietHandler):
    """A server that calls every text file Latin-1, as some static hosts do by default."""

    def guess_type(self, path: Any) -> str:
        kind = super().guess_type(path)
        return f"{kind}; charset=ISO-8859-1" if kind.startswith("text/") else kind


def test_a_text_source_reads_in_chinese_whatever_charset_the_server_claims(
    browser: Any, built_site: BuildReport
) -> None:
    disclosure = load(QIAOKOU)
    handler = functools.partial(_WrongCharset, directory=str(built_site.site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_port}/units/{disclosure.slug}/{disclosure.year}/"
    page = _page(browser)
    try:
        page.goto(base + "package/" + disclosure.meta["source"]["path"])
        assert page.evaluate("document.characterSet") != "UTF-8"  # the mojibake the view avoids
        page.goto(base + "download/" + f"{disclosure.stem}-source.html#L3")
        assert page.evaluate("document.characterSet") == "UTF-8"
        assert disclosure.unit in page.locator("pre").inner_text()
        assert page.locator("h1").inner_text() == f"{disclosure.title}（原文）"
    finally:
        page.close()
        httpd.shutdown()
        httpd.server_close()
