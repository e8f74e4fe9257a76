"""名词解释: terms, definitions and their numbered sub-items."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from juesuan.ingest.narrative import paragraphs

# A term is numbered (一), （一） or 一、; its sub-items 1. 1、 (1) or （1）. OCR spaces
# them out: (一 ), (十 一 ), 十 、.
_ORDINAL = "[一二三四五六七八九十](?:\\s*[一二三四五六七八九十])*"
_TERM = re.compile(rf"^\s*(?:[（(]\s*({_ORDINAL})\s*[）)]|({_ORDINAL})\s*、)\s*(.*)$")
_ITEM = re.compile(r"^\s*(?:(\d+)\s*[.、．]|[（(]\s*(\d+)\s*[）)])\s*(.*)$")
_SEPARATOR = re.compile(r"[:：]")
_READ_SEPARATOR = re.compile(r"[:：;；]")
"""OCR reads a term's colon as a semicolon too (收入 ; 指…)."""
_TERM_LENGTH = 30
"""A semicolon further into the line than this ends a clause of the definition."""
_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"。")
_END = re.compile(r"^\s*附件\s*[:：]")


@dataclass(frozen=True)
class Entry:
    """A term or a sub-item of a term."""

    order: int
    number: str
    """(一) → 一 for terms, 1 for sub-items."""
    term: str
    definition: str
    parent: int | None
    line: int


def parse_glossary(
    lines: Sequence[tuple[int, str]], *, scanned: bool = False
) -> tuple[list[Entry], list[tuple[int, str]]]:
    """Entries of a 名词解释 part, and the lines after it that are not glossary.

    ``scanned``: the part was read by OCR, whose spaces within a term ("三 公 ” 经费)
    are not the document's, and whose colon may be a semicolon.
    """
    split = _read_split if scanned else _split
    entries: list[Entry] = []
    rest: list[tuple[int, str]] = []
    parent: int | None = None
    for number, text in paragraphs(lines):
        if rest or _END.match(text):
            rest.append((number, text))
            continue
        term = _TERM.match(text)
        item = _ITEM.match(text)
        if term:
            head, definition = split(term.group(3))
            if not entries and not definition and head.endswith("名词解释"):
                continue  # the part's heading, numbered as the parts are (五、名词解释)
            ordinal = _SPACE.sub("", term.group(1) or term.group(2))
            entries.append(Entry(len(entries) + 1, ordinal, head, definition, None, number))
            parent = len(entries)
        elif item and parent is not None:
            head, definition = split(item.group(3))
            ordinal = item.group(1) or item.group(2)
            entries.append(Entry(len(entries) + 1, ordinal, head, definition, parent, number))
        elif not entries:
            continue  # the part's heading or an introduction, kept in the narrative
        else:
            last = entries[-1]
            entries[-1] = Entry(
                last.order,
                last.number,
                last.term,
                last.definition + text.strip(),
                last.parent,
                last.line,
            )
    return entries, rest


def _split(text: str) -> tuple[str, str]:
    """Term and definition, split at the first colon, else after the first sentence."""
    match = _SEPARATOR.search(text) or _SENTENCE.search(text)
    if match:
        return text[: match.start()].strip(), text[match.end() :].strip()
    return text.strip(), ""


def _read_split(text: str) -> tuple[str, str]:
    """Term and definition as OCR read them: the term without its spaces."""
    match = next(
        (
            m
            for m in _READ_SEPARATOR.finditer(text)
            if m.group() in ":：" or m.start() <= _TERM_LENGTH
        ),
        None,
    )
    match = match or _SENTENCE.search(text)
    if match:
        return _SPACE.sub("", text[: match.start()]), text[match.end() :].strip()
    return _SPACE.sub("", text), ""
