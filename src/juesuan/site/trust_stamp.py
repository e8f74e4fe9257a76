"""Packages that passed the trust check and are untouched since: not read again.

Before publishing, every package is checked for what it may not name or hold
(:func:`juesuan.package.trust.problems`: symlinks, devices, paths out of it,
files past a limit), which reads its descriptor and tables on every build.
With a cache, a package that passed leaves a stamp in
``<cache>/site/trusted.json``: the type and identity of the folder and of every
entry under it (size, modification and change times, inode and device, as
:mod:`juesuan.validation.digests` knows a file), with juesuan's code and the
input limits in force. A package whose stamp still matches is the one that
passed, entry for entry; any entry added, removed, replaced, written or changed
in mode (which moves its change time, which no one can set back) and it is
checked again. So is one holding a file modified within ``RACY_NS`` of the
stamp (the "racy" rule of the digests: a write in the same clock tick would
leave the stamp matching). A package that fails is never stamped.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from juesuan import folders
from juesuan.limits import PREFIX
from juesuan.site.build_cache import digest_of
from juesuan.text import json_text
from juesuan.validation.cache import code_key
from juesuan.validation.digests import RACY_NS, identity

FORMAT = "juesuan-site-trusted/2"

T = TypeVar("T")


def _place(cache: Path) -> Path:
    return cache / "site" / "trusted.json"


def _environment() -> str:
    limits = sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith(PREFIX))
    return digest_of(FORMAT, code_key(), *limits)


@dataclass(frozen=True)
class Stamp:
    """What a package folder is on disk, entry by entry."""

    digest: str
    """The sha256 of every entry's path, type and identity."""
    newest_ns: int
    """The latest modification time of a file under it (0 for none)."""
    taken_ns: int
    """When it was taken (before the walk): what it vouches for is recorded then."""

    def trusted_since(self, recorded_ns: int) -> bool:
        """Whether a stamp equal to this one, recorded at ``recorded_ns``, vouches for it.

        Not when a file was modified within ``RACY_NS`` of the recording.
        """
        return self.newest_ns < recorded_ns - RACY_NS


def stamp(folder: Path) -> Stamp:
    """What ``folder`` is on disk: every entry's path, type and identity."""
    taken = time.time_ns()
    digest = hashlib.sha256()
    status = os.lstat(folder)
    digest.update(f"{status.st_mode} {identity(status)}\0".encode())
    newest = [0]
    _walk(str(folder), "", digest, newest)
    return Stamp(digest.hexdigest(), newest[0], taken)


def _walk(path: str, prefix: str, digest: Any, newest: list[int]) -> None:
    with os.scandir(path) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        status = entry.stat(follow_symlinks=False)
        relative = f"{prefix}{entry.name}"
        digest.update(relative.encode("utf-8", "surrogateescape"))
        digest.update(f"\0{status.st_mode} {identity(status)}\0".encode())
        if stat.S_ISDIR(status.st_mode):
            _walk(entry.path, f"{relative}/", digest, newest)
        elif status.st_mtime_ns > newest[0]:
            newest[0] = status.st_mtime_ns


def stamps(sources: list[Path]) -> dict[Path, Stamp | None]:
    """The stamp of every folder of ``sources`` (None for one that cannot be read)."""
    found: dict[Path, Stamp | None] = {}
    for folder in sources:
        try:
            found[folder] = stamp(folder)
        except OSError:
            found[folder] = None
    return found


def problems(
    cache: Path | None,
    sources: list[Path],
    check: Callable[[Path], list[T]],
    taken: Mapping[Path, Stamp | None] | None = None,
) -> list[tuple[Path, T]]:
    """``check``'s problems of every package in ``sources``, skipping those stamped as passed.

    ``taken``: the folders' stamps (:func:`stamps`), when the caller took them already.
    """
    if cache is None:
        return [(folder, problem) for folder in sources for problem in check(folder)]
    now_stamps = stamps(sources) if taken is None else taken
    environment = _environment()
    try:
        kept = json.loads(_place(cache).read_text(encoding="utf-8"))
        if not isinstance(kept, dict) or kept.get("environment") != environment:
            kept = {}
    except (OSError, ValueError):
        kept = {}
    listed = kept.get("folders")
    passed: dict[str, object] = listed if isinstance(listed, dict) else {}
    found: list[tuple[Path, T]] = []
    stamped: dict[str, object] = {}
    for folder in sources:
        name = str(folder.resolve())
        now = now_stamps.get(folder)
        before = passed.get(name)
        if now is not None and _vouches(before, now):
            stamped[name] = before
            continue
        held = check(folder)
        found += [(folder, problem) for problem in held]
        if now is not None and not held:
            stamped[name] = [now.digest, now.taken_ns]
    if stamped != passed:
        body = {"environment": environment, "folders": stamped}
        text = json_text(body, where="trusted.json")
        folders.write_beside(_place(cache), text.encode("utf-8"), prefix=".trusted.")
    return found


def _vouches(kept: object, now: Stamp) -> bool:
    """Whether a kept ``[digest, recorded_ns]`` is of ``now``, recorded late enough."""
    if not isinstance(kept, list) or len(kept) != 2:
        return False
    digest, recorded = kept
    return digest == now.digest and type(recorded) is int and now.trusted_since(recorded)
