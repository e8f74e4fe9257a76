"""Where each page and file lives in the site, and relative links between them.

Every link is relative, so the site works under any path of any static server.
Page URLs are directories (``units/<slug>/2024/``); files are plain paths.
"""

from __future__ import annotations

import posixpath
import re

HOME = ""
UNITS = "units/"
GLOSSARY = "glossary/"
CODES = "codes/"
SEARCH = "search/"
CONTRIBUTE = "contribute/"
DOWNLOADS = "downloads/"
"""The downloads page, with the table of all amounts (facts.csv, facts.parquet)."""
CATALOG = "catalog.jsonld"


def unit(slug: str) -> str:
    """A unit's page: its years side by side."""
    return f"units/{slug}/"


def compare(slug: str) -> str:
    """A unit's years compared: each table's main amounts, with the changes."""
    return f"units/{slug}/compare/"


def disclosure(slug: str, year: int | str) -> str:
    """A disclosure's page."""
    return f"units/{slug}/{year}/"


def package_file(slug: str, year: int | str, path: str) -> str:
    """A file of the package, served byte for byte (``path`` as in datapackage.json)."""
    return f"units/{slug}/{year}/package/{path}"


def download(slug: str, year: int | str, name: str) -> str:
    """A derived download (zip, xlsx, Excel CSV) of a disclosure."""
    return f"units/{slug}/{year}/download/{name}"


def glossary_term(slug: str) -> str:
    """A glossary term's page: every unit's wording."""
    return f"glossary/{slug}/"


def codelist(kind: str) -> str:
    """The browser of one code list."""
    return f"codes/{kind}/"


def codelist_file(kind: str, suffix: str) -> str:
    """The whole code list as a download (``csv`` or ``json``)."""
    return f"codes/{kind}.{suffix}"


def code(kind: str, value: str) -> str:
    """A code's page: its names by year and the disclosures that use it."""
    return f"codes/{kind}/{value}/"


def code_part(kind: str, value: str, number: int) -> str:
    """Page ``number`` (from 1) of a code's uses: the code's page, then ``2/`` and on."""
    return code(kind, value) if number == 1 else f"{code(kind, value)}{number}/"


def relative(source: str, target: str) -> str:
    """The link from the page at ``source`` to ``target`` (both site-root relative).

    A page URL ends with ``/`` (or is empty for the home page); the link keeps the
    target's trailing slash and any ``#fragment``.
    """
    path, _, fragment = target.partition("#")
    base = posixpath.dirname(source.rstrip("/") + "/x") if source else ""
    if path:
        link = posixpath.relpath(path or ".", base or ".")
        if path.endswith("/") and not link.endswith("/"):
            link += "/"
        if link == "./":
            link = "./"
    else:
        link = ""
    return f"{link}#{fragment}" if fragment else link or "./"


def site_address(url: str) -> str:
    """The site's public address, ending with ``/``; ValueError for anything but http(s).

    No query or fragment: page paths are appended to it.
    """
    if not re.fullmatch(
        r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?", url
    ):
        raise ValueError(f"{url!r} is not a web address such as https://example.org/juesuan/")
    return url if url.endswith("/") else url + "/"
