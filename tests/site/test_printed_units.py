"""A table the document printed in 元 is shown as printed; the package keeps 万元."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl

from juesuan.ingest.pipeline import ingest
from juesuan.package.write import write_package
from juesuan.site.allfacts import AMOUNT_TYPE, amount
from juesuan.site.corpus import Disclosure, load
from juesuan.site.tables import TableContext, printed, render_table
from juesuan.site.workbook import write_xlsx
from juesuan.text import AMOUNT
from tests.seeds import HUANGPI, source_of


def test_an_amount_is_shown_with_every_digit_it_has() -> None:
    assert printed("282.91") == "282.91"
    assert printed("282.9") == "282.90"
    assert printed("123.456789") == "123.456789"
    assert printed("123.456789", "元") == "1234567.89"
    assert printed("282.91", "元") == "2829100.00"
    assert printed("", "元") == ""


def _in_yuan(tmp_path: Path, fen: bool = False) -> Disclosure:
    """The cells seed reprinted in 元 (its first 282.91 as 2,829,112.34 with ``fen``), loaded."""
    source = source_of(HUANGPI)
    text = source.read_text(encoding="utf-8").replace("金额单位：万元", "金额单位：元")
    text = re.sub(
        rf"(?m)^(\t){AMOUNT}$",
        lambda m: m.group(1) + f"{Decimal(m.group()[1:].replace(',', '')) * 10000:,.2f}",
        text,
    )
    if fen:
        text = text.replace("\t2,829,100.00", "\t2,829,112.34", 1)
    reprinted = tmp_path / "yuan.txt"
    reprinted.write_text(text, encoding="utf-8")
    return load(write_package(ingest(reprinted), tmp_path / "package"))


def test_a_table_printed_in_yuan_is_shown_in_yuan(tmp_path: Path) -> None:
    disclosure = _in_yuan(tmp_path)
    original = load(HUANGPI)
    ctx = TableContext(codes={}, code_href=lambda code: f"#{code}")
    for view, before in zip(disclosure.tables, original.tables, strict=True):
        assert view.rows == before.rows  # the package keeps 万元
        assert view.printed_unit == "元" and before.printed_unit == "万元"
        page = str(render_table(view, ctx))
        assert "金额单位：元（按原表列示；数据包及其他页面折算为万元）" in page
        shown = str(render_table(before, ctx))
        for row in before.rows:
            for column in view.table.columns:
                value = row.get(column.id)
                if value:
                    # Each amount as the paper printed it, in 元; the 万元 page keeps its own.
                    assert f">{Decimal(value) * 10000:.2f}<" in page
                    assert f">{Decimal(value):.2f}<" in shown


def test_the_workbook_keeps_wan_yuan_and_every_digit(tmp_path: Path) -> None:
    disclosure = _in_yuan(tmp_path, fen=True)
    book = openpyxl.load_workbook(write_xlsx(disclosure, tmp_path / "book.xlsx", []))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    lines = [c.value for c in cells if isinstance(c.value, str) and "\u3000金额单位：" in c.value]
    assert lines and all("金额单位：万元（原表以元列示，已按原数换算）" in v for v in lines)
    (fen,) = [c for c in cells if c.value == 282.911234]
    assert fen.number_format == "0.00####"
    assert any(c.value == 282.91 and c.number_format == "0.00" for c in cells)


def test_the_all_facts_amount_holds_an_amount_printed_in_yuan() -> None:
    assert AMOUNT_TYPE == "decimal(22,6)"
    assert amount("282.91") == Decimal("282.91") and f"{amount('282.910000')}" == "282.91"
    assert f"{amount('123.456789')}" == "123.456789"
    assert amount("1.2345678") is None  # finer than any print: not an amount of a table
