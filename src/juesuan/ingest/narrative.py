"""Narrative chapters as Markdown: headings, numbered items and paragraphs.

PDF text flow breaks every line; lines are joined back into paragraphs unless a
line starts a heading or an item, or the previous one ends a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from juesuan.text import escape

_HEADING_1 = re.compile(r"^\s*[一二三四五六七八九十]+、")
_HEADING_2 = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")
_ITEM = re.compile(r"^\s*(\d+[.、．](?!\d)|[（(]\d+[）)]|[①②③④⑤⑥⑦⑧⑨⑩])")
_CHART = re.compile(r"^\s*图\s*\d+\s*[:：]")
_SENTENCE_END = ("。", "：", ":", "；", ";", "！", "？")


def _starts_block(text: str) -> bool:
    return bool(
        _HEADING_1.match(text)
        or _HEADING_2.match(text)
        or _ITEM.match(text)
        or _CHART.match(text)
        or text.startswith("\t")
    )


def _continues(previous: str, text: str) -> bool:
    """Whether ``text`` carries on the paragraph (or wrapped heading) ``previous``."""
    if previous.endswith(_SENTENCE_END):
        return False
    if _HEADING_1.match(previous) or _HEADING_2.match(previous):
        return len(text) <= 8
    return True


def paragraphs(lines: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join wrapped lines into paragraphs, each with the line it starts on."""
    result: list[tuple[int, str]] = []
    for number, raw in lines:
        text = raw.rstrip()
        if not text.strip():
            continue
        if (
            result
            and not _starts_block(text)
            and not result[-1][1].endswith(_SENTENCE_END)
            and not _HEADING_1.match(result[-1][1])
        ):
            result[-1] = (result[-1][0], result[-1][1] + text.strip())
        else:
            result.append((number, text.strip()))
    return result


def to_markdown(title: str, lines: Sequence[tuple[int, str]]) -> str:
    """A chapter as Markdown; the source's words are escaped, never markup."""
    out = [f"# {escape(title)}", ""]
    for _number, text in paragraphs(lines):
        if _HEADING_1.match(text) and len(text) <= 40:
            out += [f"## {escape(text)}", ""]
        elif _HEADING_2.match(text) and len(text) <= 40 and not re.search("[:：]", text):
            out += [f"### {escape(text)}", ""]
        else:
            out += [escape(text), ""]
    return "\n".join(out).rstrip() + "\n"
