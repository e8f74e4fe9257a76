"""Read the rows of one table from its tokens, layout by layout.

Each reader returns :class:`RawRow` s: a row id, its label as printed and its
amounts. In the cells layout every value cell is known, blank or not, so rows are
*exact*. In flowed text blank cells are gone: a row with fewer amounts than
columns is *open*, and :mod:`juesuan.ingest.placement` decides which columns hold them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import NoReturn

from juesuan.errors import SourceError
from juesuan.ingest.narrative import paragraphs
from juesuan.ingest.outline import TableSpan
from juesuan.ingest.source import Document
from juesuan.ingest.tokens import Kind, Token, as_amount, holds_table_amounts, tokenize
from juesuan.taxonomy import Row, Table
from juesuan.taxonomy.codes import codelist
from juesuan.taxonomy.empty import EMPTY_FILE, says_empty, starts_empty_note
from juesuan.taxonomy.tolerance import SHIFTS, UNIT, shift_of
from juesuan.text import PRINTED_AMOUNT, normalise

# A note opens with 注 or 说明, bracketed or not, or with a statement that the table is empty.
# Matched on the stripped line: two runs of spaces side by side would backtrack
# quadratically over a line of a million blanks.
_NOTE = re.compile(r"[（(]?\s*(注|说明)\s*[:：]")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_TOTAL_WORDS = ("合计", "总计")
# A number cut short or run into a letter (282.9l, 0.): amounts always print two
# decimals, and a glued code always follows two full decimals (12.15302).
_GARBLED = re.compile(r"\d[.．]\d?(?!\d)")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)


@dataclass
class RawRow:
    """A row as read from the source, before its amounts are placed."""

    table: str
    id: str
    label: str
    source_line: int
    columns: tuple[str, ...]
    """The columns the amounts may occupy (a side's columns, or the table's)."""
    values: tuple[Token | None, ...]
    """Exact rows: one entry per column, None for a blank cell. Open rows: the
    amounts printed, in order."""
    exact: bool
    line: int | None = None
    """行次 as printed, for ledger rows."""
    fragments: list[Token] = field(default_factory=list)
    """The label's pieces, as they stood in the source."""

    def placed(self, positions: Sequence[int]) -> dict[str, Token]:
        """Amounts by column for a placement (positions of the amounts)."""
        return {
            self.columns[p]: v for p, v in zip(positions, self.values, strict=True) if v is not None
        }


@dataclass
class TableRows:
    """Everything one table's body holds."""

    span: TableSpan
    rows: list[RawRow]
    notes: list[tuple[int, str]]
    """Notes and sentences printed under the table, with their lines."""
    header: list[tuple[int, str]]
    columns: tuple[str, ...] = ()
    """The columns the document prints, in the order it prints them."""
    empty: tuple[int, str] | None = None
    """For a table printed with no rows: the note saying it holds no data, with its line."""
    unit: str = UNIT
    """The unit the table prints its amounts in; its tokens' amounts are in 万元."""


def read_table(path: Path, document: Document, span: TableSpan, layout: str) -> TableRows:
    """Read ``span``'s rows in the document's ``layout`` (see juesuan.ingest.tokens.LAYOUTS).

    In the cells and rows layouts every cell is known, blank or not; in flow,
    blank cells are lost. A table printed in another unit than 万元 (元, 千元…)
    has its amounts moved to 万元 exactly; the unit printed is kept with the rows.
    """
    cells = layout != "flow"
    unit = printed_unit(path, span)
    body, notes = _split_notes(
        path, span, [(n, t) for n, t in span.body if not _PAGE_NUMBER.match(t)]
    )
    if layout == "rows":
        _reject_wide_rows(path, span, body)
    tokens = tokenize(document, layout, body)
    if unit != UNIT:
        tokens = [replace(t, shift=shift_of(unit)) for t in tokens]
    table = span.table
    start, numbering = _data_start(span, tokens)
    for token in tokens[:start]:
        if token.kind is Kind.AMOUNT:
            # Above the 栏次 numbering there are only headings: an amount there
            # would be dropped with them.
            raise SourceError(
                path,
                f"amount {token.text} stands in the table's header",
                line=token.line,
                table=table.number,
                expected="headings above the 栏次 numbering, amounts in the rows below it",
            )
    header_lines = {t.line for t in tokens[:start]}
    header = [(n, text) for n, text in body if n in header_lines]
    data = tokens[start:] if cells else _without_repeated_header(tokens[start:], header, table)
    _reject_garbled(path, span, data, body, cells)
    _reject_huge(path, span, data)
    if cells:
        _reject_amount_in_text(path, span, tokens)
    order = _column_order(table, header or _leading_text(tokens))
    _check_numbering(path, span, numbering, order)
    said = next(((line, text) for line, text in notes if says_empty(text)), None)
    try:
        rows = _READERS[table.layout](path, span, data, cells, order)
    except SourceError:
        if said is None or any(t.kind is Kind.AMOUNT for t in data):
            raise
        # Printed with its header only and a note saying it has no data: whatever
        # the header's cells hold, there are no rows to read.
        rows = []
    if not rows and table.layout != "single" and said is None:
        raise SourceError(
            path,
            "the table has no rows and no note saying it is empty",
            line=span.title_line,
            table=table.number,
            expected="its rows (合计 and the codes), or a note such as 本部门无……支出 / 本表无数据 "
            f"(the wordings are listed in {EMPTY_FILE.name})",
        )
    return TableRows(span, rows, notes, header, order, said if not rows else None, unit)


