"""Find the parts of a disclosure: 概况, the tables, 情况说明, 重点工作, 名词解释.

Tables are recognised by their titles, whatever their number or order; the
other parts by their headings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

from juesuan.errors import SourceError
from juesuan.ingest.source import Document
from juesuan.ingest.tokens import holds_table_amounts
from juesuan.ingest.unit_name import (
    HEADING_LENGTH,
    UnitName,
    cleaned,
    header_names,
    heading_name,
    is_name,
    scanned_name,
)
from juesuan.taxonomy import Edition, Table, edition_in_force, variants
from juesuan.taxonomy.confusables import confusables, distance, look_alike_cost
from juesuan.taxonomy.titles import table_meant, tables_meant, title_meaning
from juesuan.text import normalise
from juesuan.years import year_problem

_PART = re.compile(r"^\s*第([一二三四五六七八九十]+)部分\s*(.*)$")
_YEAR_PREFIX = re.compile(r"^(\d{4})\s*年(?:度)?")
_NUMBER = re.compile(
    r"(公开\s*\d{1,2}\s*表|（\s*表\s*\d{1,2}\s*）|\(\s*表\s*\d{1,2}\s*\)|表\s*\d{1,2})"
)
_LOOKS_LIKE_TITLE = re.compile(r"决算(明细)?表\s*(（\s*表\s*\d+\s*）)?$")


@dataclass(frozen=True)
class TableSpan:
    """Where one table stands in the source."""

    table: Table
    title: str
    """The title line as printed."""
    number: str | None
    """The number as printed (公开01表, 表1), when printed."""
    year: int | None
    title_line: int
    body: tuple[tuple[int, str], ...]
    """(line number, text) of every line after the title up to the next table."""


@dataclass(frozen=True)
class Part:
    """A narrative part of the document: heading and its lines."""

    key: str
    heading: str
    lines: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Outline:
    """The recognised structure of a disclosure."""

    edition: Edition
    year: int
    unit: str
    tables: tuple[TableSpan, ...]
    parts: tuple[Part, ...] = field(default=())
    tables_range: tuple[int, int] = (0, 0)
    """First and last source line of the tables section."""
    missing: tuple[str, ...] = ()
    """Ids of the edition's tables the document does not print."""
    unit_doubt: str = ""
    """When a scan's lines agree on no unit name (``unit`` is ""): the names they gave."""


@cache
def _title_catalogue() -> list[tuple[str, Edition, Table]]:
    catalogue = []
    for edition in variants():
        for table in edition.tables.values():
            for title in (table.title, *table.aliases):
                catalogue.append((normalise(title), edition, table))
    # Longest first, so 基本支出决算明细表 is not taken for a shorter title.
    catalogue.sort(key=lambda entry: len(entry[0]), reverse=True)
    return catalogue


_QUOTE_CLASS = {
    "“": '["“”＂]',
    "”": '["“”＂]',
    '"': '["“”＂]',
    "（": "[（(]",
    "）": "[）)]",
    "(": "[（(]",
    ")": "[）)]",
}


# A title run into the end of the previous table's last line: after its note's
# full stop or its last amount (…情况。收入决算表, 258.50支出决算表).
_RUN_ON = re.compile(r"(?:[。；;]|\d\.\d{2})\s*$")


# A unit's name before a title: a short run of name characters ending as unit
# names end, with no punctuation or digits that would make it a sentence or a list.
_UNIT_PREFIX = re.compile(
    r"[\u4e00-\u9fff（）()]{2,38}(?:局|委员会|委|办公室|办|中心|院|所|部|厅|站|队|馆|校|处|会|社|署|司|室)"
    r"(?:[（(]本级[）)])?"
)


@dataclass(frozen=True)
class _TitleHit:
    """A table title found in a line, possibly amid other text."""

    line: int
    start: int
    end: int
    hits: tuple[tuple[Edition, Table], ...]
    number: str | None
    year: int | None
    through: tuple[int, int] | None = None
    """For a title wrapped onto the next line: that line, and where the title ends on it."""
    printed: str | None = None
    """The title as printed, when it is not ``line[start:end]`` (a wrapped title)."""


