"""What a table title means, so a title worded otherwise is still recognised.

Provinces print the national tables under titles of their own: 部门收支决算总表
for 收入支出决算总表, …决算明细表 for …决算表, 政府性基金预算财政拨款支出决算表
for the 收入支出 one. Read by the grammar in ``schemas/checks/titles.yaml``, a
title means a fund, a qualifier and a direction; a printed title is taken for
the one table of an edition that means the same, or failing that the one table
that comes closest in a way that cannot mean another table. Anything less
certain is not recognised, and the ingest says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from juesuan.paths import SCHEMAS
from juesuan.taxonomy.model import Edition, Table
from juesuan.text import load_yaml, normalise

_QUOTES = re.compile("[\"'“”‘’＂＇「」『』]")
_YEAR = re.compile(r"\d{4}年度?")


@dataclass(frozen=True)
class TitleMeaning:
    """What a title names: [fund] [qualifier] direction."""

    fund: str | None
    qualifier: str | None
    direction: str

    def __str__(self) -> str:
        return " ".join(part for part in (self.fund, self.qualifier, self.direction) if part)


@dataclass(frozen=True)
class _Grammar:
    noise: tuple[str, ...]
    synonyms: tuple[tuple[str, str], ...]
    funds: tuple[tuple[str, str], ...]
    """(word, fund id), longest words first."""
    generic_funds: frozenset[str]
    qualifiers: tuple[tuple[str, str], ...]
    directions: tuple[tuple[str, str], ...]
    sides: dict[str, frozenset[str]]
    pattern: re.Pattern[str]


def _words(entries: list[dict[str, object]]) -> tuple[tuple[str, str], ...]:
    pairs = [(str(word), str(entry["id"])) for entry in entries for word in entry["words"]]  # type: ignore[attr-defined]
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


def _alternatives(pairs: tuple[tuple[str, str], ...]) -> str:
    return "|".join(re.escape(word) for word, _id in pairs)


@cache
def _grammar() -> _Grammar:
    data = load_yaml((SCHEMAS / "checks" / "titles.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    funds = _words(data["funds"])
    qualifiers = _words(data["qualifiers"])
    directions = _words(data["directions"])
    pattern = re.compile(
        rf"(?P<fund>{_alternatives(funds)})?"
        rf"(?P<qualifier>{_alternatives(qualifiers)})?"
        rf"(?P<direction>{_alternatives(directions)})"
    )
    return _Grammar(
        noise=tuple(sorted(map(str, data["noise"]), key=len, reverse=True)),
        synonyms=tuple((str(a), str(b)) for a, b in data["synonyms"].items()),
        funds=funds,
        generic_funds=frozenset(str(f["id"]) for f in data["funds"] if f.get("generic")),
        qualifiers=qualifiers,
        directions=directions,
        sides={str(d["id"]): frozenset(map(str, d["sides"])) for d in data["directions"]},
        pattern=pattern,
    )


def title_meaning(title: str) -> TitleMeaning | None:
    """The meaning of ``title`` (a year before it allowed), or None when it has none.

    A title of the accounts says 决算; the whole title must be the grammar's
    words once noise is set aside: a title
    with a word the grammar does not know (项目支出绩效…, 机关运行经费…) means
    nothing here, rather than something close.
    """
    grammar = _grammar()
    key = _QUOTES.sub("", _YEAR.sub("", normalise(title)))
    if "决算" not in key:
        return None  # 部门收支总表 and its like are the budget's tables, not the accounts'
    for word, replacement in grammar.synonyms:
        key = key.replace(word, replacement)
    for word in grammar.noise:
        key = key.replace(word, "")
    if not key.endswith("表"):
        return None
    match = grammar.pattern.fullmatch(key[:-1])
    if match is None:
        return None

    def lookup(pairs: tuple[tuple[str, str], ...], word: str | None) -> str | None:
        return next((id_ for w, id_ in pairs if w == word), None) if word else None

    direction = lookup(grammar.directions, match["direction"])
    assert direction is not None
    return TitleMeaning(
        lookup(grammar.funds, match["fund"]),
        lookup(grammar.qualifiers, match["qualifier"]),
        direction,
    )


_MEANINGS: dict[str, tuple[tuple[TitleMeaning, Table], ...]] = {}
"""Each edition's tables by meaning, by edition key (editions are not hashable)."""


def _meanings(edition: Edition) -> tuple[tuple[TitleMeaning, Table], ...]:
    if edition.key in _MEANINGS:
        return _MEANINGS[edition.key]
    found = []
    for table_id in edition.table_order:
        table = edition.tables[table_id]
        meaning = title_meaning(table.title)
        if meaning is not None:
            found.append((meaning, table))
    _MEANINGS[edition.key] = tuple(found)
    return _MEANINGS[edition.key]


def table_meaning_clashes(edition: Edition) -> list[str]:
    """Tables of ``edition`` whose titles mean nothing, or the same as another's."""
    problems = []
    seen: dict[TitleMeaning, str] = {}
    meant = {table.id for _m, table in _meanings(edition)}
    for table_id in edition.table_order:
        if table_id not in meant:
            problems.append(f"{table_id}: {edition.tables[table_id].title!r} means nothing")
    for meaning, table in _meanings(edition):
        if meaning in seen:
            problems.append(f"{table.id} and {seen[meaning]} both mean {meaning}")
        seen.setdefault(meaning, table.id)
    return problems


def table_meant(edition: Edition, meaning: TitleMeaning) -> Table | None:
    """The one table of ``edition`` a title of ``meaning`` stands for, if exactly one."""
    found = tables_meant(edition, meaning)
    return found[0] if len(found) == 1 else None


def tables_meant(edition: Edition, meaning: TitleMeaning) -> tuple[Table, ...]:
    """The tables of ``edition`` a title of ``meaning`` may stand for.

    In order, stopping at the first step that finds any table: the same meaning;
    for a specific fund (政府性基金, 国有资本经营, 一般公共预算), the table of that
    fund and qualifier printing either side of it (a province prints the 收入支出
    table as 支出 only, or the other way round); the same qualifier and a side in
    common, with the generic fund (财政拨款) on one side and a specific one on the
    other. Sides in common rather than the same direction: whether a title could
    mean two tables must not hang on how one template words a third.
    """
    grammar = _grammar()
    tables = _meanings(edition)
    steps: tuple[Callable[[TitleMeaning], bool], ...] = (
        lambda m: m == meaning,
        lambda m: (
            meaning.fund is not None
            and meaning.fund not in grammar.generic_funds
            and m.fund == meaning.fund
            and m.qualifier == meaning.qualifier
            and bool(grammar.sides[m.direction] & grammar.sides[meaning.direction])
        ),
        lambda m: (
            m.qualifier == meaning.qualifier
            and bool(grammar.sides[m.direction] & grammar.sides[meaning.direction])
            and m.fund is not None
            and meaning.fund is not None
            and (m.fund in grammar.generic_funds) != (meaning.fund in grammar.generic_funds)
        ),
    )
    for step in steps:
        found = [table for m, table in tables if step(m)]
        if found:
            return tuple(found)
    return ()
