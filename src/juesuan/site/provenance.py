"""Where a disclosure comes from: publisher, source page, dates, source file, licence.

Everything here is read from the package, its unit's ``unit.json`` and the
repository's history, never from the clock: the same packages and the same
commits give the same site on any day. The dates are those of the commits that
added and last changed the package folder (``git log``); a package not yet
committed, or a folder outside a git checkout, has none, and the pages say so.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from juesuan.package import trust
from juesuan.site.html import ExternalURL, external_url

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PAGE = re.compile(r"^page (\d{1,6})\b")
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
}
"""Media type of each binary source kind; any other source is text."""


@dataclass(frozen=True)
class Dates:
    """When the package entered the repository and when it last changed (YYYY-MM-DD)."""

    added: str | None = None
    changed: str | None = None


def commit_dates(root: Path, folders: Sequence[Path]) -> dict[Path, Dates]:
    """The commit dates of each package folder under ``root``, from one ``git log``.

    Committer dates (the day a change reached the branch), newest first in the
    log: the first date seen for a folder is its last change, the last its
    addition. No git, no checkout or no commit gives no dates, never an error.
    """
    wanted = {folder.relative_to(root).as_posix(): folder for folder in folders}
    command = [
        "git",
        *("-c", "core.quotePath=false", "-c", "log.showSignature=false"),
        *("-C", str(root), "log", "--relative", "--no-renames", "--format=%x01%cs"),
        *("--name-only", "--", "."),
    ]
    try:
        result = subprocess.run(command, capture_output=True, check=False, timeout=600)
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    added: dict[str, str] = {}
    changed: dict[str, str] = {}
    day = None
    for line in result.stdout.decode("utf-8", errors="replace").splitlines():
        if line.startswith("\x01"):
            day = line[1:] if _DATE.match(line[1:]) else None
            continue
        key = "/".join(line.split("/")[:2])
        if day and key in wanted:
            changed.setdefault(key, day)
            added[key] = day
    return {wanted[key]: Dates(added[key], changed[key]) for key in changed}


@dataclass(frozen=True)
class Licence:
    """The licence a package states (its first ``licenses`` entry)."""

    name: str
    title: str
    url: ExternalURL | None


@dataclass(frozen=True)
class SourceFile:
    """The document the package was read from, as kept inside it."""

    path: str
    """Relative to the package (``source/…``)."""
    sha256: str
    size: int
    media_type: str
    encoding: str
    pages: int | None
    """Pages of a PDF source; None for other kinds or when unknown."""

    @property
    def kind(self) -> str:
        """PDF, 电子表格 or 文本, as the page names it."""
        if self.media_type == "application/pdf":
            return "PDF"
        return "文本" if self.is_text else "电子表格"

    @property
    def is_text(self) -> bool:
        """A text source (shown as a UTF-8 page), not a PDF or a workbook."""
        return self.media_type.startswith("text/")

    @property
    def view_suffix(self) -> str:
        """Suffix of the readable copy: the source's own, or ``.html`` for text."""
        return ".html" if self.is_text else Path(self.path).suffix.lower()


@dataclass(frozen=True)
class Provenance:
    """Who published a disclosure, where, when it came in, from what, under which licence."""

    unit: str
    parent: str | None
    """The department the unit reports to (主管部门), when known."""
    source_url: ExternalURL | None
    """The page the document was published on, when known."""
    published: date | None
    """The day the unit published the document, when known."""
    dates: Dates
    source: SourceFile | None
    licence: Licence | None


def provenance(folder: Path, descriptor: dict[str, Any], unit: str, dates: Dates) -> Provenance:
    """The provenance of the package in ``folder`` (whose descriptor is ``descriptor``)."""
    found = descriptor.get("juesuan")
    meta: dict[str, Any] = found if isinstance(found, dict) else {}
    year = str(meta.get("year") or folder.name)
    given = _unit_file(folder.parent)
    entry = (given.get("years") or {}).get(year) if isinstance(given.get("years"), dict) else {}
    entry = entry if isinstance(entry, dict) else {}
    parent = meta.get("parent") or given.get("parent")
    url = external_url(meta.get("source_url")) or external_url(entry.get("source_url"))
    published = _date(meta.get("published")) or _date(entry.get("published"))
    return Provenance(
        unit,
        str(parent) if isinstance(parent, str) and parent.strip() else None,
        url,
        published,
        dates,
        _source(folder, descriptor, meta),
        _licence(descriptor),
    )


def _date(value: object) -> date | None:
    """An ISO date as a package or unit.json gives it; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value) if _DATE.match(value) else None
    except ValueError:
        return None  # validation reports it; the page says the date is unknown


def _unit_file(unit_dir: Path) -> dict[str, Any]:
    """The unit's ``unit.json`` as a dict; empty when absent, unreadable or not a file."""
    if trust.unsafe_reference(unit_dir, "unit.json") is not None:
        return {}
    try:
        data = json.loads((unit_dir / "unit.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}  # validation reports a broken unit.json; the page shows what it can
    return data if isinstance(data, dict) else {}


def _licence(descriptor: dict[str, Any]) -> Licence | None:
    licences = descriptor.get("licenses")
    first = licences[0] if isinstance(licences, list) and licences else None
    if not isinstance(first, dict) or not isinstance(first.get("name"), str):
        return None
    return Licence(
        first["name"], str(first.get("title") or first["name"]), external_url(first.get("path"))
    )


def _source(folder: Path, descriptor: dict[str, Any], meta: dict[str, Any]) -> SourceFile | None:
    source = meta.get("source")
    if not isinstance(source, dict):
        return None
    path = source.get("path")
    if trust.unsafe_reference(folder, path) is not None:
        return None
    assert isinstance(path, str)  # unsafe_reference refuses anything else
    suffix = Path(path).suffix.lower()
    media_type = MEDIA_TYPES.get(suffix, "text/plain")
    pages = None
    if suffix == ".pdf":
        pages = pdf_pages(folder / path) or location_pages(folder, descriptor)
    return SourceFile(
        path,
        str(source.get("sha256") or ""),
        (folder / path).stat().st_size,
        media_type,
        str(source.get("encoding") or ""),
        pages,
    )


def pdf_pages(path: Path) -> int | None:
    """The page count a PDF declares (its page tree's /Count), or None when unreadable."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            count = resolve1(resolve1(document.catalog["Pages"])["Count"])
    except Exception:  # pdfminer raises all kinds on a broken file: locations.csv remains
        return None
    return count if isinstance(count, int) and 0 < count < 1_000_000 else None


def location_pages(folder: Path, descriptor: dict[str, Any]) -> int | None:
    """The last page ``locations.csv`` names ("page 3, line 12"): pages the package cites."""
    for resource in descriptor.get("resources") or ():
        if not isinstance(resource, dict) or resource.get("name") != "source-locations":
            continue
        path = resource.get("path")
        if trust.unsafe_reference(folder, path) is not None:
            return None
        try:
            with (folder / str(path)).open(encoding="utf-8", newline="") as handle:
                pages = [
                    int(match.group(1))
                    for row in csv.DictReader(handle)
                    if (match := _PAGE.match(row.get("location") or ""))
                ]
        except (OSError, UnicodeDecodeError, csv.Error):
            return None
        return max(pages, default=None)
    return None


def year_span(year: int) -> tuple[str, str]:
    """The first and last day of the accounts' year, ISO dates."""
    return date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
