"""Read a source document: decode it, normalise digits, remember its hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from juesuan.errors import SourceError

# Full-width digits and decimal point become ASCII so amounts parse; labels keep
# their full-width punctuation, which is how the templates print them.
_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
# Invisible format characters (zero-width spaces and joiners, direction marks and
# overrides, soft hyphens, a byte-order mark inside the text): a person reading
# the document does not see them, and in an amount they would split it.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)


@dataclass(frozen=True)
class Document:
    """A decoded source document, line by line (line 1 is ``lines[0]``)."""

    path: Path
    encoding: str
    sha256: str
    lines: tuple[str, ...]
    locations: tuple[str, ...] | None = None
    """For sources that are not text (PDF, workbooks): where each line came from,
    as a person finds it in the original ("page 3", "sheet 公开02表 row 12")."""

    def line(self, number: int) -> str:
        """The text of 1-based line ``number``."""
        return self.lines[number - 1]

    def location(self, number: int | None) -> str | None:
        """Where 1-based line ``number`` stands in the original, when that is not the line."""
        if self.locations is None or number is None or not 0 < number <= len(self.locations):
            return None
        return self.locations[number - 1] or None


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
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).translate(_DIGITS)
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return Document(path, encoding, hashlib.sha256(raw).hexdigest(), lines)


def from_lines(
    path: Path, raw: bytes, lines: list[str], locations: list[str], kind: str
) -> Document:
    """A Document of lines extracted from a binary source (PDF, workbook) of ``kind``."""
    # A line break inside a cell would shift every later line number.
    flat = [re.sub(r"[\r\n]+", "", line) for line in lines]
    document = from_text(path, raw, "\n".join(flat), kind)
    return replace(document, locations=tuple(locations))


def read_text(path: Path) -> Document:
    """Decode ``path`` as UTF-8 (with or without BOM) or else GB18030 (GBK's superset)."""
    raw = read_bytes(path)
    text, encoding = _decode(path, raw)
    return from_text(path, raw, text, encoding)


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as error:
            offset = error.start + 3
            line = raw[:offset].count(b"\n") + 1
            raise SourceError(
                path,
                f"bytes {raw[offset : offset + 4]!r} at offset {offset} are not UTF-8, though "
                "the file starts with a UTF-8 byte-order mark",
                line=line,
                expected="text in UTF-8 throughout (or GBK without a UTF-8 byte-order mark)",
            ) from error
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gbk_error:
            # Name the bytes where the decoder that got furthest stopped: in a file
            # that is UTF-8 but for a stray byte, that is the stray byte.
            error = max(utf8_error, gbk_error, key=lambda e: e.start)
            line = raw[: error.start].count(b"\n") + 1
            raise SourceError(
                path,
                f"bytes {raw[error.start : error.start + 4]!r} at offset {error.start} "
                "are neither UTF-8 nor GBK/GB18030",
                line=line,
                expected="text in UTF-8, GBK or GB18030",
            ) from utf8_error
