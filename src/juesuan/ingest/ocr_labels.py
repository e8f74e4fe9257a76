"""Labels and titles OCR misread, read as the edition's when one is clearly meant.

Tesseract reads 年末 as 年未 now and then, and 二十六、抗疫特别国债安排的支出
as -十 六、抗疫特别国俩安排的文出; a row label that is none of the edition's
leaves its row unknown. On a page read by OCR, a label (a cell, or a word of a
flowed line) that is no label of the edition is compared with the labels its
place allows: those of the table the last title named (all the edition's
before one), or, on a row that prints a code, the names of that code alone
(its template label and the code list's names), a witness of its own that
lets any one character be misread. The
distance weighs a look-alike (``schemas/checks/ocr_confusables.yaml``) less than
any other change (:func:`juesuan.taxonomy.confusables.distance`); the nearest
label is read when it is within a share of its length and clearly nearer than
any other. A cell whose label is read whole after a garbled ordinal (:、 for
三、) is the one label printed with an ordinal before that text. A table title
ending its line is known by the same distance and margin (决自 for 决算), whatever
precedes it on the line.
Each repair is recorded in the package with what was read and its distance.
Two labels about as near, or none near, leave the text as read; prose and text
from a text layer are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from juesuan.ingest.ocr_correct import Correction
from juesuan.ingest.source import Document
from juesuan.taxonomy import Edition
from juesuan.taxonomy.codes import codelist
from juesuan.taxonomy.confusables import confusables, distance, look_alike_cost
from juesuan.taxonomy.titles import table_meant, title_meaning
from juesuan.text import normalise

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、,，.]|[（(][一二三四五六七八九十]+[)）])")
"""A label's ordinal: 三、 or （三）."""
_GARBLED_ORDINAL = re.compile(
    r"[-—–_~=|\s:：;；.,，'\"“”‘’一二三四五六七八九十]{1,6}[、,，.:：]\s*|[^\u4e00-\u9fff\d\s]{1,2}\s+"
)
"""What OCR makes of a label's ordinal (三、) now and then: a mark or two, and a comma."""
_SHORTEST = 3
"""Labels shorter than this are left as read: one change in two characters is too likely."""
_SHORTEST_PREFIX = 4
"""A wrapped label's first line is known as a prefix of the label from this length."""
_SHORTEST_TITLE = 6
"""Titles shorter than this are left as read, as short labels are."""
_SHARE = 0.2
"""A label is repaired within this distance per character of it (3 in 15)."""
_MARGIN = 0.5
"""The second nearest label is at least this much farther than the nearest, and half
again as far: nearer than that, OCR could have meant either."""
_PROSE = re.compile(r"[。，；！？]")
"""A word with a sentence's punctuation is prose, never a label."""
_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
_TITLE_END = re.compile(r"\s*(?:[（(]?\s*(?:公开|表)\s*\d+\s*表?\s*[)）]?)?\s*")
"""What may follow a title on its line: its number (（表1）, 公开01表)."""
_PAGE = re.compile(r"^page (\d+),")
_SIDE_ROWS = 3
_SIDE_SHARE = 0.25
"""A column holds one side's labels when this many of its cells are labels, and this
share of the fullest column's: a header's few (收入, 行次) make no side."""

Owner = tuple[str, str]
"""The table and row (or code) a label is of; a column's row is ""."""
Candidate = tuple[str, str, Owner]
"""A label's form for matching, the label as printed, and its owner."""
Found = tuple[int, str, str, Owner, float | None]
"""Where a repair starts in its line, what was read, what it is read as, owner, distance."""


@dataclass(frozen=True)
class _Vocabulary:
    labels: dict[str, frozenset[Owner]]
    """Every label, and its forms without an ordinal and its longer prefixes → owners."""
    ordinals: dict[str, dict[str, Owner]]
    """A label printed after an ordinal, without it → the labels with it, and their owner."""
    titles: dict[str, str]
    """Every title → the table it names."""
    long_titles: tuple[str, ...]
    """The titles long enough to be known with a character or more read otherwise."""
    tables: dict[str, tuple[Candidate, ...]]
    """Each table's labels (rows, columns, code names) to match; "" → all the edition's."""
    names: dict[str, dict[str, tuple[Candidate, ...]]]
    """Each table (and "") → each code → the names it may carry there."""
    sides: dict[str, tuple[tuple[Candidate, ...], ...]]
    """Each two-sided table → for each side, left to right, the labels it may print:
    its rows' and the table's columns'."""


