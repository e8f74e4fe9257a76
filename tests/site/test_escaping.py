"""Source text is text: markup in a unit name, the narrative or the glossary never
becomes markup on the site.

The seed source is edited to carry ``<script>``, ``{{ }}``, a ``javascript:``
link and Markdown table syntax, ingested like any contribution, and built.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from juesuan.cli import command_table
from juesuan.ingest.pipeline import ingest
from juesuan.package.write import package_dir, write_package
from juesuan.site.build import build_site
from juesuan.site.corpus import load
from juesuan.site.local import static_server
from tests.seeds import HUANGPI, source_of

UNIT = "武汉市黄陂区大数据中心（本级）"
EVIL_UNIT = "武汉市黄陂区<script>alert(1)</script>{{x}}[a](javascript:alert(1))|b|中心（本级）"
EVIL_TEXT = (
    "<script>alert(2)</script> {{ config }} [点我](javascript:alert(3))"
    " <img src=x onerror=alert(4)>"
)
TABLE = ["| 甲 | 乙 |", "|---|---|", "| 1 | 2 |"]


@pytest.fixture(scope="module")
def evil(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(package folder, built site) of the seed with hostile text in it."""
    root = tmp_path_factory.mktemp("evil")
    lines = source_of(HUANGPI).read_text(encoding="utf-8").splitlines()
    lines = [line.replace(UNIT, EVIL_UNIT) for line in lines]
    duty = next(i for i, line in enumerate(lines) if line.startswith("1.贯彻执行"))
    lines[duty + 1 : duty + 1] = ["", f"{EVIL_TEXT}。", "", *TABLE, ""]
    term = next(i for i, line in enumerate(lines) if line.startswith("(四)上级补助收入"))
    lines[term] = f"(四)上级补助收入：指{EVIL_TEXT}|甲|乙|。"
    source = root / "evil.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    disclosure = ingest(source)
    assert disclosure.unit == EVIL_UNIT
    folder = write_package(disclosure, package_dir(root / "packages", disclosure))
    site = root / "site"
    build_site(root / "packages", site, jobs=1, commands=command_table())
    return folder, site


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.data_blocks: list[str] = []
        """JSON-LD: data for search engines, never run."""
        self.attributes: list[tuple[str, str, str]] = []
        self.tables_in_narrative = 0
        self.text: list[str] = []
        self._in_script = False
        self._in_data = False
        self._narrative = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        if tag == "script" and ("type", "application/ld+json") in attrs:
            self._in_script = False
            self._in_data = True
            self.data_blocks.append("")
        elif tag == "script":
            self.scripts.append("")
        self.attributes += [(tag, k, v or "") for k, v in attrs]
        if tag == "div" and ("class", "js-narrative") in attrs:
            self._narrative += 1
        if tag == "table" and self._narrative:
            self.tables_in_narrative += 1

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False
        self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data_blocks[-1] += data
        elif self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def _pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "pagefind" not in p.parts]


def test_hostile_text_is_never_markup(evil: tuple[Path, Path]) -> None:
    _folder, site = evil
    for page in _pages(site):
        parsed = _Elements()
        parsed.feed(page.read_text(encoding="utf-8"))
        assert not [s for s in parsed.scripts if "alert" in s], page
        for block in parsed.data_blocks:  # the unit's name is in it, as a JSON string
            assert "<" not in block and ">" not in block, page
            json.loads(block)
        urls = [a for a in parsed.attributes if a[1] in ("href", "src", "action", "formaction")]
        assert not [a for a in urls if "javascript:" in a[2].lower()], page
        assert not [a for a in parsed.attributes if a[1].startswith("on")], page
        assert not [a for a in parsed.attributes if a[0] == "img" and a[2] == "x"], page
        assert parsed.tables_in_narrative == 0 or "js-grid" in page.read_text(), page


def test_hostile_text_is_shown_as_written(evil: tuple[Path, Path]) -> None:
    folder, site = evil
    disclosure = load(folder)
    page = site / "units" / disclosure.slug / str(disclosure.year) / "index.html"
    parsed = _Elements()
    parsed.feed(page.read_text(encoding="utf-8"))
    text = "".join(parsed.text)
    assert EVIL_UNIT in text
    assert "<script>alert(2)</script>" in text
    assert "{{ config }}" in text
    assert "[点我](javascript:alert(3))" in text
    assert "| 甲 | 乙 |" in text
    (dataset,) = [json.loads(block) for block in parsed.data_blocks]
    assert dataset["creator"]["name"] == EVIL_UNIT
    title = page.read_text(encoding="utf-8").split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "&lt;script&gt;" in title


def test_hostile_page_runs_no_script_in_the_browser(browser: Any, evil: tuple[Path, Path]) -> None:
    folder, site = evil
    disclosure = load(folder)
    dialogs: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with static_server(site) as base:
        try:
            for path in (
                f"units/{disclosure.slug}/{disclosure.year}/",
                f"units/{disclosure.slug}/",
                "",
            ):
                page.goto(f"{base}{path}")
                page.wait_for_load_state("load")
            assert page.locator("text=<script>alert(1)</script>").count() > 0 or path == ""
        finally:
            page.close()
    assert dialogs == []
