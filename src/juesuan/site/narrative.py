"""Narrative chapters (Markdown in the package) as safe HTML.

The package's Markdown escapes the source's markup already; the renderer does
not rely on it: raw HTML is disabled (so ``<script>`` stays text), links and
images are not recognised at all (so ``[x](javascript:…)`` stays text) and no
table extension is loaded (so ``| a | b |`` stays text).
"""

from __future__ import annotations

import re
from functools import cache

import markdown
from markdown.extensions import Extension

from juesuan.site.html import Markup, el, join

_DISABLED_INLINE = (
    "html",
    "link",
    "image_link",
    "reference",
    "image_reference",
    "short_reference",
    "short_image_ref",
    "autolink",
    "automail",
)
_HEADING = re.compile(r"<(/?)h([1-5])>")


class _Inert(Extension):  # type: ignore[misc]
    """No raw HTML, no links, no images."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Deregister the processors that would let source text become markup."""
        md.preprocessors.deregister("html_block")
        # juesuan.text.escape also escapes these; without the table extension
        # Markdown would print their backslashes.
        md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, "<", "|", "~", "="]
        for name in _DISABLED_INLINE:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)


@cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=[_Inert()], output_format="html")


def to_html(text: str, shift: int = 0) -> Markup:
    """Markdown as HTML with raw HTML and links disabled; headings moved down ``shift``."""
    md = _markdown()
    md.reset()
    rendered = md.convert(text)
    if shift:
        rendered = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}>", rendered)
    return Markup(rendered)


def _inline(text: str) -> Markup:
    html = to_html(text)
    return Markup(html.removeprefix("<p>").removesuffix("</p>"))


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def _unescaped(block: str) -> str:
    return re.sub(r"\\(.)", r"\1", block)


def find_grid(blocks: list[str]) -> tuple[int, int, list[str], list[list[str]]] | None:
    """A table flattened one cell per paragraph: 序号, its headers, then numbered rows.

    Returns (start, end, headers, rows) with ``blocks[start:end]`` the table, or
    None. Rows start at the paragraphs ``1``, ``2``, …; a row with more cells than
    headers has its extra paragraphs joined into the next-to-last column (where
    work descriptions run on), the last cell staying the status column.
    """
    for start, block in enumerate(blocks):
        if _unescaped(block) != "序号":
            continue
        headers = ["序号"]
        index = start + 1
        while index < len(blocks) and _unescaped(blocks[index]) != "1" and len(headers) < 8:
            headers.append(blocks[index])
            index += 1
        if index >= len(blocks) or len(headers) < 3:
            return None
        rows: list[list[str]] = []
        number = 1
        while index < len(blocks) and _unescaped(blocks[index]) == str(number):
            end = index + 1
            while (
                end < len(blocks)
                and _unescaped(blocks[end]) != str(number + 1)
                and not blocks[end].startswith("#")
            ):
                end += 1
            cells = blocks[index + 1 : end]
            width = len(headers) - 1
            if len(cells) > width >= 2:
                cells = [*cells[: width - 2], "\n\n".join(cells[width - 2 : -1]), cells[-1]]
            rows.append([str(number), *cells, *[""] * (width - len(cells))])
            index, number = end, number + 1
        return start, index, headers, rows
    return None


def chapter_html(text: str, shift: int = 1) -> Markup:
    """A chapter without its first heading, with a flattened table rebuilt as a table."""
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        text = "\n".join(lines[1:])
    blocks = _blocks(text)
    grid = find_grid(blocks)
    if grid is None:
        return to_html(text, shift)
    start, end, headers, rows = grid
    table = el(
        "div",
        {"class": "js-scroll"},
        el(
            "table",
            {"class": "js-grid"},
            el("thead", {}, el("tr", {}, [el("th", {}, _inline(h)) for h in headers])),
            el(
                "tbody",
                {},
                [
                    el("tr", {}, [el("td", {}, to_html(cell) if cell else "") for cell in row])
                    for row in rows
                ],
            ),
        ),
    )
    before = to_html("\n\n".join(blocks[:start]), shift)
    after = to_html("\n\n".join(blocks[end:]), shift)
    return join([before, table, after])
