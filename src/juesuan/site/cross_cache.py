"""The pages across disclosures, kept whole while no disclosure changed.

Home, units, glossary, codes and downloads pages, the catalogs, the code lists
and the table of all amounts are made from every disclosure's summary: their
key is the list of the disclosures' keys (in build order), the commands the
contribute page lists, the site's address and juesuan's code. One changed
disclosure makes them all again.

A unit's page and its comparison are made from that unit's disclosures alone:
each unit's pair is kept apart (area ``units``), keyed by its disclosures' keys
and juesuan's code, so one changed disclosure makes its unit's pair again only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from juesuan.site.build_cache import digest_of, libraries
from juesuan.site.disclosure_cache import roots as disclosure_roots
from juesuan.validation.cache import code_key

AREA = "cross"
FORMAT = "juesuan-site-cross/1"
UNITS_AREA = "units"
UNITS_FORMAT = "juesuan-site-unit/1"


def key(
    disclosure_keys: Sequence[str | None], commands: Sequence[tuple[str, str]], site_url: str | None
) -> str | None:
    """The key of the pages across ``disclosure_keys``; None when one of them has none."""
    if any(k is None for k in disclosure_keys):
        return None
    listed = [f"{name}\t{text}" for name, text in commands]
    return digest_of(
        FORMAT, code_key(), libraries(), site_url or "", *listed, "--", *map(str, disclosure_keys)
    )


def unit_key(disclosure_keys: Sequence[str]) -> str:
    """The key of a unit's page and comparison, from its disclosures' keys (years in order)."""
    return digest_of(UNITS_FORMAT, code_key(), libraries(), *disclosure_keys)


def roots(docs: Path, staging: Path) -> dict[str, Path]:
    """Where they are written: the same folders as a disclosure's outputs."""
    return disclosure_roots(docs, staging)


def read_record(data: Any) -> int:
    """The number of pages written, from the entry's record."""
    if not isinstance(data, int) or isinstance(data, bool) or data < 0:
        raise ValueError("not a page count")
    return data
