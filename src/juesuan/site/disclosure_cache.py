"""One disclosure's share of the build, kept by content: its page, downloads and facts.

The key is the validation report's key of the package (every file of it, the
folder as named, the definitions and code lists, juesuan's version and code,
the input limits: :func:`juesuan.validation.cache.report_key`) with what the
site adds: the site's address, the package's commit dates and every installed
library. The folder is in the key, so one package's outputs are never put in
place of another's, whatever the packages hold.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from juesuan.site import mkdocs_site, records
from juesuan.site.build_cache import files_under, libraries
from juesuan.site.catalog import Entry
from juesuan.site.provenance import Dates
from juesuan.site.summary import Summary
from juesuan.validation.cache import report_key

AREA = "disclosures"
FORMAT = "juesuan-site-disclosure/1"


def key(folder: Path, dates: Dates, site_url: str | None, cache: Path) -> str | None:
    """The key of ``folder``'s outputs; None when the package cannot be hashed.

    The files' kept digests live in the build's own ``cache``, as its outputs do.
    """
    return report_key(
        folder,
        cache=cache,
        extra=(
            FORMAT,
            f"site {site_url or ''}",
            f"added {dates.added or ''}",
            f"changed {dates.changed or ''}",
            libraries(),
        ),
    )


def roots(docs: Path, staging: Path) -> dict[str, Path]:
    """The folders a disclosure writes into: page Markdown, its blocks, downloads and facts."""
    return {"docs": docs, "blocks": mkdocs_site.blocks_folder(docs), "staging": staging}


def record(summary: Summary, entry: Entry) -> dict[str, Any]:
    """The worker's answer as JSON data."""
    return {"summary": records.dump(summary), "entry": records.dump(entry)}


def read_record(data: Any) -> tuple[Summary, Entry]:
    """The worker's answer from :func:`record`'s data; RecordError when it does not fit."""
    if not isinstance(data, dict):
        raise records.RecordError("not a disclosure record")
    return records.load(Summary, data["summary"]), records.load(Entry, data["entry"])


def move_files(source: Path, target: Path) -> None:
    """Every file under ``source`` moved to the same place under ``target``."""
    made: set[Path] = set()
    for inside in files_under(source):
        destination = target / inside
        if destination.parent not in made:
            destination.parent.mkdir(parents=True, exist_ok=True)
            made.add(destination.parent)
        shutil.move(source / inside, destination)
