"""Several sources read at once, over worker processes, in the order given."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from juesuan.errors import SourceError
from juesuan.ingest.pipeline import Disclosure, ingest
from juesuan.jobs import ordered_map


@dataclass(frozen=True)
class Read:
    """One source read: its disclosure, or the error that kept it from being read."""

    source: Path
    disclosure: Disclosure | None
    error: str | None
    """The SourceError as printed (its text crosses from a worker process whole)."""


def read_all(
    sources: Sequence[Path], *, jobs: int | None = None, done: Callable[[], None] = lambda: None
) -> list[Read]:
    """Each source read (:func:`juesuan.ingest.pipeline.ingest`), in the order of ``sources``."""
    return ordered_map(_read, sources, jobs=jobs, done=done)


def _read(source: Path) -> Read:
    try:
        return Read(source, ingest(source), None)
    except SourceError as error:
        return Read(source, None, str(error))
