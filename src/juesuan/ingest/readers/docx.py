"""Word documents: ``.docx`` (python-docx), and ``.doc`` through LibreOffice when installed.

A Word document's tables are real tables, so they become grids (see
:mod:`juesuan.ingest.grid`), a merged cell's text once and the positions it
covers knowing it; its paragraphs, in
order between the tables, are the narrative, the titles and the notes. Word
has no pages: a line is located by its paragraph, or its table and row.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from juesuan.errors import SourceError
from juesuan.ingest.grid import Cell, Lines, at_table, cell_of, padded
from juesuan.ingest.readers import guards
from juesuan.ingest.source import Document, from_lines, read_bytes

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CONVERT_SECONDS = 120


def is_docx(raw: bytes) -> bool:
    """Whether ``raw`` is a zip holding a Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def read_docx(path: Path) -> Document:
    """Read a Word 2007+ document."""
    raw = read_bytes(path)
    return _read(path, raw, raw)


def read_doc(path: Path) -> Document:
    """Read a Word 97–2003 document by converting it with LibreOffice (headless)."""
    raw = read_bytes(path)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SourceError(
            path,
            "a Word 97–2003 .doc needs LibreOffice to be read, and it is not installed",
            expected="LibreOffice (apt install libreoffice-writer), or the document saved "
            "as .docx or PDF",
        )
    with tempfile.TemporaryDirectory(prefix="juesuan-doc-") as scratch:
        copy = Path(scratch) / "source.doc"
        copy.write_bytes(raw)
        command = [office, "--headless", "--convert-to", "docx", "--outdir", scratch, str(copy)]
        try:
            subprocess.run(command, capture_output=True, timeout=_CONVERT_SECONDS, check=True)
            converted = (Path(scratch) / "source.docx").read_bytes()
        except (OSError, subprocess.SubprocessError) as error:
            raise SourceError(
                path,
                f"LibreOffice could not convert the .doc ({type(error).__name__})",
                expected="a .doc that opens in Word or LibreOffice",
            ) from error
    return _read(path, raw, converted)


def _read(path: Path, raw: bytes, content: bytes) -> Document:
    """The Document of the Word file ``content``; ``raw`` is what the source's hash covers."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    guards.check_unpacked(path, content, "Word document")
    try:
        body = docx.Document(io.BytesIO(content)).element.body
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise SourceError(
            path, f"not a readable Word document ({error})", expected="a .docx Word document"
        ) from error
    lines = Lines()
    paragraphs = tables = 0
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            paragraphs += 1
            text = _text(element).strip()
            if text:
                lines.add(text, f"paragraph {paragraphs}")
        elif element.tag == f"{_W}tbl":
            tables += 1
            lines.add_grid(_grid(element, tables))
            lines.add("", f"table {tables}")
    return from_lines(path, raw, lines, "docx")


def _text(element: Any) -> str:
    """The text of a paragraph or cell: its runs, tabs and breaks as spaces."""
    parts = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        parts.append((node.text or "") if node.tag == f"{_W}t" else " ")
    return "".join(parts)


def _grid(table: Any, number: int) -> list[list[Cell]]:
    """The table's rows as a grid: a merged cell's text once, what it covers knowing it.

    ``gridSpan`` spreads a cell to the right; ``vMerge`` without ``restart``
    continues the cell above. A cell's paragraphs are one wrapped text
    (本年收入 / 合计 is 本年收入合计), as a printed cell reads.
    """
    locate = at_table("table", number)
    rows: list[list[Cell]] = []
    for r, tr in enumerate(tr for tr in table.iterchildren(f"{_W}tr")):
        row: list[Cell] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            properties = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if properties is not None:
                grid_span = properties.find(f"{_W}gridSpan")
                if grid_span is not None:
                    span = max(1, min(_int(grid_span.get(f"{_W}val")), 64))
                merge = properties.find(f"{_W}vMerge")
                continued = merge is not None and merge.get(f"{_W}val") != "restart"
            c = len(row)
            where = locate(r, c)
            if continued:
                origin = _above(rows, c, r)
                row.append(cell_of("", r, c, where, origin))
            else:
                paragraphs = [_text(p).strip() for p in tc.iterchildren(f"{_W}p")]
                row.append(cell_of("".join(paragraphs), r, c, where))
                origin = (r, c)
            row.extend(cell_of("", r, c + k, where, origin) for k in range(1, span))
        rows.append(row)
    return padded(rows, locate)


def _above(rows: list[list[Cell]], column: int, row: int) -> tuple[int, int]:
    """The cell a vertical merge continues: the origin of the cell above, or that cell."""
    if rows and column < len(rows[-1]):
        above = rows[-1][column]
        return above.origin or (above.row, above.column)
    return (max(row - 1, 0), column)


def _int(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1
