"""Placements given by hand, for the rows the tables' arithmetic cannot place.

When flowed text leaves a row's columns undecided, ingest stops and lists the
candidates. A contributor who checks the paper writes the answer next to the
source, in ``<unit>/<year>/placements.yaml``::

    - table: three_public
      row: total
      columns: [budget_total, budget_reception, actual_total, actual_reception]

and ingests again. The file is kept in the package and its placements are listed
in datapackage.json, so a re-ingest gives the same bytes and a reader sees what
was decided by a person.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from juesuan.errors import SourceError
from juesuan.ingest.layouts import RawRow
from juesuan.text import load_yaml

FILE = "placements.yaml"

Entry = TypeVar("Entry", bound=BaseModel)


class Given(BaseModel):
    """The columns a person read off the paper for one row, in printed order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    table: str
    row: str
    columns: tuple[str, ...]


def placements_file(source: Path) -> Path | None:
    """The placements file beside a source kept in ``<unit>/<year>/source/``, if any."""
    if source.parent.name != "source":
        return None
    candidate = source.parent.parent / FILE
    return candidate if candidate.is_file() else None


def load(path: Path) -> list[Given]:
    """The placements of ``path``; a malformed file is an error naming it."""
    return load_entries(path, Given, "the placements", "a list of {table, row, columns}")


def load_entries(path: Path, model: type[Entry], what: str, expected: str) -> list[Entry]:
    """The entries of a YAML list a person wrote beside a source (no aliases).

    A malformed file is an error naming it, ``what`` it holds and the ``expected`` form.
    """
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), aliases=False) or []
        return TypeAdapter(list[model]).validate_python(data)  # type: ignore[valid-type]
    except (yaml.YAMLError, ValidationError, UnicodeDecodeError) as error:
        raise SourceError(path, f"cannot read {what}: {error}", expected=expected) from error


def apply(path: Path, given: list[Given], rows: list[RawRow]) -> None:
    """Fix the given rows' columns, in place; a placement that does not fit is an error."""
    by_key = {(row.table, row.id): row for row in rows}
    for entry in given:
        row = by_key.get((entry.table, entry.row))
        if row is None:
            raise SourceError(
                path,
                f"no row {entry.row!r} in table {entry.table!r}",
                expected="a table id and row id as the error listed them",
            )
        amounts = [v for v in row.values if v is not None]
        unknown = [c for c in entry.columns if c not in row.columns]
        order = [row.columns.index(c) for c in entry.columns if c in row.columns]
        if unknown or len(entry.columns) != len(amounts) or order != sorted(set(order)):
            raise SourceError(
                path,
                f"{entry.table} {entry.row}: columns {list(entry.columns)} do not fit the "
                f"amounts {' '.join(a.text for a in amounts)}",
                line=row.source_line,
                table=entry.table,
                expected=f"{len(amounts)} of {list(row.columns)}, in printed order",
            )
        placed = dict(zip(entry.columns, amounts, strict=True))
        row.values = tuple(placed.get(column) for column in row.columns)
        row.exact = True
