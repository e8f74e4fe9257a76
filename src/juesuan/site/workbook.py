"""The Excel workbook of a disclosure: one clean sheet per table, and what goes with it.

Each table sheet has one header row per level of its column groups (收入 over
金额, 本年支出 over 小计 基本支出 项目支出), merged where a group spans columns;
amounts are numbers with two decimals, 行次 and 原文行号 are integers, codes
stay text, and every column is as wide as its longest entry. Rows read in
hierarchy order (:mod:`juesuan.site.readable`). 说明 holds the provenance,
校验 the validation findings, 名词解释 and 表注 the rest. The file is
reproducible: a fixed creation date, nothing from the clock.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlsxwriter

from juesuan.package.read import parse_amount
from juesuan.site import readable
from juesuan.site.corpus import Disclosure, TableView
from juesuan.site.findings import SEVERITY, STATUS
from juesuan.site.readable import Field

HEADER_ROW = 3
"""The first header row of a table sheet (after the title, the table number and a gap)."""
MIN_WIDTH, MAX_WIDTH = 6, 60
RESERVED = ("说明", "校验", "名词解释", "表注")


@lru_cache(maxsize=65536)
def text_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: two for a CJK or full-width character."""
    if text.isascii():
        return len(text)  # no ASCII character is wide: amounts and codes, most cells
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _Widths:
    """The widest entry of each column of a sheet, to fit the columns to it."""

    def __init__(self) -> None:
        self.widths: dict[int, int] = {}

    def see(self, col: int, text: str) -> None:
        if "\n" in text:
            width = max(text_width(line) for line in text.split("\n"))
        else:
            width = text_width(text)
        self.widths[col] = max(self.widths.get(col, 0), width)

    def apply(self, sheet: Any, limit: int = MAX_WIDTH) -> None:
        for col, width in sorted(self.widths.items()):
            sheet.set_column(col, col, max(MIN_WIDTH, min(width + 2, limit)))


def _sheet_name(view: TableView, used: set[str]) -> str:
    name = "".join(ch for ch in view.number if ch not in "[]:*?/\\")[:31] or view.id
    if name in used:
        name = view.id[:31]
    used.add(name)
    return name


