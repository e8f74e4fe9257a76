"""Read a package's files back: its descriptor, table rows and the JSON of its CSVs.

The reading half of :mod:`juesuan.package`. It needs only the package folder and
the taxonomy, never ingest, so validation and the site read packages through it.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from juesuan.errors import SourceError
from juesuan.package import trust
from juesuan.taxonomy.schemas import dump


def read_descriptor(folder: Path) -> dict[str, Any]:
    """The datapackage.json of a package folder."""
    descriptor: dict[str, Any] = json.loads(
        (folder / "datapackage.json").read_text(encoding="utf-8")
    )
    return descriptor


def table_rows(folder: Path, resource: dict[str, Any]) -> list[dict[str, str]]:
    """A table resource's rows as printed strings (no type conversion)."""
    with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class BadCell(ValueError):
    """A CSV cell its field's type cannot hold as JSON (or a row of the wrong width)."""

    def __init__(self, index: int, field: str | None, text: str, reason: str) -> None:
        self.index = index
        """The row's index among the rows given (0 for the first row under the header)."""
        self.field = field
        self.text = text
        self.reason = reason
        where = f"row {index + 1}" + (f" column {field}" if field else "")
        super().__init__(f"{where}: {reason}")


def json_records(schema: dict[str, Any], rows: Sequence[Sequence[str]]) -> list[dict[str, Any]]:
    """A table's CSV rows (as text) as the JSON its JSON Schema describes.

    The JSON is always derived from the CSV, so the two never disagree: blank is
    null, integers and amounts are numbers. A cell that is no number of its
    type, or no finite one (NaN, Infinity, 1e999), is :class:`BadCell`: JSON
    cannot say it.
    """
    fields = schema["fields"]
    records = []
    for index, row in enumerate(rows):
        if len(row) != len(fields):
            raise BadCell(index, None, "", f"{len(row)} cells where the schema has {len(fields)}")
        records.append(
            {
                field["name"]: _typed(index, field, text)
                for field, text in zip(fields, row, strict=True)
            }
        )
    return records


def _typed(index: int, field: dict[str, Any], text: str) -> Any:
    kind = field["type"]
    if text == "" or kind not in ("integer", "number"):
        return None if text == "" else text
    try:
        value: int | float = int(text) if kind == "integer" else float(text)
    except ValueError:
        raise BadCell(index, field["name"], text, f"{text!r} is no {kind}") from None
    if not math.isfinite(value):
        raise BadCell(index, field["name"], text, f"{text!r} is no finite number") from None
    return value


def refresh_json(folder: Path) -> list[Path]:
    """Rewrite each table's JSON from its CSV (after typing into the CSV); the files changed.

    Nothing is written when any CSV holds a value its JSON cannot (see
    :func:`json_records`) or the package names a file it may not: :class:`SyncError`
    lists every such problem, each naming the file and line.
    """
    untrusted = trust.problems(folder)
    if untrusted:
        raise SyncError(
            [SourceError(folder / "datapackage.json", f"{p.path} is {p.reason}") for p in untrusted]
        )
    stale, problems = _stale_json(folder)
    if problems:
        raise SyncError(problems)
    changed = []
    for path, content in stale:
        path.write_text(content, encoding="utf-8")
        changed.append(path)
    return changed


class SyncError(Exception):
    """The JSON of a package cannot be written from its CSVs: each problem, located."""

    def __init__(self, problems: list[SourceError]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def _stale_json(folder: Path) -> tuple[list[tuple[Path, str]], list[SourceError]]:
    """(JSON file, its content) for each table whose JSON differs from its CSV; the problems."""
    stale, problems = [], []
    descriptor = folder / "datapackage.json"
    for resource in read_descriptor(folder)["resources"]:
        json_path = (resource.get("juesuan") or {}).get("json")
        if not json_path:
            continue
        csv_file = folder / resource["path"]
        lines, rows = [], []
        try:
            with csv_file.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                for row in reader:
                    lines.append(reader.line_num)
                    rows.append(row)
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            problems.append(SourceError(csv_file, f"cannot be read: {error}"))
            continue
        try:
            schema = {"fields": resource["schema"]["fields"]}
            records, bad_cells = [], []
            for index, row in enumerate(rows[1:]):
                try:
                    records += json_records(schema, [row])
                except BadCell as bad:  # one per row, every row: all to mend at once
                    bad_cells.append((lines[index + 1], bad))
        except (KeyError, TypeError):
            message = f"resource {resource.get('name')!r} has no Table Schema fields"
            problems.append(SourceError(descriptor, message))
            continue
        table = (resource.get("juesuan") or {}).get("table")
        for line, cell in bad_cells:
            message = f"{cell.reason}; its JSON is not written"
            if cell.field:
                message = f"column {cell.field}: {message}"
            problems.append(SourceError(csv_file, message, line=line, table=table))
        if bad_cells:
            continue
        content = dump(records, json_path)
        current = folder / json_path
        if not current.exists() or current.read_text(encoding="utf-8") != content:
            stale.append((current, content))
    return stale, problems


__all__ = [
    "BadCell",
    "SyncError",
    "json_records",
    "read_descriptor",
    "refresh_json",
    "table_rows",
]


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
