"""Source readers, one per kind of source document, in one visible registry.

Every reader turns a file into a :class:`~juesuan.ingest.source.Document` whose lines are
either the cells layout (one tab-indented cell per line, rows separated by empty
lines) or flowed text; everything after that is shared.

The kind is told by the file's first bytes where they say it (a PDF, a zip
holding a workbook or a Word document, an OLE file, a web page), and by its
suffix otherwise: bureaus rename files, and a download keeps whatever name the
site gave it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from juesuan.errors import SourceError
from juesuan.ingest.readers.docx import is_docx, read_doc, read_docx
from juesuan.ingest.readers.excel import read_xls, read_xlsx
from juesuan.ingest.readers.html import looks_like_html, read_html
from juesuan.ingest.readers.pdf import read_pdf
from juesuan.ingest.source import Document, read_bytes, read_text

Reader = Callable[[Path], Document]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".pdf": read_pdf,
    ".xlsx": read_xlsx,
    ".xls": read_xls,
    ".docx": read_docx,
    ".doc": read_doc,
    ".html": read_html,
    ".htm": read_html,
}

_BINARY = (".pdf", ".xlsx", ".xls", ".docx", ".doc")
"""Suffixes of kinds that are never a web page."""
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_SNIFFED = 8192
"""Bytes read to tell the kind: the zip directory is read separately, from the end."""


def sniffed_suffix(path: Path) -> str | None:
    """The suffix of the kind ``path``'s content shows, or None when it shows none."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFFED)
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(_OLE):
        return ".doc" if _WORD_STREAM in read_bytes(path) else ".xls"
    if head.startswith(b"PK\x03\x04"):
        raw = read_bytes(path)
        if is_docx(raw):
            return ".docx"
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                return ".xlsx" if "xl/workbook.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, ValueError):
            return None
    if looks_like_html(head):
        return ".html"
    return None


def read_document(path: Path) -> Document:
    """Read ``path`` with the reader for the kind its content shows, else its suffix."""
    try:
        kind = sniffed_suffix(path) if path.is_file() else None
    except OSError:
        kind = None  # the reader says why the file cannot be read
    suffix = path.suffix.lower()
    if kind in (".xls", ".xlsx") and suffix in (".xls", ".xlsx"):
        kind = suffix  # each workbook reader hands a renamed workbook to the other
    if kind == ".html" and suffix in _BINARY:
        raise SourceError(
            path,
            f"the file is named {suffix} but holds a web page (a download that got an error "
            "page instead of the document?)",
            expected=f"the {suffix} document itself",
        )
    reader = READERS.get(kind or suffix)
    if reader is None:
        kinds = ", ".join(sorted(READERS))
        raise SourceError(
            path,
            f"no reader for {path.suffix or 'files without a suffix'!r}",
            expected=f"a source of kind {kinds}",
        )
    return reader(path)
