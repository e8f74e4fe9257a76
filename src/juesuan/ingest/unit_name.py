"""The unit's name as the document prints it: in the table headers, headings and titles.

A text layer's name is taken as printed: the header of the tables (单位：XX),
else the part headings (第一部分 XX概况), else the first heading. OCR misreads
words, and the header 单位：万元 (the money unit, not the unit) comes out as
``单位: 万 元``; so a scanned document's name is the one its lines agree on: the
one found most often, on at least :data:`AGREEING` lines of the headers, part
headings and titles (cover, page headers), and more often than any other. A
document whose lines agree on no name has none: the name then comes from the
unit's ``unit.json`` (see juesuan.repository.targets), never from a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from juesuan.taxonomy.tolerance import SHIFTS

_HEADER = re.compile(r"(?:^|\s)(?<!金额)(?:单位|部门)\s*[:：]\s*(\S+)")
"""单位：XX / 部门：XX as a text layer prints it: the name up to a space."""
_SCANNED_HEADER = re.compile(
    r"(?:^|\s)(?<!金额)(?:单位|部门)\s*[:：;；]\s*(.+?)(?=\s*(?:金额)?(?:单位|部门)\s*[:：;；]|$)"
)
"""The same as OCR reads it: the colon as ;, spaces within the name (大数据中 心), so the
name runs to the next 单位： or the line's end."""
_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分(.+?)(?:\d{4}年度?部门决算|概况$)")
_TITLE = re.compile(r"^(.+?)\d{4}年度?部门决算(?:表|公开)?$")
"""A cover, a page header or a title: XX2024年度部门决算(表)."""
HEADING_LENGTH = 60
"""Longer lines are prose, not a cover, title or part heading."""
AGREEING = 2
"""Lines that must give a scanned document's name, the same, for it to be taken."""
_MONEY = frozenset(SHIFTS)
"""What follows 单位： in a header when it is the money unit, not the unit."""
_MARKS = re.compile(r"^[^\u4e00-\u9fff（(]+|[^\u4e00-\u9fff）)]+$")
"""Marks OCR puts around a name (”中共…部 ,), to be set aside."""


@dataclass(frozen=True)
class UnitName:
    """The name a document gives its unit, or "" with what its lines gave instead."""

    name: str
    doubt: str = ""
    """For a scanned document with no name its lines agree on: the names read, counted."""


def is_name(text: str) -> bool:
    """Whether ``text`` can be a unit's name: two characters at least, not a money unit."""
    chinese = re.findall(r"[\u4e00-\u9fff]", text)
    return len(chinese) >= 2 and text not in _MONEY and not re.search(r"\d", text)


def header_names(lines: Iterable[str], *, scanned: bool) -> list[str]:
    """The names the tables' headers give (部门：XX 单位：万元), one per header."""
    found = []
    pattern = _SCANNED_HEADER if scanned else _HEADER
    for text in lines:
        for match in pattern.finditer(text):
            name = cleaned(match.group(1))
            if is_name(name):
                found.append(name)
    return found


def heading_name(text: str, *, titles: bool) -> str | None:
    """The name a part heading gives (第一部分 XX概况), or a cover or page header.

    A cover's or page header's (XX2024年度部门决算) only with ``titles``.
    """
    flat = cleaned(text)
    if len(flat) > HEADING_LENGTH:
        return None
    match = _HEADING.match(flat) or (_TITLE.match(flat) if titles else None)
    if match is None:
        return None
    name = cleaned(match.group(1))
    return name if is_name(name) else None


def scanned_name(headers: list[str], headings: list[str]) -> UnitName:
    """The name the lines of a scanned document agree on, or "" and what they gave."""
    counted = Counter([*headers, *headings])
    ranked = counted.most_common(2)
    if ranked and ranked[0][1] >= AGREEING and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
        return UnitName(ranked[0][0])
    read = "、".join(f"{name} ×{count}" for name, count in counted.most_common(4))
    return UnitName("", read or "no name at all")


def cleaned(text: str) -> str:
    """The text without the spaces OCR puts between characters, nor marks around it."""
    return _MARKS.sub("", re.sub(r"\s+", "", text))