@cache
def _title_pattern() -> re.Pattern[str]:
    titles = sorted({title for title, _e, _t in _title_catalogue()}, key=len, reverse=True)
    # Possessive \s*+ and no leading \s*: a long run of spaces is scanned once,
    # never backtracked into from every position (linear, not quadratic).
    alternatives = "|".join(
        r"\s*+".join(_QUOTE_CLASS.get(char, re.escape(char)) for char in title) for title in titles
    )
    return re.compile(
        rf"(?:(?P<year>\d{{4}}\s*+年\s*+度?)\s*+)?(?P<title>{alternatives})"
        r"(?P<number>\s*+(?:公开\s*+\d{1,2}\s*+表|[（(]\s*+表\s*+\d{1,2}\s*+[）)]))?"
        r"(?:\s*+(?:[（(]\s*+续表?\s*+[）)]|续表))?"
    )


@cache
def _title_index() -> dict[str, tuple[tuple[Edition, Table], ...]]:
    index: dict[str, list[tuple[Edition, Table]]] = {}
    for title, edition, table in _title_catalogue():
        index.setdefault(title, []).append((edition, table))
    return {title: tuple(hits) for title, hits in index.items()}


def _find_titles(number: int, text: str) -> list[_TitleHit]:
    """Titles in ``text``, at the start of the line or after other text.

    After other text, only with the year prefix (two tables run together on a
    line), after the previous table's last note or amount, or after the unit's
    name alone (上海市XX局收入支出决算总表).
    """
    found = []
    for match in _title_pattern().finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if (
            before.strip()
            and not match.group("year")
            and not _RUN_ON.search(before)
            and not _UNIT_PREFIX.fullmatch(before.strip())
        ):
            continue
        if after.strip() and not re.match(r"\s|单位|部门|金额|公开", after):
            continue
        hits = _title_index().get(normalise(match.group("title")))
        if not hits:
            continue
        hits = _with_meaning(hits, match.group("title"))
        year = re.match(r"\d{4}", match.group("year") or "")
        number_text = match.group("number")
        found.append(
            _TitleHit(
                number,
                match.start(),
                match.end(),
                hits,
                re.sub(r"[\s()（）]", "", number_text) if number_text else None,
                int(year.group()) if year else None,
            )
        )
    if not found and len(text.strip()) <= _TITLE_LENGTH and "表" in text:
        found += _titles_by_meaning(number, text)
    return found


_TITLE_LENGTH = 60
"""Longer lines are prose, not a title."""

_NUMBER_TOKEN = r"(?:公开\s*\d{1,2}\s*表|附\s*表\s*\d{1,2}|表\s*[\d一二三四五六七八九十]{1,3})"
# A line that is a title alone: perhaps its number before or after it, the year
# after it in brackets, 续表, and the 单位 line run into it.
_TITLE_LINE = re.compile(
    rf"^\s*(?:(?P<lead>{_NUMBER_TOKEN})[\s:：、.．]*)?"
    r"(?P<title>\S.*?表)"
    r"(?:\s*[（(]\s*(?P<year_after>\d{4})\s*年度?\s*[）)])?"
    rf"(?:\s*[（(]?\s*(?P<number>{_NUMBER_TOKEN})\s*[）)]?)?"
    r"(?:\s*(?:[（(]\s*续表?\s*[）)]|续表))?"
    r"(?:\s*(?:金额)?单位\s*[:：].*)?\s*$"
)


def _with_meaning(
    hits: tuple[tuple[Edition, Table], ...], title: str
) -> tuple[tuple[Edition, Table], ...]:
    """``hits`` and, for every edition that prints ``title`` otherwise, its table of that meaning.

    One edition's wording of a title (an overlay's 国有资本经营预算财政拨款收入支出决算表)
    is another's table all the same.
    """
    meaning = title_meaning(title)
    if meaning is None:
        return hits
    known = {edition.key for edition, _table in hits}
    more = tuple(
        (edition, table)
        for edition in variants()
        if edition.key not in known and (table := table_meant(edition, meaning)) is not None
    )
    return hits + more


