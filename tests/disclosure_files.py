"""PDF and workbook versions of the seed disclosures, made at test time.

A contributor brings a PDF or the workbook a finance bureau sent; these makers
print the seed documents that way so each reader can be held to the same facts
as the text source:

- the cells seed (Word export) becomes a PDF with ruled tables, an ``.xlsx`` and
  an ``.xls`` with one sheet per table, merged cells and multi-row headers;
- the flow seed (text of a PDF) becomes a PDF without ruling lines, page numbers
  at the foot of every page and tables running across page breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

_TITLE = re.compile(r"^\d{4}\s*年度.+表(?:（表\s*\d+）)?$")
_AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
_SMALL_INT = re.compile(r"^\d{1,2}$")
_NOTE_START = ("注", "本部门", "本单位")
FONT = "STSong-Light"

if TYPE_CHECKING:
    from PIL import Image


@dataclass
class Block:
    """A run of plain lines or a grid of table rows, as the seed prints them."""

    kind: str
    """"text" (each row printed as one line) or "grid"."""
    rows: list[list[str]] = field(default_factory=list)


def read_blocks(source: Path) -> list[Block]:
    """The seed's cells layout as text rows and table grids, in order."""
    blocks: list[Block] = []
    row: list[str] | None = None
    in_notes = False

    def put(kind: str, cells: list[str]) -> None:
        if blocks and blocks[-1].kind == kind:
            blocks[-1].rows.append(cells)
        else:
            blocks.append(Block(kind, [cells]))

    def end_row() -> None:
        nonlocal row, in_notes
        if row is None:
            return
        first = next((cell for cell in row if cell), "")
        if not first:
            pass
        elif in_notes or first.startswith(("公开", "单位：", *_NOTE_START)):
            in_notes = in_notes or first.startswith(_NOTE_START)
            put("text", [cell for cell in row if cell])
        else:
            put("grid", row)
        row = None

    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("\t"):
            row = [] if row is None else row
            row.append(line[1:].strip())
        elif not line.strip():
            end_row()
        elif row is not None:
            row[-1] += line.strip()
        else:
            in_notes = False
            put("text", [line.strip()])
    end_row()
    return blocks


def _is_title(text: str) -> bool:
    return bool(_TITLE.match(text)) and "部门决算表" not in text


def _header_rows(rows: list[list[str]]) -> int:
    """How many rows a table's header has: up to its 栏次 row or its 1 2 … N row."""
    for index, row in enumerate(rows):
        numbers = [cell for cell in row if cell]
        if "栏次" in row or numbers == [str(n) for n in range(1, len(numbers) + 1)] != []:
            return index + 1
    return 0


def _wide(rows: list[list[str]]) -> bool:
    """A narrative table (重点工作) whose long cells are printed as text here."""
    return any(len(cell) > 40 for row in rows for cell in row)


# ---------------------------------------------------------------------------- PDF


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _overprinted(text: str, style):
    """A line printed twice, a hair apart: the bold that some Word and WPS exports
    fake for a font without a bold face (each character twice in the text layer)."""
    from reportlab.platypus import Flowable

    class Overprinted(Flowable):
        def wrap(self, available_width, available_height):
            return available_width, style.leading

        def draw(self):
            self.canv.setFont(style.fontName, style.fontSize)
            self.canv.drawString(0, 2, text)
            self.canv.drawString(0.3, 2, text)

    return Overprinted()


