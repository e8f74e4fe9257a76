"""Packages' cache keys, kept while the package is untouched: a rebuild does not hash them again.

A package's key (:func:`juesuan.site.disclosure_cache.key`) reads its folder's
listing and every file's kept digest on every build: a few milliseconds a
package, most of a rebuild with nothing changed. With a cache, the keys of a
build are kept in ``<cache>/site/keys.json`` beside the package's stamp
(:mod:`juesuan.site.trust_stamp`: every entry's type and identity) and its
commit dates, under everything else a key depends on: juesuan's code and
definitions, every installed library, the working directory, the site's
address and the ``JUESUAN_`` settings. A package whose stamp, dates and all of
these still match, and which holds no file modified within ``RACY_NS`` of the
recording, has the key it had; any other is hashed again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from juesuan import folders
from juesuan.site.build_cache import digest_of, libraries
from juesuan.site.provenance import Dates
from juesuan.site.trust_stamp import Stamp
from juesuan.text import json_text
from juesuan.validation.cache import code_key

FORMAT = "juesuan-site-keys/1"

Entry = list[object]
"""[stamp digest, recorded_ns, date added, date changed, key] of a package."""


def _place(cache: Path) -> Path:
    return cache / "site" / "keys.json"


def environment(site_url: str | None) -> str:
    """What every package's key depends on besides the package and its dates."""
    settings = sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith("JUESUAN_"))
    return digest_of(
        FORMAT,
        code_key(),
        libraries(),
        os.getcwd(),  # noqa: PTH109 (the key names packages relative to it)
        f"site {site_url or ''}",
        *settings,
    )


class Keys:
    """The kept keys of one build's packages, and those found since."""

    def __init__(self, cache: Path, site_url: str | None) -> None:
        self._cache = cache
        self._environment = environment(site_url)
        self._kept: dict[str, Entry] = {}
        self._found: dict[str, Entry] = {}
        try:
            data = json.loads(_place(cache).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("environment") == self._environment:
            listed = data.get("packages")
            self._kept = listed if isinstance(listed, dict) else {}

    def get(self, folder: Path, stamp: Stamp | None, dates: Dates) -> str | None:
        """The kept key of ``folder`` when it vouches for the folder as it is; None otherwise."""
        entry = self._kept.get(str(folder))
        if stamp is None or not isinstance(entry, list) or len(entry) != 5:
            return None
        digest, recorded, added, changed, key = entry
        if digest != stamp.digest or type(recorded) is not int or not stamp.trusted_since(recorded):
            return None
        if [added, changed] != [dates.added, dates.changed] or not isinstance(key, str):
            return None
        self._found[str(folder)] = entry
        return key

    def put(self, folder: Path, stamp: Stamp | None, dates: Dates, key: str | None) -> None:
        """Keep ``key`` as ``folder``'s, stamped as the folder was before it was hashed."""
        if stamp is not None and key is not None:
            self._found[str(folder)] = [
                stamp.digest,
                stamp.taken_ns,
                dates.added,
                dates.changed,
                key,
            ]

    def save(self) -> None:
        """Write the keys found, when they differ from those kept (one write per change)."""
        if self._found == self._kept:
            return
        body = {"environment": self._environment, "packages": self._found}
        text = json_text(body, where="keys.json")
        folders.write_beside(_place(self._cache), text.encode("utf-8"), prefix=".keys.")
