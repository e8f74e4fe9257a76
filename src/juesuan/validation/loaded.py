"""A package read back for checking: its metadata, rows and amounts."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.package.read import parse_amount
from juesuan.taxonomy import Edition, edition_for
from juesuan.taxonomy.rules import CellKey
from juesuan.taxonomy.tolerance import SHIFTS, Precision
from juesuan.validation.labels import cell_name


class PackageUnreadable(Exception):
    """The package cannot be read at all (no or malformed datapackage.json)."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.file, self.message, self.line = file, message, line


@dataclass
class LoadedTable:
    """One table resource: its CSV file and rows as printed."""

    id: str
    resource: dict[str, Any]
    file: Path
    rows: list[dict[str, str]]


@dataclass
class LoadedPackage:
    """A package folder, read without trusting it."""

    folder: Path
    descriptor: dict[str, Any]
    edition: Edition
    year: int
    tables: dict[str, LoadedTable] = field(default_factory=dict)
    values: dict[CellKey, Decimal] = field(default_factory=dict)
    source_lines: dict[tuple[str, str], int] = field(default_factory=dict)
    not_amounts: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(table, row, column, text) of value cells that hold no finite amount."""
    locations: dict[int, str] = field(default_factory=dict)
    """Source line → where it stands in a PDF or workbook (page and line, sheet and row)."""
    _records: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict, repr=False)

    def record(self, table: str, row: str) -> dict[str, str] | None:
        """The CSV record of a row (the first, should a malformed table repeat an id)."""
        if table not in self._records:
            loaded = self.tables.get(table)
            index: dict[str, dict[str, str]] = {}
            for record in loaded.rows if loaded else ():
                index.setdefault(record.get("row") or "", record)
            self._records[table] = index
        return self._records[table].get(row)

    def cell_name(self, table: str, row: str | None = None, column: str | None = None) -> str:
        """《title》（number）“row”行“column”栏, as the package prints them."""
        definition = self.edition.tables.get(table)
        if definition is None:
            return " ".join(p for p in (table, row, column) if p)
        loaded = self.tables.get(table)
        resource = loaded.resource if loaded else {}
        number = (resource.get("juesuan") or {}).get("number")
        title = resource.get("title")
        return cell_name(
            definition,
            row,
            column,
            title=title if isinstance(title, str) else None,
            number=number if isinstance(number, str) else None,
            record=self.record(table, row) if row else None,
        )

    @property
    def source_file(self) -> str | None:
        """The source document's path inside the package, if it has one."""
        path = self.descriptor.get("juesuan", {}).get("source", {}).get("path")
        return path if isinstance(path, str) else None

    def printed(self) -> dict[str, list[str]]:
        """Columns printed, for tables whose document printed fewer than defined."""
        return {
            t: list(table.resource["juesuan"]["columns"])
            for t, table in self.tables.items()
            if "columns" in (table.resource.get("juesuan") or {})
        }

    @property
    def precision(self) -> Precision:
        """The unit each table was printed in (juesuan.printed_unit; 万元 when not said).

        A unit the package names wrongly is the metadata check's to report; its
        table is compared at the precision of 万元 meanwhile.
        """
        printed = {}
        for t, table in self.tables.items():
            unit = (table.resource.get("juesuan") or {}).get("printed_unit")
            if isinstance(unit, str) and unit in SHIFTS:
                printed[t] = unit
        return Precision(printed)

    def row_ids(self) -> dict[str, list[str]]:
        """Row ids of each table present."""
        return {t: [r.get("row", "") for r in table.rows] for t, table in self.tables.items()}

    def locate(self, table: str, row: str) -> tuple[str, int | None]:
        """(file, line) to point at for a row: the source line if known, else the CSV."""
        line = self.source_lines.get((table, row))
        if line is not None and self.source_file:
            return str(self.folder / self.source_file), line
        loaded = self.tables.get(table)
        if loaded is None:
            return str(self.folder / "datapackage.json"), None
        for index, record in enumerate(loaded.rows, start=2):
            if record.get("row") == row:
                return str(loaded.file), index
        return str(loaded.file), None


def load_package(folder: Path) -> LoadedPackage:
    """Read ``folder``'s descriptor and table CSVs; skip what frictionless will report."""
    descriptor_path = folder / "datapackage.json"
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise PackageUnreadable(str(descriptor_path), "datapackage.json is missing") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise PackageUnreadable(
            str(descriptor_path), f"datapackage.json is not valid JSON: {error}", line
        ) from error
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PackageUnreadable(str(descriptor_path), "datapackage.json has no resources list")
    meta = descriptor.get("juesuan") or {}
    if not isinstance(meta, dict):
        raise PackageUnreadable(
            str(descriptor_path), "juesuan in datapackage.json is not an object"
        )
    edition = edition_for(str(meta.get("edition")), _text_or_none(meta.get("overlay")))
    if edition is None:
        raise PackageUnreadable(
            str(descriptor_path),
            f"unknown edition {meta.get('edition')!r} "
            f"(overlay {meta.get('overlay')!r}) under juesuan",
        )
    try:
        year = int(meta["year"])
    except (KeyError, TypeError, ValueError) as error:
        raise PackageUnreadable(str(descriptor_path), "juesuan.year is missing") from error
    package = LoadedPackage(folder, descriptor, edition, year)
    for resource in descriptor["resources"]:
        table_id = (
            (resource.get("juesuan") or {}).get("table") if isinstance(resource, dict) else None
        )
        if table_id not in edition.tables:
            continue
        path = folder / str(resource.get("path", ""))
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error):
            continue  # frictionless names the missing or unreadable file
        package.tables[table_id] = LoadedTable(table_id, resource, path, rows)
        _collect(package, edition, table_id, rows)
    package.locations = _locations(folder, descriptor["resources"])
    return package


def _locations(folder: Path, resources: list[Any]) -> dict[int, str]:
    """The package's source-locations resource, read; empty for a text source."""
    for resource in resources:
        if isinstance(resource, dict) and resource.get("name") == "source-locations":
            try:
                with (folder / str(resource.get("path", ""))).open(encoding="utf-8") as handle:
                    return {
                        int(r["source_line"]): r["location"]
                        for r in csv.DictReader(handle)
                        if (r.get("source_line") or "").isdigit() and r.get("location")
                    }
            except (OSError, UnicodeDecodeError, csv.Error):
                return {}  # frictionless names the missing or unreadable file
    return {}


def _collect(
    package: LoadedPackage, edition: Edition, table_id: str, rows: list[dict[str, str]]
) -> None:
    columns = [c.id for c in edition.tables[table_id].columns]
    for record in rows:
        row = record.get("row") or ""
        line = record.get("source_line") or ""
        if line.isdigit():
            package.source_lines[(table_id, row)] = int(line)
        for column in columns:
            text = (record.get(column) or "").strip()
            value = parse_amount(text)
            if value is not None:
                package.values[(table_id, row, column)] = value
            elif text:
                package.not_amounts.append((table_id, row, column, text))


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
