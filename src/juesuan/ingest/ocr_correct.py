"""Amounts read by OCR, confirmed by the tables' arithmetic or refused.

A scan is read as a text PDF is, then held to the rules. When they all hold,
every amount they cover is confirmed. When one breaks (or the amounts cannot be
placed), the amounts OCR was unsure of are the candidates: if exactly one
single-character change of one of them (a character read as another digit, or
a digit OCR missed) makes every rule hold, those over its cell to the cent, and
of several exactly one leaves the fewest rules a rounding cent off, it is
applied and recorded in the package (``juesuan.ocr_corrections``). Anything
else is refused, naming what OCR read, and a person gives the value off the
paper in ``<unit>/<year>/ocr_values.yaml``::

    - line: 105          # the line the error names
      read: "12.16"      # what OCR read there
      value: "12.15"     # what the paper prints

The file is kept in the package and its values are listed with the corrections.
A digit OCR read with confidence is never changed but by a person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from juesuan.errors import SourceError
from juesuan.ingest.given import load_entries
from juesuan.ingest.placement import holds, off_by
from juesuan.ingest.source import Document, OcrWord
from juesuan.taxonomy.rules import CellKey, Equation, equations_for
from juesuan.taxonomy.tolerance import shift_of
from juesuan.text import AMOUNT, PRINTED_AMOUNT

if TYPE_CHECKING:
    from juesuan.ingest.pipeline import Disclosure

FILE = "ocr_values.yaml"
DOUBTFUL = 80.0
"""Tesseract's word confidence (0-100) below which its digits are doubted."""
MAX_TRIES = 300
"""Corrections tried at most (each is an ingest): more doubt than that is refused."""
_MENDS = "0123456789."
"""What a single-character mend may put in: a digit, or the decimal point OCR missed."""
_ONE_AMOUNT = re.compile(rf"[^\d.,]*{AMOUNT}[^\d.,]*")
"""A word that is one amount, with at most the punctuation OCR puts around it."""


class GivenValue(BaseModel):
    """An amount a person read off the paper where OCR read another."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: int
    read: str
    value: str


@dataclass(frozen=True)
class Correction:
    """An amount OCR read that the package holds otherwise, and who decided it."""

    line: int
    read: str
    corrected: str
    confidence: float | None
    """The engine's confidence in the amount read; None for a label."""
    by: str
    """"arithmetic" (the rules confirmed it), "hand" (ocr_values.yaml) or "vocabulary"
    (a label or title clearly nearer one of the edition's than any other) or "sequence"
    (a 行次 given back by the run of its column)."""
    table: str = ""
    row: str = ""
    column: str = ""
    rules: tuple[str, ...] = ()
    start: int | None = None
    """Where the amount starts in its line, when known."""
    kind: str = "amount"
    """"amount" or "label" (a row label, column label or table title)."""
    distance: float | None = None
    """For a label: how far what was read is from what it is read as (a look-alike
    character costs less than another; see juesuan.taxonomy.confusables)."""


Read = Callable[[Document], "Disclosure"]


def values_file(source: Path) -> Path | None:
    """The file of values given by hand beside a source kept in ``<unit>/<year>/source/``."""
    if source.parent.name != "source":
        return None
    candidate = source.parent.parent / FILE
    return candidate if candidate.is_file() else None


def read_scanned(path: Path, document: Document, read: Read) -> Disclosure:
    """The disclosure of a document with pages read by OCR, its doubtful amounts decided."""
    assert document.ocr is not None
    given_file = values_file(path)
    given = _load(given_file) if given_file else []
    document, by_hand = _apply_given(given_file, given, document)
    assert document.ocr is not None
    disclosure, failure, failed_at = _attempt(read, document)
    if disclosure is not None and not failure:
        _refuse_unconfirmed(path, disclosure, by_hand)
        return _recorded(disclosure, by_hand, given_file)
    doubtful = [w for w in document.ocr.words if w.confidence < DOUBTFUL]
    doubtful = [w for w in doubtful if w.line not in {c.line for c in by_hand}]
    # Changes that give the same amount (191.8: → 191.89 or 191.89:) are one mend.
    fixes: dict[tuple[int, Decimal], tuple[OcrWord, str, Disclosure]] = {}
    tried = 0
    for word, text in _alternatives(doubtful):
        key = (word.line, _value(text))
        if key in fixes:
            continue
        tried += 1
        if tried > MAX_TRIES:
            raise _refusal(path, document, (disclosure, failure, failed_at), doubtful, -1)
        fixed, still, _line = _attempt(read, _with(document, word, text))
        if fixed is not None and not still and _exact(fixed, word, text):
            fixes[key] = (word, text, fixed)
    best = _exactest(list(fixes.values()))
    if best is None:
        raise _refusal(path, document, (disclosure, failure, failed_at), doubtful, len(fixes))
    word, text, fixed = best
    correction = Correction(
        word.line, word.text, text, word.confidence, "arithmetic", start=word.start
    )
    settled = [*by_hand, _located(fixed, correction)]
    _refuse_unconfirmed(path, fixed, settled)
    return _recorded(fixed, settled, given_file)


