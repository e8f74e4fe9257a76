"""The search index, kept while the pages it indexes are the same.

Pagefind has no incremental mode: any changed page means indexing the whole
site again. Its key is every HTML file of the site (path and bytes), the
options it runs with and every installed library (Pagefind among them).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from juesuan.site import search
from juesuan.site.build_cache import Store, libraries

AREA = "search"
FORMAT = "juesuan-site-search/1"


def key(site: Path) -> str:
    """The key of the index of ``site``: what Pagefind reads of it."""
    digest = hashlib.sha256(f"{FORMAT}\0{libraries()}\0{' '.join(search.OPTIONS)}\0".encode())
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(f"{search.BUNDLE}/"):
            continue
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        with path.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def index(site: Path, store: Store | None) -> str:
    """Index ``site`` (see :func:`juesuan.site.search.index`), or put the kept index in place."""
    if store is None:
        return search.index(site)
    found = key(site)
    roots = {"bundle": site / search.BUNDLE}
    if store.fetch_tree(AREA, found, roots, lambda log: str(log)) is not None:
        return "search index kept from an earlier build of the same pages"
    log = search.index(site)
    store.put_tree(AREA, found, roots, log)
    return log
