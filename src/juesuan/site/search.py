"""Chinese full-text search: a Pagefind index of the built site, in shards.

Pagefind's extended build segments Chinese; its index is split into small
fragments fetched per query, so what a visitor downloads does not grow with the
site the way one search_index.json does. Only content inside
``data-pagefind-body`` (the generated pages, see site/overrides/main.html) is indexed.

Pagefind has no incremental mode, so the site is indexed in shards, each a
bundle of its own pages only: one changed page means indexing its shard again,
not the site. A unit's pages (``units/<slug>/…``: its page, its disclosures,
its comparison) share a shard, chosen by the hash of the slug, so a change to
one disclosure touches one shard; every other page (codes, terms, indexes) is
placed by the hash of its path. Every shard is thus a sample of the whole site
and ranks its pages by much the same word statistics as one index would: the
search page merges the shards' results by score. The number of shards follows
the number of pages (a power of two), never what changed: a clean build and a
rebuild of the same tree shard alike. It stops at MAX_SHARDS: a search fetches
the part of every shard's index holding each word it looks for (about 20 KB
each, whatever the shard's size), and a cold search must stay under 500 KB.

The first shard is the primary bundle at ``pagefind/`` (Pagefind's script and
WebAssembly with its index); the others are at ``pagefind/shard-<name>/``,
index files only, listed in ``pagefind/shards.json`` for the search page to
merge (Pagefind's ``mergeIndex``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

BUNDLE = "pagefind"
OPTIONS = (
    "--exclude-selectors",
    ".headerlink",  # the ¶ of each heading
)
SHARDS_FILE = "shards.json"
"""In the bundle: the folders of the shards the search page merges into the primary."""
SHARD_PREFIX = "shard-"
PAGES_PER_SHARD = 64
"""The fewest pages a shard holds: fewer would rank by word statistics too unlike the
whole site's."""
MAX_SHARDS = 4
"""The most shards: each costs a cold search a part of its index per word looked for."""
UNIT_PAGES = re.compile(r"units/([^/]+)/.+")
"""A unit's pages (its page, its disclosures, its comparison), by the unit's slug."""
INDEXED = re.compile(rb"<[^<>]*\sdata-pagefind-body[\s=>]")
"""A page Pagefind indexes: it marks a body (then pages without one are left out)."""
_INDEX_FILES = re.compile(r"pagefind-entry\.json|.*\.pf_meta|index|fragment|filter")
"""What a shard merged into the primary needs: Pagefind's script stays with the primary."""


class SearchIndexError(Exception):
    """Pagefind failed; the message holds its output."""


def shard_count(pages: int) -> int:
    """Shards for ``pages`` pages: a power of two, at least PAGES_PER_SHARD pages each."""
    return min(MAX_SHARDS, 1 << max(0, (pages // PAGES_PER_SHARD).bit_length() - 1))


def _bucket(group: str, count: int) -> int:
    digest = hashlib.sha256(group.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count


def shards(pages: Iterable[str]) -> dict[str, list[str]]:
    """The indexed ``pages`` (paths relative to the site) by shard name, each sorted."""
    listed = sorted(pages)
    count = shard_count(len(listed))
    found: dict[str, list[str]] = {}
    for page in listed:
        unit = UNIT_PAGES.fullmatch(page)
        group = f"unit {unit.group(1)}" if unit else f"page {page}"
        found.setdefault(f"{_bucket(group, count):03d}", []).append(page)
    return {name: found[name] for name in sorted(found)}


def index(site: Path, pages: list[str], output: Path) -> str:
    """Index ``pages`` of ``site`` (relative paths) into the bundle ``output``; Pagefind's log.

    Pagefind reads them from a folder of links to them alone, at the same paths,
    so their addresses are those in ``site``.
    """
    farm = Path(tempfile.mkdtemp(prefix=".search-", dir=output.parent))
    try:
        for page in pages:
            target = farm / page
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site / page, target)
            except OSError:
                shutil.copyfile(site / page, target)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                str(farm),
                "--output-path",
                str(output),
                *OPTIONS,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        shutil.rmtree(farm, ignore_errors=True)
    log = result.stdout + result.stderr
    if result.returncode != 0:
        raise SearchIndexError(log)
    return log


def strip_runtime(bundle: Path) -> None:
    """Keep only the index files of a shard's bundle: the primary's script reads them."""
    for entry in bundle.iterdir():
        if _INDEX_FILES.fullmatch(entry.name):
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def index_size(site: Path) -> tuple[int, int]:
    """(files, bytes) of the search bundle, every shard included."""
    files = [p for p in (site / BUNDLE).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)
