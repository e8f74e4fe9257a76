"""What a build made, kept by content under ``<cache>/site/``.

An entry is reused while nothing it depends on changes.

Two kinds of entry, each in an area (``disclosures``, ``pages``, ``search``):

- a *tree*: the files one step wrote (under named roots: ``docs``, ``staging``, …)
  and a record (JSON) in ``<area>/<key[:2]>/<key>/``, with a manifest giving each
  file's path, size and sha256, and the manifest's own sha256;
- a *blob*: one file's bytes after a line with their sha256 (``<area>/<key[:2]>/<key>``).

An entry is written beside its place and renamed in, so a killed build leaves
no half entry, and it is checked against its digests every time it is read:
one that is truncated, tampered with or unreadable counts as missing (and is
removed), so it is rebuilt, never published. A tree's paths are refused unless
they stay inside its roots. Deleting the folder costs time, nothing else.
"""

# ruff: noqa: PTH103, PTH108, PTH116, PTH118, PTH120 (str paths: the loops run per file of a hit)

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from juesuan import folders

FORMAT = "juesuan-build-cache/1"
"""Changes when an entry would be read otherwise."""

_BLOB_HEAD = b"juesuan-blob/1 "

T = TypeVar("T")


@lru_cache(maxsize=1)
def libraries() -> str:
    """The sha256 of every installed distribution and its version.

    MkDocs, Material, Pagefind, pyarrow, openpyxl…: all of them, rather than a
    list that could miss one the output depends on.
    """
    names = sorted(
        f"{d.metadata['Name']}=={d.version}".lower()
        for d in metadata.distributions()
        if d.metadata["Name"]
    )
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def digest_of(*parts: str | bytes) -> str:
    """The sha256 of ``parts``, each ended by a NUL so that no two lists give one digest."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def _file_digest(path: str | Path) -> str:
    with open(path, "rb") as handle:  # noqa: PTH123 (a str path: the hot loop of a cache hit)
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass
class Store:
    """The build cache at ``root`` (``<cache>/site``); remembers the keys a build used."""

    root: Path
    started: float = field(default_factory=time.time)
    """When the build began: what another build put or used since is not pruned."""
    used: dict[str, set[str]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    misses: dict[str, int] = field(default_factory=dict)

    def _place(self, area: str, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"not a key: {key!r}")
        return self.root / area / key[:2] / key

    def _count(self, area: str, key: str, hit: bool) -> None:
        self.used.setdefault(area, set()).add(key)
        if hit:
            # Marks the entry used for a build running beside this one, which prunes by time.
            with contextlib.suppress(OSError):
                os.utime(self._place(area, key))
        counter = self.hits if hit else self.misses
        counter[area] = counter.get(area, 0) + 1

    # Trees

    def fetch_tree(
        self, area: str, key: str, roots: Mapping[str, Path], accept: Callable[[Any], T]
    ) -> T | None:
        """Put the entry's files under ``roots`` (hard links when possible); ``accept(record)``.

        None, and nothing written, when the entry is missing or fails a check
        (``accept`` raising ValueError is one): the caller builds afresh.
        """
        place = self._place(area, key)
        manifest = _read_manifest(place, key, roots)
        value: T | None = None
        if manifest is not None:
            try:
                value = accept(manifest[1])
            except (ValueError, KeyError, TypeError):
                value = None
        if manifest is None or value is None:
            if place.exists():
                shutil.rmtree(place, ignore_errors=True)
            self._count(area, key, hit=False)
            return None
        made: set[str] = set()
        stored = os.path.join(place, "files")
        placed: list[str] = []
        try:
            for relative, _size, _sha in manifest[0]:
                root, _, rest = relative.partition("/")
                target = os.path.join(roots[root], rest)
                parent = os.path.dirname(target)
                if parent not in made:
                    os.makedirs(parent, exist_ok=True)
                    made.add(parent)
                _link_or_copy(os.path.join(stored, relative), target)
                placed.append(target)
        except OSError:
            # Pruned by a build beside this one midway: take back what was placed.
            for target in placed:
                with contextlib.suppress(OSError):
                    os.unlink(target)
            self._count(area, key, hit=False)
            return None
        self._count(area, key, hit=True)
        return value

    def put_tree(self, area: str, key: str, roots: Mapping[str, Path], record: Any) -> None:
        """Keep every file under ``roots`` and ``record`` as the entry ``key``."""
        place = self._place(area, key)
        self.used.setdefault(area, set()).add(key)
        try:
            place.parent.mkdir(parents=True, exist_ok=True)
            temporary = Path(tempfile.mkdtemp(dir=place.parent, prefix=f".{key}.{os.getpid()}-"))
        except OSError:
            return  # a cache that cannot be written only costs time
        try:
            files = []
            made: set[str] = set()
            for name, root in sorted(roots.items()):
                for inside in files_under(root):
                    relative = f"{name}/{inside}"
                    target = os.path.join(temporary, "files", relative)
                    parent = os.path.dirname(target)
                    if parent not in made:
                        os.makedirs(parent, exist_ok=True)
                        made.add(parent)
                    _link_or_copy(os.path.join(root, inside), target)
                    files.append([relative, os.stat(target).st_size, _file_digest(target)])
            body = {"format": FORMAT, "key": key, "files": files, "record": record}
            text = json.dumps(body, ensure_ascii=False, sort_keys=True)
            manifest = {"body": text, "sha256": digest_of(text)}
            (temporary / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
            temporary.rename(place)
        except OSError:
            # Another build put the same entry first, or the disk is full.
            shutil.rmtree(temporary, ignore_errors=True)

    # Blobs

    def blob_path(self, area: str, key: str) -> Path:
        """Where blob ``key`` is kept (it may not exist)."""
        return self._place(area, key)

    def note(self, area: str, key: str, hit: bool) -> None:
        """Count a blob read elsewhere (by the MkDocs hook) as used, hit or not."""
        self._count(area, key, hit)

    def put_blob(self, area: str, key: str, data: bytes) -> None:
        """Keep ``data`` as blob ``key``."""
        self.used.setdefault(area, set()).add(key)
        folders.write_beside(
            self._place(area, key),
            _BLOB_HEAD + hashlib.sha256(data).hexdigest().encode() + b"\n" + data,
            prefix=f".{key}.{os.getpid()}-",
            suffix="",
        )

    # Pruning

    def prune(self, areas: Iterable[str]) -> int:
        """Remove the entries of ``areas`` this build did not use; how many were removed.

        Half-written entries of a killed build go too; those of a live one stay,
        and so do entries another build put or used since this one began.
        """
        removed = 0
        for area in areas:
            keep = self.used.get(area, set())
            for bucket in sorted((self.root / area).glob("??")):
                for entry in bucket.iterdir():
                    if entry.name in keep or _live_temporary(entry.name):
                        continue
                    with contextlib.suppress(OSError):
                        if entry.lstat().st_mtime >= self.started:
                            continue  # put or used by a build beside this one
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)
                    removed += 1
        return removed


def files_under(root: Path) -> list[str]:
    """Every regular file under ``root``, as sorted paths relative to it (``a/b.csv``)."""
    found: list[str] = []
    prefix = len(str(root)) + 1
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                found.append(path[prefix:].replace(os.sep, "/"))
    return sorted(found)


def read_blob(path: Path) -> bytes | None:
    """The bytes of the blob at ``path``; None when it is missing or fails its digest."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, newline, body = data.partition(b"\n")
    if not newline or not head.startswith(_BLOB_HEAD):
        return None
    if hashlib.sha256(body).hexdigest().encode() != head[len(_BLOB_HEAD) :]:
        return None
    return body


