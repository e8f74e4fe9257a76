"""Narrative chapters as Markdown: headings, numbered items, paragraphs and tables.

PDF text flow breaks every line; lines are joined back into paragraphs unless a
line starts a heading or an item, or the previous one ends a sentence. A table
the reader saw as a grid inside a chapter (三公经费 figures, a list of 重点工作)
stays a table: a Markdown pipe table whose cells are escaped text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from juesuan.ingest.source import Document
from juesuan.text import escape

Rows = list[list[str]]

_HEADING_1 = re.compile(r"^\s*[一二三四五六七八九十]+、")
_HEADING_2 = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]")
"""(一), or (一 ) as OCR reads it."""
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


def sections(
    lines: Sequence[tuple[int, str]], document: Document | None
) -> list[tuple[int, str | Rows]]:
    """The chapter's lines as runs of text lines and tables, each with its first line.

    A table is a run of grid rows of at least two rows and two cells; a row written
    as one plain line (a title, a note) and text between the rows end it.
    """
    cells = document.cells if document else {}
    out: list[tuple[int, str | Rows]] = []
    table: dict[int, list[str]] = {}
    start = 0

    def end_table() -> None:
        nonlocal table
        rows = list(table.values())
        if len(rows) >= 2 and max(len(row) for row in rows) >= 2:
            width = max(len(row) for row in rows)
            out.append((start, [row + [""] * (width - len(row)) for row in rows]))
        else:  # too small to be a table: its cells stay paragraphs
            out.extend((start, f"\t{text}") for row in rows for text in row)
        table = {}

    for number, text in lines:
        entry = cells.get(number)
        if entry is not None and not entry.plain:
            if not table:
                start = number
            table.setdefault(entry.row, []).append(entry.cell.text)
            continue
        if table and entry is None and document is not None and document.in_grid(number):
            continue  # the empty line ending a row, a wrapped cell's later line
        if table:
            end_table()
        out.append((number, text))
    if table:
        end_table()
    return out


def to_markdown(
    title: str, lines: Sequence[tuple[int, str]], document: Document | None = None
) -> str:
    """A chapter as Markdown; the source's words are escaped, never markup."""
    out = [f"# {escape(title)}", ""]
    run: list[tuple[int, str]] = []
    for number, section in [*sections(lines, document), (0, [])]:
        if isinstance(section, str):
            run.append((number, section))
            continue
        out += _paragraphs_markdown(run)
        run = []
        if section:
            out += [*_pipe_table(section), ""]
    return "\n".join(out).rstrip() + "\n"


def _pipe_table(rows: Rows) -> list[str]:
    """A pipe table; each cell escaped inline, so a ``|`` in it is text."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(escape(cell, inline=True) for cell in cells) + " |"

    return [line(rows[0]), "|" + " --- |" * len(rows[0]), *(line(row) for row in rows[1:])]


def _paragraphs_markdown(lines: Sequence[tuple[int, str]]) -> list[str]:
    out: list[str] = []
    for _number, text in paragraphs(lines):
        if _HEADING_1.match(text) and len(text) <= 40:
            out += [f"## {escape(text)}", ""]
        elif _HEADING_2.match(text) and len(text) <= 40 and not re.search("[:：]", text):
            out += [f"### {escape(text)}", ""]
        else:
            out += [escape(text), ""]
    return out
