"""Whether the site at ``out`` is already the one the packages give.

A build with nothing changed then does nothing.

After a build with the cache, a stamp is kept in ``<cache>/site/stamps/``: the
key of the whole site (every disclosure's key, the commands, the address,
whether it has a search index) and the size, modification time and inode of
every file of ``out`` as built. The next build with the same key finds ``out``
current only when every file still matches; one file touched, added or removed
and the site is built again (from the cache).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from juesuan.site.build_cache import digest_of
from juesuan.text import json_text

FORMAT = "juesuan-site-stamp/1"


def key(cross_key: str, with_search: bool) -> str:
    """The key of the whole site, from the key of the pages across disclosures."""
    return digest_of(FORMAT, cross_key, f"search {with_search}")


def _place(cache: Path, out: Path) -> Path:
    name = hashlib.sha256(os.fsencode(out)).hexdigest()
    return cache / "site" / "stamps" / f"{name}.json"


def _listing(out: Path) -> list[list[object]]:
    found: list[list[object]] = []
    prefix = len(str(out)) + 1
    for root, dirs, names in os.walk(out):
        dirs.sort()
        for name in sorted(names):
            path = f"{root}/{name}"
            status = os.lstat(path)
            relative = path[prefix:]
            found.append([relative, status.st_size, status.st_mtime_ns, status.st_ino])
    return found


def current(cache: Path, out: Path, site_key: str) -> int | None:
    """The pages of ``out`` when it is the site of ``site_key``, untouched since it was built.

    None when it is not, or may not be.
    """
    try:
        stamp = json.loads(_place(cache, out).read_text(encoding="utf-8"))
        pages = stamp.get("pages")
        if (
            stamp.get("format") == FORMAT
            and stamp.get("site") == site_key
            and isinstance(pages, int)
            and out.is_dir()
            and stamp.get("files") == _listing(out)
        ):
            return pages
    except (OSError, ValueError, AttributeError):
        pass
    return None


def write(cache: Path, out: Path, site_key: str | None, pages: int) -> None:
    """Stamp ``out`` as the site of ``site_key`` (None: forget any stamp)."""
    place = _place(cache, out)
    try:
        if site_key is None:
            place.unlink(missing_ok=True)
            return
        place.parent.mkdir(parents=True, exist_ok=True)
        stamp = {"format": FORMAT, "site": site_key, "pages": pages, "files": _listing(out)}
        temporary = place.with_name(f".{place.name}.{os.getpid()}")
        temporary.write_text(json_text(stamp, where=place.name), encoding="utf-8")
        temporary.replace(place)
    except OSError:
        return  # without a stamp the next build only takes longer
