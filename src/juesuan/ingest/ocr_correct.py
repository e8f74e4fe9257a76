"""Amounts read by OCR, confirmed by the tables' arithmetic or refused.

A scan is read as a text PDF is, then held to the rules. When they all hold,
every amount they cover is confirmed. When some break, the tables they blame
are mended each on its own (see juesuan.ingest.ocr_groups): the amounts OCR was
unsure of in a table are the candidates, and if exactly one single-character
change of one of them (a character read as another digit, or a digit OCR
missed) makes the rules that judge that table hold, those over its cell to the
cent, and of several exactly one leaves the fewest of them a rounding cent off,
it is that table's mend. Each table gets one mend at most; all are applied
together, must leave every rule holding, and are recorded in the package
(``juesuan.ocr_corrections``). When the amounts cannot even be placed, one mend
for the whole document is looked for the same way. Anything else is refused,
naming every table no mend settles and what OCR read, and a person gives the
value off the paper in ``<unit>/<year>/ocr_values.yaml``::

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
from juesuan.ingest.ocr_groups import Group, groups
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
    first = _attempt(read, document)
    disclosure, failure, _failed_at = first
    if disclosure is not None and not failure:
        _refuse_unconfirmed(path, disclosure, by_hand)
        return _recorded(disclosure, by_hand, given_file)
    done = {c.line for c in by_hand}
    doubtful = [w for w in document.ocr.words if w.confidence < DOUBTFUL and w.line not in done]
    tries = _Tries()
    provisional: dict[OcrWord, str] = {}
    if disclosure is None and (placed := _placed(read, document, first, doubtful, tries)):
        provisional, disclosure = placed
    if disclosure is None:
        # Nothing placed, nothing to tell the tables apart by: one mend for the whole.
        mends = [_whole(path, read, document, first, doubtful, tries)]
    else:
        mends = _by_group(path, read, document, disclosure, doubtful, tries, provisional)
    fixed = mends[0][2] if len(mends) == 1 else _together(path, read, document, mends)
    corrections = [
        Correction(w.line, w.text, text, w.confidence, "arithmetic", start=w.start)
        for w, text, _fixed in mends
    ]
    settled = [*by_hand, *(_located(fixed, c) for c in corrections)]
    _refuse_unconfirmed(path, fixed, settled)
    return _recorded(fixed, settled, given_file)


Fix = tuple[OcrWord, str, "Disclosure"]
"""A word, the amount it is mended to, and the disclosure read with the mend."""


class _Tries:
    """The mends tried so far, over every table: each is an ingest."""

    def __init__(self) -> None:
        self.count = 0

    def more(self) -> bool:
        self.count += 1
        return self.count <= MAX_TRIES


def _search(
    read: Read,
    document: Document,
    words: list[OcrWord],
    accept: Callable[[Disclosure, OcrWord, str], bool],
    tries: _Tries,
) -> list[Fix] | None:
    """Every single-character mend of ``words`` the read accepts; None past the tries."""
    # Changes that give the same amount (191.8: → 191.89 or 191.89:) are one mend.
    fixes: dict[tuple[int, Decimal], Fix] = {}
    for word, text in _alternatives(words):
        key = (word.line, _value(text))
        if key in fixes:
            continue
        if not tries.more():
            return None
        fixed, _still, _line = _attempt(read, _with(document, word, text))
        if fixed is not None and accept(fixed, word, text):
            fixes[key] = (word, text, fixed)
    return list(fixes.values())


def _placed(
    read: Read,
    document: Document,
    first: tuple[Disclosure | None, str, int | None],
    doubtful: list[OcrWord],
    tries: _Tries,
) -> tuple[dict[OcrWord, str], Disclosure] | None:
    """Garbled amounts (191.8:) mended for now until the amounts can be placed.

    The read stops at a garbled amount; the first mend of an unsure word there
    that lets it go further stands in for it, so that the tables can be told
    apart. What each such word is, is then decided by its table's rules like
    any other (see :func:`_by_group`). None when the read cannot be got past.
    """
    provisional: dict[OcrWord, str] = {}
    current = document
    found, _failure, line = first
    while found is None and line is not None:
        stuck = line
        word = next(
            (
                w
                for w in doubtful
                if w.line == stuck and w not in provisional and not _amount(w.text)
            ),
            None,
        )
        if word is None:
            return None
        for _word, text in _alternatives([word]):
            if not tries.more():
                return None
            found, _failure, line = _attempt(read, _with(current, word, text))
            if found is not None or line != stuck:
                provisional[word] = text
                current = _with(current, word, text)
                break
        else:
            return None
    if found is None or any(_table_at(found, w.line) is None for w in provisional):
        return None
    return provisional, found


def _whole(
    path: Path,
    read: Read,
    document: Document,
    first: tuple[Disclosure | None, str, int | None],
    doubtful: list[OcrWord],
    tries: _Tries,
) -> Fix:
    """The one mend that makes every rule hold, or a refusal."""

    def accept(fixed: Disclosure, word: OcrWord, text: str) -> bool:
        return not broken_rules(fixed) and _exact(fixed, word, text, None)

    fixes = _search(read, document, doubtful, accept, tries)
    best = _exactest(fixes or [], None)
    if best is None:
        raise _refusal(path, document, first, doubtful, -1 if fixes is None else len(fixes))
    return best


def _by_group(
    path: Path,
    read: Read,
    document: Document,
    disclosure: Disclosure,
    doubtful: list[OcrWord],
    tries: _Tries,
    provisional: dict[OcrWord, str],
) -> list[Fix]:
    """One mend per group of tables (see juesuan.ingest.ocr_groups), or a refusal.

    Each group's mend is judged by the rules that read its tables and no other
    group's; a group no mend settles, or two settle equally, is named. A table
    with a word mended for now (see :func:`_placed`) is a group too, searched
    with that word as read and the other groups' such words as mended for now.
    """
    chosen: list[Fix] = []
    refused: list[tuple[Group, list[OcrWord], int]] = []
    held = {w: _table_at(disclosure, w.line) for w in provisional}
    forced = [frozenset({t}) for t in held.values() if t is not None]
    for group in groups(broken_rules(disclosure), forced):
        words = [w for w in doubtful if _table_at(disclosure, w.line) in group.tables]
        base = document
        for word, text in provisional.items():
            if held[word] not in group.tables:
                base = _with(base, word, text)

        def accept(fixed: Disclosure, word: OcrWord, text: str, group: Group = group) -> bool:
            return not group.rules(broken_rules(fixed)) and _exact(fixed, word, text, group)

        fixes = _search(read, base, words, accept, tries)
        best = _exactest(fixes or [], group)
        if best is None:
            refused.append((group, words, -1 if fixes is None else len(fixes)))
        else:
            chosen.append(best)
    if refused:
        raise _group_refusal(path, disclosure, refused)
    return chosen


def _together(path: Path, read: Read, document: Document, mends: list[Fix]) -> Disclosure:
    """The disclosure read with every group's mend; refused if the rules still break."""
    for word, text, _fixed in mends:
        document = _with(document, word, text)
    disclosure, failure, failed_at = _attempt(read, document)
    if disclosure is not None and not failure:
        return disclosure
    made = "; ".join(f"{_word_name(document, w)} → {text}" for w, text, _f in mends)
    raise SourceError(
        path,
        f"each table's amounts are mended on their own ({made}), but together they "
        f"still fail: {failure}",
        line=failed_at or mends[0][0].line,
        expected=_HAND,
    )


