"""Workbooks (.xlsx, .xls) as finance bureaus send them give the text source's facts."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from juesuan.errors import SourceError
from juesuan.ingest.grid import Cell, Lines
from juesuan.ingest.pipeline import ingest
from juesuan.ingest.readers import read_document
from juesuan.ingest.readers.excel import _number, column_letter
from tests.disclosure_files import ingested_facts, xls_workbook, xlsx_workbook
from tests.seeds import HUANGPI, source_of


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return xlsx_workbook(source_of(HUANGPI), tmp_path_factory.mktemp("xlsx") / "huangpi.xlsx")


def test_xlsx_gives_the_facts_of_the_text(xlsx: Path, tmp_path: Path) -> None:
    assert ingested_facts(xlsx, tmp_path) == ingested_facts(source_of(HUANGPI), tmp_path)


def test_xls_gives_the_facts_of_the_text(tmp_path: Path) -> None:
    xls = xls_workbook(source_of(HUANGPI), tmp_path / "huangpi.xls")
    assert ingested_facts(xls, tmp_path) == ingested_facts(source_of(HUANGPI), tmp_path)


def test_workbook_is_read_as_cells_with_merged_headers(xlsx: Path) -> None:
    book = openpyxl.load_workbook(xlsx)
    assert len(book.sheetnames) == 11, "概况, nine tables, 说明"
    vertical = [r for ws in book for r in ws.merged_cells.ranges if r.max_row > r.min_row]
    assert vertical, "the fixture should have multi-row headers"
    disclosure = ingest(xlsx)
    assert disclosure.layout == "cells"
    assert disclosure.document.encoding == "xlsx"
    assert [t.span.number for t in disclosure.tables] == [f"公开0{n}表" for n in range(1, 10)]


def test_lines_know_their_sheet_and_cell(xlsx: Path) -> None:
    document = read_document(xlsx)
    line = document.lines.index("\t282.91") + 1
    assert document.location(line) == "sheet 收入支出决算总表 cell C7"


def test_amount_with_more_than_two_decimals_names_its_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "收入决算表"
    sheet["A1"] = "合计"
    sheet["B1"] = 282.905
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(SourceError) as caught:
        read_document(path)
    assert caught.value.location == "sheet 收入决算表 cell B1"
    assert "282.905, which is not a two-decimal amount" in str(caught.value)


def test_formula_without_a_saved_result(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "合计"
    sheet["B1"] = "=C1+D1"
    path = tmp_path / "formula.xlsx"
    book.save(path)
    with pytest.raises(SourceError, match="cell B1 holds a formula whose result was never saved"):
        read_document(path)


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_file_that_is_not_a_workbook(tmp_path: Path, suffix: str) -> None:
    fake = tmp_path / f"决算{suffix}"
    fake.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(SourceError, match=rf"not a readable \{suffix} workbook"):
        read_document(fake)


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (282.91, "#,##0.00", "282.91"),
        (282.905, "0.00", "282.91"),
        (5, "#,##0.00", "5.00"),
        (0, "0.00", "0.00"),
        (2013750, "General", "2013750"),
        (12.15, "General", "12.15"),
        (12.5, "0.0", "12.50"),
    ],
)
def test_numbers_are_written_as_the_sheet_shows_them(
    value: float, number_format: str, shown: str
) -> None:
    assert _number(Path("x.xlsx"), value, number_format, "sheet 1 cell A1") == shown


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_grid_rows_become_cells_titles_and_notes_plain_lines() -> None:
    lines = Lines()
    texts = [
        ["", "2024年度收入决算表", None, None, ""],  # title merged across the table
        ["", "", "", "公开02表", ""],  # the number alone in the last column
        ["", "合计", "282.91", "", ""],  # a total with a blank cell stays a row of cells
        ["", "注：本表反映…", None, None, ""],
    ]
    rows = [
        [
            Cell(text or "", r, c, f"R{r}C{c}", None if text is not None else (r, 1))
            for c, text in enumerate(row)
        ]
        for r, row in enumerate(texts)
    ]
    lines.add_grid(rows)
    assert lines.text == [
        "2024年度收入决算表", "",
        "公开02表", "",
        "\t合计", "\t282.91", "\t", "",
        "注：本表反映…", "",
    ]  # fmt: skip
    assert lines.where[2] == "R1C3"
    (grid,) = lines.grids
    assert (grid.first_line, grid.last_line) == (1, 10)
    assert grid.plain == {0, 1, 3}
    assert [c.line for c in grid.rows[2]] == [None, 5, 6, 7, None]  # trimmed columns unwritten