# 金额单位：万元, 单位：元, 单位:人民币元: a short word ending in 元, standing alone, so
# that 单位：元宝山区… (the unit's name, not a currency) is no money unit.
_MONEY_UNIT = re.compile(
    r"单位\s*[:：]\s*(?:人民币)?(?P<unit>[^\s:：，,；;（）()]{0,3}元)(?=$|[\s）)，,；;])"
)


def printed_unit(path: Path, span: TableSpan) -> str:
    """The unit the table's header says its amounts are in (万元 when it says none).

    The header is what stands above the first amount: a workbook's header puts
    each cell on a line of its own, the unit many lines down. A unit that cannot
    be turned into 万元 exactly (美元) stops the ingest: read as 万元, its
    amounts would be wrong.
    """
    for number, text in span.body:
        match = _MONEY_UNIT.search(text)
        if match is None:
            if PRINTED_AMOUNT.search(text):
                break  # the rows have begun
            continue
        unit = match.group("unit")
        if unit not in SHIFTS:
            raise SourceError(
                path,
                f"the table's amounts are in {unit}",
                line=number,
                table=span.table.number,
                expected=f"amounts in {span.table.unit} or in another unit of 人民币 "
                f"({'、'.join(SHIFTS)}), which is converted to {span.table.unit} exactly",
            )
        return unit
    return UNIT


def _leading_text(tokens: list[Token]) -> list[tuple[int, str]]:
    """The text before the first row that holds an amount or a code.

    A table printed without 栏次 numbering has no marked end of header; what
    stands above its first data row is header enough to tell its column order.
    """
    first = next((t.row for t in tokens if t.kind is Kind.AMOUNT or t.is_code), None)
    return [(t.line, t.text) for t in tokens if first is not None and t.row < first]


def _column_order(table: Table, header: list[tuple[int, str]]) -> tuple[str, ...]:
    """The order the columns are printed in: the template's, or a declared variant."""
    text = normalise("".join(text for _n, text in header))
    for order in table.column_orders:
        if re.search(order.header_pattern, text):
            return order.columns
    return table.printed_columns


_LABELS: dict[int, str] = {}
"""By id(): table definitions are loaded once and live as long as the process."""


def _template_labels(table: Table) -> str:
    """All of a template's row labels, run together, for substring tests."""
    key = id(table)
    if key not in _LABELS:
        _LABELS[key] = "".join(normalise(r.label) for r in table.rows)
    return _LABELS[key]


def _without_repeated_header(
    data: list[Token], header: list[tuple[int, str]], table: Table
) -> list[Token]:
    """Data tokens less a header printed again after a page break.

    A line equal to a line of the table's header goes, unless it could be a piece
    of a row label (合计, or part of a template label); so does a repeated 栏次
    numbering.
    """
    labels = _template_labels(table)
    flat = {normalise(text) for _n, text in header}
    repeated = {
        text
        for text in flat
        if len(text) >= 2 and not text.isdigit() and text not in _TOTAL_WORDS and text not in labels
    }
    lines: dict[int, str] = {}
    for token in data:
        lines[token.line] = lines.get(token.line, "") + token.text
    kept: list[Token] = []
    numbering = False
    for token in data:
        if normalise(lines[token.line]) in repeated:
            continue
        if token.kind is Kind.TEXT and "栏次" in token.text:
            numbering = True
            continue
        if numbering and token.kind in (Kind.INT, Kind.BLANK) and len(token.text) <= 2:
            continue
        numbering = False
        kept.append(token)
    return kept


