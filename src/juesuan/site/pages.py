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
