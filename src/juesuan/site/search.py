"""Chinese full-text search: a Pagefind index of the built site.

Pagefind's extended build segments Chinese; its index is split into small
fragments fetched per query, so what a visitor downloads does not grow with the
site the way one search_index.json does. Only content inside
``data-pagefind-body`` (the generated pages, see site/overrides/main.html) is indexed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BUNDLE = "pagefind"
OPTIONS = (
    "--output-subdir",
    BUNDLE,
    "--exclude-selectors",
    ".headerlink",  # the ¶ of each heading
)


class SearchIndexError(Exception):
    """Pagefind failed; the message holds its output."""


def index(site: Path) -> str:
    """Index ``site`` into ``site/pagefind/``; Pagefind's log."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(site),
            *OPTIONS,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    log = result.stdout + result.stderr
    if result.returncode != 0:
        raise SearchIndexError(log)
    return log


def index_size(site: Path) -> tuple[int, int]:
    """(files, bytes) of the search bundle."""
    files = [p for p in (site / BUNDLE).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)
