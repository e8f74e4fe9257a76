"""The trust boundary: what a package may name and hold.

Packages and their sources arrive by pull request from strangers. Every file a
package names must be a plain relative path to a regular file inside its own
folder, reached without following a symlink; anything else (a URL, an absolute
path, ``..``, a symlink, a device or FIFO) is reported and never read, copied,
zipped or rendered. Package folders are ``<unit>/<year>/`` with a four-digit
year: any other folder holding a ``datapackage.json`` is reported, not used.

No file may cost more than a package warrants either: each file's size, the
package's size and the rows of each CSV are held to the limits of
:mod:`juesuan.limits` here, with ``stat`` and a streaming count, before anything
loads a file (a CSV of a million rows would take frictionless minutes).
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from juesuan.limits import PACKAGE_BYTES, PACKAGE_FILE_BYTES, PACKAGE_ROWS, SOURCE_BYTES, Limit

_YEAR = re.compile(r"^\d{4}$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Problem:
    """A path a package names or holds that is not to be trusted, and why."""

    path: str
    """Relative to the package folder; empty when the problem is the whole package."""
    reason: str
    rule: str = "unsafe-path"
    """``unsafe-path``, or ``too-large`` for a file or package past a limit."""

    def __str__(self) -> str:
        return f"{self.path} is {self.reason}" if self.path else self.reason


def package_folders(root: Path) -> tuple[list[Path], list[Path]]:
    """(package folders ``<unit>/<year>``, other folders holding a datapackage.json).

    Hidden folders are neither: ``.2024.old`` and ``.2024.<random>`` are what a
    killed write leaves (the next write mends them), and nothing hidden is published.
    """
    packages: list[Path] = []
    strays: list[Path] = []
    for descriptor in sorted(root.glob("*/*/datapackage.json")):
        folder = descriptor.parent
        if folder.name.startswith(".") or folder.parent.name.startswith("."):
            continue
        good = _YEAR.fullmatch(folder.name) and not folder.is_symlink()
        good = good and not folder.parent.is_symlink() and not descriptor.is_symlink()
        (packages if good else strays).append(folder)
    return packages, strays


def unsafe_reference(folder: Path, reference: object) -> str | None:
    """Why ``reference`` (a path a package names) may not be read, or None."""
    if not isinstance(reference, str) or not reference:
        return "not a path"
    if _SCHEME.match(reference) or reference.startswith("//"):
        return "a URL: a package names only its own files"
    if "\\" in reference or "\x00" in reference:
        return "a path with a backslash or NUL"
    path = PurePosixPath(reference)
    if path.is_absolute():
        return "an absolute path"
    if any(part in ("..", "") for part in reference.split("/")):
        return "a path that leaves the package (..) or has an empty part"
    current = folder
    for part in path.parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return "missing"
        if stat.S_ISLNK(mode):
            return "a symlink"
    if not stat.S_ISREG(mode):
        return "not a regular file (a folder, device, FIFO or socket)"
    return None


def named_paths(descriptor: dict[str, Any]) -> list[object]:
    """Every file path a descriptor names: resources and the source document."""
    paths: list[object] = []
    for resource in descriptor.get("resources") or ():
        if isinstance(resource, dict):
            paths.append(resource.get("path"))
            meta = resource.get("juesuan")
            if isinstance(meta, dict) and "json" in meta:
                paths.append(meta["json"])
    meta = descriptor.get("juesuan")
    source = meta.get("source") if isinstance(meta, dict) else None
    if isinstance(source, dict) and "path" in source:
        paths.append(source["path"])
    return paths


def problems(folder: Path) -> list[Problem]:
    """Everything in or named by the package in ``folder`` that is not to be trusted."""
    found: list[Problem] = []
    sizes: dict[str, int] = {}
    for entry in _entries(folder):
        status = os.lstat(entry)
        relative = entry.relative_to(folder).as_posix()
        if stat.S_ISLNK(status.st_mode):
            found.append(Problem(relative, "a symlink"))
        elif stat.S_ISREG(status.st_mode):
            sizes[relative] = status.st_size
        elif not stat.S_ISDIR(status.st_mode):
            found.append(Problem(relative, "a device, FIFO or socket"))
    descriptor = _descriptor(folder, sizes)
    found += _too_large(folder, sizes, _source_path(descriptor))
    if not isinstance(descriptor, dict):
        return found  # the loaders report an unreadable descriptor
    seen = {problem.path for problem in found}
    for reference in named_paths(descriptor):
        reason = unsafe_reference(folder, reference)
        if reason is not None and reason != "missing" and str(reference) not in seen:
            found.append(Problem(str(reference), reason))
            seen.add(str(reference))
    return found


def _descriptor(folder: Path, sizes: dict[str, int]) -> object:
    """The parsed datapackage.json; None when missing, too large or unreadable."""
    size = sizes.get("datapackage.json")
    if size is None or PACKAGE_FILE_BYTES.exceeded(size):
        return None
    try:
        return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def _source_path(descriptor: object) -> str | None:
    meta = descriptor.get("juesuan") if isinstance(descriptor, dict) else None
    source = meta.get("source") if isinstance(meta, dict) else None
    path = source.get("path") if isinstance(source, dict) else None
    return path if isinstance(path, str) else None


def _too_large(folder: Path, sizes: dict[str, int], source: str | None) -> list[Problem]:
    """The files past a size or row limit, and the package if it is past its size limit."""
    found = []
    for relative, size in sorted(sizes.items()):
        limit = SOURCE_BYTES if relative == source else PACKAGE_FILE_BYTES
        if limit.exceeded(size):
            found.append(Problem(relative, f"too large: {limit.breach(size)}", "too-large"))
        elif relative.lower().endswith(".csv"):
            rows = _rows(folder / relative, PACKAGE_ROWS)
            if rows is not None:
                breach = PACKAGE_ROWS.breach(rows, more_than=True)
                found.append(Problem(relative, f"too long: {breach}", "too-large"))
    total = sum(sizes.values())
    if PACKAGE_BYTES.exceeded(total):
        reason = f"the package's files together are {PACKAGE_BYTES.breach(total)}"
        found.append(Problem("", reason, "too-large"))
    return found


def _rows(path: Path, limit: Limit) -> int | None:
    """The limit if the CSV at ``path`` has more rows (header aside), else None.

    Line breaks are counted in binary chunks, never past the limit: a line break
    in a quoted cell counts as a row, which only errs on the safe side.
    """
    most = limit.value()
    lines, last = 0, b"\n"
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
                if lines - 1 > most:
                    return most
    except OSError:
        return None  # the loaders report a file they cannot read
    lines += last != b"\n"
    return most if lines - 1 > most else None


def regular_files(folder: Path) -> list[str]:
    """The package's regular files, relative and sorted; symlinks and dot files left out."""
    return sorted(
        entry.relative_to(folder).as_posix()
        for entry in _entries(folder)
        if stat.S_ISREG(os.lstat(entry).st_mode)
        and not any(part.startswith(".") for part in entry.relative_to(folder).parts)
    )


def _entries(folder: Path) -> list[Path]:
    """Every entry under ``folder``, never descending through a symlink."""
    found = []
    for top, folders, files in os.walk(folder, followlinks=False):
        for name in (*folders, *files):
            found.append(Path(top) / name)
    return found