def _table_at(disclosure: Disclosure, line: int) -> str | None:
    """The table whose lines hold ``line``."""
    for table in disclosure.tables:
        lines = [n for n, _text in table.span.body]
        if lines and lines[0] <= line <= lines[-1]:
            return table.span.table.id
    return None


def _exactest(fixes: list[Fix], group: Group | None) -> Fix | None:
    """The one mend that leaves the fewest rules off by rounding, if one does.

    Within rounding tolerance 191.88 may do where 191.89 is printed; a misread
    that leaves a sum a cent off is no likelier than one that makes it exact.
    """
    scored = sorted((_inexact(fix[2], group), index) for index, fix in enumerate(fixes))
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return fixes[scored[0][1]]


def _judging(disclosure: Disclosure, group: Group | None) -> list[Equation]:
    """The rules that judge a mend: the group's, or every rule."""
    every = equations(disclosure)
    return every if group is None else group.rules(every)


def _exact(disclosure: Disclosure, word: OcrWord, text: str, group: Group | None) -> bool:
    """Whether every rule judging the corrected cell holds to the cent.

    Within rounding tolerance 191.88 passes where 191.89 is printed: a mend the
    rules only tolerate is not one they confirm.
    """
    cell = _located(disclosure, Correction(word.line, word.text, text, 0, "", start=word.start))
    if not cell.table:
        return False
    key = (cell.table, cell.row, cell.column)
    cells = values(disclosure)
    over = [e for e in _judging(disclosure, group) if key in e.cells]
    return bool(over) and all(off_by(e, {}, cells)[0] == 0 for e in over)


