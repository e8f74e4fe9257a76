"""Validation reports kept by content: what gave a report once gives it again.

A report is keyed by the sha256 of everything it depends on: every file of the
package (its path and the sha256 of its bytes, which the cache's digests may
vouch for unread; for what is no regular file, its kind and link, never its
content), the folder as named and the working directory (findings
name files through them), the definitions and code lists (every file under
``schemas/``), juesuan's version and code, the schema pass (fast, or
frictionless and its version) and the input limits in force. Reports live in
``<cache>/validation/<key[:2]>/<key>.json``, each written beside and renamed in,
so a killed run leaves no half report; deleting the folder costs time, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import juesuan
from juesuan import folders
from juesuan.limits import PACKAGE_BYTES, SOURCE_BYTES
from juesuan.paths import CACHE, SCHEMAS
from juesuan.validation.digests import Digests
from juesuan.validation.findings import Finding, PackageReport
from juesuan.validation.run import validate_package

FORMAT = "juesuan-validation-report/1"
"""Changes when a cached report would be read otherwise."""


@dataclass(frozen=True)
class Outcome:
    """A package's report and whether it came from the cache."""

    report: PackageReport
    cached: bool


def validate_cached(folder: Path, cache: Path | None, *, reference: bool = False) -> Outcome:
    """The report on ``folder``: the cached one when nothing it depends on changed."""
    key = report_key(folder, reference=reference, cache=cache) if cache is not None else None
    if cache is None or key is None:
        return Outcome(validate_package(folder, reference=reference), cached=False)
    path = cache / "validation" / key[:2] / f"{key}.json"
    stored = _load(path)
    if stored is not None:
        return Outcome(stored, cached=True)
    report = validate_package(folder, reference=reference)
    _store(path, report)
    return Outcome(report, cached=False)


def report_key(
    folder: Path,
    *,
    reference: bool = False,
    extra: Sequence[str] = (),
    cache: Path | None = CACHE,
) -> str | None:
    """The key of the report on ``folder``; None when the package cannot be hashed.

    ``extra`` is what else a result depends on, for a result made from the
    package besides its report (the site's outputs of it): one hasher says
    what every result of a package depends on. The files' digests are taken
    from ``cache`` where it can vouch for them (see :mod:`.digests`); None reads
    every file.
    """
    digest = hashlib.sha256()
    for part in (
        FORMAT,
        *extra,
        _environment(reference),
        str(folder),
        os.getcwd(),  # noqa: PTH109 (findings name packages relative to it)
        *sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith("JUESUAN_")),
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digests = Digests(cache, folder)
    try:
        _hash_tree(digest, folder, digests, limit=max(PACKAGE_BYTES.value(), SOURCE_BYTES.value()))
    except (OSError, _TooLarge):
        return None  # validated afresh: the trust check refuses what is too large unread
    digests.save()
    return digest.hexdigest()


class _TooLarge(Exception):
    """A file past every size limit: validation refuses it without reading it, so do we."""


def _hash_tree(digest: Any, folder: Path, digests: Digests, limit: int | None = None) -> None:
    """Every entry under ``folder``: its path, then its bytes' sha256 or what kind it is."""
    for relative, path, status in _entries(str(folder), ""):
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        mode = status.st_mode
        if stat.S_ISREG(mode):
            if limit is not None and status.st_size > limit:
                raise _TooLarge
            sha256 = digests.sha256(relative, path, status)
            digest.update(b"\0file " + sha256.encode() + b"\0")
        elif stat.S_ISLNK(mode):
            digest.update(b"\0link\0" + os.fsencode(Path(path).readlink()) + b"\0")
        else:
            digest.update(f"\0kind {stat.S_IFMT(mode)}\0".encode())


def _entries(folder: str, prefix: str) -> Iterator[tuple[str, str, os.stat_result]]:
    """(path relative to the top, path, lstat) of every entry but real folders, which are walked.

    A folder's own entries come first, by name, then its subfolders, by name;
    a link to a folder is an entry, never followed. An unreadable folder raises.
    """
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    below = []
    for entry in entries:
        status = entry.stat(follow_symlinks=False)
        if stat.S_ISDIR(status.st_mode):
            below.append(entry)
        else:
            yield prefix + entry.name, entry.path, status
    for entry in below:
        yield from _entries(entry.path, f"{prefix}{entry.name}/")


def code_key() -> str:
    """The sha256 of juesuan's version, code and definitions (``schemas/``)."""
    return _environment(False)


@lru_cache(maxsize=2)
def _environment(reference: bool) -> str:
    """What every report depends on besides its package: definitions, code, schema pass."""
    digest = hashlib.sha256(juesuan.__version__.encode())
    code = Path(juesuan.__file__).parent
    for path in sorted(code.rglob("*.py")):
        digest.update(path.relative_to(code).as_posix().encode() + b"\0" + path.read_bytes())
    _hash_tree(digest, SCHEMAS, Digests(None, SCHEMAS))
    if reference:
        from importlib.metadata import version

        digest.update(b"frictionless " + version("frictionless").encode())
    else:
        digest.update(b"fast")
    return digest.hexdigest()


def _load(path: Path) -> PackageReport | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return PackageReport(
            data["package"],
            [Finding(**finding) for finding in data["findings"]],
            data["amounts"],
            data["covered"],
            list(data["uncovered"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or unreadable: validate again


def _store(path: Path, report: PackageReport) -> None:
    data = {"format": FORMAT, **report.as_dict()}
    folders.write_beside(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
