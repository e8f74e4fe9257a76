"""Command-line options several commands share, declared once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from juesuan.paths import PACKAGES


def packages_folder(flag: str, help: str) -> Callable[[Any], Any]:
    """The folder of packages (``datapackage/`` by default) as option ``flag``."""
    return click.option(
        flag,
        type=click.Path(file_okay=False, path_type=Path),
        default=PACKAGES,
        show_default="datapackage/",
        help=help,
    )