def _exactest(
    fixes: list[tuple[OcrWord, str, Disclosure]],
) -> tuple[OcrWord, str, Disclosure] | None:
    """The one mend that leaves the fewest rules off by rounding, if one does.

    Within rounding tolerance 191.88 may do where 191.89 is printed; a misread
    that leaves a sum a cent off is no likelier than one that makes it exact.
    """
    scored = sorted((_inexact(fix[2]), index) for index, fix in enumerate(fixes))
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return fixes[scored[0][1]]


def _exact(disclosure: Disclosure, word: OcrWord, text: str) -> bool:
    """Whether every rule over the corrected cell holds to the cent.

    Within rounding tolerance 191.88 passes where 191.89 is printed: a mend the
    rules only tolerate is not one they confirm.
    """
    cell = _located(disclosure, Correction(word.line, word.text, text, 0, "", start=word.start))
    if not cell.table:
        return False
    key = (cell.table, cell.row, cell.column)
    cells = values(disclosure)
    over = [e for e in equations(disclosure) if key in e.cells]
    return bool(over) and all(off_by(e, {}, cells)[0] == 0 for e in over)


def _inexact(disclosure: Disclosure) -> int:
    """How many rules hold only within rounding tolerance, not exactly."""
    cells = values(disclosure)
    return sum(1 for e in equations(disclosure) if off_by(e, {}, cells)[0] != 0)


def _attempt(read: Read, document: Document) -> tuple[Disclosure | None, str, int | None]:
    """The disclosure and the rules it breaks, or None, why it cannot be read and where."""
    try:
        disclosure = read(document)
    except SourceError as error:
        table = f"[{error.table}] " if error.table else ""
        return None, f"{table}{error.message}", error.line
    broken = [e.rule for e in broken_rules(disclosure)]
    return disclosure, ", ".join(dict.fromkeys(broken)), None


def equations(disclosure: Disclosure) -> list[Equation]:
    """The equations of the disclosure's rules over the rows and columns it has."""
    row_ids = {t.span.table.id: [r.id for r in t.rows] for t in disclosure.tables}
    printed = {t.span.table.id: t.columns for t in disclosure.tables}
    return equations_for(disclosure.outline.edition, row_ids, printed)


def values(disclosure: Disclosure) -> dict[CellKey, Decimal]:
    """Every amount the disclosure holds, by cell."""
    return {
        (table.span.table.id, row.id, column): Decimal(value)
        for table in disclosure.tables
        for row in table.rows
        for column, value in row.values.items()
    }


def broken_rules(disclosure: Disclosure) -> list[Equation]:
    """The rules (errors) the disclosure's amounts break."""
    cells = values(disclosure)
    precision = disclosure.precision
    return [
        e
        for e in equations(disclosure)
        if e.severity == "error" and not holds(e, {}, cells, precision)
    ]


def _value(text: str) -> Decimal:
    found = PRINTED_AMOUNT.search(text)
    return Decimal(found.group().replace(",", "")) if found else Decimal(-1)


def _amount(text: str) -> bool:
    return PRINTED_AMOUNT.search(text) is not None


def _alternatives(words: list[OcrWord]) -> Iterator[tuple[OcrWord, str]]:
    """Each word with a character made a digit or a point, or one added, to be an amount.

    The least sure word comes first.
    """
    for word in sorted(words, key=lambda w: w.confidence):
        text = word.text
        changed = [text[:i] + d + text[i + 1 :] for i in range(len(text)) for d in _MENDS]
        added = [text[:i] + d + text[i:] for i in range(len(text) + 1) for d in _MENDS]
        for candidate in dict.fromkeys([*changed, *added]):
            if candidate != text and _ONE_AMOUNT.fullmatch(candidate):
                yield word, candidate


def _with(document: Document, word: OcrWord, text: str) -> Document:
    line = document.line(word.line)
    mended = line[: word.start] + text + line[word.start + len(word.text) :]
    return document.with_lines({word.line: mended})


def _located(disclosure: Disclosure, correction: Correction) -> Correction:
    """``correction`` with the cell it went to and the rules over that cell."""
    found = PRINTED_AMOUNT.search(correction.corrected)
    if found is None:
        return correction
    amount = Decimal(found.group().replace(",", ""))
    for table in disclosure.tables:
        lines = [n for n, _text in table.span.body]
        if not lines or not lines[0] <= correction.line <= lines[-1]:
            continue
        above = [r for r in table.rows if r.source_line <= correction.line]
        text = disclosure.document.line(correction.line)
        at = text.find(correction.corrected) if correction.start is None else correction.start
        before = len(PRINTED_AMOUNT.findall(text[:at]))
        for row in sorted(above, key=lambda r: r.source_line, reverse=True):
            # The amounts of a row printed on one line stand in its columns' order.
            printed = list(row.values.items())
            if len(printed) == len(PRINTED_AMOUNT.findall(text)) and before < len(printed):
                printed = [printed[before]]
            for column, value in printed:
                # The row holds 万元; the line, the table's printed unit (元…).
                if Decimal(value).scaleb(-shift_of(table.unit)) == amount:
                    cell = (table.span.table.id, row.id, column)
                    rules = [e.rule for e in equations(disclosure) if cell in e.cells]
                    return replace(
                        correction,
                        table=cell[0],
                        row=row.id,
                        column=column,
                        rules=tuple(dict.fromkeys(rules)),
                    )
    return correction