def _titles_by_meaning(number: int, text: str) -> list[_TitleHit]:
    """A title worded otherwise than any edition prints it, read by what it means.

    The unit's name may stand before it (上海市XX局部门收支决算总表): every split
    where what comes before is a unit's name is tried, shortest first.
    """
    match = _TITLE_LINE.match(text)
    if match is None:
        return []
    title = match.group("title")
    year = re.search(r"(\d{4})\s*年度?", title)
    for cut in range(len(title)):
        before = title[:cut].strip()
        if before and not _UNIT_PREFIX.fullmatch(before):
            continue
        meaning = title_meaning(title[cut:])
        if meaning is None:
            continue
        hits = _with_meaning((), title[cut:])
        if not hits:
            return []
        number_text = match.group("lead") or match.group("number")
        printed_year = match.group("year_after") or (year.group(1) if year else None)
        return [
            _TitleHit(
                number,
                match.start("title") + cut,
                match.end("title"),
                hits,
                re.sub(r"[\s()（）]", "", number_text) if number_text else None,
                int(printed_year) if printed_year else None,
            )
        ]
    return []


def editions_for(document: Document) -> list[Edition]:
    """The editions worth trying for ``document``, in order.

    First the edition in force in the document's year, in the form (national or
    a province's overlay) it matches best; then, should it not fit, the others
    that know every table title the document prints, best match first.
    """
    candidates = _candidates(document)
    ranked = _ranked_editions(document, candidates)
    if not candidates:
        return ranked[:1]
    in_force = edition_in_force(document_year(document)).id
    own = [edition for edition in ranked if edition.id == in_force]
    others = [
        edition
        for edition in ranked
        if edition.id != in_force
        and all(any(e.key == edition.key for e, _t in hit.hits) for hit in candidates)
    ]
    return own + others


@lru_cache(maxsize=4)
def _candidates(document: Document) -> list[_TitleHit]:
    """Every table title in the document (cached: each edition tried reads them)."""
    candidates: list[_TitleHit] = []
    lines = document.lines
    wrapped: set[int] = set()
    for number, text in enumerate(lines, start=1):
        if not text.strip() or number in wrapped:
            continue
        found = _find_titles(number, text)
        if (
            not found
            and number < len(lines)
            and (hit := _wrapped_title(number, text, lines[number]))
        ):
            wrapped.add(number + 1)
            found = [hit]
        candidates += found
    return candidates


_FRAGMENT_LENGTH = 40
"""Longer lines are not half a title."""


def _wrapped_title(number: int, first: str, second: str) -> _TitleHit | None:
    """A title broken over two lines (2024年度一般公共预算财政拨款 / 基本支出决算表).

    Only a title that starts on the first line and ends on the second counts: a
    line before a whole title (the unit's name, a running head) is not part of it.
    """
    if (
        first.startswith("\t")
        or second.startswith("\t")
        or not second.strip()
        or len(first.strip()) > _FRAGMENT_LENGTH
        or len(second.strip()) > _FRAGMENT_LENGTH
        or first.rstrip().endswith("表")
        or holds_table_amounts(first)
    ):
        return None
    head = first.rstrip()
    indent = len(second) - len(second.lstrip())
    joined = head + second.strip()
    for hit in _find_titles(number, joined):
        if hit.start < len(head) < hit.end:
            return _TitleHit(
                number,
                hit.start,
                len(first),
                hit.hits,
                hit.number,
                hit.year,
                through=(number + 1, hit.end - len(head) + indent),
                printed=joined[hit.start : hit.end],
            )
    return None


