"""Load the editions defined under ``schemas/editions/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from juesuan.paths import SCHEMAS
from juesuan.taxonomy.model import Edition, Overlay
from juesuan.text import load_yaml

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


def load_overlays(folder: Path, edition: Edition) -> dict[str, Edition]:
    """The edition as each overlay under ``folder/overlays/`` prints it, by overlay id."""
    variants = {}
    for path in sorted((folder / "overlays").glob("*.yaml")):
        try:
            overlay = Overlay.model_validate(_read(path))
            variants[overlay.id] = edition.with_overlay(overlay)
        except (ValidationError, ValueError) as error:
            raise TaxonomyError(f"{path}: {error}") from error
    return variants


@cache
def overlays() -> dict[tuple[str, str], Edition]:
    """Every edition as each of its overlays prints it, by (edition id, overlay id)."""
    return {
        (edition.id, overlay_id): variant
        for edition in editions().values()
        for overlay_id, variant in load_overlays(EDITIONS / edition.id, edition).items()
    }


def variants() -> list[Edition]:
    """Every way a document may be printed: each edition, then each of its overlays."""
    return [*editions().values(), *overlays().values()]


def edition_for(edition_id: str, overlay_id: str | None = None) -> Edition | None:
    """The edition ``edition_id``, as ``overlay_id`` prints it when given."""
    if overlay_id is None:
        return editions().get(edition_id)
    return overlays().get((edition_id, overlay_id))


def edition_in_force(year: int) -> Edition:
    """The national edition a document of ``year`` is printed in.

    An edition holds from its first year until a newer one starts (or its last
    year, when one is declared); before the oldest edition, the oldest.
    """
    known = sorted(editions().values(), key=lambda e: e.first_year)
    started = [e for e in known if e.first_year <= year and (e.last_year or year) >= year]
    return started[-1] if started else known[0]


@cache
def editions() -> dict[str, Edition]:
    """Every edition, by id, newest first."""
    found = [load_edition(path) for path in sorted(EDITIONS.iterdir()) if path.is_dir()]
    found.sort(key=lambda e: e.first_year, reverse=True)
    return {edition.id: edition for edition in found}


def _read(path: Path) -> dict[str, Any]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise TaxonomyError(f"{path}: missing") from error
    except yaml.YAMLError as error:
        raise TaxonomyError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: expected a mapping at the top level")
    return data
