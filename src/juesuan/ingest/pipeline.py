"""From a source document to an in-memory disclosure: tables placed, parts read."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from juesuan.errors import SourceError
from juesuan.ingest.accounting import check_accounted
from juesuan.ingest.given import Given, apply, load, placements_file
from juesuan.ingest.glossary import Entry, parse_glossary
from juesuan.ingest.labels import repair_labels
from juesuan.ingest.layouts import TableRows, read_table
from juesuan.ingest.narrative import paragraphs
from juesuan.ingest.ocr_correct import Correction, read_scanned
from juesuan.ingest.ocr_labels import repair_labels as repair_ocr_labels
from juesuan.ingest.ocr_rows import repair_row_numbers
from juesuan.ingest.outline import Outline, Part, TableSpan, editions_for, outline
from juesuan.ingest.placement import Inference, place
from juesuan.ingest.readers import read_document
from juesuan.ingest.source import Document
from juesuan.ingest.tokens import layout_of
from juesuan.taxonomy import Edition, Table, edition_in_force
from juesuan.taxonomy.codes import codelist
from juesuan.taxonomy.rules import equations_for
from juesuan.taxonomy.statements import evidence
from juesuan.taxonomy.tolerance import UNIT, Precision
from juesuan.units import slug_for, split_region


@dataclass
class DataRow:
    """A row with its amounts placed: column id → amount as printed (normalised)."""

    id: str
    label: str
    source_line: int
    values: dict[str, str]
    line: int | None = None
    code: str | None = None
    side: str | None = None
    lines: dict[str, int] = field(default_factory=dict)
    """Column id → the source line its amount was read on."""


@dataclass
class TableData:
    """One table of a disclosure, ready to be written."""

    span: TableSpan
    rows: list[DataRow]
    notes: list[tuple[int, str]]
    columns: tuple[str, ...] = ()
    """The columns the document prints, in the order it prints them."""
    empty: tuple[int, str] | None = None
    """For a table printed with no rows: the note saying it holds no data, with its line."""
    unit: str = UNIT
    """The unit the table printed its amounts in; ``rows`` hold them in 万元."""


@dataclass
class Disclosure:
    """Everything one source document says, structured."""

    document: Document
    outline: Outline
    layout: str
    tables: list[TableData]
    glossary: list[Entry]
    parts: list[Part]
    inferences: list[Inference] = field(default_factory=list)
    unit_slug: str | None = None
    """The unit's folder when chosen (juesuan new, --unit); else derived from its name."""
    unit_meta: dict[str, str] = field(default_factory=dict)
    """What unit.json says of the unit (region code, parent, source URL), for the package."""
    given: list[Given] = field(default_factory=list)
    """Placements a person gave (placements.yaml beside the source)."""
    given_file: Path | None = None
    edition_note: str | None = None
    """Why the disclosure is read in another edition than the one in force in its year."""
    ocr_corrections: list[Correction] = field(default_factory=list)
    """Amounts OCR read otherwise: corrected by the arithmetic or given by a person."""
    ocr_file: Path | None = None
    """The values given by hand for a scan (ocr_values.yaml beside the source)."""

    unit_name: str = ""
    """The unit's name from its unit.json, for a scan whose lines agree on none."""

    @property
    def precision(self) -> Precision:
        """The unit each table printed its amounts in, hence its rounding tolerance."""
        return Precision({t.span.table.id: t.unit for t in self.tables})

    @property
    def unit(self) -> str:
        """The unit's name as printed ("" for a scan that gives no name it agrees on)."""
        return self.outline.unit or self.unit_name

    @property
    def year(self) -> int:
        """The year the accounts are for."""
        return self.outline.year

    @property
    def region(self) -> str:
        """The administrative region named at the start of the unit's name."""
        return split_region(self.unit)[0]

    @property
    def slug(self) -> str:
        """The unit's folder name under datapackage/."""
        return self.unit_slug or slug_for(self.unit)


def ingest(path: Path) -> Disclosure:
    """Read ``path`` into a :class:`Disclosure`; raise SourceError when it cannot.

    Whatever a malformed file makes a reader or library raise becomes a
    SourceError naming the file: a contributor never gets a traceback.
    """
    try:
        document = read_document(path)
    except SourceError:
        raise
    except RecursionError as error:
        raise SourceError(path, "the file nests too deeply to be read") from error
    except Exception as error:
        raise _unreadable(path, error) from error
    try:
        if document.ocr is not None:
            return read_scanned(path, document, lambda scanned: _disclosure(path, scanned))
        return _disclosure(path, document)
    except SourceError as error:
        # A PDF's or workbook's line numbers are the reader's: add the page or cell.
        error.location = error.location or document.location(error.line)
        raise
    except Exception as error:
        raise _unreadable(path, error) from error


def _unreadable(path: Path, error: Exception) -> SourceError:
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return SourceError(
        path,
        f"cannot be read ({type(error).__name__}{': ' + detail if detail else ''})",
        expected="a complete, undamaged 部门决算 document; if it opens elsewhere, report "
        "this message with the file",
    )