def repair_labels(document: Document, edition: Edition) -> tuple[Document, list[Correction]]:
    """``document`` with its OCR'd labels and titles mended, and the repairs made."""
    if document.ocr is None:
        return document, []
    pages = set(document.ocr.pages)
    vocabulary = _vocabulary(edition)
    alike = confusables()
    codes = _row_codes(document)
    sided = _label_sides(document)

    def side(number: int, text: str) -> int | None:
        # A cell's side is its column's; a line's words stand on no one side.
        return sided.get(number) if text.startswith("\t") else None

    scope = ""
    changed: dict[int, str] = {}
    repairs: list[Correction] = []
    for number, text in enumerate(document.lines, start=1):
        where = _PAGE.match(document.location(number) or "")
        mended = text
        if where is not None and int(where.group(1)) in pages and text.strip():
            # A cell read anew whole takes no other repair; a title line holds no label.
            found = (
                list(_ordinals(text, vocabulary, alike))
                or list(_titles(text, vocabulary, alike))
                or list(
                    _labels(text, vocabulary, alike, scope, codes.get(number), side(number, text))
                )
            )
            for start, read, fixed, owner, far in found:
                mended = mended[:start] + fixed + mended[start + len(read) :]
                table, row = owner
                repairs.append(
                    Correction(
                        number,
                        read,
                        fixed,
                        None,
                        "vocabulary",
                        table,
                        row,
                        "",
                        (),
                        start,
                        "label",
                        far,
                    )
                )
            if mended != text:
                changed[number] = mended
        if not mended.startswith("\t"):
            scope = _scope(mended, vocabulary, edition, scope)
    if not changed:
        return document, []
    return document.with_lines(changed), repairs


def _scope(text: str, vocabulary: _Vocabulary, edition: Edition, scope: str) -> str:
    """The table whose labels follow ``text``: the one it titles, none for another title."""
    flat = re.sub(r"[（(]?(?:公开|表)\d+表?[)）]?$", "", normalise(text))
    if len(flat) > 60 or not flat.endswith("表"):
        return scope
    named = [title for title in vocabulary.titles if flat.endswith(title)]
    if named:
        return vocabulary.titles[max(named, key=len)]
    meaning = title_meaning(flat)
    if meaning is None:
        return scope
    table = table_meant(edition, meaning)
    return table.id if table is not None else ""


def _row_codes(document: Document) -> dict[int, str]:
    """Each cell's line → the code its row prints for it, where the row prints one.

    A row of two sides (基本支出表: 30101 基本工资 | 30201 办公费) prints a code for
    each: a cell's is the nearest to its left, as each side prints code then name.
    """
    rows: dict[int, list[tuple[int, int]]] = {}
    printed: dict[int, list[tuple[int, str]]] = {}
    for line, written in document.cells.items():
        rows.setdefault(written.row, []).append((written.cell.column, line))
        if _CODE.fullmatch(written.cell.text.strip()):
            code = (written.cell.column, written.cell.text.strip())
            printed.setdefault(written.row, []).append(code)
    found: dict[int, str] = {}
    for row, cells in rows.items():
        codes = sorted(printed.get(row, []))
        for column, line in cells:
            left = [code for at, code in codes if at < column]
            if left:
                found[line] = left[-1]
            elif len(codes) == 1:
                found[line] = codes[0][1]
    return found


def _label_sides(document: Document) -> dict[int, int]:
    """Each label cell's line → its side (0 the left), in a grid of two label columns.

    The side is the rank of the nearest label column at the cell's left. A grid's
    label columns are those holding most cells with a Han character
    (header cells are few: 项目, 行次); a row that prints only its right side's label is
    still of the right side.
    """
    found: dict[int, int] = {}
    for grid in document.grids:
        labels = [
            (cell.column, cell.line)
            for _r, cells in grid.written()
            for cell in cells
            if cell.line is not None and _has_han(cell.text) and not _PROSE.search(cell.text)
        ]
        counted: dict[int, int] = {}
        for column, _line in labels:
            counted[column] = counted.get(column, 0) + 1
        most = max(counted.values(), default=0)
        columns = sorted(c for c, n in counted.items() if n >= max(_SIDE_ROWS, most * _SIDE_SHARE))
        if len(columns) < 2:
            continue
        for column, line in labels:
            left = [rank for rank, at in enumerate(columns) if at <= column]
            if left:
                found[line] = left[-1]
    return found


