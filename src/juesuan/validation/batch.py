"""Many packages validated at once: over worker processes, through the report cache."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from juesuan.jobs import ordered_map
from juesuan.validation.cache import Outcome, validate_cached


@dataclass(frozen=True)
class Settings:
    """How each package is validated."""

    cache: Path | None = None
    """The cache folder; None validates every package afresh."""
    reference: bool = False
    """frictionless itself rather than the fast pass that gives its findings."""


def validate_all(
    folders: Sequence[Path],
    settings: Settings,
    *,
    jobs: int | None = None,
    done: Callable[[], None] = lambda: None,
) -> list[Outcome]:
    """The outcome for each folder, in the order of ``folders``."""
    return ordered_map(partial(_one, settings), folders, jobs=jobs, done=done)


def _one(settings: Settings, folder: Path) -> Outcome:
    return validate_cached(folder, settings.cache, reference=settings.reference)
