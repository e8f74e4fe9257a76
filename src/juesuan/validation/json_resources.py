"""Each table's JSON resource: valid against its generated JSON Schema, and what its CSV says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from juesuan.package.read import json_records
from juesuan.taxonomy import Edition
from juesuan.taxonomy.schemas import json_schema
from juesuan.validation.findings import Finding
from juesuan.validation.loaded import LoadedPackage, LoadedTable
from juesuan.validation.quick_schema import Predicate, compile_schema

_SHOWN = 5
"""Schema errors reported per file: the first few say what is wrong."""


def check_json(package: LoadedPackage) -> list[Finding]:
    """Errors for a table JSON that breaks its schema or says other than its CSV."""
    findings = []
    for table in package.tables.values():
        json_path = (table.resource.get("juesuan") or {}).get("json")
        if not json_path:
            continue
        path = package.folder / json_path
        try:
            # The C parser is fast where the indenting encoder is not.
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if data is not None and table.id in package.edition.tables:
            findings += _schema_errors(package.edition, table.id, data, path)
        if data is None or data != _expected(table):
            findings.append(_stale(package.folder, table, path))
    return findings


def _expected(table: LoadedTable) -> Any:
    schema = table.resource.get("schema") or {}
    if "fields" not in schema:
        return None
    rows = [[record.get(f["name"]) or "" for f in schema["fields"]] for record in table.rows]
    try:
        return json_records(schema, rows)
    except (ValueError, TypeError):
        return None  # a value of the wrong type: frictionless reports it in the CSV


_VALIDATORS: dict[tuple[str, str], tuple[Draft202012Validator, Predicate | None]] = {}


def _validator(edition: Edition, table_id: str) -> tuple[Draft202012Validator, Predicate | None]:
    """The table's validator and quick predicate, made once per edition (and overlay) and table."""
    key = (edition.key, table_id)
    if key not in _VALIDATORS:
        schema = json_schema(edition, edition.tables[table_id])
        _VALIDATORS[key] = (Draft202012Validator(schema), compile_schema(schema))
    return _VALIDATORS[key]


def _schema_errors(edition: Edition, table_id: str, data: Any, path: Path) -> list[Finding]:
    validator, valid = _validator(edition, table_id)
    if valid is not None and valid(data):
        return []  # jsonschema would find nothing; it is asked only to word what is wrong
    errors = sorted(validator.iter_errors(data), key=lambda e: e.json_path)
    return [
        Finding(
            "package/json-schema",
            "error",
            f"{path.name} {error.json_path}: {error.message[:200]}",
            f"{path.name} {error.json_path}：{error.message[:200]}",
            table=table_id,
            file=str(path),
        )
        for error in errors[:_SHOWN]
    ]


def _stale(folder: Path, table: LoadedTable, path: Path) -> Finding:
    return Finding(
        "package/json-stale",
        "error",
        f"{path.name} does not say what its CSV says: run juesuan sync {folder}",
        f"{path.name} 与对应的 CSV 不一致：请运行 juesuan sync {folder}",
        table=table.id,
        file=str(path),
    )