def _disclosure(path: Path, document: Document) -> Disclosure:
    """The disclosure in the edition of its year, or else the first that reads it.

    Read in another edition than its year's, the disclosure says so and why: the
    package records it and validation reports it.
    """
    first_error: SourceError | None = None
    partial: Disclosure | None = None
    for edition in editions_for(document):
        try:
            disclosure = _in_edition(path, document, edition)
        except SourceError as error:
            first_error = first_error or error
            continue
        in_force = edition_in_force(disclosure.year)
        if edition.id != in_force.id:
            disclosure.edition_note = (
                f"read with the {edition.id} edition: the {in_force.id} edition, in force "
                f"for {disclosure.year}, does not fit ({first_error})"
            )
        if not disclosure.outline.missing:
            return disclosure
        # Some tables not printed: another edition or overlay may know them all.
        partial = partial or disclosure
    if partial is not None:
        return partial
    assert first_error is not None
    raise first_error


def _in_edition(path: Path, document: Document, edition: Edition) -> Disclosure:
    document, relabelled = repair_ocr_labels(document, edition)
    document, renumbered = repair_row_numbers(document)
    shape = outline(document, edition)
    first, last = shape.tables_range
    layout = layout_of(document, first, last)
    raw: list[TableRows] = [read_table(path, document, span, layout) for span in shape.tables]
    given_file = placements_file(path)
    given = load(given_file) if given_file else []
    if given_file:
        apply(given_file, given, [row for table in raw for row in table.rows])
    for table in raw:
        if table.span.table.layout in ("classified", "economic"):
            repair_labels([r for r in table.rows if r.id.isdigit()], _names(table.span.table))
    row_ids = {t.span.table.id: [r.id for r in t.rows] for t in raw}
    printed = {t.span.table.id: t.columns for t in raw}
    equations = equations_for(shape.edition, row_ids, printed)
    explanation = [
        paragraph
        for part in shape.parts
        if part.key == "explanation"
        for paragraph in paragraphs(part.lines)
    ]
    # What the narrative states only breaks ties the tables leave (see placement);
    # with every cell known (no open row) it is not needed.
    stated = (
        evidence(explanation, shape.year)
        if any(not row.exact for table in raw for row in table.rows)
        else []
    )
    placements, inferences = place(
        path,
        shape.edition.tables,
        (row for t in raw for row in t.rows),
        equations,
        stated,
        Precision({t.span.table.id: t.unit for t in raw}),
    )
    for table in raw:
        cells = (
            token
            for row in table.rows
            for token in row.placed(placements[(row.table, row.id)]).values()
        )
        check_accounted(path, table.span, table.notes, ((t.line, t.printed) for t in cells))
    tables = [_table_data(t, placements) for t in raw]
    glossary: list[Entry] = []
    parts: list[Part] = []
    for part in shape.parts:
        if part.key == "glossary":
            scanned = any(document.read_by_ocr(n) for n, _text in part.lines)
            glossary, rest = parse_glossary(part.lines, scanned=scanned)
            cut = rest[0][0] if rest else None
            kept = tuple((n, t) for n, t in part.lines if cut is None or n < cut)
            parts.append(Part("glossary", part.heading, kept))
            if rest:
                after = tuple((n, t) for n, t in part.lines if cut is not None and n >= cut)
                parts.append(Part("appendix", "附件", after))
        else:
            parts.append(part)
    return Disclosure(
        document,
        shape,
        layout,
        tables,
        glossary,
        parts,
        inferences,
        given=given,
        given_file=given_file,
        ocr_corrections=[*relabelled, *renumbered],
    )


def _table_data(
    rows: TableRows, placements: Mapping[tuple[str, str], tuple[int, ...]]
) -> TableData:
    table = rows.span.table
    fixed = {row.id: row for row in table.rows}
    data = []
    for raw in rows.rows:
        placement = placements[(raw.table, raw.id)]
        tokens = raw.placed(placement)
        values = {column: _printed(token.amount) for column, token in tokens.items()}
        definition = fixed.get(raw.id)
        code = definition.code if definition else (raw.id if raw.id.isdigit() else None)
        data.append(
            DataRow(
                raw.id,
                raw.label,
                raw.source_line,
                values,
                raw.line,
                code,
                definition.side if definition else None,
                {column: token.line for column, token in tokens.items()},
            )
        )
    return TableData(rows.span, data, rows.notes, rows.columns, rows.empty, rows.unit)


def _names(table: Table) -> Callable[[str], list[str]]:
    """The names a code may carry in ``table``: its template label, its code-list names."""
    template = {row.code: row.label for row in table.rows if row.code}
    listed: dict[str, list[str]] = {}
    for entry in codelist(table.codelist or "function"):
        listed.setdefault(entry.code, []).append(entry.name)
    return lambda code: [n for n in (template.get(code),) if n] + listed.get(code, [])


def _printed(amount: Decimal) -> str:
    """The amount in 万元, exactly, with at least two decimals: 2,940.05 → 2940.05.

    An amount printed in 元 keeps every digit (1,234,567.89 元 → 123.456789), and
    one printed to the fen in 万元 is written as the other documents' are.
    """
    exponent = amount.normalize().as_tuple().exponent
    decimals = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{amount:.{decimals}f}"
