"""Where juesuan finds its definitions and theme, and where it keeps packages by default.

Installed from a wheel, the definitions (``schemas/``) and the site's theme travel
inside the package and are read with :mod:`importlib.resources`; run from a
checkout (an editable install), they are the checkout's own folders. Packages
and the built site are the working directory's: ``datapackage/`` and
``site-build/`` there, unless a command is told otherwise.
"""

from importlib.resources import files
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
"""The source tree, in a checkout; where ``juesuan schemas`` and ``juesuan docs`` write."""


def _data(packaged: str, in_checkout: str) -> Path:
    """A data folder of the installed package, else the checkout's."""
    inside = Path(str(files("juesuan").joinpath(packaged)))
    return inside if inside.is_dir() else CHECKOUT / in_checkout


SCHEMAS = _data("schemas", "schemas")
THEME = _data("site/theme", "site")
PACKAGES = Path("datapackage")
SITE = Path("site-build")
CACHE = Path(".juesuan-cache")
"""Validation reports kept by content hash (git-ignored; deleting it changes nothing but time)."""


def shown(path: Path) -> str:
    """``path`` as a person (or a CI annotation) refers to it: relative to here when inside."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