def ruled_pdf(source: Path, target: Path, ruled: bool = True, faux_bold: bool = False) -> Path:
    """Print the cells seed as a PDF whose tables have ruling lines (or, not
    ``ruled``, none: the cells stand in columns with nothing drawn between them).

    ``faux_bold`` overprints every line outside the tables, titles included."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    _register_font()
    style = ParagraphStyle("text", fontName=FONT, fontSize=8, leading=11, wordWrap="CJK")
    story: list = []
    for block in read_blocks(source):
        if block.kind == "grid" and not _wide(block.rows):
            story.append(_pdf_table(block.rows, ruled))
            continue
        for row in block.rows:
            text = "  ".join(cell for cell in row if cell)
            story.append(_overprinted(text, style) if faux_bold else Paragraph(escape(text), style))
    document = SimpleDocTemplate(
        str(target),
        pagesize=(1100, 900),
        leftMargin=30,
        rightMargin=30,
        topMargin=30,
        bottomMargin=30,
    )
    document.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return target


def _page_number(canvas, document) -> None:
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(550, 14, f"- {document.page} -")


def _spans(rows: list[list[str]]) -> tuple[int, list[list[str]], list[tuple[int, int]]]:
    """Width, rows padded to it, and the (row, span) of each row's merged first cell.

    The Word export prints a cell merged across columns once; the first cell of a
    short row is the merged one (a code over 类/款/项, a label over two columns).
    """
    width = max(len(row) for row in rows)
    padded, merges = [], []
    for index, row in enumerate(rows):
        span = width - len(row) + 1
        padded.append([row[0], *[""] * (span - 1), *row[1:]])
        if span > 1:
            merges.append((index, span))
    return width, padded, merges


def _pdf_table(rows: list[list[str]], ruled: bool = True):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Table

    width, padded, merges = _spans(rows)
    size = 7
    widths = [20.0] * width
    merged = dict(merges)
    for index, row in enumerate(padded):
        for column, cell in enumerate(row):
            if column == 0 and index in merged:
                continue
            widths[column] = max(widths[column], stringWidth(cell, FONT, size) + 8)
    for index, span in merges:
        need = stringWidth(padded[index][0], FONT, size) + 8
        if sum(widths[:span]) < need:
            widths[0] += need - sum(widths[:span])
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        *([("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0))] if ruled else []),
        *[("SPAN", (0, index), (span - 1, index)) for index, span in merges],
    ]
    return Table(padded, colWidths=widths, style=style, repeatRows=_header_rows(rows))


def flow_pdf(
    source: Path,
    target: Path,
    lines_per_page: int = 70,
    gap: str = " ",
    breaks: tuple[str, ...] = (),
    spread: tuple[str, ...] = (),
) -> Path:
    """Print the flow seed as a PDF of plain text lines, as its publisher did.

    Each space is printed as ``gap`` (a scan needs columns further apart than one
    space), a line starting with one of ``breaks`` starts a new page and one
    starting with one of ``spread`` (栏次) has its words in columns 40 points apart.
    """
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    width, height = 1300, 1000
    canvas = Canvas(str(target), pagesize=(width, height))
    lines = [line.strip() for line in source.read_text(encoding="utf-8").splitlines()]
    pages: list[list[str]] = [[]]
    for line in filter(None, lines):
        if len(pages[-1]) == lines_per_page or (pages[-1] and line.startswith(breaks)):
            pages.append([])
        pages[-1].append(line)
    for page, printed in enumerate(pages, start=1):
        canvas.setFont(FONT, 8)
        y = height - 40
        for line in printed:
            if spread and line.startswith(spread):
                for column, word in enumerate(line.split()):
                    canvas.drawString(30 + 40 * column, y, word)
            else:
                canvas.drawString(30, y, line.replace(" ", gap))
            y -= 13
        canvas.drawCentredString(width / 2, 20, f"- {page} -")
        canvas.showPage()
    canvas.save()
    return target


def scanned_pdf(target: Path, pages: int = 2) -> Path:
    """A PDF whose pages are pictures only, as a scanner makes them."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(target), pagesize=(600, 800))
    for _ in range(pages):
        for y in range(100, 700, 40):
            canvas.rect(60, y, 480, 20, fill=1)
        canvas.showPage()
    canvas.save()
    return target


# ---------------------------------------------------------------------- workbooks


