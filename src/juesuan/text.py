"""Pure text helpers every stage shares: the matching form of a label, inert Markdown.

Nothing here knows about documents, packages or pages, so any stage may import it.
"""

from __future__ import annotations

import re
from functools import lru_cache

_QUOTES = str.maketrans({"“": '"', "”": '"', "＂": '"', "‘": "'", "’": "'", "（": "(", "）": ")"})
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """A form of a label or title for matching: no spaces, one kind of quotes."""
    return _WHITESPACE.sub("", text).translate(_QUOTES)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+\-=])")
_ORDERED = re.compile(r"^(\s*\d+)\.")


def escape(text: str) -> str:
    """Text made inert for Markdown and HTML: markup characters escaped."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", _ENTITY.sub("&amp;", text))
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED.sub(r"\1\\.", text)