def outline(document: Document, edition: Edition | None = None) -> Outline:
    """Recognise the tables and the narrative parts of ``document``.

    ``edition`` is the edition to read it in; by default, the one it matches best.
    """
    candidates = _candidates(document)
    if not candidates:
        raise SourceError(
            document.path,
            "no disclosure table title found",
            expected="titles such as 收入支出决算总表 or 收入决算表",
        )
    edition = edition or _ranked_editions(document, candidates)[0]
    chosen: list[tuple[_TitleHit, Table]] = []
    continuations: list[_TitleHit] = []
    for hit in candidates:
        table = next((t for e, t in hit.hits if e.key == edition.key), None)
        if table is None:
            continue
        if chosen and chosen[-1][1].id == table.id:
            continuations.append(hit)  # the same table again after a page break
        else:
            chosen.append((hit, table))
    chosen = _without_contents_list(document, chosen)
    tables_end = _tables_end(document, chosen[0][0].line, chosen[-1][0].line)
    known = {h.line for h in candidates} | {h.through[0] for h in candidates if h.through}
    extras = _extra_tables(document, edition, known, chosen[0][0].line, tables_end)
    _reject_unknown_titles(
        document, edition, known | {e.line for e in extras}, chosen[0][0].line, tables_end
    )
    stops = sorted([hit for hit, _table in chosen] + extras, key=lambda h: h.line)
    spans = []
    for hit, table in chosen:
        stop = next((s for s in stops if s.line > hit.line), None)
        body = _body(document, hit, stop, tables_end, continuations)
        title = _printed(document, hit)
        number = hit.number or _number_nearby(body)
        spans.append(TableSpan(table, title, number, hit.year, hit.line, body))
    missing = _check_complete(document, edition, spans)
    _reject_rows_before_tables(document, spans[0].title_line)
    year = document_year(document)
    unit = _unit_name(document, spans)
    parts = _parts(document, spans[0].title_line, tables_end)
    parts = _with_extra_tables(document, parts, extras, stops, tables_end)
    return Outline(
        edition,
        year,
        unit.name,
        tuple(spans),
        parts,
        (spans[0].title_line, tables_end - 1),
        missing,
        unit.doubt,
    )


def _without_contents_list(
    document: Document, chosen: list[tuple[_TitleHit, Table]]
) -> list[tuple[_TitleHit, Table]]:
    """The titles less a table of contents that lists them.

    A title whose table is printed again further on, and under which no table
    row stands (no cell, no amounts) before the next title, is an entry of a
    contents list, not the table.
    """
    last: dict[str, int] = {}
    for index, (_hit, table) in enumerate(chosen):
        last[table.id] = index
    kept = []
    for index, (hit, table) in enumerate(chosen):
        stop = chosen[index + 1][0].line if index + 1 < len(chosen) else hit.line + 1
        lines = [document.line(hit.line)[hit.end :]]
        lines += [document.line(n) for n in range(hit.line + 1, stop)]
        rowless = not any(line.startswith("\t") or holds_table_amounts(line) for line in lines)
        if rowless and last[table.id] > index:
            continue
        kept.append((hit, table))
    return kept


def _body(
    document: Document,
    hit: _TitleHit,
    stop: _TitleHit | None,
    tables_end: int,
    continuations: list[_TitleHit],
) -> tuple[tuple[int, str], ...]:
    """The lines of a table after its title, up to the next table's title.

    Parts of lines count: a title may share its line with the end of the previous
    table; a repeated title (the table continued after a page break) is cut out.
    """
    stop_line, stop_column = (stop.line, stop.start) if stop else (tables_end, 0)
    cuts: dict[int, list[tuple[int, int]]] = {}
    for other in continuations:
        cuts.setdefault(other.line, []).append((other.start, other.end))
    body = []
    for number in range(hit.line, min(stop_line, len(document.lines) + 1)):
        body.append((number, document.line(number)))
    if stop and stop_column and stop_line <= len(document.lines):
        body.append((stop_line, document.line(stop_line)))
    result = []
    through_line, through_column = hit.through or (None, 0)
    for number, text in body:
        begin = hit.end if number == hit.line else 0
        if number == through_line:
            begin = through_column
        end = stop_column if stop and number == stop_line else len(text)
        piece = text[begin:end]
        for cut_start, cut_end in sorted(cuts.get(number, ()), reverse=True):
            if begin <= cut_start and cut_end <= end:
                piece = piece[: cut_start - begin] + piece[cut_end - begin :]
        if number in (hit.line, through_line) and not piece.strip():
            continue
        result.append((number, piece))
    return tuple(result)


