"""Where the repository keeps its schemas and packages."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
PACKAGES = ROOT / "datapackage"


def shown(path: Path) -> str:
    """``path`` as a person (or a CI annotation) refers to it: relative to here when inside."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