def _inexact(disclosure: Disclosure, group: Group | None) -> int:
    """How many rules judging a mend hold only within rounding tolerance, not exactly."""
    cells = values(disclosure)
    return sum(1 for e in _judging(disclosure, group) if off_by(e, {}, cells)[0] != 0)


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
            on_line = [(c, v) for c, v in printed if row.lines.get(c) == correction.line]
            if len(on_line) == 1:
                printed = on_line  # the one amount of the row read on that line
            elif len(printed) == len(PRINTED_AMOUNT.findall(text)) and before < len(printed):
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
        named = _cells_named(disclosure, broken_rules(disclosure))
        problem = f"the amounts read break rules {failure}: cells {named}"
    else:
        problem = f"the amounts read cannot be placed ({failure})"
    shown = "; ".join(_word_name(document, w) for w in doubtful[:8])
    return SourceError(
        path,
        f"{problem}, {_why(doubtful, fixes)}" + (f"; unsure: {shown}" if shown else ""),
        line=failed_at or (doubtful[0].line if doubtful else None),
        expected=_HAND,
    )


def _group_refusal(
    path: Path, disclosure: Disclosure, refused: list[tuple[Group, list[OcrWord], int]]
) -> SourceError:
    """The groups no single mend settles, each with its broken cells and why."""
    document = disclosure.document
    said = []
    for group, words, fixes in refused:
        broken = group.rules(broken_rules(disclosure))
        rules = ", ".join(dict.fromkeys(e.rule for e in broken))
        shown = "; ".join(_word_name(document, w) for w in words[:8])
        said.append(
            f"the amounts read break rules {rules}: cells {_cells_named(disclosure, broken)}, "
            f"{_why(words, fixes)}" + (f" (unsure: {shown})" if shown else "")
        )
    group, words, _fixes = refused[0]
    first = next(iter(_cells(group.rules(broken_rules(disclosure)))), None)
    line = words[0].line if words else (_cell_line(disclosure, first) if first else None)
    return SourceError(path, "; and ".join(said), line=line, expected=_HAND)


def _why(doubtful: list[OcrWord], fixes: int) -> str:
    if not doubtful:
        return "and OCR was sure of every digit, so none is changed but by a person"
    if fixes == 0:
        return "and no single-character change of an amount OCR was unsure of mends it"
    if fixes < 0:
        return f"and mending it would take more than the {MAX_TRIES} changes tried"
    return f"and {fixes} single-character changes would mend it equally, so none is chosen"


def _cells(broken: list[Equation]) -> list[CellKey]:
    return list(dict.fromkeys(c for e in broken for c in e.cells))


def _cells_named(disclosure: Disclosure, broken: list[Equation]) -> str:
    """The first cells the ``broken`` rules read that print an amount, with it."""
    printed = values(disclosure)
    return "; ".join(
        f"{_cell_name(disclosure, Correction(0, '', '', 0, '', *cell))} {printed[cell]}"
        for cell in [c for c in _cells(broken) if c in printed][:6]
    )


def _cell_line(disclosure: Disclosure, cell: CellKey) -> int | None:
    """The line the row of ``cell`` starts on."""
    table, row, _column = cell
    for data in disclosure.tables:
        if data.span.table.id == table:
            return next((r.source_line for r in data.rows if r.id == row), None)
    return None


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