def _printed(document: Document, hit: _TitleHit) -> str:
    """A title as printed, on one line or wrapped over two."""
    return (hit.printed or document.line(hit.line)[hit.start : hit.end]).strip()


def _ranked_editions(document: Document, candidates: list[_TitleHit]) -> list[Edition]:
    """Editions by how well the document matches their titles, numbers and labels.

    A title printed as the edition (or overlay) prints it counts more than an
    alias; on a tie the national form comes before an overlay.
    """
    text = normalise("".join(document.lines))
    scores: Counter[str] = Counter()
    for hit in candidates:
        printed = normalise(_printed(document, hit))
        for edition, table in hit.hits:
            scores[edition.key] += 10 + (normalise(table.title) in printed)
            if hit.number and normalise(hit.number) == normalise(table.number):
                scores[edition.key] += 5
    found = variants()
    # 行次 and 栏次 printed: a template that prints neither (an overlay's) fits worse.
    numbered = "行次" in text or "栏次" in text
    for edition in found:
        if numbered:
            scores[edition.key] -= 3 * sum(not t.column_numbers for t in edition.tables.values())
        for table in edition.tables.values():
            for row in table.rows:
                if row.label and not row.placeholder and normalise(row.label) in text:
                    scores[edition.key] += 1
    return sorted(
        found,
        key=lambda e: (scores[e.key], e.first_year, e.overlay is None),
        reverse=True,
    )


def _number_nearby(body: tuple[tuple[int, str], ...]) -> str | None:
    for _line, text in body[:3]:
        match = _NUMBER.search(text)
        if match and normalise(text) == normalise(match.group()):
            return re.sub(r"[\s()（）]", "", match.group())
    return None


# The next part's heading run into the end of the last table's note (…本表无数据。第三部分 …).
_PART_RUN_ON = re.compile(r"[。；;]\s*第[一二三四五六七八九十]+部分")


_NUMERALS = "一二三四五六七八九十"


def _part_number(text: str) -> int | None:
    match = _PART.match(text)
    numeral = match.group(1) if match else ""
    return _NUMERALS.index(numeral) + 1 if len(numeral) == 1 else None


def _tables_end(document: Document, first_title: int, last_title: int) -> int:
    # The heading of the tables' own part (or an earlier one) printed again amid
    # the last table does not end it: the rows under it would go to the narrative.
    own = next(
        (
            found
            for number in range(first_title - 1, 0, -1)
            if (found := _part_number(document.line(number))) is not None
        ),
        None,
    )
    for number in range(last_title + 1, len(document.lines) + 1):
        text = document.line(number)
        again = _part_number(text)
        if own is not None and again is not None and again <= own:
            continue
        if (
            _PART.match(text)
            or _PART_RUN_ON.search(text)
            or re.search(r"决算情况的?说明\s*$", text)
        ):
            return number
    return len(document.lines) + 1


# Words a table of these documents names in its title; a line ending in 表 without
# one (…详见下表) is not taken for a table.
_TABLE_WORDS = ("决算", "收入", "支出", "经费", "资产", "采购", "绩效", "预算")
_NOT_IN_TITLE = re.compile(r"[，。；：:,;、！？]")
# What a heading of the tables part says (2024年度部门决算表): no table of its own.
_PART_WORDS = re.compile(r"\d{4}\s*年度?|部门决算")


