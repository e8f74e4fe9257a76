"""What an ingest found, in a form a person can check against the printed document.

For each table: where its title stands, how many amounts it gave and its total
rows; then every placement the solver had to infer (flowed text loses blank
cells) with the rules that decided it, so a reviewer can look each one up.
"""

from __future__ import annotations

from pathlib import Path

from juesuan.ingest.pipeline import Disclosure, TableData
from juesuan.taxonomy import Table
from juesuan.text import amounts_in, normalise

_TOTAL_WORDS = ("合计", "总计")
_SHOWN_TOTALS = 4


def column_label(table: Table, column_id: str) -> str:
    """A column as the table prints it: 决算数合计, not actual_total."""
    return table.printed_label(column_id)


def report(disclosure: Disclosure, source: Path, target: Path) -> list[str]:
    """The summary lines printed after ingesting ``source`` into ``target``."""
    document = disclosure.document
    edition = disclosure.outline.edition
    amounts = sum(len(row.values) for table in disclosure.tables for row in table.rows)
    kind = f", from {document.encoding}" if document.locations is not None else ""
    form = (
        f" as {edition.overlay.title} ({edition.overlay.id}) prints it" if edition.overlay else ""
    )
    lines = [
        f"{source} → {target}",
        f"  {disclosure.unit} {disclosure.year}: {edition.id} edition{form}, "
        f"{disclosure.layout} layout{kind}",
        *([f"  warning: {disclosure.edition_note}"] if disclosure.edition_note else []),
        f"  {len(disclosure.tables)} of {len(edition.table_order)} tables found, "
        f"{amounts} amounts:",
    ]
    for table_id in disclosure.outline.missing:
        table = edition.tables[table_id]
        lines.append(f"    {table.number} {table.title}: not printed in the document")
    for data in disclosure.tables:
        lines += _table_lines(disclosure, data)
    for part in disclosure.parts:
        if part.key.startswith("extra_table_"):
            line = part.lines[0][0]
            lines.append(
                f"    {part.heading} ({_where(disclosure, line)}): not a table of the "
                f"{edition.id} edition; kept as printed, as narrative/{part.key}.md"
            )
    if disclosure.inferences:
        lines.append(
            f"  {len(disclosure.inferences)} rows placed by inference (blank cells are lost "
            "in flowed text; the tables' arithmetic chose the only consistent placement):"
        )
        rows = {(t.span.table.id, row.id): row for t in disclosure.tables for row in t.rows}
        for inference in disclosure.inferences:
            table = edition.tables[inference.table]
            row = rows.get((inference.table, inference.row))
            values = row.values if row else {}
            placed = ", ".join(
                f"{column_label(table, c)} {values.get(c, '?')}" for c in inference.columns
            )
            label = f" {row.label}" if row and row.label else ""
            lines.append(
                f"    {table.number} row {inference.row}{label} "
                f"({_where(disclosure, inference.source_line)}): {placed}; the only one of "
                f"{inference.candidates} placements that fits {', '.join(inference.rules)}"
            )
    else:
        lines.append("  no placement inferred: every amount stood in its own cell")
    lines += _ocr_lines(disclosure)
    parts = "、".join(part.heading for part in disclosure.parts if part.lines) or "none"
    lines.append(f"  {len(disclosure.glossary)} glossary entries; narrative: {parts}")
    return lines


def _ocr_lines(disclosure: Disclosure) -> list[str]:
    """Which pages OCR read, and every amount it read otherwise: to check on the paper."""
    reading = disclosure.document.ocr
    if reading is None:
        return []
    pages = ", ".join(map(str, reading.pages))
    lines = [f"  pages read by OCR ({reading.engine}): {pages}"]
    if reading.unmapped:
        unmapped = ", ".join(map(str, reading.unmapped))
        lines.append(
            f"    of which read from their picture because their text layer's font maps its "
            f"glyphs to no text: {unmapped}"
        )
    for c in disclosure.ocr_corrections:
        if c.kind == "label":
            lines.append(
                f"    label ({_where(disclosure, c.line)}): read {c.read!r}, read as the "
                f"edition's {c.corrected!r} (distance {c.distance or 0:g})"
            )
            continue
        if c.kind == "row_number":
            lines.append(
                f"    行次/栏次 ({_where(disclosure, c.line)}): read {c.read}, read as "
                f"{c.corrected} (the run it stands in, one digit lost)"
            )
            continue
        decided = "the rules " + ", ".join(c.rules) if c.by == "arithmetic" else "a person"
        lines.append(
            f"    {c.table} row {c.row} column {c.column} ({_where(disclosure, c.line)}): read "
            f"{c.read!r} (confidence {c.confidence or 0:.0f}), corrected to {c.corrected} "
            f"by {decided}"
        )
    return lines


def _where(disclosure: Disclosure, line: int) -> str:
    location = disclosure.document.location(line)
    return f"line {line}, {location}" if location else f"line {line}"


def _table_lines(disclosure: Disclosure, data: TableData) -> list[str]:
    table = data.span.table
    count = sum(len(row.values) for row in data.rows)
    number = data.span.number or table.number
    # A title worded otherwise was read by its meaning: show the reader both.
    printed = data.span.title
    read_as = f" (printed {printed!r})" if normalise(table.title) not in normalise(printed) else ""
    head = (
        f"    {number} {table.title}{read_as} ({_where(disclosure, data.span.title_line)}): "
        f"{len(data.rows)} rows, {count} amounts"
    )
    totals = [
        row
        for row in data.rows
        if row.id == "total" or any(word in row.label for word in _TOTAL_WORDS)
    ]
    # Amounts in a note are kept with the note, not read as cells: say so.
    noted = [
        f"      note ({_where(disclosure, line)}) prints {', '.join(map(str, amounts))}: "
        "kept as note text, not as cells"
        for line, text in data.notes
        if (amounts := amounts_in(text))
    ]
    if data.empty:
        line, text = data.empty
        return [f"{head}, printed with no data: {text} ({_where(disclosure, line)})", *noted]
    if not count:
        return [f"{head}, no data", *noted]
    shown = []
    for row in totals:
        values = [
            f"{column_label(table, column)} {value}"
            for column, value in row.values.items()
            if value != ""
        ][:_SHOWN_TOTALS]
        if values:
            label = row.label or "合计"
            shown.append(f"      {label}: {', '.join(values)}")
    return [head, *shown, *noted]
