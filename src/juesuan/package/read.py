"""Read a package's files back: its descriptor, table rows and the JSON of its CSVs.

The reading half of :mod:`juesuan.package`. It needs only the package folder and
the taxonomy, never ingest, so validation and the site read packages through it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from juesuan.taxonomy.schemas import dump


def read_descriptor(folder: Path) -> dict[str, Any]:
    """The datapackage.json of a package folder."""
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def table_rows(folder: Path, resource: dict[str, Any]) -> list[dict[str, str]]:
    """A table resource's rows as printed strings (no type conversion)."""
    with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def json_records(schema: dict[str, Any], rows: Sequence[Sequence[str]]) -> list[dict[str, Any]]:
    """A table's CSV rows (as text) as the JSON its JSON Schema describes.

    The JSON is always derived from the CSV, so the two never disagree: blank is
    null, integers and amounts are numbers.
    """
    fields = schema["fields"]
    return [
        {
            field["name"]: _typed(field["type"], text)
            for field, text in zip(fields, row, strict=True)
        }
        for row in rows
    ]


def _typed(kind: str, text: str) -> Any:
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    return text


def refresh_json(folder: Path) -> list[Path]:
    """Rewrite each table's JSON from its CSV (after typing into the CSV); the files changed."""
    changed = []
    for resource, content in _stale_json(folder):
        path = folder / resource["juesuan"]["json"]
        path.write_text(content, encoding="utf-8")
        changed.append(path)
    return changed


def _stale_json(folder: Path) -> list[tuple[dict[str, Any], str]]:
    stale = []
    for resource in read_descriptor(folder)["resources"]:
        json_path = (resource.get("juesuan") or {}).get("json")
        if not json_path:
            continue
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))[1:]
        content = dump(json_records(resource["schema"], rows))
        current = folder / json_path
        if not current.exists() or current.read_text(encoding="utf-8") != content:
            stale.append((resource, content))
    return stale


__all__ = ["json_records", "read_descriptor", "refresh_json", "table_rows"]


def parse_amount(text: str | None) -> Decimal | None:
    """A cell's amount as a Decimal; None when blank, not a number, or not finite.

    ``NaN`` and ``Infinity`` are numbers to Decimal but amounts to nobody: left to
    the type checks to report, never computed with.
    """
    if text is None or not text.strip():
        return None
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