def _extra_tables(
    document: Document, edition: Edition, known: set[int], first: int, tables_end: int
) -> list[_TitleHit]:
    """Tables the edition does not have, printed among its own (…项目支出决算表).

    A unit may print more tables than the template asks for. Their titles mean no
    table of the edition (a title that could mean one of its tables is left to
    ``_reject_unknown_titles``); they end the table before them, and are kept as
    printed, as a part of the narrative, rather than read into it.
    """
    extras = []
    for number in range(first + 1, tables_end):
        text = document.line(number)
        if number in known or text.startswith("\t") or len(text.strip()) > _TITLE_LENGTH:
            continue
        match = _TITLE_LINE.match(text)
        if match is None:
            continue
        title = match.group("title").strip()
        if (
            _PART.match(text)
            or title.startswith("注")
            or _NOT_IN_TITLE.search(title)
            or not any(word in _PART_WORDS.sub("", title) for word in _TABLE_WORDS)
        ):
            continue
        meaning = title_meaning(title)
        if meaning is not None and tables_meant(edition, meaning):
            continue
        extras.append(_TitleHit(number, 0, len(text), (), None, None))
    return extras


def _with_extra_tables(
    document: Document,
    parts: tuple[Part, ...],
    extras: list[_TitleHit],
    stops: list[_TitleHit],
    tables_end: int,
) -> tuple[Part, ...]:
    """``parts`` with each table the edition lacks, as printed, after the tables' heading."""
    if not extras:
        return parts
    kept = []
    for index, extra in enumerate(extras, start=1):
        stop = next((s.line for s in stops if s.line > extra.line), tables_end)
        lines = tuple((n, document.line(n)) for n in range(extra.line, stop))
        kept.append(Part(f"extra_table_{index}", document.line(extra.line).strip(), lines))
    at = next((i + 1 for i, part in enumerate(parts) if part.key == "tables"), 1)
    return (*parts[:at], *kept, *parts[at:])


def _reject_unknown_titles(
    document: Document, edition: Edition, known: set[int], first: int, tables_end: int
) -> None:
    """A line in the tables section that looks like a title but is none we know."""
    for number in range(first, tables_end):
        text = document.line(number).strip()
        if number in known or len(text) > 60 or text.startswith(("注", "\t")):
            continue
        flat = normalise(text)
        if _LOOKS_LIKE_TITLE.search(flat) and _YEAR_PREFIX.match(flat):
            titles = "、".join(t.title for t in edition.tables.values())
            meaning = title_meaning(text)
            could_be = tables_meant(edition, meaning) if meaning else ()
            ambiguous = (
                f": it could mean {' or '.join(f'{t.number} {t.title}' for t in could_be)}"
                if len(could_be) > 1
                else ""
            )
            raise SourceError(
                document.path,
                f"unknown table title {text!r}{ambiguous}",
                line=number,
                expected=f"one of the {edition.id} edition's tables: {titles}",
            )


def _reject_rows_before_tables(document: Document, first_title: int) -> None:
    """Table rows before the first title found belong to a table not recognised."""
    for number in range(1, first_title):
        text = document.line(number)
        if holds_table_amounts(text):
            raise SourceError(
                document.path,
                f"table amounts before the first table title found: {text.strip()[:60]!r}",
                line=number,
                expected="a title the edition knows above every table (see schemas/editions/)",
            )


def _check_complete(
    document: Document, edition: Edition, spans: list[TableSpan]
) -> tuple[str, ...]:
    """The tables the document does not print; an error if a table is printed twice.

    A unit may leave out a table it has nothing to report in; a document that
    lacks half the edition's tables is not in that edition at all.
    """
    seen = Counter(span.table.id for span in spans)
    for table_id, count in seen.items():
        if count > 1:
            lines = [span.title_line for span in spans if span.table.id == table_id]
            raise SourceError(
                document.path,
                f"table printed {count} times",
                line=lines[1],
                table=table_id,
                expected="each table once",
            )
    missing = tuple(t for t in edition.table_order if t not in seen)
    if len(missing) * 2 >= len(edition.table_order):
        names = "、".join(f"{edition.tables[t].number} {edition.tables[t].title}" for t in missing)
        raise SourceError(
            document.path,
            f"table missing: {names}",
            table=missing[0],
            expected=f"the {len(edition.table_order)} tables of the {edition.id} edition",
        )
    return missing


