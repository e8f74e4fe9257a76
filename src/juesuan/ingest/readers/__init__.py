"""Source readers, one per kind of source document, in one visible registry.

Every reader turns a file into a :class:`~juesuan.ingest.source.Document` whose lines are
either the cells layout (one tab-indented cell per line, rows separated by empty
lines) or flowed text; everything after that is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from juesuan.errors import SourceError
from juesuan.ingest.readers.excel import read_xls, read_xlsx
from juesuan.ingest.readers.pdf import read_pdf
from juesuan.ingest.source import Document, read_text

Reader = Callable[[Path], Document]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".pdf": read_pdf,
    ".xlsx": read_xlsx,
    ".xls": read_xls,
}


def read_document(path: Path) -> Document:
    """Read ``path`` with the reader registered for its suffix."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kinds = ", ".join(sorted(READERS))
        raise SourceError(
            path,
            f"no reader for {path.suffix or 'files without a suffix'!r}",
            expected=f"a source of kind {kinds}",
        )
    return reader(path)
