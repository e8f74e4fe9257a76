"""Pages as theme-independent values: a URL, a title and blocks of escaped HTML.

Page generators return :class:`Page` values; a site writer (MkDocs today) turns
them into files. Headings are kept apart from the HTML so a writer can build
its table of contents from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from juesuan.site.html import Markup


@dataclass(frozen=True)
class Heading:
    """A section heading; ``anchor`` is its id on the page."""

    level: int
    text: str
    anchor: str


Block = Heading | Markup


@dataclass(frozen=True)
class Search:
    """How the search index treats a page (Pagefind's attributes, written by the site writer)."""

    kind: str = ""
    """Shown as 类型 (单位, 决算, 科目, 名词解释); empty: the page's menu section."""
    weight: float | None = None
    """Of the page's title, names and words: a unit's page comes before the pages that
    only mention it."""
    meta: tuple[tuple[str, str], ...] = ()
    """Shown with each result: (name, value), such as 单位, 年度, 金额单位."""
    names: tuple[str, ...] = ()
    """Names to be found by any part: the index learns each character as a word too."""
    words: tuple[str, ...] = ()
    """Words weighed as the title is, such as a disclosure's year."""


@dataclass(frozen=True)
class Page:
    """One page of the site."""

    url: str
    """Site-root relative directory URL (``units/x/2024/``); ``""`` is the home page."""
    title: str
    blocks: tuple[Block, ...]
    description: str = ""
    searchable: bool = True
    """Whether the search index covers the page."""
    trail: tuple[tuple[str, str], ...] = ()
    """The pages above this one, the home page first: (title, site-root relative URL)."""
    search: Search = Search()
