"""Numbers the 情况说明 states, checked against the tables (schemas/checks/narrative.yaml)."""

from __future__ import annotations

import csv
import re
from decimal import Decimal

from juesuan.taxonomy.statements import Statement, decimals_of, found_in, number_of
from juesuan.taxonomy.tolerance import PRINTED_DECIMALS, shift_of
from juesuan.validation.findings import Finding
from juesuan.validation.loaded import LoadedPackage


def matches(package: LoadedPackage) -> list[tuple[Statement, dict[str, str], str, int | None]]:
    """Every declared statement found in the package's 情况说明, with its paragraph."""
    path = package.folder / "narrative.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        paragraphs = [
            (int(r["source_line"]) if r.get("source_line", "").isdigit() else None, r["text"])
            for r in csv.DictReader(handle)
            if r.get("part") == "explanation"
        ]
    return list(found_in(paragraphs, package.year))


def check_narrative(package: LoadedPackage) -> list[Finding]:
    """A warning for every stated number that the tables contradict."""
    findings = []
    for statement, stated, text, line in matches(package):
        findings += _check(package, statement, stated, text, line)
    return findings


def _value(package: LoadedPackage, ref: str) -> Decimal:
    table, row, column = ref.split(":")
    return package.values.get((table, row, column), Decimal(0))


def _check(
    package: LoadedPackage,
    statement: Statement,
    stated: dict[str, str],
    text: str,
    line: int | None,
) -> list[Finding]:
    findings = []
    for name, refs in statement.cells.items():
        if name not in stated or refs[0].split(":")[0] not in package.tables:
            continue
        number = number_of(stated[name])
        if number is None:
            continue
        values = [_value(package, ref) for ref in refs]
        # A sentence that rounds further than the table prints (16万元, or 282.91万元
        # of a table in 元) is held to its own precision; one as precise, to the cent.
        table_unit = package.precision.unit(refs[0].split(":")[0])
        precise = decimals_of(stated[name]) >= PRINTED_DECIMALS - shift_of(table_unit)
        limit = Decimal(0) if precise else _half_unit(stated[name])
        if not any(abs(number - value) <= limit for value in values):
            findings.append(
                _finding(
                    package,
                    statement,
                    text,
                    line,
                    refs[0],
                    number,
                    values[0],
                    "万元",
                    quoted=stated[name],
                )
            )
    for name, (top, bottom) in statement.shares.items():
        if name not in stated:
            continue
        numerator, denominator = (
            number_of(stated[part])
            if part in stated
            else (_value(package, part) if ":" in part else None)
            for part in (top, bottom)
        )
        percent = number_of(stated[name])
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


def _half_unit(text: str) -> Decimal:
    """Half a unit of the last digit stated, in 万元 (or percent)."""
    return Decimal(5).scaleb(-decimals_of(text) - 1)


def _finding(
    package: LoadedPackage,
    statement: Statement,
    text: str,
    line: int | None,
    ref: str | None,
    stated: Decimal,
    table_value: Decimal,
    unit: str,
    quoted: str | None = None,
) -> Finding:
    table, row, column = ref.split(":") if ref else (None, None, None)
    # The sentence that states the number as it printed it (2,829,100.00元 for 282.91).
    sentence = _sentence(
        text, quoted.removesuffix("万元").removesuffix("元") if quoted else str(stated)
    )
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