def _reject_garbled(
    path: Path, span: TableSpan, data: list[Token], body: Sequence[tuple[int, str]], cells: bool
) -> None:
    """Stop at an amount that does not read as one, naming it."""
    if cells:
        suspects = [(t.line, t.text) for t in data if t.kind is Kind.TEXT]
    else:
        lines = {t.line for t in data}
        suspects = [(n, text) for n, text in body if n in lines]
    for line, text in suspects:
        match = _GARBLED.search(text)
        if match:
            word = re.search(r"\S*" + re.escape(match.group()) + r"\S*", text)
            raise SourceError(
                path,
                f"garbled amount {word.group() if word else text!r}",
                line=line,
                table=span.table.number,
                expected="an amount with two decimals, such as 282.91",
            )


# A two-decimal number inside a cell's text (0.02万元, (0.48), 28.855, 1.28.85),
# not a date (2024.12.31).
_AMOUNT_IN_TEXT = re.compile(r"(?<![\d.,])(?!(?:19|20)\d\d\.\d{1,2}\.\d{1,2})\d+\.\d{2}")


def _reject_amount_in_text(path: Path, span: TableSpan, tokens: list[Token]) -> None:
    """Stop at a cell whose text holds an amount: read as a label, the amount would go."""
    for token in tokens:
        if token.kind is Kind.TEXT and _AMOUNT_IN_TEXT.search(token.text):
            raise SourceError(
                path,
                f"a cell holds {token.text[:60]!r}: an amount with other text",
                line=token.line,
                table=span.table.number,
                expected="the amount alone in its cell, such as 282.91 (and text in a cell "
                "of its own)",
            )


_CELLS_PER_ROW = 500
"""More cells than any table row has: a run of tabs, not a row."""


def _reject_wide_rows(path: Path, span: TableSpan, body: Sequence[tuple[int, str]]) -> None:
    for number, text in body:
        if text.count("\t") >= _CELLS_PER_ROW:
            raise SourceError(
                path,
                f"a row of {text.count(chr(9)) + 1:,} tab-separated cells",
                line=number,
                table=span.table.number,
                expected=f"fewer than {_CELLS_PER_ROW} cells in a row",
            )


_DIGITS_BEFORE_POINT = 13
"""No 决算 prints more: 13 digits in 元 are ten trillion; the solver counts in int64."""


def _reject_huge(path: Path, span: TableSpan, data: list[Token]) -> None:
    """Stop at a number too long to be an amount (or a code, or a 行次)."""
    for token in data:
        if token.kind in (Kind.AMOUNT, Kind.INT):
            digits = token.text.lstrip("-").split(".")[0].replace(",", "")
            if len(digits) > _DIGITS_BEFORE_POINT:
                raise SourceError(
                    path,
                    f"the number {token.text[:40]} is too long for an amount or a code",
                    line=token.line,
                    table=span.table.number,
                    expected=f"at most {_DIGITS_BEFORE_POINT} digits before the decimal point",
                )


