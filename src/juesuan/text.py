"""Pure text helpers every stage shares: label matching, inert Markdown, YAML, JSON.

Nothing here knows about documents, packages or pages, so any stage may import it.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

import yaml

_QUOTES = str.maketrans({"“": '"', "”": '"', "＂": '"', "‘": "'", "’": "'", "（": "(", "）": ")"})
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """A form of a label or title for matching: no spaces, one kind of quotes."""
    return _WHITESPACE.sub("", text).translate(_QUOTES)


# Amounts are always printed with two decimals, thousands separators allowed.
AMOUNT = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}"
# In running text: not a percentage, and not part of a longer number. Digits right
# after the two decimals are the next cell run into it (12.15302 is 12.15, then
# code 302), as the tokenizers read them.
PRINTED_AMOUNT = re.compile(rf"(?<![\d.,]){AMOUNT}(?!%)")


def amounts_in(text: str) -> list[Decimal]:
    """Every two-decimal amount ``text`` prints, thousands separators removed."""
    return [Decimal(m.group().replace(",", "")) for m in PRINTED_AMOUNT.finditer(text)]


# Characters that print nothing: zero-width spaces and joiners, bidi controls, the
# BOM, soft hyphens, tags. PDFs and web pages scatter them through text, where
# they keep a title or a unit's name from matching its printed twin; bidi
# controls can also reorder what a page shows.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
# Kangxi radicals and compatibility ideographs: some PDF fonts give ⼼ (U+2F3C)
# for 心. NFKC gives the ideograph back; the rest of NFKC (full-width
# punctuation to half-width) would change labels as printed, so only these.
_IDEOGRAPH_FORMS = re.compile("[\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def plain(text: str) -> str:
    """``text`` without invisible characters, ideographs in their ordinary form."""
    text = _INVISIBLE.sub("", text)
    return _IDEOGRAPH_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def invisible_in(text: str) -> list[tuple[int, str]]:
    """(position, U+XXXX NAME) of every character :func:`plain` would change."""
    found = []
    for match in (*_INVISIBLE.finditer(text), *_IDEOGRAPH_FORMS.finditer(text)):
        char = match.group()
        found.append((match.start(), f"U+{ord(char):04X} {unicodedata.name(char, '?')}"))
    return sorted(found)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+\-=])")
_ORDERED = re.compile(r"^(\s*\d+)\.")
_LIST_MARKER = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
"""An ordered list marker as CommonMark has it: 1. or 1) and a space (282.91 is none)."""
_LINE_BREAK = re.compile(r"\r\n?|[\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def escape(text: str, *, inline: bool = False) -> str:
    """Text made inert for Markdown and HTML: markup characters escaped.

    ``inline`` is for text inside one line of Markdown (a table cell, a heading,
    a list item): its line breaks become spaces, so it cannot end the row or
    start a block of its own, and only a real list marker (``1.`` or ``1)``
    and a space) is escaped at its start, so an amount such as 282.91 stays as
    it is. Without it, the escaping is the one packages were written with.
    Invisible characters go: a bidi override would print the rest backwards.
    """
    if inline:
        text = _LINE_BREAK.sub(" ", text)
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", _ENTITY.sub("&amp;", _INVISIBLE.sub("", text)))
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    if inline:
        return _LIST_MARKER.sub(r"\1\\\2", text)
    return _ORDERED.sub(r"\1\\.", text)


_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader where it is built in: the definitions load several times faster."""


def load_yaml(text: str, *, aliases: bool = True) -> object:
    """The data of a YAML text (safe types only).

    ``aliases=False`` for files that come with contributions: an alias is refused,
    so a few lines cannot expand into millions of nodes.
    """
    if not aliases:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise yaml.YAMLError("anchors and aliases (&, *) are not accepted here")
    return yaml.load(text, Loader=_LOADER)


class NotFinite(ValueError):
    """Data to be written as JSON holds NaN or Infinity, which JSON has no way to say."""

    def __init__(self, where: str, field: str, value: float) -> None:
        self.where = where
        self.field = field
        self.value = value
        spelled = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        super().__init__(
            f"{where}: {field or 'the value'} is {spelled}, which JSON cannot hold "
            "(a number must be finite)"
        )


def json_text(data: Any, *, where: str, indent: int | None = None) -> str:
    """``data`` as JSON text (UTF-8, keys as given); :class:`NotFinite` for NaN or Infinity.

    ``json.dumps`` would write ``NaN`` and ``Infinity``, which no JSON parser
    but Python's accepts: every JSON file juesuan writes goes through here.
    ``where`` (the file) and the field at fault are named in the error.
    """
    try:
        return json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    except ValueError:
        for field, value in _numbers(data, ""):
            if not math.isfinite(value):
                raise NotFinite(where, field, value) from None
        raise


def _numbers(data: Any, path: str) -> Iterator[tuple[str, float]]:
    """Every float in ``data`` with its path (resources[0].schema…), depth first."""
    stack = [(path, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float):
            yield path, value
        elif isinstance(value, dict):
            items = [(f"{path}.{key}" if path else str(key), item) for key, item in value.items()]
            stack.extend(reversed(items))
        elif isinstance(value, list | tuple):
            stack.extend(reversed([(f"{path}[{i}]", item) for i, item in enumerate(value)]))