@dataclass
class Sheet:
    """A sheet as a finance bureau lays it out: values, merged ranges, formats."""

    name: str
    cells: dict[tuple[int, int], str | int | float] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(first row, first column, last row, last column), 0-based, inclusive."""
    row: int = 0

    def text_row(self, cells: list[str], width: int) -> None:
        """A title or note merged across the table, or a header line spread over it."""
        if len(cells) == 1:
            self.cells[(self.row, 0)] = cells[0]
            if width > 1:
                self.merges.append((self.row, 0, self.row, width - 1))
        else:
            positions = [
                0,
                *[round(i * (width - 1) / (len(cells) - 1)) for i in range(1, len(cells))],
            ]
            for column, cell in zip(positions, cells, strict=True):
                self.cells[(self.row, column)] = cell
        self.row += 1


def workbook_sheets(source: Path) -> list[Sheet]:
    """The cells seed laid out as one sheet per table, with the text before and after."""
    blocks = read_blocks(source)
    widths: dict[str, int] = {}
    name = "概况"
    for block in blocks:
        for row in block.rows if block.kind == "text" else []:
            if _is_title(text := "  ".join(cell for cell in row if cell)):
                name = _sheet_name(text)
            elif text.startswith("第三部分"):
                name = "说明"
        if block.kind == "grid" and not _wide(block.rows):
            widths[name] = max(len(row) for row in block.rows)
    sheets: list[Sheet] = [Sheet("概况")]
    for block in blocks:
        if block.kind == "grid" and not _wide(block.rows):
            _grid_rows(sheets[-1], block.rows)
            continue
        for row in block.rows:
            text = "  ".join(cell for cell in row if cell)
            if _is_title(text):
                sheets.append(Sheet(_sheet_name(text)))
            elif text.startswith("第三部分"):
                sheets.append(Sheet("说明"))
            sheet = sheets[-1]
            width = widths.get(sheet.name, 1)
            if text.startswith("公开") and width > 1:
                # The table's number stands alone in the last column.
                sheet.cells[(sheet.row, width - 1)] = text
                sheet.row += 1
            else:
                sheet.text_row(row if len(row) > 1 else [text], width)
    return sheets


def _sheet_name(title: str) -> str:
    return re.sub(r"^\d{4}\s*年度", "", title)[:31]


def _grid_rows(sheet: Sheet, rows: list[list[str]]) -> None:
    width, padded, merges = _spans(rows)
    header = _header_rows(rows)
    first = sheet.row
    for row in padded:
        for column, cell in enumerate(row):
            if cell:
                sheet.cells[(sheet.row, column)] = _value(cell)
        sheet.row += 1
    for index, span in merges:
        sheet.merges.append((first + index, 0, first + index, span - 1))
    # Multi-row headers: a header cell left empty under a filled one is merged with it.
    spans = {first + index: span for index, span in merges}
    for column in range(width):
        top = None
        for r in range(first, first + header - 1):
            if column < spans.get(r, 0):
                top = None
            elif (r, column) in sheet.cells:
                top = r
            elif top is not None:
                sheet.merges = [m for m in sheet.merges if m[:2] != (top, column)]
                sheet.merges.append((top, column, r, column))


def _value(cell: str) -> str | int | float:
    if _AMOUNT.match(cell):
        return float(cell)
    if _SMALL_INT.match(cell):
        return int(cell)
    return cell


def xlsx_workbook(source: Path, target: Path) -> Path:
    """Write the cells seed as an ``.xlsx`` with one sheet per table."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in workbook_sheets(source):
        ws = book.create_sheet(sheet.name)
        for (r, c), value in sheet.cells.items():
            cell = ws.cell(r + 1, c + 1, value)
            if isinstance(value, float):
                cell.number_format = "#,##0.00"
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    book.save(target)
    return target


