"""Labels and titles OCR misread by one look-alike character, read as the edition's.

Tesseract reads 年末 as 年未 now and then, and a row label that is none of the
edition's leaves its row unknown. On a page read by OCR, a label (a cell, or a
word of a flowed line) that is no label of the edition, but becomes exactly one
when one of its characters is swapped for a look-alike
(``schemas/checks/ocr_confusables.yaml``), is read as that label; so is a cell
whose label is read whole after a garbled ordinal (:、 for 三、), when one label
of the edition is printed with an ordinal before that text. A table title
is long enough to be known with any one character misread (决自 for 决算): a
line that prints no title but exactly one with one character otherwise is
read as printing that one. Each repair is recorded in the
package with what was read. Two possible labels, or none, leave the text as
read; text from a text layer is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from juesuan.ingest.ocr_correct import Correction
from juesuan.ingest.source import Document
from juesuan.taxonomy import Edition
from juesuan.taxonomy.codes import codelist
from juesuan.taxonomy.confusables import confusables
from juesuan.text import normalise

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、,，.]|[（(][一二三四五六七八九十]+[)）])")
"""A label's ordinal: 三、 or （三）."""
_GARBLED_ORDINAL = re.compile(
    r"[-—–_~=|\s:：;；.,，'\"“”‘’一二三四五六七八九十]{1,6}[、,，.:：]\s*|[^\u4e00-\u9fff\d\s]{1,2}\s+"
)
"""What OCR makes of a label's ordinal (三、) now and then: a mark or two, and a comma."""
_SHORTEST = 3
"""Labels shorter than this are left as read: one swap in two characters is too likely."""
_SHORTEST_PREFIX = 4
"""A wrapped label's first line is matched as a prefix of the label from this length."""
_SHORTEST_TITLE = 6
"""A title is long: one character in six or more read otherwise still names one table."""
_TITLE_END = re.compile(r"\s*(?:[（(]?\s*(?:公开|表)\s*\d+\s*表?\s*[)）]?)?\s*")
"""What may follow a title on its line: its number (（表1）, 公开01表)."""
_PAGE = re.compile(r"^page (\d+),")


@dataclass(frozen=True)
class _Vocabulary:
    labels: dict[str, frozenset[tuple[str, str]]]
    """Every label, and its forms without an ordinal and its longer prefixes → (table, row)."""
    ordinals: dict[str, dict[str, tuple[str, str]]]
    """A label printed after an ordinal, without it → the labels with it, and their owner."""
    titles: dict[str, str]
    """Every title → the table it names."""
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    """Each title, and a pattern matching it with any one character read otherwise."""


def repair_labels(document: Document, edition: Edition) -> tuple[Document, list[Correction]]:
    """``document`` with its OCR'd labels and titles mended, and the repairs made."""
    if document.ocr is None:
        return document, []
    pages = set(document.ocr.pages)
    vocabulary = _vocabulary(edition)
    changed: dict[int, str] = {}
    repairs: list[Correction] = []
    for number, text in enumerate(document.lines, start=1):
        where = _PAGE.match(document.location(number) or "")
        if where is None or int(where.group(1)) not in pages or not text.strip():
            continue
        mended = text
        # A cell read anew whole takes no other repair.
        found = list(_ordinals(text, vocabulary)) or [
            *_labels(text, vocabulary),
            *_titles(text, vocabulary),
        ]
        for start, read, fixed, owner in found:
            mended = mended[:start] + fixed + mended[start + len(read) :]
            table, row = owner
            repairs.append(
                Correction(
                    number, read, fixed, None, "vocabulary", table, row, "", (), start, "label"
                )
            )
        if mended != text:
            changed[number] = mended
    if not changed:
        return document, []
    return document.with_lines(changed), repairs


def _labels(text: str, vocabulary: _Vocabulary) -> Iterator[tuple[int, str, str, tuple[str, str]]]:
    """Each word of ``text`` one look-alike from exactly one label: start, read, label, owner."""
    for match in re.finditer(r"\S+", text):
        read = match.group()
        if len(read) < _SHORTEST or _known(read, vocabulary) or not _has_han(read):
            continue
        fixed = {candidate for candidate in _swaps(read) if _known(candidate, vocabulary)}
        if len(fixed) == 1:
            (label,) = fixed
            owners = vocabulary.labels.get(normalise(label)) or vocabulary.labels.get(
                normalise(_ORDINAL.sub("", label)), frozenset()
            )
            owner = next(iter(owners)) if len(owners) == 1 else ("", "")
            yield match.start(), read, label, owner


