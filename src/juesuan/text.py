"""Pure text helpers every stage shares: label matching, inert Markdown, YAML, JSON.

Nothing here knows about documents, packages or pages, so any stage may import it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import yaml

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
    """
    if inline:
        text = _LINE_BREAK.sub(" ", text)
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", _ENTITY.sub("&amp;", text))
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