_HEADING_YEAR = re.compile(r"(\d{4})年度?部门决算")


@lru_cache(maxsize=4)
def document_year(document: Document) -> int:
    """The year the accounts are for: from the table titles, else the headings.

    Cover, part headings and titles must agree: a document whose headings name
    two years is refused, naming both.
    """
    printed: dict[int, int] = {}
    for hit in _candidates(document):
        if hit.year:
            printed.setdefault(hit.year, hit.line)
    for number, text in enumerate(document.lines, start=1):
        flat = normalise(text)
        match = _HEADING_YEAR.search(flat) if len(flat) <= HEADING_LENGTH else None
        if match and not text.startswith("\t"):
            printed.setdefault(int(match.group(1)), number)
    if not printed:
        hits = _candidates(document)
        raise SourceError(
            document.path,
            "no year in the table titles or the headings",
            line=hits[0].line if hits else None,
            expected="a title such as 2024年度收入支出决算总表 or a heading such as "
            "第二部分 XX单位2024年度部门决算表",
        )
    if len(printed) > 1:
        (first, first_line), (second, second_line) = sorted(printed.items(), key=lambda y: y[1])[:2]
        raise SourceError(
            document.path,
            f"the document names two years: {first} (line {first_line}) and {second}",
            line=second_line,
            expected="one year in the cover, the part headings and the table titles",
        )
    ((year, line),) = printed.items()
    if problem := year_problem(year):
        raise SourceError(
            document.path,
            f"the document is for {year}: {problem}",
            line=line,
            expected="the year the accounts are for, as the titles print it",
        )
    return year


def _unit_name(document: Document, spans: list[TableSpan]) -> UnitName:
    """The unit's name (see juesuan.ingest.unit_name): as printed, or as a scan agrees on."""
    scanned = document.ocr is not None
    headers = header_names(
        (text for span in spans for _line, text in span.body[:8]), scanned=scanned
    )
    lines = [text for text in document.lines if not text.startswith("\t")]
    if scanned:
        headings = [n for text in lines if (n := heading_name(text, titles=True))]
        cover = [
            m.group(2)
            for text in lines[:5]
            if (m := _PART.match(text)) and heading_name(text, titles=True) is None
        ]
        headings += [n for text in cover if is_name(n := cleaned(text))]
        return scanned_name(headers, headings)
    if headers:
        return UnitName(Counter(headers).most_common(1)[0][0])
    # The part headings name the unit: 第一部分 XX概况, 第二部分 XX2024年度部门决算表.
    headings = [n for text in lines if (n := heading_name(text, titles=False))]
    if headings:
        return UnitName(Counter(headings).most_common(1)[0][0])
    for text in document.lines[:5]:
        match = _PART.match(text)
        if match and match.group(2).strip():
            return UnitName(match.group(2).strip())
    raise SourceError(
        document.path,
        "no unit name found",
        line=spans[0].title_line,
        expected="a header such as 单位：武汉市某某局",
    )


_PART_KEYS = (
    ("名词解释", "glossary"),
    ("重点工作", "key_work"),
    ("情况说明", "explanation"),
    ("情况的说明", "explanation"),
)

# A part heading printed without 第N部分: the part's name alone on a short line,
# perhaps after a top-level numeral (四、名词解释). Sub-headings of a part name
# no part (六、一般公共预算财政拨款基本支出决算情况说明 is not 部门决算情况说明).
_BARE_PART = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]\s*)?"
    r"(?P<name>\S{0,30}?(?:名词解释|重点工作(?:完成)?情况|部门决算情况的?说明))\s*[:：]?\s*$"
)