def _labels(
    text: str,
    vocabulary: _Vocabulary,
    alike: Mapping[str, tuple[str, ...]],
    scope: str,
    code: str | None,
    side: int | None = None,
) -> Iterator[Found]:
    """Each label of ``text`` (a cell, or a flowed line's words) clearly near one label.

    A cell on one side of a two-sided table (收入 | 支出) is matched with that
    side's labels alone: 本年收出合计 on the right is 本年支出合计.
    """
    if text.startswith("\t"):
        spans = [(1, text[1:].rstrip(), code)]
    else:
        words = list(re.finditer(r"\S+", text))
        spans = [
            (
                match.start(),
                match.group(),
                words[i - 1].group() if i and _CODE.fullmatch(words[i - 1].group()) else None,
            )
            for i, match in enumerate(words)
        ]
    for start, read, witness in spans:
        form = normalise(read)
        if (
            len(form) < _SHORTEST
            or _known(form, vocabulary)
            or not _has_han(form)
            or _PROSE.search(form)
        ):
            continue
        if witness is not None:
            # The code is a witness of its own: one character may be anything.
            candidates = vocabulary.names.get(scope, vocabulary.names[""]).get(witness, ())
            nearest = _nearest(form, candidates, alike, 1.0)
        else:
            candidates = vocabulary.tables.get(scope, vocabulary.tables[""])
            by_side = vocabulary.sides.get(scope, ())
            if side is not None and side < len(by_side):
                candidates = by_side[side]
            nearest = _nearest(form, candidates, alike, look_alike_cost())
        if nearest is not None:
            label, owner, far = nearest
            yield start, read, label, owner, far


def _nearest(
    form: str,
    candidates: tuple[Candidate, ...],
    alike: Mapping[str, tuple[str, ...]],
    least: float,
) -> tuple[str, Owner, float] | None:
    """The one label clearly nearest ``form``, within ``least`` or a share of its length."""
    swap = look_alike_cost()
    present = set(form)
    best: dict[str, tuple[float, set[Owner]]] = {}
    for wanted, label, owner in candidates:
        bound = max(least, _SHARE * len(wanted))
        # Each character of the label missing from the text costs at least a look-alike.
        if sum(char not in present for char in wanted) * swap > bound:
            continue
        far = distance(form, wanted, alike, bound)
        if far == float("inf"):
            continue
        kept = best.get(label)
        if kept is None or far < kept[0]:
            best[label] = (far, {owner})
        elif far == kept[0]:
            kept[1].add(owner)
    ranked = sorted((far, label) for label, (far, _owners) in best.items())
    if not ranked:
        return None
    far, label = ranked[0]
    if len(ranked) > 1 and ranked[1][0] < far + max(_MARGIN, far / 2):
        return None
    # Far labels are rivals too: one past the bound may be as near as this one.
    rival = min(
        (
            distance(form, wanted, alike)
            for wanted, other, _owner in candidates
            if other != label and abs(len(wanted) - len(form)) <= far + max(_MARGIN, far / 2)
        ),
        default=float("inf"),
    )
    if rival < far + max(_MARGIN, far / 2):
        return None
    owners = best[label][1]
    owner = next(iter(owners)) if len(owners) == 1 else ("", "")
    return label, owner, far


def _ordinals(
    text: str, vocabulary: _Vocabulary, alike: Mapping[str, tuple[str, ...]]
) -> Iterator[Found]:
    """A cell whose label is read whole but its ordinal not (:、 for 三、), and one label fits."""
    body = text[1:]
    garbled = _GARBLED_ORDINAL.match(body)
    if not text.startswith("\t") or garbled is None or _ORDINAL.fullmatch(garbled.group()):
        return
    labels = vocabulary.ordinals.get(normalise(body[garbled.end() :]), {})
    if len(labels) == 1:
        ((label, owner),) = labels.items()
        yield 1, body, label, owner, distance(normalise(body), normalise(label), alike)


