"""The trust boundary: what a package may name and hold.

Packages and their sources arrive by pull request from strangers. Every file a
package names must be a plain relative path to a regular file inside its own
folder, reached without following a symlink; anything else (a URL, an absolute
path, ``..``, a symlink, a device or FIFO) is reported and never read, copied,
zipped or rendered. Package folders are ``<unit>/<year>/`` with a four-digit
year: any other folder holding a ``datapackage.json`` is reported, not used.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

_YEAR = re.compile(r"^\d{4}$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Problem:
    """A path a package names or holds that is not to be trusted, and why."""

    path: str
    reason: str


def package_folders(root: Path) -> tuple[list[Path], list[Path]]:
    """(package folders ``<unit>/<year>``, other folders holding a datapackage.json).

    Hidden folders are neither: ``.2024.old`` and ``.2024.<random>`` are what a
    killed write leaves (the next write mends them), and nothing hidden is published.
    """
    packages, strays = [], []
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
    for entry in _entries(folder):
        mode = os.lstat(entry).st_mode
        relative = entry.relative_to(folder).as_posix()
        if stat.S_ISLNK(mode):
            found.append(Problem(relative, "a symlink"))
        elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            found.append(Problem(relative, "a device, FIFO or socket"))
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return found  # the loaders report an unreadable descriptor
    if not isinstance(descriptor, dict):
        return found
    seen = {problem.path for problem in found}
    for reference in named_paths(descriptor):
        reason = unsafe_reference(folder, reference)
        if reason is not None and reason != "missing" and str(reference) not in seen:
            found.append(Problem(str(reference), reason))
            seen.add(str(reference))
    return found


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
