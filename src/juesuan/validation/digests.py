"""Files' sha256 kept by what the file system says of them, in the manner of git's index.

Knowing that nothing changed should not mean reading every byte again. For each
package folder, ``<cache>/digests/<h[:2]>/<h>.json`` keeps, for every regular
file under it, its size, mtime_ns, ctime_ns, inode and device with the sha256
of its bytes. A file whose five still match is taken at its kept digest, unless
its mtime is not clearly older than the moment the digests were recorded (git's
"racy" rule: a write in the same tick as the recording would leave them
matching), then it is read again. A store that does not parse, is of another
format, or names another repository or folder is ignored whole, never trusted.
Only folders inside the repository (the working directory) are kept; a folder
that leaves it, through ``..`` or a link, is read in full every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import time
from pathlib import Path
from typing import Any

from juesuan import folders

FORMAT = "juesuan-file-digests/1"
RACY_NS = 2_000_000_000
"""How much older than the recording a file's mtime must be to be trusted: file
systems stamp files by a coarse clock, some to the second or two."""

_HEX = re.compile(r"[0-9a-f]{64}")
_BLOCK = 1 << 20

Identity = tuple[int, int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode, device) of a file."""


def identity(status: os.stat_result) -> Identity:
    """What the file system says of a file that a change of its bytes changes."""
    return (
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_ino,
        status.st_dev,
    )


class Digests:
    """The kept digests of the files under one folder, and those found since."""

    def __init__(self, cache: Path | None, folder: Path) -> None:
        self._root = os.path.realpath(os.getcwd())  # noqa: PTH109 (a Path costs more per package)
        self._folder = _inside(folder, self._root)
        self._store = _store_path(cache, self._folder)
        self._started = time.time_ns()
        self._kept: dict[str, tuple[Identity, str]] = {}
        self._recorded = 0
        self._seen: dict[str, tuple[Identity, str]] = {}
        self._hashed = 0
        if self._store is not None:
            self._load()

    @property
    def hashed(self) -> int:
        """Files read in full so far (those the store could not vouch for)."""
        return self._hashed

    def sha256(self, relative: str, path: str, status: os.stat_result) -> str:
        """The hex sha256 of the regular file at ``path`` (``relative`` to the folder).

        ``status`` is its lstat. OSError when it cannot be read, or is no longer
        the regular file that was stat'ed.
        """
        now = identity(status)
        kept = self._kept.get(relative)
        if kept is not None and kept[0] == now and now[1] < self._recorded - RACY_NS:
            self._seen[relative] = kept
            return kept[1]
        read, digest = _read(path)
        self._hashed += 1
        if read == now:
            self._seen[relative] = (read, digest)
        return digest

    def save(self) -> None:
        """Keep what was found, when it differs from what was kept (one write per change)."""
        if self._store is None or (self._hashed == 0 and self._seen.keys() == self._kept.keys()):
            return
        data = {
            "format": FORMAT,
            "root": self._root,
            "folder": self._folder,
            "recorded_ns": self._started,
            "files": {name: [*ident, digest] for name, (ident, digest) in self._seen.items()},
        }
        folders.write_beside(self._store, json.dumps(data, separators=(",", ":")).encode())

    def _load(self) -> None:
        assert self._store is not None
        try:
            data = json.loads(self._store.read_bytes())
            kept = _parsed(data, self._root, self._folder)
        except (OSError, ValueError):
            return  # missing or unreadable: every file is read
        if kept is not None:
            self._recorded, self._kept = kept


def _parsed(data: Any, root: str, folder: str | None) -> tuple[int, dict[str, Any]] | None:
    """(recorded_ns, entries) of a store of ours for this folder; None for anything else."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    if data.get("root") != root or data.get("folder") != folder:
        return None  # another checkout's or another folder's: its inodes say nothing here
    recorded, files = data.get("recorded_ns"), data.get("files")
    if type(recorded) is not int or not isinstance(files, dict):
        return None
    kept: dict[str, tuple[Identity, str]] = {}
    for name, entry in files.items():
        if not isinstance(entry, list) or len(entry) != 6:
            return None
        *numbers, digest = entry
        if not all(type(n) is int for n in numbers) or not isinstance(digest, str):
            return None
        if not _HEX.fullmatch(digest):
            return None
        kept[name] = ((numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]), digest)
    return recorded, kept


def _inside(folder: Path, root: str) -> str | None:
    """``folder`` as a path inside ``root`` (links resolved); None when it leaves it."""
    real = os.path.realpath(folder)
    if real == root:
        return "."
    if not real.startswith(root.rstrip(os.sep) + os.sep):
        return None
    return Path(real[len(root.rstrip(os.sep)) + 1 :]).as_posix()


def _store_path(cache: Path | None, inside: str | None) -> Path | None:
    if cache is None or inside is None:
        return None
    name = hashlib.sha256(inside.encode("utf-8", "surrogateescape")).hexdigest()
    return cache / "digests" / name[:2] / f"{name}.json"


def _read(path: str) -> tuple[Identity, str]:
    """(identity, sha256) of a regular file, read without following a link put in its place."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(f"{path} is no longer a regular file")
        digest = hashlib.sha256()
        while block := os.read(handle, _BLOCK):
            digest.update(block)
    finally:
        os.close(handle)
    return identity(status), digest.hexdigest()