def write_xlsx(disclosure: Disclosure, target: Path, about: Sequence[tuple[str, str]]) -> Path:
    """The workbook: 说明 (``about``: provenance, key then value), tables, 校验, 名词解释, 表注."""
    workbook = xlsxwriter.Workbook(str(target), {"in_memory": True})
    workbook.set_properties(
        {"title": disclosure.title, "created": datetime(2000, 1, 1), "author": "juesuan"}
    )
    styles = {
        "bold": workbook.add_format({"bold": True}),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "head": workbook.add_format(
            {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1}
        ),
        "money": workbook.add_format({"num_format": "0.00"}),
        "fine": workbook.add_format({"num_format": "0.00##"}),  # a tolerance of 0.015
        # An amount printed in 元 and kept in 万元: to the fen, 0.000001 万元.
        "money_fen": workbook.add_format({"num_format": "0.00####"}),
        "integer": workbook.add_format({"num_format": "0"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    _about(workbook.add_worksheet("说明"), about, styles)
    used = set(RESERVED)
    for view in disclosure.tables:
        _table(workbook.add_worksheet(_sheet_name(view, used)), disclosure, view, styles)
    _findings(workbook.add_worksheet("校验"), disclosure, styles)
    _glossary(workbook.add_worksheet("名词解释"), disclosure, styles)
    _notes(workbook.add_worksheet("表注"), disclosure, styles)
    workbook.close()
    return target


def _about(sheet: Any, about: Sequence[tuple[str, str]], styles: dict[str, Any]) -> None:
    widths = _Widths()
    for index, (key, value) in enumerate(about):
        sheet.write_string(index, 0, key, styles["bold"])
        sheet.write_string(index, 1, value, styles["wrap"])
        widths.see(0, key)
        widths.see(1, value)
    widths.apply(sheet, limit=100)


def _header(sheet: Any, columns: Sequence[Field], styles: dict[str, Any], widths: _Widths) -> int:
    """One row per level of the column paths, merged across a group; the rows used."""
    depth = max(len(field.path) for field in columns)
    for level in range(depth):
        col = 0
        while col < len(columns):
            path = columns[col].path
            row = HEADER_ROW + level
            if len(path) <= level:
                col += 1  # covered by the cell merged down from above
                continue
            if len(path) == level + 1:  # the label: down to the last header row
                if depth - level > 1:
                    sheet.merge_range(
                        row, col, HEADER_ROW + depth - 1, col, path[-1], styles["head"]
                    )
                else:
                    sheet.write_string(row, col, path[-1], styles["head"])
                widths.see(col, path[-1])
                col += 1
                continue
            end = col + 1
            while (
                end < len(columns)
                and len(columns[end].path) > level + 1
                and columns[end].path[: level + 1] == path[: level + 1]
            ):
                end += 1
            if end - col > 1:
                sheet.merge_range(row, col, row, end - 1, path[level], styles["head"])
            else:
                sheet.write_string(row, col, path[level], styles["head"])
                widths.see(col, path[level])
            col = end
    return depth


def _table(sheet: Any, d: Disclosure, view: TableView, styles: dict[str, Any]) -> None:
    columns = readable.fields(view, locations=bool(d.locations))
    widths = _Widths()
    sheet.write_string(0, 0, view.title, styles["title"])
    unit: str = view.table.unit
    if view.printed_unit != unit:
        unit += f"（原表以{view.printed_unit}列示，已按原数换算）"
    sheet.write_string(1, 0, f"{view.number}　金额单位：{unit}")
    depth = _header(sheet, columns, styles, widths)
    first = HEADER_ROW + depth
    for index, row in enumerate(readable.ordered_rows(view), start=first):
        for col, field in enumerate(columns):
            text = readable.cell(view, row, field, d.locations)
            if not text:
                continue
            number = parse_amount(text) if field.kind in ("value", "line", "source_line") else None
            if number is not None and field.kind == "value":
                exponent = number.normalize().as_tuple().exponent
                cents = not isinstance(exponent, int) or exponent >= -2
                style = styles["money" if cents else "money_fen"]
                sheet.write_number(index, col, float(number), style)
                widths.see(col, f"{number:.2f}" if cents else f"{number:f}")
            elif number is not None and number == number.to_integral_value():
                sheet.write_number(index, col, int(number), styles["integer"])
                widths.see(col, str(int(number)))
            else:
                sheet.write_string(index, col, text)
                widths.see(col, text)
    if view.empty_note is not None and not view.rows:
        # Printed with no data: the note stands where the rows would, as on the paper.
        sheet.write_string(first, 0, view.empty_note)
    widths.apply(sheet)
    sheet.freeze_panes(first, 0)
    last = first + len(view.rows) - 1
    if view.rows:
        sheet.autofilter(first - 1, 0, last, len(columns) - 1)
    # Codes are text on purpose (2010550 is no number): no green triangles for them.
    sheet.ignore_errors({"number_stored_as_text": f"A{first + 1}:XFD{max(last, first) + 1}"})


def _findings(sheet: Any, d: Disclosure, styles: dict[str, Any]) -> None:
    validation = d.validation
    widths = _Widths()
    if validation.status is None:
        sheet.write_string(0, 0, validation.note or "未校验")
        return
    errors = sum(f.severity == "error" for f in validation.findings)
    warnings = sum(f.severity == "warning" for f in validation.findings)
    summary = f"校验结果：{STATUS.get(validation.status, validation.status)}，"
    summary += f"{errors} 个错误，{warnings} 个提示"
    sheet.write_string(0, 0, summary, styles["bold"])
    head = ("级别", "规则", "位置", "说明", "应为", "实为", "差额", "容差", "原文行号", "原文位置")
    for col, title in enumerate(head):
        sheet.write_string(2, col, title, styles["head"])
        widths.see(col, title)
    for index, f in enumerate(validation.findings, start=3):
        words, _table_id = readable.place(d, f)
        texts = (SEVERITY.get(f.severity, f.severity), f.rule, words, f.message_zh)
        for col, text in enumerate(texts):
            sheet.write_string(index, col, text, styles["wrap"] if col == 3 else None)
            widths.see(col, text)
        for col, given in enumerate((f.expected, f.found, f.difference, f.tolerance), start=4):
            number = parse_amount(given)
            if number is not None:
                sheet.write_number(
                    index, col, float(number), styles["fine" if col == 7 else "money"]
                )
                widths.see(col, f"{number:f}" if col == 7 else f"{number:.2f}")
            elif given:
                sheet.write_string(index, col, given)
                widths.see(col, given)
        if f.line is not None:
            sheet.write_number(index, 8, f.line, styles["integer"])
        where = f.location or d.locations.get(f.line or 0, "")
        if where:
            sheet.write_string(index, 9, where)
            widths.see(9, where)
    widths.apply(sheet)
    sheet.freeze_panes(3, 0)


def _glossary(sheet: Any, d: Disclosure, styles: dict[str, Any]) -> None:
    widths = _Widths()
    for col, title in enumerate(("序号", "术语", "解释")):
        sheet.write_string(0, col, title, styles["head"])
        widths.see(col, title)
    for index, entry in enumerate(d.glossary, start=1):
        for col, text in enumerate((entry.number, entry.term, entry.definition)):
            sheet.write_string(index, col, text, styles["wrap"] if col == 2 else None)
            widths.see(col, text)
    widths.apply(sheet, limit=100)


def _notes(sheet: Any, d: Disclosure, styles: dict[str, Any]) -> None:
    widths = _Widths()
    for col, title in enumerate(("表", "内容")):
        sheet.write_string(0, col, title, styles["head"])
        widths.see(col, title)
    index = 1
    for view in d.tables:
        for note in view.notes:
            sheet.write_string(index, 0, view.number)
            sheet.write_string(index, 1, note, styles["wrap"])
            widths.see(0, view.number)
            widths.see(1, note)
            index += 1
    widths.apply(sheet, limit=100)
