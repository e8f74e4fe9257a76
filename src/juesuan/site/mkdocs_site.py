"""The only module that knows MkDocs: Page values → Markdown files, mkdocs.yml, build.

Each page becomes ``<url>index.md``: headings as Markdown (so Material builds the
table of contents) and a placeholder per HTML block, which the hook in
:mod:`juesuan.site.mkdocs_hooks` swaps for the block after Markdown has run.
Titles go into the front matter HTML-escaped, because MkDocs' templates print
them without escaping.
"""

from __future__ import annotations

import gzip
import html
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from juesuan.paths import THEME
from juesuan.site import mkdocs_hooks as hooks
from juesuan.site import urls
from juesuan.site.html import Markup, el
from juesuan.site.mkdocs_hooks import placeholder
from juesuan.site.pages import Heading, Page
from juesuan.text import escape as markdown_escape
from juesuan.text import json_text

"""Overrides and static assets kept in the repository."""
SITE_NAME = "部门决算公开数据"
NAV = (
    ("首页", urls.HOME),
    ("单位", urls.UNITS),
    ("名词解释", urls.GLOSSARY),
    ("科目", urls.CODES),
    ("下载", urls.DOWNLOADS),
    ("搜索", urls.SEARCH),
    ("参与贡献", urls.CONTRIBUTE),
)


def section(url: str) -> int | None:
    """The position (from 1) of the menu item whose section holds ``url``; None for none."""
    held = [
        (len(prefix), i)
        for i, (_t, prefix) in enumerate(NAV, start=1)
        if prefix and url.startswith(prefix)
    ]
    return max(held)[1] if held else None


def trail(page: Page) -> Markup:
    """The breadcrumbs: the pages above ``page``, each linked, and the page itself.

    A page that names none above it stands under the home page; the home page
    has no breadcrumbs.
    """
    if page.url == urls.HOME:
        return Markup("")
    above = page.trail or ((NAV[0][0], urls.HOME),)
    items = [
        # The home page's URL is empty, which relative() reads as "this page".
        el("li", {}, el("a", {"href": urls.relative(page.url, url or "./")}, title))
        for title, url in above
    ]
    heading = next((b.text for b in page.blocks if isinstance(b, Heading) and b.level == 1), None)
    items.append(el("li", {"aria-current": "page"}, heading or page.title))
    return el(
        "nav",
        {"class": "js-trail", "aria-label": "当前位置", "data-pagefind-ignore": True},
        el("ol", {}, items),
    )


def _pagefind_value(text: str) -> str:
    """A meta value as Pagefind reads its attribute: commas escaped."""
    return text.replace("\\", "\\\\").replace(",", "\\,")


def search_hints(page: Page) -> Markup:
    """The page's kind, facts and names for the search index, out of sight.

    Each character of a name is also written as a word of its own (between
    zero-width spaces): the browser splits a query such as 黄陂区 into 黄 陂 区,
    which the index's own word split of the name would not all match.
    """
    hints = page.search
    number = section(page.url)
    kind = hints.kind or (NAV[number - 1][0] if number else "")
    # Meta, not filters: Pagefind writes a filter's values in no fixed order, and
    # the same packages must give the same site byte for byte.
    meta = [*([("类型", kind)] if kind else []), *hints.meta]
    spans = [el("span", {"data-pagefind-meta": _pagefind_value(f"{k}:{v}")}) for k, v in meta]
    names = [el("span", {}, "\u200b".join(name), " ") for name in hints.names]
    words = [el("span", {}, word, " ") for word in hints.words]
    if not spans and not names and not words:
        return Markup("")
    weight = f"{hints.weight:g}" if hints.weight is not None else None
    return el(
        "div",
        {"class": "js-search-hints", "hidden": True, "data-pagefind-weight": weight},
        spans,
        names,
        words,
    )


