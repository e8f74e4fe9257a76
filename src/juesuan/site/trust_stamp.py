"""Packages that passed the trust check and are untouched since: not read again.

Before publishing, every package is checked for what it may not name or hold
(:func:`juesuan.package.trust.problems`: symlinks, devices, paths out of it,
files past a limit), which reads its descriptor and tables on every build.
With a cache, a package that passed leaves a stamp in
``<cache>/site/trusted.json``: the type, size, modification and change times
and inode of the folder and of every entry under it, with juesuan's code and
the input limits in force. A package whose stamp still matches is the one that
passed, entry for entry; any entry added, removed, replaced, written or
changed in mode (which moves its change time, which no one can set back) and
it is checked again. A package that fails is never stamped.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from juesuan import folders
from juesuan.limits import PREFIX
from juesuan.site.build_cache import digest_of
from juesuan.text import json_text
from juesuan.validation.cache import code_key

FORMAT = "juesuan-site-trusted/1"

T = TypeVar("T")


def _place(cache: Path) -> Path:
    return cache / "site" / "trusted.json"


def _environment() -> str:
    limits = sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith(PREFIX))
    return digest_of(FORMAT, code_key(), *limits)


def stamp(folder: Path) -> str:
    """The sha256 of what ``folder`` is on disk: every entry's type, size, times and inode."""
    digest = hashlib.sha256()
    status = os.lstat(folder)
    digest.update(f"{status.st_mode} {status.st_ino} {status.st_ctime_ns}\0".encode())
    prefix = len(str(folder)) + 1
    for top, dirs, names in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(names) + dirs:
            path = f"{top}/{name}"
            status = os.lstat(path)
            digest.update(path[prefix:].encode("utf-8", "surrogateescape"))
            digest.update(
                f"\0{status.st_mode} {status.st_size} {status.st_mtime_ns} "
                f"{status.st_ctime_ns} {status.st_ino}\0".encode()
            )
    return digest.hexdigest()


def problems(
    cache: Path | None, sources: list[Path], check: Callable[[Path], list[T]]
) -> list[tuple[Path, T]]:
    """``check``'s problems of every package in ``sources``, skipping those stamped as passed."""
    if cache is None:
        return [(folder, problem) for folder in sources for problem in check(folder)]
    environment = _environment()
    try:
        kept = json.loads(_place(cache).read_text(encoding="utf-8"))
        if not isinstance(kept, dict) or kept.get("environment") != environment:
            kept = {}
    except (OSError, ValueError):
        kept = {}
    listed = kept.get("folders")
    passed: dict[str, str] = listed if isinstance(listed, dict) else {}
    found: list[tuple[Path, T]] = []
    stamped: dict[str, str] = {}
    for folder in sources:
        name = str(folder.resolve())
        try:
            now = stamp(folder)
        except OSError:
            now = ""
        if now and passed.get(name) == now:
            stamped[name] = now
            continue
        held = check(folder)
        found += [(folder, problem) for problem in held]
        if now and not held:
            stamped[name] = now
    if stamped != passed:
        body = {"environment": environment, "folders": stamped}
        text = json_text(body, where="trusted.json")
        folders.write_beside(_place(cache), text.encode("utf-8"), prefix=".trusted.")
    return found