def _part_key(heading: str, *, scanned: bool) -> str | None:
    """The part a heading names; read by OCR, also with a character or two misread.

    OCR's heading is compared without its spaces and marks (”名 词解释), and each
    declared name matched by the weighted distance labels are (名词解粹); the lines
    a heading wraps onto are prose as likely, and matched exactly.
    """
    key = next((k for word, k in _PART_KEYS if word in heading), None)
    if key is not None or not scanned:
        return key
    flat = re.sub(r"[^\u4e00-\u9fff]", "", heading)
    alike = confusables()
    for word, found in _PART_KEYS:
        bound = max(look_alike_cost(), _PART_SHARE * len(word))
        for size in range(len(word) - 1, len(word) + 2):
            for start in range(max(len(flat) - size + 1, 0)):
                if distance(flat[start : start + size], word, alike, bound) <= bound:
                    return found
    return None


_PART_SHARE = 0.25
"""A part's name is found in an OCR'd heading within this distance per character: one
character of 名词解释 may be misread, for the heading says it heads a part."""


def _bare_headings(document: Document, tables_end: int) -> list[tuple[int, str]]:
    """Part headings after the tables printed without 第N部分, each part's first only."""
    found: list[tuple[int, str]] = []
    seen: set[str] = set()
    for number in range(tables_end, len(document.lines) + 1):
        text = document.line(number)
        if _PART.match(text):
            continue
        match = _BARE_PART.match(text)
        if match is None and document.read_by_ocr(number):
            # OCR's spaces and marks set aside (四、名 词解释”).
            match = _BARE_PART.match(re.sub(r"[\s“”\"'‘’]", "", text))
        if match is None:
            continue
        key = _part_key(match.group("name"), scanned=document.read_by_ocr(number))
        if key is None:
            continue
        if key not in seen:
            seen.add(key)
            found.append((number, text))
    return found


def _parts(document: Document, tables_start: int, tables_end: int) -> tuple[Part, ...]:
    """The narrative parts around the tables section."""
    headings = [
        (number, text)
        for number, text in enumerate(document.lines, start=1)
        if _PART.match(text) and not tables_start <= number < tables_end
    ]
    parts = []
    # 概况: everything before the tables, less a heading that introduces the tables.
    overview_end = tables_start
    for number, _text in headings:
        if number < tables_start and "决算表" in "".join(document.lines[number - 1 : number + 2]):
            overview_end = min(overview_end, number)
    overview = tuple((n, document.line(n)) for n in range(1, overview_end))
    parts.append(Part("overview", "概况", overview))
    # The heading that introduces the tables (第二部分 …决算表) is kept too.
    introduction = tuple((n, document.line(n)) for n in range(overview_end, tables_start))
    if any(text.strip() for _n, text in introduction):
        parts.append(Part("tables", "部门决算表", introduction))
    after = [(n, t) for n, t in headings if n >= tables_end]
    if not after or (len(after) == 1 and after[0][0] == tables_end):
        # No 第N部分 after the tables (or only the one that ends them): the parts
        # may be headed by their names alone.
        named = {n for n, _t in after}
        after += [(n, t) for n, t in _bare_headings(document, tables_end) if n not in named]
        after.sort()
    if not after or after[0][0] != tables_end:
        after.insert(
            0,
            (tables_end, document.line(tables_end))
            if tables_end <= len(document.lines)
            else (tables_end, ""),
        )
    for index, (number, text) in enumerate(after):
        end = after[index + 1][0] if index + 1 < len(after) else len(document.lines) + 1
        bare = _BARE_PART.match(text)
        heading = bare.group("name") if bare else _PART.sub(r"\2", text).strip() or text.strip()
        scanned = document.read_by_ocr(number)
        key = _part_key(heading, scanned=scanned)
        if key is None:
            # The heading wrapped: its rest names the part on one of the next lines.
            joined = heading
            for later in range(number + 1, min(number + 5, end)):
                joined += document.line(later).strip()
                key = _part_key(joined, scanned=False)
                if key is not None:
                    heading = joined
                    break
            key = key or f"part_{index + 2}"
        # The heading lines stay in the part: nothing the source says is dropped.
        body = tuple((n, document.line(n)) for n in range(number, end))
        parts.append(Part(key, heading, body))
    return tuple(parts)