def _front_matter(page: Page) -> str:
    meta = {
        "title": html.escape(page.title),
        "description": html.escape(page.description),
        "juesuan_search": page.searchable,
        **({"juesuan_section": number} if (number := section(page.url)) else {}),
    }
    # JSON strings are YAML scalars: no quoting surprise from a unit name.
    lines = [f"{key}: {json_text(value, where=key)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def markdown(page: Page) -> tuple[str, list[str]]:
    """The Markdown MkDocs renders for ``page``, and the HTML blocks it stands for."""
    out = [_front_matter(page)]
    blocks: list[str] = []
    hints = search_hints(page) if page.searchable else Markup("")
    for block in (trail(page), hints, *page.blocks):
        if isinstance(block, Heading):
            text = markdown_escape(block.text, inline=True)
            weight = page.search.weight if block.level == 1 else None
            extra = f' data-pagefind-weight="{weight:g}"' if weight is not None else ""
            if block.level == 1 and page.searchable and block.text in page.search.names:
                # The hints spell this title already: indexed twice, a result's excerpt
                # would print it twice. The title still names the result.
                extra += ' data-pagefind-ignore="index" data-pagefind-meta="title"'
            out.append(f"{'#' * block.level} {text} {{#{block.anchor}{extra}}}\n")
        elif block:
            out.append(placeholder(len(blocks)) + "\n")
            blocks.append(f'<div class="js-block">{block}</div>')
    return "\n".join(out), blocks


def doc_path(url: str) -> str:
    """The Markdown file of a page URL."""
    return f"{url}index.md"


def blocks_folder(docs: Path) -> Path:
    """Where the pages' HTML blocks wait for the hook (beside the docs, not in them)."""
    return docs.parent / "blocks"


def write_page(docs: Path, page: Page) -> Path:
    """Write one page's Markdown under ``docs`` and its blocks beside it."""
    text, blocks = markdown(page)
    target = docs / doc_path(page.url)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    sidecar = blocks_folder(docs) / f"{doc_path(page.url)}.json"
    sidecar.parent.mkdir(parents=True, exist_ok=True)
    sidecar.write_text(json_text(blocks, where=sidecar.name), encoding="utf-8")
    return target


def write_pages(docs: Path, pages: Iterable[Page]) -> int:
    """Write every page; the number written."""
    count = 0
    for page in pages:
        write_page(docs, page)
        count += 1
    return count


def config(
    docs: Path,
    site: Path,
    site_url: str | None = None,
    footer: str = "",
    rendered: Path | None = None,
    *,
    reused: bool = False,
) -> dict[str, Any]:
    """mkdocs.yml for a build of ``docs`` into ``site``.

    ``site_url`` (the public address, when known) makes the sitemap's and the
    canonical links absolute; ``footer`` is HTML for the footer of every page
    (Material prints ``copyright`` as it is: it must hold no relative link);
    ``rendered`` the list of pages the build cache holds (see ``page_cache``);
    ``reused`` that ``site`` is a spare site emptied of files (see :func:`build`).
    """
    extra: dict[str, Any] = {"juesuan_blocks": str(blocks_folder(docs))}
    if reused:
        extra["juesuan_reused"] = True
    if rendered is not None:
        extra["juesuan_rendered"] = str(rendered)
    return {
        "site_name": SITE_NAME,
        **({"site_url": site_url} if site_url else {}),
        "copyright": str(footer),
        "site_description": "部门决算公开表、情况说明和名词解释的开放数据，"
        "可下载 CSV、JSON、Excel。",
        "docs_dir": str(docs),
        "site_dir": str(site),
        "use_directory_urls": True,
        "theme": {
            "name": "material",
            "language": "zh",
            "font": False,  # no Google Fonts: the site must work without internet
            "custom_dir": str(THEME / "overrides"),
            "features": ["navigation.top", "toc.follow"],
            "palette": {"scheme": "default", "primary": "indigo", "accent": "indigo"},
        },
        # Material's search is off: Pagefind indexes the built site (see search.py).
        "plugins": [],
        "markdown_extensions": [
            "attr_list",
            {"toc": {"permalink": True, "permalink_title": "本节链接"}},
        ],
        "hooks": [str(Path(hooks.__file__).resolve())],
        # generator: no "Made with Material" link to another host in the footer.
        "extra": {**extra, "generator": False},
        "extra_css": ["assets/juesuan.css", "assets/tables.css"],
        # Sorting and filtering of the tables: first-party, the tables work without it.
        "extra_javascript": ["assets/tables.js"],
        "nav": [{title: doc_path(url)} for title, url in NAV],
        "validation": {"nav": {"omitted_files": "info", "not_found": "warn"}},
    }


def prepare(work: Path, *, emptied: bool = False) -> Path:
    """A fresh ``work/docs`` with the static assets.

    ``emptied``: ``work`` holds folders and no file (see
    :func:`juesuan.folders.reuse_spare`); they are kept, as MkDocs lists files only.
    """
    docs = work / "docs"
    for folder in (docs, blocks_folder(docs)):
        if folder.exists() and not emptied:
            shutil.rmtree(folder)
    shutil.copytree(THEME / "assets", docs / "assets", dirs_exist_ok=emptied)
    return docs


def write_config(work: Path, settings: dict[str, Any]) -> Path:
    """``work/mkdocs.yml`` holding ``settings`` (from :func:`config`)."""
    config_file = work / "mkdocs.yml"
    config_file.write_text(
        yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return config_file


class MkDocsError(Exception):
    """mkdocs build --strict failed; the message holds its output."""


def build(config_file: Path, site: Path, *, reused: bool = False) -> str:
    """Run ``mkdocs build --strict`` into ``site``; its log, or MkDocsError with the log.

    ``reused``: ``site`` holds folders and no file (a spare site emptied, see
    :func:`juesuan.folders.reuse_spare`). MkDocs' clean step would remove every
    folder, and making them again costs more than the pages: it is skipped
    (``--dirty``), which writes every page all the same, as no output is there.
    """
    dirty = ["--dirty"] if reused else []
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            *dirty,
            "--config-file",
            str(config_file),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    log = result.stdout + result.stderr
    if result.returncode != 0:
        raise MkDocsError(log)
    _reproducible_sitemap(site)
    return log


def _reproducible_sitemap(site: Path) -> None:
    """Gzip sitemap.xml again without the time: MkDocs stamps its .gz with the build day.

    The template (site/overrides/sitemap.xml) gives no ``<lastmod>`` either, so
    the same packages give the same bytes on any day.
    """
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        (site / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.read_bytes(), mtime=0))
