"""Numbers the 情况说明 states, checked against the tables (schemas/checks/narrative.yaml)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

import yaml

from juesuan.codes import valid_codes
from juesuan.document import normalise
from juesuan.paths import SCHEMAS
from juesuan.validation.findings import Finding
from juesuan.validation.loaded import LoadedPackage

_AMOUNT = r"(?P<{name}>\d[\d,]*(?:\.\d+)?)万元"
_PERCENT = r"(?P<{name}>\d+(?:\.\d+)?)%"
_PLACEHOLDER = re.compile(r"\{([a-z])\}")


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
    data = yaml.safe_load((SCHEMAS / "checks" / "narrative.yaml").read_text(encoding="utf-8"))
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


def matches(package: LoadedPackage) -> list[tuple[Statement, re.Match[str], str, int | None]]:
    """Every declared statement found in the package's 情况说明, with its paragraph."""
    path = package.folder / "narrative.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        paragraphs = [r for r in csv.DictReader(handle) if r.get("part") == "explanation"]
    found = []
    for paragraph in paragraphs:
        if "万元" not in paragraph.get("text", "") and "%" not in paragraph.get("text", ""):
            continue  # every statement states an amount or a share
        text = normalise(paragraph.get("text", ""))
        line_text = paragraph.get("source_line", "")
        line = int(line_text) if line_text.isdigit() else None
        for statement in statements():
            for match in statement.pattern.finditer(text):
                found.append((statement, match, text, line))
    return found


def check_narrative(package: LoadedPackage) -> list[Finding]:
    """A warning for every stated number that the tables contradict."""
    findings = []
    for statement, match, text, line in matches(package):
        findings += _check(package, statement, match, text, line)
    return findings


def _value(package: LoadedPackage, ref: str) -> Decimal:
    table, row, column = ref.split(":")
    return package.values.get((table, row, column), Decimal(0))


def _check(
    package: LoadedPackage, statement: Statement, match: re.Match[str], text: str, line: int | None
) -> list[Finding]:
    stated = {k: v for k, v in match.groupdict().items() if v is not None}
    if "name" in stated:
        code = _class_codes(package.year).get(stated.pop("name"))
        if code is None:
            return []  # not a 类 the code list names: the sentence is about something else
        statement = _for_code(statement, code)
    findings = []
    for name, refs in statement.cells.items():
        if name not in stated or refs[0].split(":")[0] not in package.tables:
            continue
        number = _number(stated[name])
        if number is None:
            continue
        values = [_value(package, ref) for ref in refs]
        # Both the sentence and the table print 万元; a sentence that rounds further
        # (16万元) is held to its own precision, one that prints cents to the cent.
        limit = _half_unit(stated[name]) if _decimals(stated[name]) < 2 else Decimal(0)
        if not any(abs(number - value) <= limit for value in values):
            findings.append(
                _finding(package, statement, text, line, refs[0], number, values[0], "万元")
            )
    for name, (top, bottom) in statement.shares.items():
        if name not in stated:
            continue
        numerator, denominator = (
            _number(stated[part])
            if part in stated
            else (_value(package, part) if ":" in part else None)
            for part in (top, bottom)
        )
        percent = _number(stated[name])
        if numerator is None or denominator in (None, 0) or percent is None:
            continue
        computed = numerator / denominator * 100
        if abs(computed - percent) > _half_unit(stated[name]) * Decimal("1.01"):
            findings.append(
                _finding(
                    package,
                    statement,
                    text,
                    line,
                    None,
                    percent,
                    computed.quantize(Decimal("0.01")),
                    "%",
                )
            )
    return findings


@cache
def _class_codes(year: int) -> dict[str, str]:
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


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _half_unit(text: str) -> Decimal:
    return Decimal(5) / Decimal(10) ** (_decimals(text) + 1)


def _finding(
    package: LoadedPackage,
    statement: Statement,
    text: str,
    line: int | None,
    ref: str | None,
    stated: Decimal,
    table_value: Decimal,
    unit: str,
) -> Finding:
    table, row, column = ref.split(":") if ref else (None, None, None)
    sentence = _sentence(text, str(stated))
    return Finding(
        rule=statement.id,
        severity="warning",
        message=(
            f"the narrative states {stated}{unit} where the tables give "
            f"{table_value}{unit}: “{sentence}”"
        ),
        message_zh=f"{statement.description}：情况说明写作 {stated}{unit}，表中为 "
        f"{table_value}{unit}。原文：“{sentence}”",
        table=table,
        row=row,
        column=column,
        expected=str(table_value),
        found=str(stated),
        difference=str(stated - table_value),
        file=str(package.folder / package.source_file) if package.source_file else None,
        line=line,
    )


def _sentence(text: str, number: str) -> str:
    """The sentence of ``text`` that states ``number``."""
    for sentence in re.split(r"(?<=[。；])", text):
        if number.rstrip("0").rstrip(".") in sentence:
            return sentence
    return text[:120]