def _cell_name(disclosure: Disclosure, correction: Correction) -> str:
    for table in disclosure.tables:
        if table.span.table.id != correction.table:
            continue
        labels = {c.id: c.label for c in table.span.table.columns}
        row = next((r for r in table.rows if r.id == correction.row), None)
        label = row.label if row else correction.row
        return (
            f"{table.span.number or table.span.table.id} {table.span.table.title} row {label} "
            f"column {labels.get(correction.column, correction.column)}"
        )
    return ""


def _refuse_unconfirmed(path: Path, disclosure: Disclosure, settled: list[Correction]) -> None:
    """Refuse doubtful amounts no rule covers: nothing confirms them."""
    document = disclosure.document
    assert document.ocr is not None
    covered = {cell for e in equations(disclosure) for cell in e.cells}
    done = {c.line for c in settled}
    loose = []
    for word in document.ocr.words:
        if word.confidence >= DOUBTFUL or not _amount(word.text) or word.line in done:
            continue
        cell = _located(
            disclosure, Correction(word.line, word.text, word.text, 0, "", start=word.start)
        )
        if cell.table and (cell.table, cell.row, cell.column) not in covered:
            loose.append((word, _cell_name(disclosure, cell)))
    if loose:
        shown = "; ".join(_word_name(document, w) + f" in {name}" for w, name in loose[:8])
        raise SourceError(
            path,
            f"OCR is unsure of amounts no rule of the tables confirms: {shown}",
            line=loose[0][0].line,
            expected=_HAND,
        )


_HAND = (
    f"the amounts read off the paper, in <unit>/<year>/{FILE} beside the source "
    "(line, read, value; see juesuan.ingest.ocr_correct), or a version of the "
    "document with a text layer"
)


def _word_name(document: Document, word: OcrWord) -> str:
    where = document.location(word.line) or f"line {word.line}"
    return f"line {word.line} ({where}) read {word.text!r} (confidence {word.confidence:.0f})"


def _refusal(
    path: Path,
    document: Document,
    attempt: tuple[Disclosure | None, str, int | None],
    doubtful: list[OcrWord],
    fixes: int,
) -> SourceError:
    disclosure, failure, failed_at = attempt
    if disclosure is not None:
        cells = dict.fromkeys(c for e in broken_rules(disclosure) for c in e.cells)
        named = [
            _cell_name(disclosure, Correction(0, "", "", 0, "", *cell)) for cell in list(cells)[:6]
        ]
        problem = f"the amounts read break rules {failure}: cells {'; '.join(named)}"
    else:
        problem = f"the amounts read cannot be placed ({failure})"
    if not doubtful:
        why = "and OCR was sure of every digit, so none is changed but by a person"
    elif fixes == 0:
        why = "and no single-character change of an amount OCR was unsure of mends it"
    elif fixes < 0:
        why = f"and mending it would take more than the {MAX_TRIES} changes tried"
    else:
        why = f"and {fixes} single-character changes would mend it equally, so none is chosen"
    shown = "; ".join(_word_name(document, w) for w in doubtful[:8])
    return SourceError(
        path,
        f"{problem}, {why}" + (f"; unsure: {shown}" if shown else ""),
        line=failed_at or (doubtful[0].line if doubtful else None),
        expected=_HAND,
    )


def _load(path: Path) -> list[GivenValue]:
    return load_entries(path, GivenValue, "the values given", "a list of {line, read, value}")


def _apply_given(
    path: Path | None, given: list[GivenValue], document: Document
) -> tuple[Document, list[Correction]]:
    assert document.ocr is not None
    words = document.ocr.words
    by_hand = []
    for entry in given:
        assert path is not None
        word = next((w for w in words if w.line == entry.line and w.text == entry.read), None)
        if word is None:
            raise SourceError(
                path,
                f"OCR read no {entry.read!r} on line {entry.line}",
                expected="the line and the text an error of the ingest named",
            )
        document = _with(document, word, entry.value)
        by_hand.append(
            Correction(word.line, word.text, entry.value, word.confidence, "hand", start=word.start)
        )
    return document, by_hand


def _recorded(
    disclosure: Disclosure, corrections: list[Correction], given_file: Path | None
) -> Disclosure:
    labels = [c for c in disclosure.ocr_corrections if c.kind != "amount"]
    amounts = [c if c.table else _located(disclosure, c) for c in corrections]
    disclosure.ocr_corrections = [*labels, *amounts]
    disclosure.ocr_file = given_file
    return disclosure
