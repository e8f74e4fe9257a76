"""Every reader that sees a table hands on a typed grid, blank and merged cells as stated."""

from __future__ import annotations

from pathlib import Path

from juesuan.ingest.grid import Cell, Grid
from juesuan.ingest.readers import read_document
from juesuan.ingest.source import Document
from juesuan.ingest.tokens import Kind, cell_tokens

# One table in every kind: a title merged across three columns, a header row, and
# a row whose middle cell is blank.
TITLE, HEAD, ROW = "收入决算表", ["项目", "本年收入", "备注"], ["合计", "", "282.91"]


def _grid(document: Document) -> Grid:
    grids = [g for g in document.grids if any(c.text == "合计" for row in g.rows for c in row)]
    assert len(grids) == 1, document.grids
    return grids[0]


def _row(grid: Grid, first: str) -> tuple[Cell, ...]:
    return next(row for row in grid.rows if row and row[0].text == first)


def _check(document: Document, merged_title: bool = True) -> Grid:
    grid = _grid(document)
    total = _row(grid, "合计")
    assert [c.text for c in total] == ROW
    assert [c.blank for c in total] == [False, True, False]
    assert not any(c.merged for c in total)
    for cell in total:  # each written cell is on the line the outline reads
        assert cell.line is not None
        assert document.line(cell.line).strip() == cell.text
    if merged_title:
        title = _row(grid, TITLE)
        assert [c.merged for c in title] == [False, True, True]
        assert {c.origin for c in title[1:]} == {(title[0].row, title[0].column)}
        assert not title[1].blank  # covered by the title, not a blank cell
    # The tokeniser reads the cells from the grid: the blank stays in its place.
    lines = [(n, document.line(n)) for n in range(grid.first_line, grid.last_line + 1)]
    kinds = [t.kind for t in cell_tokens(document, lines) if t.line in {c.line for c in total}]
    assert kinds == [Kind.TEXT, Kind.BLANK, Kind.AMOUNT]
    return grid


def test_xlsx_merged_ranges_and_blank_cells(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "公开02表"
    sheet.append([TITLE])
    sheet.merge_cells("A1:C1")
    sheet.append(HEAD)
    sheet.append(["合计", None, 282.91])
    sheet["C3"].number_format = "0.00"
    book.save(tmp_path / "t.xlsx")
    grid = _check(read_document(tmp_path / "t.xlsx"))
    assert _row(grid, "合计")[2].where == "sheet 公开02表 cell C3"


def test_docx_grid_span_and_vertical_merge(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = TITLE
    for c, text in enumerate(HEAD):
        table.cell(1, c).text = text
    table.cell(2, 0).text, table.cell(2, 2).text = "合计", "282.91"
    table.cell(3, 2).text = "备注"
    merged = table.cell(2, 1).merge(table.cell(3, 1))  # a blank cell over two rows
    merged.text = ""
    document.save(str(tmp_path / "t.docx"))
    read = read_document(tmp_path / "t.docx")
    grid = _check(read)
    below = grid.rows[_row(grid, "合计")[0].row + 1]
    assert below[1].merged and below[1].origin == (2, 1)


def test_html_colspan_rowspan_and_blank_cells(tmp_path: Path) -> None:
    page = (
        "<html><body><p>说明</p><table>"
        f"<tr><td colspan='3'>{TITLE}</td></tr>"
        + "<tr>" + "".join(f"<th>{h}</th>" for h in HEAD) + "</tr>"
        + "<tr><td>合计</td><td rowspan='2'></td><td>282.91</td></tr>"
        "<tr><td>小计</td><td>1.00</td></tr>"
        "</table></body></html>"
    )  # fmt: skip
    (tmp_path / "t.html").write_text(page, encoding="utf-8")
    grid = _check(read_document(tmp_path / "t.html"))
    below = _row(grid, "小计")
    assert [c.text for c in below] == ["小计", "", "1.00"]
    assert below[1].merged and below[1].origin == (2, 1)


def test_pdf_cells_without_a_cell_are_covered_by_the_span(tmp_path: Path) -> None:
    from reportlab.platypus import SimpleDocTemplate, Table

    from tests.disclosure_files import FONT, _register_font

    _register_font()
    rows = [[TITLE, "", ""], HEAD, ROW]
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("SPAN", (0, 0), (2, 0)),
    ]
    pdf = tmp_path / "t.pdf"
    SimpleDocTemplate(str(pdf)).build([Table(rows, colWidths=[80, 80, 80], style=style)])
    grid = _check(read_document(pdf))
    assert _row(grid, "合计")[0].where.startswith("page 1, line ")


def test_text_cells_layout_is_read_into_the_same_grid_once(tmp_path: Path) -> None:
    text = "\n".join(
        [TITLE, "", *(f"\t{h}" for h in HEAD), "", "\t合计", "\t", "\t282.", "91", "", "注：无"]
    )
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    document = read_document(tmp_path / "t.txt")
    grid = _grid(document)
    total = _row(grid, "合计")
    assert [c.text for c in total] == ROW  # the wrapped cell joined
    assert [c.blank for c in total] == [False, True, False]
    assert [c.line for c in total] == [7, 8, 9]
    assert (grid.first_line, grid.last_line) == (3, 11)
    lines = [(n, document.line(n)) for n in range(1, len(document.lines) + 1)]
    tokens = cell_tokens(document, lines)
    assert [(t.kind, t.text) for t in tokens if t.line in (7, 8, 9)] == [
        (Kind.TEXT, "合计"),
        (Kind.BLANK, ""),
        (Kind.AMOUNT, "282.91"),
    ]
    # Lines outside the grid are text: the title and the note.
    assert {t.text for t in tokens if t.line in (1, 12)} == {TITLE, "注：无"}
