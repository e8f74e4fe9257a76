"""Command-line options several commands share, declared once."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from juesuan.paths import CACHE, PACKAGES


def packages_folder(flag: str, help: str) -> Callable[[Any], Any]:
    """The folder of packages (``datapackage/`` by default) as option ``flag``."""
    return click.option(
        flag,
        type=click.Path(file_okay=False, path_type=Path),
        default=PACKAGES,
        show_default="datapackage/",
        help=help,
    )


def jobs_option() -> Callable[[Any], Any]:
    """``--jobs N``: worker processes, all cores by default."""
    return click.option(
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes (default: all cores); the output is the same for any number.",
    )


def cache_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--cache DIR`` and ``--no-cache``: where validation reports are kept by content."""
    return _cache_options(
        function,
        "Folder of validation reports kept by content hash (deletable at any time).",
        "Validate every package afresh; keep no report.",
    )


def build_cache_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--cache DIR`` and ``--no-cache`` of the build: reports, pages, downloads, index."""
    return _cache_options(
        function,
        "Folder of what builds made, kept by content hash: validation reports, pages, "
        "downloads, the search index (deletable at any time).",
        "Build everything afresh; neither read nor write the cache.",
    )


def _cache_options(function: Callable[..., Any], cache: str, no_cache: str) -> Callable[..., Any]:
    function = click.option("--no-cache", is_flag=True, help=no_cache)(function)
    return click.option(
        "--cache",
        type=click.Path(file_okay=False, path_type=Path),
        default=CACHE,
        show_default=".juesuan-cache/",
        help=cache,
    )(function)


@contextmanager
def progress_bar(label: str, total: int, *, show: bool = True) -> Iterator[Callable[[], None]]:
    """A progress bar on standard error when it is a terminal; yields the step to call."""
    if not show or total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda: progress.advance(task)