def _ordinals(
    text: str, vocabulary: _Vocabulary
) -> Iterator[tuple[int, str, str, tuple[str, str]]]:
    """A cell whose label is read whole but its ordinal not (:、 for 三、), and one label fits."""
    body = text[1:]
    garbled = _GARBLED_ORDINAL.match(body)
    if not text.startswith("\t") or garbled is None or _ORDINAL.fullmatch(garbled.group()):
        return
    labels = vocabulary.ordinals.get(normalise(body[garbled.end() :]), {})
    if len(labels) == 1:
        ((label, owner),) = labels.items()
        yield 1, body, label, owner


def _titles(text: str, vocabulary: _Vocabulary) -> Iterator[tuple[int, str, str, tuple[str, str]]]:
    """Each title ``text`` prints with one character read otherwise, naming one table."""
    if text.startswith("\t") or any(title in text for title in vocabulary.titles):
        return
    found: dict[tuple[int, str], set[str]] = {}
    for title, pattern in vocabulary.patterns:
        for match in pattern.finditer(text):
            read = match.group()
            # A title ends its line (but for its number), and in 表: 决算总体情况 is prose.
            if (
                read[-1] == title[-1]
                and _TITLE_END.fullmatch(text[match.end() :])
                and sum(a != b for a, b in zip(read, title, strict=True)) == 1
            ):
                found.setdefault((match.start(), read), set()).add(title)
    for (start, read), titles in sorted(found.items()):
        if len(titles) == 1:
            (title,) = titles
            yield start, read, title, (vocabulary.titles[title], "")


def _swaps(word: str) -> Iterator[str]:
    """``word`` with one character swapped for one of its look-alikes."""
    alike = confusables()
    for index, char in enumerate(word):
        for other in alike.get(char, ()):
            yield word[:index] + other + word[index + 1 :]


def _known(word: str, vocabulary: _Vocabulary) -> bool:
    form = normalise(word)
    return form in vocabulary.labels or _ORDINAL.sub("", form) in vocabulary.labels


def _has_han(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


_VOCABULARIES: dict[str, _Vocabulary] = {}


def _vocabulary(edition: Edition) -> _Vocabulary:
    if edition.key not in _VOCABULARIES:
        _VOCABULARIES[edition.key] = _vocabulary_of(edition)
    return _VOCABULARIES[edition.key]


def _vocabulary_of(edition: Edition) -> _Vocabulary:
    labels: dict[str, set[tuple[str, str]]] = {}

    ordinals: dict[str, dict[str, tuple[str, str]]] = {}

    def add(label: str, owner: tuple[str, str]) -> None:
        full = normalise(label)
        if _ORDINAL.match(full):
            ordinals.setdefault(_ORDINAL.sub("", full), {})[label] = owner
        for form in {full, _ORDINAL.sub("", full)}:
            if len(form) < _SHORTEST:
                continue
            labels.setdefault(form, set()).add(owner)
            for end in range(_SHORTEST_PREFIX, len(form)):
                labels.setdefault(form[:end], set()).add(owner)

    titles: dict[str, str] = {}
    for table in edition.tables.values():
        for title in (table.title, *table.aliases):
            titles[normalise(title)] = table.id
        for row in table.rows:
            for label in (row.label, *row.aliases):
                add(label, (table.id, row.id))
        for column in table.columns:
            for label in (column.label, *column.aliases):
                add(label, (table.id, ""))
        if table.layout in ("classified", "economic"):
            for entry in codelist(table.codelist or "function"):
                add(entry.name, (table.id, entry.code))
    patterns = tuple(
        (
            title,
            re.compile(
                "|".join(
                    re.escape(title[:i]) + "." + re.escape(title[i + 1 :])
                    for i in range(len(title))
                )
            ),
        )
        for title in titles
        if len(title) >= _SHORTEST_TITLE
    )
    return _Vocabulary({k: frozenset(v) for k, v in labels.items()}, ordinals, titles, patterns)
