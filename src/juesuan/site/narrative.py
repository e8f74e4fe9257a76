"""Narrative chapters (Markdown in the package) as safe HTML.

The package's Markdown escapes the source's markup already; the renderer does
not rely on it: raw HTML is disabled (so ``<script>`` stays text), links and
images are not recognised at all (so ``[x](javascript:…)`` stays text) and no
table extension is loaded (so ``| a | b |`` stays text).

A table the document prints inside a chapter is in the package as a pipe table
ingest wrote: the only lines starting with an unescaped ``|``, since every ``|``
of the source is escaped. It is read back into rows here and built as a
``<table>`` element by element, each cell rendered as inert text.
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


_DELIMITER = re.compile(r"\|(?: --- \|)+")


def table_rows(block: str) -> list[list[str]] | None:
    """The rows of a pipe table as ingest writes it (cells still escaped), else None."""
    lines = block.splitlines()
    if len(lines) < 2 or not _DELIMITER.fullmatch(lines[1]):
        return None
    if not all(line.startswith("| ") and line.endswith(" |") for line in lines):
        return None
    width = lines[1].count("---")
    rows = [line[2:-2].split(" | ") for line in (lines[0], *lines[2:])]
    return [(row + [""] * width)[:width] for row in rows]


def _table(rows: list[list[str]]) -> Markup:
    head, *body = rows
    return el(
        "div",
        {"class": "js-scroll"},
        el(
            "table",
            {"class": "js-grid"},
            el("thead", {}, el("tr", {}, [el("th", {}, _inline(cell)) for cell in head])),
            el(
                "tbody",
                {},
                [el("tr", {}, [el("td", {}, _inline(cell)) for cell in row]) for row in body],
            ),
        ),
    )


def chapter_html(text: str, shift: int = 1) -> Markup:
    """A chapter without its first heading, its tables as tables."""
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        text = "\n".join(lines[1:])
    parts: list[Markup] = []
    run: list[str] = []
    for block in _blocks(text):
        rows = table_rows(block)
        if rows is None:
            run.append(block)
            continue
        if run:
            parts.append(to_html("\n\n".join(run), shift))
        parts.append(_table(rows))
        run = []
    if run or not parts:
        parts.append(to_html("\n\n".join(run), shift))
    return join(parts)
