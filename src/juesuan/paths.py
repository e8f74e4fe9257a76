"""Where the repository keeps its schemas and packages."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
PACKAGES = ROOT / "datapackage"
