"""Read a source document: decode it, normalise digits, remember its hash."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from juesuan.errors import SourceError

# Full-width digits and decimal point become ASCII so amounts parse; labels keep
# their full-width punctuation, which is how the templates print them.
_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


@dataclass(frozen=True)
class Document:
    """A decoded source document, line by line (line 1 is ``lines[0]``)."""

    path: Path
    encoding: str
    sha256: str
    lines: tuple[str, ...]

    def line(self, number: int) -> str:
        """The text of 1-based line ``number``."""
        return self.lines[number - 1]


def read_bytes(path: Path) -> bytes:
    """The raw bytes of a source, or a SourceError naming it."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError(path, f"cannot read the source: {error.strerror}") from error
    if not raw.strip():
        raise SourceError(path, "the source is empty", expected="a 部门决算 document")
    return raw


def from_text(path: Path, raw: bytes, text: str, encoding: str) -> Document:
    """A Document of ``text`` read from ``path`` (whose bytes were ``raw``)."""
    text = unicodedata.normalize("NFC", text).translate(_DIGITS)
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return Document(path, encoding, hashlib.sha256(raw).hexdigest(), lines)


def read_text(path: Path) -> Document:
    """Decode ``path`` as UTF-8 (with or without BOM) or else GB18030 (GBK's superset)."""
    raw = read_bytes(path)
    text, encoding = _decode(path, raw)
    return from_text(path, raw, text, encoding)


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise SourceError(
                path,
                f"bytes {raw[error.start : error.start + 4]!r} at offset {error.start} "
                "are neither UTF-8 nor GBK/GB18030",
                line=line,
                expected="text in UTF-8, GBK or GB18030",
            ) from utf8_error
