"""The arithmetic the tables promise, checked with XBRL calc 1.1 tolerance."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from juesuan.taxonomy.rules import CellKey, Equation, equations_for
from juesuan.validation.findings import Finding, Severity
from juesuan.validation.loaded import LoadedPackage


def equations(package: LoadedPackage) -> list[Equation]:
    """The equations that apply to ``package``'s tables."""
    return equations_for(package.edition, package.row_ids(), package.printed())


def check_arithmetic(package: LoadedPackage, eqs: list[Equation]) -> list[Finding]:
    """A finding for every equation that does not hold exactly."""
    findings = []
    precision = package.precision
    for equation in eqs:
        left, right, reported = _sides(package, equation)
        if reported == 0:
            continue
        difference = left - right
        per_term = precision.per_term(t for t, _r, _c in equation.cells)
        limit = per_term * reported
        severity: Severity
        if equation.op == ">=":
            if difference >= 0:
                continue
            severity = "error" if -difference > limit else "warning"
        else:
            if difference == 0:
                continue
            severity = "error" if abs(difference) > limit else "warning"
        if severity == "error" and equation.severity == "warning":
            severity = "warning"
        findings.append(
            _finding(package, equation, (left, right, difference), per_term, reported, severity)
        )
    return findings


def _sides(package: LoadedPackage, equation: Equation) -> tuple[Decimal, Decimal, int]:
    reported = 0
    sums = []
    for side in (equation.left, equation.right):
        total = Decimal(0)
        for sign, key in side:
            value = package.values.get(key)
            if value is not None:
                total += sign * value
                reported += 1
        sums.append(total)
    return sums[0], sums[1], reported


def _finding(
    package: LoadedPackage,
    equation: Equation,
    sums: tuple[Decimal, Decimal, Decimal],
    per_term: Decimal,
    reported: int,
    severity: Severity,
) -> Finding:
    # Fixed-point text: a tolerance of 0.0000005 万元 is not to read 5E-7.
    left, right, difference = (f"{value:f}" for value in sums)
    limit = f"{per_term * reported:f}"
    _sign, (table, row, column) = equation.left[0]
    file, line = package.locate(table, row)
    verdict = "beyond" if severity == "error" else "within"
    op = "≥" if equation.op == ">=" else "="
    should = "应不小于" if equation.op == ">=" else "应为"
    limit_zh = f"超出容差 {limit}" if severity == "error" else f"在容差 {limit} 以内"
    return Finding(
        rule=equation.rule,
        severity=severity,
        message=(
            f"{table} {row} {column}: {_terms(package, equation.left, table)} = {left}, "
            f"expected {op} {_terms(package, equation.right, table)} = {right}; "
            f"difference {difference} {verdict} tolerance {limit} "
            f"({reported} reported amounts × {per_term:f})"
        ),
        message_zh=(
            f"{equation.description}：{package.cell_name(table, row, column)}为 {left}，"
            f"{should} {right}，相差 {difference}，{limit_zh}"
        ),
        table=table,
        row=row,
        column=column,
        expected=right,
        found=left,
        difference=difference,
        tolerance=limit,
        file=file,
        line=line,
    )


def _terms(package: LoadedPackage, terms: Sequence[tuple[int, CellKey]], home: str) -> str:
    """The reported terms with their amounts; blank ones counted, not listed."""
    shown, blank = [], 0
    for sign, key in terms:
        value = package.values.get(key)
        if value is None:
            blank += 1
            continue
        table, row, column = key
        name = f"{row}:{column}" if table == home else f"{table}:{row}:{column}"
        shown.append(f"{'-' if sign < 0 else '+'} {name} {value}")
    text = " ".join(shown).removeprefix("+ ") or "0"
    return f"({text}{f'; {blank} blank' if blank else ''})"


def coverage(package: LoadedPackage, eqs: list[Equation]) -> tuple[int, list[str]]:
    """(amounts read by at least one equation, the amounts no equation reads)."""
    read = {key for equation in eqs for key in equation.cells}
    uncovered = sorted(":".join(key) for key in package.values if key not in read)
    return len(package.values) - len(uncovered), uncovered
