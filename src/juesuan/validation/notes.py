"""Amounts printed in a table's notes: each one the table holds, or a warning.

A note under a table may restate one of its cells (其中 12.50 万元 …). An amount
no cell of the table holds is either a figure the note adds, worth a reader's
look, or a row the reading took for a note: both are reported.
"""

from __future__ import annotations

import csv
from decimal import Decimal

from juesuan.text import amounts_in
from juesuan.validation.findings import Finding
from juesuan.validation.loaded import LoadedPackage


def check_notes(package: LoadedPackage) -> list[Finding]:
    """A warning for every amount a note prints that no cell of its table holds."""
    path = package.folder / "notes.csv"
    if not path.is_file():
        return []
    held: dict[str, set[Decimal]] = {}
    for (table, _row, _column), value in package.values.items():
        held.setdefault(table, set()).add(value)
    findings = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            table, text = record.get("table") or "", record.get("text") or ""
            line = record.get("source_line") or ""
            stray = [a for a in amounts_in(text) if a not in held.get(table, set())]
            if stray:
                findings.append(_finding(package, table, line, text, stray))
    return findings


def _finding(
    package: LoadedPackage, table: str, line: str, text: str, stray: list[Decimal]
) -> Finding:
    amounts = ", ".join(str(a) for a in stray)
    return Finding(
        rule="notes/amount",
        severity="warning",
        message=f"the note under {table} prints {amounts}, which no cell of the table "
        f"holds: a figure the note adds, or a row read as a note? “{text[:120]}”",
        message_zh=f"{package.cell_name(table)}表注中的金额 {amounts} 不见于该表任何单元格："
        f"是表注补充的数字，还是被当作表注的表行？原文：“{text[:120]}”",
        table=table,
        found=amounts,
        file=str(package.folder / package.source_file) if package.source_file else None,
        line=int(line) if line.isdigit() else None,
    )
