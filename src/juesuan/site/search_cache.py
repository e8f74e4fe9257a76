"""The search index, kept shard by shard while the pages each shard indexes are the same.

Pagefind has no incremental mode; a shard (:mod:`juesuan.site.search`) is its
own bundle, so one changed page means indexing its shard again. A shard's key
is its name, each of its pages (path and bytes), whether it is the primary
bundle, the options Pagefind runs with and every installed library (Pagefind
among them).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from juesuan.site import search
from juesuan.site.build_cache import Store, libraries
from juesuan.site.disclosure_cache import move_files
from juesuan.text import json_text

AREA = "search"
FORMAT = "juesuan-site-search/2"


def indexed_pages(site: Path) -> dict[str, str]:
    """The sha256 of every page of ``site`` Pagefind indexes, by its path relative to ``site``."""
    found = {}
    prefix = len(str(site)) + 1
    for folder, dirs, names in os.walk(site):
        dirs.sort()
        relative_folder = folder[prefix:]
        if relative_folder.split(os.sep, 1)[0] == search.BUNDLE:
            dirs.clear()
            continue
        for name in names:
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)  # noqa: PTH118 (str paths: once per page)
            with open(path, "rb") as handle:  # noqa: PTH123 (a str path: once per page)
                data = handle.read()
            if search.INDEXED.search(data):
                found[path[prefix:].replace(os.sep, "/")] = hashlib.sha256(data).hexdigest()
    return found


def key(name: str, primary: bool, pages: dict[str, str]) -> str:
    """The key of shard ``name`` holding ``pages`` (path → sha256)."""
    digest = hashlib.sha256(
        f"{FORMAT}\0{libraries()}\0{' '.join(search.OPTIONS)}\0{name}\0{primary}\0".encode()
    )
    for path in sorted(pages):
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0" + pages[path].encode())
    return digest.hexdigest()


def _place(site: Path, name: str, primary: bool) -> Path:
    bundle = site / search.BUNDLE
    return bundle if primary else bundle / f"{search.SHARD_PREFIX}{name}"


def index(site: Path, store: Store | None, jobs: int | None = None) -> str:
    """Index ``site`` shard by shard into ``site/pagefind/``; the logs.

    With ``store``, a kept shard is put in place instead of indexed again.
    """
    digests = indexed_pages(site)
    shards = search.shards(digests)
    names = list(shards)
    if not names:
        raise search.SearchIndexError(f"no page of {site} marks a body to index")
    primary = names[0]
    logs: dict[str, str] = {}
    missing = []
    for name in names:
        roots = {"bundle": _place(site, name, name == primary)}
        held = {page: digests[page] for page in shards[name]}
        shard_key = key(name, name == primary, held)
        if store is not None and store.fetch_tree(AREA, shard_key, roots, str) is not None:
            logs[name] = "kept from an earlier build of the same pages\n"
        else:
            missing.append((name, shard_key))
    scratch = Path(tempfile.mkdtemp(prefix=".search-", dir=site))
    try:
        made = _build(site, scratch, [(n, shards[n], n == primary) for n, _k in missing], jobs)
        for name, shard_key in missing:
            output, logs[name] = made[name]
            if store is not None:
                store.put_tree(AREA, shard_key, {"bundle": output}, logs[name])
            move_files(output, _place(site, name, name == primary))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    merged = [f"{search.SHARD_PREFIX}{name}/" for name in names[1:]]
    listing = site / search.BUNDLE / search.SHARDS_FILE
    listing.write_text(json_text(merged, where=search.SHARDS_FILE) + "\n", encoding="utf-8")
    return "".join(f"== {name}: {len(shards[name])} pages\n{logs[name]}" for name in names)


def _build(
    site: Path, scratch: Path, wanted: list[tuple[str, list[str], bool]], jobs: int | None
) -> dict[str, tuple[Path, str]]:
    """Index each wanted shard into ``scratch/<name>``; (bundle, log) by name."""

    def one(shard: tuple[str, list[str], bool]) -> tuple[Path, str]:
        name, pages, primary = shard
        output = scratch / name
        log = search.index(site, pages, output)
        if not primary:
            search.strip_runtime(output)
        return output, log

    workers = min(len(wanted), jobs or os.cpu_count() or 1)
    if workers <= 1:
        return {shard[0]: one(shard) for shard in wanted}
    with ThreadPoolExecutor(workers) as pool:
        return dict(zip((s[0] for s in wanted), pool.map(one, wanted), strict=True))
