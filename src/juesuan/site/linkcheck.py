"""Checks of a built site: internal links resolve, nothing loads from another host.

A link out (``<a href="https://…" rel="external">``: a unit's source page, a
licence) is followed only by a visitor's click; anything else that names
another host would be fetched with the page, and the site must work offline.

Used by the tests and the benchmark; reads only the files, needs no server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")
URL_ATTRIBUTES = {"href", "src", "action", "poster", "data", "srcset"}


@dataclass(frozen=True)
class Link:
    """A reference found in a page."""

    page: str
    tag: str
    attribute: str
    url: str
    rel: str = ""

    @property
    def outbound(self) -> bool:
        """An ``<a href>`` marked ``rel="external"``: followed only when clicked."""
        return self.tag == "a" and self.attribute == "href" and "external" in self.rel.split()


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rel = next((value or "" for name, value in attrs if name == "rel"), "")
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            elif name in URL_ATTRIBUTES:
                self.links.append((tag, name, value, rel))
            elif name == "style":
                for match in CSS_URL.finditer(value):
                    self.links.append((tag, "style", match.group(1) or match.group(2), ""))


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    return collector


def pages(site: Path) -> list[Path]:
    """Every HTML page of the site (the search bundle excluded)."""
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


SERVER_PAGES = {"404.html"}
"""Pages a server shows for any path: their links are root-absolute by design."""


def links(site: Path) -> Iterator[Link]:
    """Every URL referenced by the site's HTML pages and stylesheets."""
    for page in pages(site):
        name = page.relative_to(site).as_posix()
        for tag, attribute, url, rel in _parse(page).links:
            yield Link(name, tag, attribute, url, rel)
    for sheet in site.rglob("*.css"):
        name = sheet.relative_to(site).as_posix()
        for match in CSS_URL.finditer(sheet.read_text(encoding="utf-8", errors="replace")):
            yield Link(name, "css", "url", match.group(1) or match.group(2))


def third_party(site: Path) -> list[Link]:
    """References to any other host (http:, https:, protocol-relative) but links out."""
    return [
        link
        for link in links(site)
        if EXTERNAL.match(link.url.strip()) and link.attribute != "srcset" and not link.outbound
    ]


def outbound(site: Path) -> list[Link]:
    """The links out to other hosts (``rel="external"``), which a visitor may follow."""
    return [link for link in links(site) if EXTERNAL.match(link.url.strip()) and link.outbound]


def _target(site: Path, source: Path, path: str) -> Path:
    base = source.parent
    target = (base / unquote(path)).resolve() if path else source
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def broken(site: Path, *, fragments: bool = True) -> list[tuple[Link, str]]:
    """Internal links whose file (or, with ``fragments``, whose #id) does not exist."""
    site = site.resolve()
    ids: dict[Path, set[str]] = {}
    problems: list[tuple[Link, str]] = []
    for link in links(site):
        url = link.url.strip()
        if link.page in SERVER_PAGES:
            continue
        if not url or EXTERNAL.match(url) or url.startswith(("data:", "mailto:", "javascript:")):
            continue
        if link.tag == "css":
            continue  # theme stylesheets reference their own fonts and icons
        parts = urlsplit(url)
        source = site / link.page
        target = _target(site, source, parts.path)
        if not target.exists():
            where = target.relative_to(site) if target.is_relative_to(site) else target
            problems.append((link, f"no file {where}"))
            continue
        if fragments and parts.fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = _parse(target).ids
            if unquote(parts.fragment) not in ids[target]:
                problems.append((link, f"no #{parts.fragment} in {target.relative_to(site)}"))
    return problems
