"""Statements the 情况说明 makes about table cells (schemas/checks/narrative.yaml).

The validator checks them against the tables; the ingest uses them, with a low
weight, to choose between placements the tables' own arithmetic leaves open.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from juesuan.paths import SCHEMAS
from juesuan.taxonomy.codes import valid_codes
from juesuan.taxonomy.tolerance import UNIT, shift_of
from juesuan.text import load_yaml, normalise

# An amount with its unit: most sentences state 万元, some 元 (1,234,567.89元).
_AMOUNT = r"(?P<{name}>\d[\d,]*(?:\.\d+)?(?:万元|元))"
_PERCENT = r"(?P<{name}>\d+(?:\.\d+)?)%"
_PLACEHOLDER = re.compile(r"\{([a-z])\}")

CellKey = tuple[str, str, str]


@dataclass(frozen=True)
class Statement:
    """A kind of sentence about amounts, declared in narrative.yaml."""

    id: str
    description: str
    pattern: re.Pattern[str]
    cells: dict[str, tuple[str, ...]]
    shares: dict[str, tuple[str, str]]


@cache
def statements() -> tuple[Statement, ...]:
    """The declared statements."""
    data = load_yaml((SCHEMAS / "checks" / "narrative.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TypeError("schemas/checks/narrative.yaml: a mapping with statements expected")
    result = []
    for item in data["statements"]:

        def expand(match: re.Match[str]) -> str:
            name = match.group(1)
            return (_PERCENT if name in "pq" else _AMOUNT).format(name=name)

        pattern = re.compile(_PLACEHOLDER.sub(expand, item["pattern"]))
        result.append(
            Statement(
                item["id"],
                item["description"],
                pattern,
                {k: tuple(v) for k, v in (item.get("cells") or {}).items()},
                {k: (v[0], v[1]) for k, v in (item.get("shares") or {}).items()},
            )
        )
    return tuple(result)


def found_in(
    paragraphs: Iterable[tuple[int | None, str]], year: int
) -> Iterator[tuple[Statement, dict[str, str], str, int | None]]:
    """Each statement found in ``paragraphs`` (line, text), resolved for ``year``.

    Yields the statement (a 类 named in the sentence already put in its cells),
    the numbers it states by placeholder, the paragraph (spaces removed) and its line.
    """
    for line, raw in paragraphs:
        if "元" not in raw and "%" not in raw:
            continue  # every statement states an amount or a share
        text = normalise(raw)
        for statement in statements():
            for match in statement.pattern.finditer(text):
                stated = {k: v for k, v in match.groupdict().items() if v is not None}
                resolved = statement
                if "name" in stated:
                    code = class_codes(year).get(stated.pop("name"))
                    if code is None:
                        continue  # not a 类 the code list names: about something else
                    resolved = _for_code(statement, code)
                yield resolved, stated, text, line


def evidence(
    paragraphs: Iterable[tuple[int | None, str]], year: int
) -> list[tuple[CellKey, Decimal]]:
    """Cells the narrative states a value for, each naming exactly one cell."""
    found = []
    for statement, stated, _text, _line in found_in(paragraphs, year):
        for name, refs in statement.cells.items():
            number = number_of(stated.get(name, ""))
            if len(refs) == 1 and number is not None:
                table, row, column = refs[0].split(":")
                found.append(((table, row, column), number))
    return found


@cache
def class_codes(year: int) -> dict[str, str]:
    """类 codes by their names in ``year`` (with and without the 支出 suffix)."""
    codes = {}
    for code, entry in valid_codes("function", year).items():
        if entry.level == "类":
            codes[normalise(entry.name)] = code
            codes[normalise(entry.name).removesuffix("支出")] = code
    return codes


def _for_code(statement: Statement, code: str) -> Statement:
    """The statement with ``{code}`` in its cells and shares replaced by ``code``."""
    return Statement(
        statement.id,
        statement.description,
        statement.pattern,
        {k: tuple(r.replace("{code}", code) for r in refs) for k, refs in statement.cells.items()},
        {
            k: (a.replace("{code}", code), b.replace("{code}", code))
            for k, (a, b) in statement.shares.items()
        },
    )


def number_of(text: str) -> Decimal | None:
    """A stated number (an amount in 万元, exactly), separators removed; None if it does not read.

    ``text`` is as stated: 282.91万元, 2,829,100.00元 (282.91 万元), or a percentage's
    number (59.2).
    """
    digits, unit = _split_unit(text)
    try:
        number = Decimal(digits.replace(",", "")) if digits else None
    except InvalidOperation:
        return None
    return number.scaleb(shift_of(unit)) if number is not None and unit != UNIT else number


def decimals_of(text: str) -> int:
    """How many decimals of 万元 (of a percentage) a stated number gives: 16万元 0, 1.50元 6."""
    digits, unit = _split_unit(text)
    printed = len(digits.split(".")[1]) if "." in digits else 0
    return printed - shift_of(unit) if unit != UNIT else printed


def _split_unit(text: str) -> tuple[str, str]:
    """(digits, unit) of a stated amount; a percentage's number is in no unit (万元 kept)."""
    for unit in ("万元", "元"):
        if text.endswith(unit):
            return text.removesuffix(unit), unit
    return text, UNIT