def _split_notes(
    path: Path, span: TableSpan, body: Sequence[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The table's rows and the notes printed under it.

    Rows after a note would be kept as note text: they are the rows of a table
    whose title was not recognised, and stop the ingest, named.
    """
    for index, (note_line, text) in enumerate(body):
        if _NOTE.match(text.strip()) or starts_empty_note(text):
            for number, later in body[index:]:
                if holds_table_amounts(later):
                    raise SourceError(
                        path,
                        f"table amounts after the note on line {note_line} of "
                        f"{span.table.title}: {later.strip()[:60]!r}",
                        line=number,
                        table=span.table.number,
                        expected="notes only after a table's rows; rows after a note are a "
                        "note printed inside the table, the table printed a second time, or "
                        "a table whose title the edition does not know (see schemas/editions/)",
                    )
            return list(body[:index]), paragraphs(body[index:])
    return list(body), []


def _data_start(span: TableSpan, tokens: list[Token]) -> tuple[int, tuple[int, list[int]] | None]:
    """Index of the first data token, after the 栏次 numbering, and that numbering.

    The numbering (its source line and numbers) is checked once the columns are known.
    """
    first = next(
        (i for i, t in enumerate(tokens) if t.kind is Kind.TEXT and "栏次" in t.text), None
    )
    if first is not None:
        # The numbering is the rest of the physical row that holds the first 栏次.
        numbers, index = [], first + 1
        while index < len(tokens) and tokens[index].row == tokens[first].row:
            token = tokens[index]
            if token.kind is Kind.INT:
                numbers.append(int(token.text))
            elif token.kind is not Kind.BLANK and "栏次" not in token.text:
                break
            index += 1
        return index, (tokens[first].line, numbers)
    # No 栏次 word: a bare run 1 2 … N numbers the columns (三公 tables).
    width = len(span.table.printed_columns)
    for index in range(len(tokens) - width + 1):
        run = tokens[index : index + width]
        if [t.text for t in run] == [str(n) for n in range(1, width + 1)]:
            return index + width, None
    return 0, None


def _check_numbering(
    path: Path, span: TableSpan, numbering: tuple[int, list[int]] | None, order: tuple[str, ...]
) -> None:
    """The 栏次 numbering must count the columns of the form the header announces."""
    table = span.table
    if numbering is None or not numbering[1]:
        return
    line, numbers = numbering
    if max(numbers) != len(order):
        labels = {c.id: c.label for c in table.columns}
        raise SourceError(
            path,
            f"the 栏次 numbering stops at {max(numbers)}",
            line=line,
            table=table.number,
            expected=f"{len(order)} columns: " + "、".join(labels[c] for c in order),
        )


def _cell_amount(path: Path, span: TableSpan, token: Token) -> Token | None:
    """A value cell's amount, None when blank; text there is an error naming it."""
    if token.kind is Kind.BLANK:
        return None
    if token.kind is Kind.AMOUNT:
        return token
    raise SourceError(
        path,
        f"value cell holds {token.text!r}",
        line=token.line,
        table=span.table.number,
        expected="an amount such as 282.91, or a blank cell",
    )


def _stray_amount(path: Path, span: TableSpan, token: Token) -> NoReturn:
    """An amount outside any row: an error naming it."""
    raise SourceError(
        path,
        f"amount {token.text} has no row to belong to",
        line=token.line,
        table=span.table.number,
        expected="amounts after a row's code or label",
    )


def _read_classified(
    path: Path, span: TableSpan, data: list[Token], cells: bool, columns: tuple[str, ...]
) -> list[RawRow]:
    table = span.table
    rows: list[RawRow] = []
    groups = _row_groups(data, cells)
    for group in groups:
        key, fragments, values = _classify_group(path, span, group, len(columns), cells)
        if key is None:
            amounts = [v for v in values if v.kind is Kind.AMOUNT]
            if amounts:
                _stray_amount(path, span, amounts[0])
            continue
        first = next((t.line for t in group if t.kind is not Kind.BLANK), group[0].line)
        if cells:
            if len(values) != len(columns):
                raise SourceError(
                    path,
                    f"row {key} has {len(values)} value cells",
                    line=first,
                    table=table.number,
                    expected=f"{len(columns)} value cells",
                )
            row_values = tuple(_cell_amount(path, span, v) for v in values)
        else:
            amounts = [v for v in values if v.kind is Kind.AMOUNT]
            if len(amounts) > len(columns):
                raise SourceError(
                    path,
                    f"row {key} has {len(amounts)} amounts",
                    line=first,
                    table=table.number,
                    expected=f"at most {len(columns)}",
                )
            row_values = tuple(amounts)
        label = "".join(t.text for t in fragments)
        rows.append(
            RawRow(
                table.id,
                key,
                label,
                first,
                columns,
                row_values,
                exact=cells or len(row_values) == len(columns),
                fragments=list(fragments),
            )
        )
    _check_unique(path, span, rows)
    return rows


def _row_groups(data: list[Token], cells: bool) -> list[list[Token]]:
    """Tokens grouped by row: physical rows for cells; code or 合计 starts for flow."""
    groups: list[list[Token]] = []
    if cells:
        for token in data:
            if groups and groups[-1][-1].row == token.row:
                groups[-1].append(token)
            else:
                groups.append([token])
        return groups
    for token in data:
        starts = token.is_code or (token.kind is Kind.TEXT and token.text in _TOTAL_WORDS)
        if starts or not groups:
            groups.append([token])
        else:
            groups[-1].append(token)
    return groups


def _classify_group(
    path: Path, span: TableSpan, group: list[Token], width: int, cells: bool = False
) -> tuple[str | None, list[Token], list[Token]]:
    """(row id, label fragments, value tokens) of a row group of a classified table."""
    head, values = group, []
    if cells and len(group) > width and any(t.kind is not Kind.BLANK for t in group[:-width]):
        # The last cells of a printed row are its value cells, whatever they hold.
        head, values = group[:-width], [as_amount(t) for t in group[-width:]]
    elif (
        group
        and group[0].row == group[-1].row
        and len(group) >= width
        and all(t.kind in (Kind.AMOUNT, Kind.BLANK) for t in group[-width:])
    ):
        head, values = group[:-width], group[-width:]
    else:
        values = [t for t in group if t.kind is Kind.AMOUNT]
        head = [t for t in group if t.kind is not Kind.AMOUNT]
    stray = next((t for t in head if t.kind is Kind.AMOUNT), None)
    if stray is not None:
        # More amounts than the row has columns (two rows printed as one): the
        # first would be dropped with the label.
        raise SourceError(
            path,
            f"amount {stray.text} stands before the row's {width} value cells",
            line=stray.line,
            table=span.table.number,
            expected=f"a row of a code or label and {width} value cells",
        )
    code_parts = [t.text for t in head if t.kind is Kind.INT]
    texts = [t for t in head if t.kind is Kind.TEXT]
    key = None
    if code_parts:
        key = (
            "".join(code_parts)
            if len(code_parts[0]) == 3 and all(len(p) == 2 for p in code_parts[1:])
            else code_parts[0]
        )
        if len(key) not in (3, 5, 7):
            raise SourceError(
                path,
                f"code {key!r} is not a 类/款/项 code",
                line=head[0].line,
                table=span.table.number,
                expected="3, 5 or 7 digits",
            )
    elif texts and normalise(texts[0].text) in _TOTAL_WORDS:
        key = "total"
    return key, texts, values


def _check_unique(path: Path, span: TableSpan, rows: list[RawRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.id in seen:
            raise SourceError(
                path,
                f"row {row.id} printed twice (first on line {seen[row.id]})",
                line=row.source_line,
                table=span.table.number,
                expected="each code once",
            )
        seen[row.id] = row.source_line


@lru_cache(maxsize=8192)
def _comparable(label: str) -> str:
    """A label without spaces, quote variants or its ordinal (十四、)."""
    return _ORDINAL.sub("", normalise(label))


@cache
def _function_names() -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = {}
    for entry in codelist("function"):
        names.setdefault(entry.code, []).append(entry.name)
    return {code: tuple(found) for code, found in names.items()}


def _row_labels(row: Row) -> tuple[str, ...]:
    """What a template row may be printed as.

    Its label and aliases, and for a row standing for a 类, every name the code
    list gives that code over the years (215 was renamed in 2022).
    """
    return (row.label, *row.aliases, *(_function_names().get(row.code, ()) if row.code else ()))


def _label_matches(printed: str, row: Row, within: bool = False) -> bool:
    if not printed:
        return True
    got = _comparable(printed)
    for label in _row_labels(row):
        want = _comparable(label)
        if got == want or (want and ((want in got and not within) or got in want)):
            return True
    return False


def _read_ledger(
    path: Path, span: TableSpan, data: list[Token], cells: bool, _columns: tuple[str, ...]
) -> list[RawRow]:
    """Rows of a ledger table, recognised by their labels; 行次 as printed.

    Every integer in a ledger body is a 行次: the text before it is the row's label
    and the amounts after it are the row's. Labels decide which template row it is
    (other years and provinces number their lines differently); an unlabelled line
    is the template line of that number.
    """
    table = span.table
    side_columns = {side.id: side.columns for side in table.sides}
    if not any(t.kind is Kind.INT for t in data):
        return _read_unnumbered_ledger(path, span, data, cells, side_columns)
    matched: dict[str, RawRow] = {}
    pending: list[Token] = []
    index = 0
    while index < len(data):
        token = data[index]
        index += 1
        if token.kind is Kind.TEXT:
            pending.append(token)
            continue
        if token.kind is Kind.AMOUNT:
            _stray_amount(path, span, token)
        if token.kind is not Kind.INT:
            continue
        label = "".join(t.text for t in pending)
        row = _ledger_row(path, span, label, int(token.text), token.line, matched)
        columns = side_columns[row.side] if row.side else tuple(c.id for c in table.columns)
        # The cells after the 行次 are the side's value cells, whatever they hold.
        amounts, index = _side_amounts(
            path,
            span,
            data,
            index,
            token,
            columns,
            cells,
            f"行次 {token.text} ({row.label or 'no label'})",
        )
        if row.placeholder and any(v is not None for v in amounts):
            raise SourceError(
                path,
                f"行次 {token.text} has amounts but no label",
                line=token.line,
                table=table.number,
                expected="a label naming what the amounts are",
            )
        matched[row.id] = RawRow(
            table.id,
            row.id,
            label,
            token.line,
            columns,
            amounts,
            exact=cells or len(amounts) == len(columns),
            line=int(token.text),
            fragments=list(pending),
        )
        pending = []
    _check_ledger_complete(path, span, matched)
    order = {row.id: index for index, row in enumerate(table.rows)}
    return sorted(matched.values(), key=lambda r: order[r.id])


def _read_unnumbered_ledger(
    path: Path,
    span: TableSpan,
    data: list[Token],
    cells: bool,
    side_columns: dict[str, tuple[str, ...]],
) -> list[RawRow]:
    """Rows of a ledger printed without 行次: a label, then its side's value cells.

    In cells a label is a text cell followed by a value cell (amount or blank) in
    its row; header words (项目, 决算数) are followed by text or nothing. A blank
    cell not after a label is the empty label cell of a side that has ended.
    """
    table = span.table
    data = _split_run_together(data, table)
    matched: dict[str, RawRow] = {}
    index = 0
    while index < len(data):
        token = data[index]
        index += 1
        if token.kind is Kind.AMOUNT:
            _stray_amount(path, span, token)
        if token.kind is not Kind.TEXT:
            continue
        following = data[index] if index < len(data) else None
        if following is None or (cells and following.row != token.row):
            continue
        if following.kind not in (Kind.AMOUNT, Kind.BLANK, Kind.INT):
            continue
        row = _ledger_row(path, span, token.text, None, token.line, matched, within_label=True)
        columns = side_columns[row.side] if row.side else tuple(c.id for c in table.columns)
        amounts, index = _side_amounts(
            path, span, data, index, token, columns, cells, f"row {token.text}"
        )
        matched[row.id] = RawRow(
            table.id,
            row.id,
            token.text,
            token.line,
            columns,
            amounts,
            exact=cells or len(amounts) == len(columns),
            fragments=[token],
        )
    order = {row.id: index for index, row in enumerate(table.rows)}
    return sorted(matched.values(), key=lambda r: order[r.id])


def _side_amounts(
    path: Path,
    span: TableSpan,
    data: list[Token],
    index: int,
    token: Token,
    columns: tuple[str, ...],
    cells: bool,
    what: str,
) -> tuple[tuple[Token | None, ...], int]:
    """The amounts of a ledger row from ``index`` on, and the index after them.

    In cells, the side's value cells in the row of ``token`` (blank ones as None);
    in flow, the amounts that follow, at most one per column.
    """
    values: list[Token | None] = []
    if cells:
        while index < len(data) and len(values) < len(columns) and data[index].row == token.row:
            values.append(_cell_amount(path, span, as_amount(data[index])))
            index += 1
    while not cells and index < len(data) and data[index].kind is Kind.AMOUNT:
        values.append(data[index])
        index += 1
    amounts = tuple(values) if cells else tuple(v for v in values if v is not None)
    if (cells and len(values) != len(columns)) or len(amounts) > len(columns):
        raise SourceError(
            path,
            f"{what} has {len(values) if cells else len(amounts)} amounts",
            line=token.line,
            table=span.table.number,
            expected=f"{len(columns)} value cells" if cells else f"at most {len(columns)}",
        )
    return amounts, index


_ORDINAL_START = re.compile(r"(?<=\S)(?=[一二三四五六七八九十]+、)")


def _split_run_together(tokens: list[Token], table: Table) -> list[Token]:
    """Text tokens that are several template labels run together, split.

    In flowed text a row whose side has no amount runs its label into the other
    side's (八、其他收入八、社会保障和就业支出 10.82): the amounts that follow
    belong to the last label. A token is split only when every piece is a
    template label (or the start of one), at an ordinal or between two labels.
    """
    labels = {
        _comparable(label)
        for row in table.rows
        if not row.placeholder
        for label in _row_labels(row)
        if label
    }
    out: list[Token] = []
    for token in tokens:
        pieces = None if token.kind is not Kind.TEXT else _label_pieces(token.text, labels)
        if pieces is None:
            out.append(token)
        else:
            out += [Token(Kind.TEXT, piece, token.line, token.row) for piece in pieces]
    return out


def _label_pieces(text: str, labels: set[str]) -> list[str] | None:
    """``text`` as two or more template labels, or None."""
    if _is_label(text, labels):
        return None
    pieces: list[str] = []
    for part in (p for p in _ORDINAL_START.split(text) if p):
        if _is_label(part, labels):
            pieces.append(part)
            continue
        cut = next(
            (
                at
                for at in range(1, len(part))
                if _is_label(part[:at], labels) and _is_label(part[at:], labels)
            ),
            None,
        )
        if cut is None:
            return None
        pieces += [part[:cut], part[cut:]]
    return pieces if len(pieces) > 1 else None


def _is_label(text: str, labels: set[str]) -> bool:
    """A template label, or (four characters or more) the start of one."""
    got = _comparable(text)
    return got in labels or (len(got) >= 4 and any(label.startswith(got) for label in labels))


def _ledger_row(
    path: Path,
    span: TableSpan,
    label: str,
    line: int | None,
    source_line: int,
    matched: dict[str, RawRow],
    within_label: bool = False,
) -> Row:
    """The template row a printed 行次 (or, with none, a printed label) stands for.

    ``within_label``: a label close to a template label must be part of it. With
    no 行次 to confirm a row, a printed label holding a template label and more
    may be two labels run together, and is no row of its own.
    """
    table = span.table
    free = [row for row in table.rows if row.id not in matched]
    if not label:
        for row in free:
            if row.line == line:
                return row
        raise SourceError(
            path,
            f"行次 {line} has no label and no such line in the template",
            line=source_line,
            table=table.number,
            expected="a label such as "
            + "、".join(r.label for r in table.rows if not r.placeholder)[:60]
            + "…",
        )
    exact = [row for row in free if not row.placeholder and _same_label(label, row)]
    close = exact or [
        row
        for row in free
        if not row.placeholder and _label_matches(label, row, within=within_label)
    ]
    if not close:
        unknown = (
            f"行次 {line} is labelled {label!r}, which the {table.number} template does not have"
            if line is not None
            else f"row label {label!r} is none of the {table.number} template's (or several "
            "labels run together)"
        )
        raise SourceError(
            path,
            unknown,
            line=source_line,
            table=table.number,
            expected="one of " + "、".join(r.label for r in free if not r.placeholder)[:200],
        )
    return next((row for row in close if row.line == line), close[0])


def _same_label(printed: str, row: Row) -> bool:
    got = _comparable(printed)
    return any(got == _comparable(label) for label in _row_labels(row))


def _check_ledger_complete(path: Path, span: TableSpan, matched: dict[str, RawRow]) -> None:
    """A side that stops before its last rows was cut off: say which rows are missing."""
    table = span.table
    sides: list[str | None] = [side.id for side in table.sides] or [None]
    for side in sides:
        rows = [row for row in table.rows if row.side == side]
        seen = [index for index, row in enumerate(rows) if row.id in matched]
        last = seen[-1] if seen else -1
        missing = rows[last + 1 :]
        if not any(not row.placeholder for row in missing):
            continue
        source_line = max((r.source_line for r in matched.values()), default=span.title_line)
        labelled = next(row for row in missing if not row.placeholder)
        lines = ", ".join(str(row.line) for row in missing[:12])
        more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
        raise SourceError(
            path,
            f"the table stops before 行次 {missing[0].line} (missing 行次 {lines}{more})",
            line=source_line,
            table=table.number,
            expected=f"行次 {labelled.line} {labelled.label}",
        )


def _read_economic(
    path: Path, span: TableSpan, data: list[Token], cells: bool, _columns: tuple[str, ...]
) -> list[RawRow]:
    table = span.table
    codes = {row.code: row for row in table.rows if row.code}
    totals = {normalise(row.label): row for row in table.rows if not row.code}
    column = (table.columns[0].id,)
    rows: list[RawRow] = []
    current: RawRow | None = None
    for token in data:
        if (
            cells
            and token.kind is Kind.INT
            and current is not None
            and current.fragments
            and not current.values
        ):
            # In cells, the cell after a label is its value, even a whole number.
            current.values = (as_amount(token),)
        elif token.kind is Kind.INT and token.is_code:
            current = _economic_row(path, span, token, codes, column)
            rows.append(current)
        elif (
            token.kind is Kind.INT
            and len(token.text) == 2
            and current is not None
            and len(current.id) == 3
            and not current.fragments
            and not current.values
        ):
            # A code printed in its 类 and 款 parts: 301 01 is 30101.
            joined = Token(Kind.INT, current.id + token.text, current.source_line, token.row)
            rows[-1] = current = _economic_row(path, span, joined, codes, column)
        elif token.kind is Kind.TEXT and normalise(token.text) in totals:
            row = totals[normalise(token.text)]
            current = RawRow(
                table.id, row.id, token.text, token.line, column, (), True, fragments=[token]
            )
            rows.append(current)
        elif token.kind is Kind.TEXT and current is not None:
            # A label wrapped after the amount still belongs to some row: keep it.
            current.fragments.append(token)
            current.label = "".join(t.text for t in current.fragments)
        elif token.kind in (Kind.AMOUNT, Kind.BLANK) and current is not None and not current.values:
            current.values = (token if token.kind is Kind.AMOUNT else None,)
        elif token.kind is Kind.AMOUNT:
            _stray_amount(path, span, token)
    for raw in rows:
        if not raw.values:
            raw.values = (None,)
    _check_unique(path, span, rows)
    return rows


def _economic_row(
    path: Path, span: TableSpan, token: Token, codes: dict[str, Row], column: tuple[str, ...]
) -> RawRow:
    # A code the template does not print is kept as printed: code lists grow with
    # the documents, and validation names a code its year's list does not know.
    return RawRow(span.table.id, token.text, "", token.line, column, (), True)


@cache
def _economic_codes() -> frozenset[str]:
    return frozenset(entry.code for entry in codelist("economic"))


def _read_single(
    path: Path, span: TableSpan, data: list[Token], cells: bool, columns: tuple[str, ...]
) -> list[RawRow]:
    table = span.table
    values = [t for t in data if t.kind in (Kind.AMOUNT, Kind.BLANK)]
    if not any(t.kind is Kind.AMOUNT for t in values):
        return []
    if cells:
        if len(values) != len(columns):
            raise SourceError(
                path,
                f"{len(values)} value cells",
                line=values[0].line,
                table=table.number,
                expected=f"{len(columns)} value cells",
            )
        row_values = tuple(t if t.kind is Kind.AMOUNT else None for t in values)
    else:
        row_values = tuple(t for t in values if t.kind is Kind.AMOUNT)
        if len(row_values) > len(columns):
            raise SourceError(
                path,
                f"{len(row_values)} amounts",
                line=values[0].line,
                table=table.number,
                expected=f"at most {len(columns)}",
            )
    row = table.rows[0]
    return [
        RawRow(
            table.id,
            row.id,
            row.label,
            values[0].line,
            columns,
            row_values,
            exact=cells or len(row_values) == len(columns),
        )
    ]


Reader = Callable[[Path, TableSpan, list[Token], bool, tuple[str, ...]], list[RawRow]]

_READERS: dict[str, Reader] = {
    "classified": _read_classified,
    "ledger": _read_ledger,
    "economic": _read_economic,
    "single": _read_single,
}