def _titles(
    text: str, vocabulary: _Vocabulary, alike: Mapping[str, tuple[str, ...]]
) -> Iterator[Found]:
    """The title ``text`` ends with, a character or more misread, if one is clearly meant.

    A title ends its line (but for its number) in its own last character (表: 决算
    总体情况 is prose). Each title is matched against the line's end, whatever
    precedes it (a year, the unit's name), by the weighted distance labels are,
    within the same share of its length, and read when clearly nearer than any
    other title by the labels' margin. A title that ends another (收入支出决算总表
    in 财政拨款收入支出决算总表) is left when what precedes it could be the
    other's start with a character (or a fifth of it) misread.
    """
    if text.startswith("\t") or len(text) > 60 or any(t in text for t in vocabulary.titles):
        return
    stop = next(at for at in range(len(text) + 1) if _TITLE_END.fullmatch(text, at))
    body = text[:stop]
    if _PROSE.search(body):
        return
    present = set(normalise(body))
    swap = look_alike_cost()
    best: list[tuple[float, str, int]] = []
    for title in vocabulary.long_titles:
        bound = max(swap, _SHARE * len(title))
        if not body.endswith(title[-1]) or sum(c not in present for c in title) * swap > bound:
            continue
        found = min(
            (
                (far, abs(len(form) - len(title)), at)
                for at in range(len(body))
                if not body[at].isspace()
                and abs(len(form := normalise(body[at:])) - len(title)) <= bound
                and (far := distance(form, title, alike, bound)) < float("inf")
            ),
            default=None,
        )
        if found is not None and found[0] > 0:
            best.append((found[0], title, found[2]))
    best.sort()
    if not best:
        return
    far, title, at = best[0]
    margin = far + max(_MARGIN, far / 2)
    for other_far, other, _at in best[1:]:
        if other_far < margin or (other.endswith(title) and other_far <= margin):
            return
    before = normalise(body[:at])
    for other in vocabulary.long_titles:
        # What precedes the title may be a longer title's start, misread too.
        extra = other[: -len(title)]
        if other.endswith(title) and extra and before:
            tail = before[-len(extra) :]
            if distance(tail, extra, alike) <= max(1.0, _SHARE * len(extra)):
                return
    yield at, body[at:], title, (vocabulary.titles[title], ""), far


def _known(form: str, vocabulary: _Vocabulary) -> bool:
    return form in vocabulary.labels or _ORDINAL.sub("", form) in vocabulary.labels


def _has_han(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


_VOCABULARIES: dict[str, _Vocabulary] = {}


def _vocabulary(edition: Edition) -> _Vocabulary:
    if edition.key not in _VOCABULARIES:
        _VOCABULARIES[edition.key] = _vocabulary_of(edition)
    return _VOCABULARIES[edition.key]


def _vocabulary_of(edition: Edition) -> _Vocabulary:
    labels: dict[str, set[Owner]] = {}
    ordinals: dict[str, dict[str, Owner]] = {}
    tables: dict[str, dict[Candidate, None]] = {"": {}}
    names: dict[str, dict[str, dict[Candidate, None]]] = {"": {}}

    def add(label: str, owner: Owner, code: str | None = None) -> None:
        full = normalise(label)
        bare = _ORDINAL.sub("", full)
        if _ORDINAL.match(full):
            ordinals.setdefault(bare, {})[label] = owner
        for form in {full, bare}:
            if len(form) < _SHORTEST:
                continue
            labels.setdefault(form, set()).add(owner)
            for end in range(_SHORTEST_PREFIX, len(form)):
                labels.setdefault(form[:end], set()).add(owner)
            printed = label if form == full else _ORDINAL.sub("", label.strip())
            for scope in ("", owner[0]):
                tables.setdefault(scope, {})[(form, printed, owner)] = None
                if code is not None:
                    names.setdefault(scope, {}).setdefault(code, {})[(form, printed, owner)] = None

    titles: dict[str, str] = {}
    for table in edition.tables.values():
        for title in (table.title, *table.aliases):
            titles[normalise(title)] = table.id
        for row in table.rows:
            for label in (row.label, *row.aliases):
                add(label, (table.id, row.id), row.code)
        for column in table.columns:
            for label in (column.label, *column.aliases):
                add(label, (table.id, ""))
        if table.layout in ("classified", "economic"):
            for entry in codelist(table.codelist or "function"):
                add(entry.name, (table.id, entry.code), entry.code)
    long_titles = tuple(title for title in titles if len(title) >= _SHORTEST_TITLE)
    sides: dict[str, tuple[tuple[Candidate, ...], ...]] = {}
    for table in edition.tables.values():
        if len(table.sides) < 2:
            continue
        owned = tables.get(table.id, {})
        rows = {row.id: row.side for row in table.rows}
        sides[table.id] = tuple(
            tuple(c for c in owned if c[2][1] == "" or rows.get(c[2][1]) == side.id)
            for side in table.sides
        )
    return _Vocabulary(
        {k: frozenset(v) for k, v in labels.items()},
        ordinals,
        titles,
        long_titles,
        {scope: tuple(found) for scope, found in tables.items()},
        {
            scope: {code: tuple(found) for code, found in by_code.items()}
            for scope, by_code in names.items()
        },
        sides,
    )