def _live_temporary(name: str) -> bool:
    """Whether ``name`` is an entry being written by a process still running."""
    if not name.startswith("."):
        return False
    pid = name.split(".")[2].split("-")[0] if name.count(".") >= 2 else ""
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_manifest(
    place: Path, key: str, roots: Mapping[str, Path]
) -> tuple[list[tuple[str, int, str]], Any] | None:
    """A tree entry's files and record, once every check passed; None otherwise."""
    try:
        manifest = json.loads((place / "manifest.json").read_text(encoding="utf-8"))
        text = manifest["body"]
        if not isinstance(text, str) or digest_of(text) != manifest["sha256"]:
            return None
        body = json.loads(text)
        if body["format"] != FORMAT or body["key"] != key:
            return None
        files: list[tuple[str, int, str]] = []
        folder = os.path.join(place, "files")
        for relative, size, sha in body["files"]:
            if not _inside(relative, roots):
                return None
            stored = os.path.join(folder, relative)
            status = os.lstat(stored)
            if not stat.S_ISREG(status.st_mode) or status.st_size != size:
                return None
            if _file_digest(stored) != sha:
                return None
            files.append((relative, size, sha))
        return files, body["record"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _inside(relative: object, roots: Mapping[str, Path]) -> bool:
    """Whether a manifest path names a file inside one of ``roots`` (no ``..``, no absolute)."""
    if not isinstance(relative, str) or "\\" in relative or "\0" in relative:
        return False
    parts = relative.split("/")
    return len(parts) >= 2 and parts[0] in roots and all(p not in ("", ".", "..") for p in parts)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    """A hard link to ``source`` at ``target``; a copy when the two are on different disks."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
