"""Load the editions defined under ``schemas/editions/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from juesuan.paths import SCHEMAS
from juesuan.taxonomy.model import Edition

EDITIONS = SCHEMAS / "editions"


class TaxonomyError(Exception):
    """A definition file under schemas/ is malformed."""


def load_edition(folder: Path) -> Edition:
    """Read ``edition.yaml`` and one YAML file per table from ``folder``."""
    header = _read(folder / "edition.yaml")
    tables = {}
    for table_id in header.get("table_order", []):
        tables[table_id] = _read(folder / f"{table_id}.yaml")
    try:
        return Edition.model_validate({**header, "tables": tables})
    except ValidationError as error:
        raise TaxonomyError(f"{folder}: {error}") from error


@cache
def editions() -> dict[str, Edition]:
    """Every edition, by id, newest first."""
    found = [load_edition(path) for path in sorted(EDITIONS.iterdir()) if path.is_dir()]
    found.sort(key=lambda e: e.first_year, reverse=True)
    return {edition.id: edition for edition in found}


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise TaxonomyError(f"{path}: missing") from error
    except yaml.YAMLError as error:
        raise TaxonomyError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: expected a mapping at the top level")
    return data