def xls_workbook(source: Path, target: Path) -> Path:
    """Write the cells seed as an Excel 97–2003 ``.xls`` with one sheet per table."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    amount = xlwt.easyxf(num_format_str="#,##0.00")
    for sheet in workbook_sheets(source):
        ws = book.add_sheet(sheet.name)
        covered = set()
        for r1, c1, r2, c2 in sheet.merges:
            value = sheet.cells.get((r1, c1), "")
            ws.write_merge(r1, r2, c1, c2, value)
            covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for (r, c), value in sheet.cells.items():
            if (r, c) in covered:
                continue
            if isinstance(value, float):
                ws.write(r, c, value, amount)
            else:
                ws.write(r, c, value)
    book.save(str(target))
    return target


# -------------------------------------------------------------- Word and web page


def docx_document(source: Path, target: Path) -> Path:
    """Write the cells seed as the Word document it was exported from: tables as tables."""
    import docx

    document = docx.Document()
    for block in read_blocks(source):
        if block.kind == "text":
            for row in block.rows:
                document.add_paragraph("  ".join(cell for cell in row if cell))
            continue
        width, padded, merges = _spans(block.rows)
        table = document.add_table(rows=len(padded), cols=width)
        for r, row in enumerate(padded):
            for c, cell in enumerate(row):
                if cell:
                    table.cell(r, c).text = cell
        for r, span in merges:
            text = padded[r][0]
            merged = table.cell(r, 0).merge(table.cell(r, span - 1))
            merged.text = text
    document.save(str(target))
    return target


def html_page(source: Path, target: Path, encoding: str = "utf-8", framed: bool = False) -> Path:
    """Write the cells seed as a government site's page: ``<table>`` with colspans.

    ``framed`` wraps the page in the layout table such sites use, which holds
    the data tables; ``encoding`` is the page's charset, declared in ``<meta>``.
    """
    parts = []
    for block in read_blocks(source):
        if block.kind == "text":
            parts += [f"<p>{escape(' '.join(c for c in row if c))}</p>" for row in block.rows]
            continue
        _width, padded, merges = _spans(block.rows)
        spans = dict(merges)
        rows = []
        for r, row in enumerate(padded):
            first = f'<td colspan="{spans[r]}">{escape(row[0])}</td>' if r in spans else ""
            rest = row[spans[r] :] if r in spans else row
            rows.append("<tr>" + first + "".join(f"<td>{escape(c)}</td>" for c in rest) + "</tr>")
        parts.append('<table border="1">\n' + "\n".join(rows) + "\n</table>")
    body = "\n".join(parts)
    if framed:
        body = (
            f'<table width="100%"><tr><td class="nav">首页 &gt; 财政公开</td></tr>'
            f"<tr><td>{body}</td></tr></table>"
        )
    page = (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; '
        f'charset={encoding}"><title>部门决算</title><script>var x = "收入决算表 1.00";</script>'
        f"</head>\n<body>\n{body}\n</body></html>\n"
    )
    target.write_bytes(page.encode("gb18030" if encoding.lower() == "gb2312" else encoding))
    return target


# ------------------------------------------------------------------------- checks


def ingested_facts(source: Path, scratch: Path) -> str:
    """The facts view (CSV text) of the package ingested from ``source``."""
    import io

    from juesuan.ingest.pipeline import ingest
    from juesuan.package.facts import write_facts
    from juesuan.package.write import write_package

    disclosure = ingest(source)
    folder = write_package(disclosure, scratch / source.name.replace(".", "-"))
    out = io.StringIO()
    write_facts(folder, out)
    return out.getvalue()


Edit = Callable[[int, "Image.Image"], "Image.Image"]
"""(1-based page, its picture) → the picture as the scanner gave it back."""


def image_pdf(
    pdf: Path,
    target: Path,
    dpi: int = 200,
    pages: Collection[int] | None = None,
    edit: Edit | None = None,
) -> Path:
    """``pdf`` as a scanner gives it back: each page (or each of ``pages``, 1-based) a
    picture at ``dpi`` with no text layer, the other pages left as they are."""
    import pypdfium2

    source = pypdfium2.PdfDocument(pdf)
    scan = pypdfium2.PdfDocument.new()
    try:
        for index, page in enumerate(source):
            number = index + 1
            if pages is not None and number not in pages:
                scan.import_pages(source, [index])
                continue
            picture = page.render(scale=dpi / 72).to_pil().convert("L")
            if edit is not None:
                picture = edit(number, picture)
            width, height = page.get_size()
            image = pypdfium2.PdfImage.new(scan)
            image.set_bitmap(pypdfium2.PdfBitmap.from_pil(picture.convert("RGB")))
            image.set_matrix(pypdfium2.PdfMatrix().scale(width, height))
            scanned = scan.new_page(width, height)
            scanned.insert_obj(image)
            scanned.gen_content()
        scan.save(target)
    finally:
        scan.close()
        source.close()
    return target
