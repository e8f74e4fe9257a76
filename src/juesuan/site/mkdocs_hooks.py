"""MkDocs hook: put each page's HTML blocks back after Markdown; serve kept pages.

The generated Markdown holds only headings (for the table of contents) and one
placeholder paragraph per block; the blocks wait in a JSON file beside the docs.
Markdown and MkDocs would otherwise parse every table through Python's
html.parser twice, which was most of the build time.

A page the build cache holds (``extra.juesuan_rendered`` names the list, see
:mod:`juesuan.site.page_cache`) skips Markdown and is printed by a template
that writes the kept HTML as it is; one whose entry fails its digest is
rendered as usual.
"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from juesuan.site.build_cache import read_blob

PLACEHOLDER = re.compile(r"<p>juesuan-block-(\d+)</p>")
CACHED_TEMPLATE = "juesuan-cached.html"

_kept: dict[str, str] = {}
"""The kept HTML of the pages being served from the cache, by Markdown path."""


class _EmptiedSite(logging.Filter):
    """Drop MkDocs' warning on ``--dirty``: the build fills a folder emptied of every file.

    The warning is of pages left out of date from an earlier build; there is none
    (:func:`juesuan.site.mkdocs_site.build`), and in strict mode it would fail the build.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def on_config(config: Any) -> Any:
    """Let a build into an emptied site skip MkDocs' clean step (see :class:`_EmptiedSite`)."""
    if (config.get("extra") or {}).get("juesuan_reused"):
        logger = logging.getLogger("mkdocs.commands.build")
        if not any(isinstance(f, _EmptiedSite) for f in logger.filters):
            logger.addFilter(_EmptiedSite())
    return config


def placeholder(index: int) -> str:
    """The Markdown paragraph that stands for block ``index``."""
    return f"juesuan-block-{index}"


@lru_cache(maxsize=1)
def _plan(path: str) -> dict[str, Any]:
    plan: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return plan


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """A kept page's Markdown is not converted: its HTML is ready."""
    plan_file = (config.get("extra") or {}).get("juesuan_rendered")
    if not plan_file:
        return markdown
    blob = _plan(plan_file)["pages"].get(page.file.src_uri)
    html = read_blob(Path(blob)) if blob else None
    if html is None:
        return markdown
    try:
        _kept[page.file.src_uri] = html.decode("utf-8")
    except UnicodeDecodeError:
        return markdown
    page.meta["template"] = CACHED_TEMPLATE
    return ""


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Replace the placeholders of ``page`` with its blocks (or give its kept HTML)."""
    kept = _kept.get(page.file.src_uri)
    if kept is not None:
        return kept
    folder = (config.get("extra") or {}).get("juesuan_blocks")
    if not folder:
        return html
    path = Path(folder) / f"{page.file.src_uri}.json"
    if not path.exists():
        return html
    blocks = json.loads(path.read_text(encoding="utf-8"))
    return PLACEHOLDER.sub(lambda match: blocks[int(match.group(1))], html)


def on_post_build(config: Any) -> None:
    """Say which pages were served kept, for the build to count them."""
    plan_file = (config.get("extra") or {}).get("juesuan_rendered")
    if plan_file:
        served = Path(_plan(plan_file)["served"])
        served.write_text(json.dumps(sorted(_kept)), encoding="utf-8")
