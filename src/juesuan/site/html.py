"""A tiny HTML builder that escapes every text it is given.

Source texts (unit names, labels, narrative, glossary) reach the page only
through :func:`esc` or :func:`el`, so a ``<script>`` in a source stays text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from urllib.parse import quote

_SAFE_URL = re.compile(r"^(?:[a-zA-Z0-9_./#?=&%~+-]|[^\x00-\x7f])*$")
# ASCII a URL cannot hold as it is; other characters stay as they are.
_UNSAFE_CHARACTER = re.compile(r"(?![a-zA-Z0-9_./#?=&%~+:-])[\x00-\x7f]")


class Markup(str):
    """A string that is already HTML: it is inserted as is."""

    __slots__ = ()


_EXTERNAL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s\x00-\x1f\x7f\"'<>`]*)?$")
"""A web address to link to: http(s), a host name, then no space, quote or angle bracket."""


class ExternalURL(str):
    """A web address on another host that a page may link to (never load).

    Only :func:`external_url` makes one, and only an ``href`` takes one: a link
    out is a choice made where it is written, marked ``rel="external"`` by
    :func:`external_link`, so the checks can tell it from a reference the
    browser would fetch (``src``, stylesheets), which must stay on the site.
    """

    __slots__ = ()


def external_url(url: object) -> ExternalURL | None:
    """``url`` as an :class:`ExternalURL` when it is a plain http(s) address, else None."""
    if isinstance(url, str) and len(url) <= 2000 and _EXTERNAL.match(url):
        return ExternalURL(url)
    return None


Child = "Markup | str | int | float | None | Iterable[Child]"


def esc(text: object) -> Markup:
    """Text escaped for HTML element content and attribute values."""
    if isinstance(text, Markup):
        return text
    return Markup(html.escape(str(text), quote=True))


def _children(children: Iterable[object]) -> str:
    out: list[str] = []
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, Markup):
            out.append(child)
        elif isinstance(child, str | int | float):
            out.append(esc(child))
        else:
            out.append(_children(child))  # type: ignore[arg-type]
    return "".join(out)


def safe_url(url: str) -> str:
    """``url`` if it is a relative or same-site reference; raises otherwise.

    Every link the generator writes is relative, so anything with a scheme
    (``javascript:``, ``http:``) is a bug, not something to render. A file name
    with spaces or other characters a URL cannot hold as they are (a source
    named 新洲 决算.txt) is percent-encoded.
    """
    if ":" not in url.split("/", 1)[0] and not url.startswith("//"):
        url = _UNSAFE_CHARACTER.sub(lambda m: quote(m.group()), url)
    if not _SAFE_URL.match(url) or ":" in url.split("/", 1)[0] or url.startswith("//"):
        raise ValueError(f"refusing to write a non-relative URL: {url!r}")
    return url


def attrs(values: Mapping[str, object | None]) -> str:
    """Attributes as HTML; ``href`` and ``src`` must be relative URLs."""
    out = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        name = _attribute_name(key)
        if value is True:
            out.append(f" {name}")
            continue
        text = str(value)
        if name == "href" and isinstance(value, ExternalURL):
            pass  # checked when made: see external_link
        elif name in _URL_ATTRIBUTES:
            text = _checked_url(text)
        out.append(f' {name}="{esc(text)}"')
    return "".join(out)


_URL_ATTRIBUTES = frozenset({"href", "src", "action"})


@lru_cache(maxsize=256)
def _attribute_name(key: str) -> str:
    """``class_`` → ``class``, ``data_kind`` → ``data-kind``: asked for on every element."""
    return key.rstrip("_").replace("_", "-")


@lru_cache(maxsize=65536)
def _checked_url(url: str) -> str:
    """:func:`safe_url`, once per address: a page links to the same few many times."""
    return safe_url(url)


VOID = frozenset({"br", "col", "hr", "img", "input", "meta", "link", "source", "wbr"})


def el(
    tag: str, attributes: Mapping[str, object | None] | None = None, *children: object
) -> Markup:
    """``<tag attributes>children</tag>``, the children escaped unless Markup."""
    opening = f"<{tag}{attrs(attributes or {})}>"
    if tag in VOID:
        return Markup(opening)
    return Markup(f"{opening}{_children(children)}</{tag}>")


def external_link(url: ExternalURL, *children: object, rel: str = "") -> Markup:
    """A link to another host, marked ``rel="external noopener noreferrer"`` (plus ``rel``).

    The address may come from a contributor (a unit's source page): ``nofollow``
    is for callers to add; the browser never requests it unless it is followed.
    """
    return el(
        "a",
        {"href": url, "rel": " ".join(["external", "noopener", "noreferrer", *rel.split()])},
        *children,
    )


def join(parts: Iterable[object]) -> Markup:
    """Children joined into one Markup, each escaped unless Markup."""
    return Markup(_children(parts))


def separated(items: Iterable[object], separator: str = "、") -> Markup:
    """Children with ``separator`` between them."""
    parts: list[object] = []
    for index, item in enumerate(items):
        parts += [separator, item] if index else [item]
    return join(parts)
