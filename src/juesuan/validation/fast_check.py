"""frictionless's findings from one pass over each CSV, the schemas compiled once.

frictionless spends its time on machinery around each row (a dialect sniffed per
file, a descriptor judged against its profiles, objects per row and cell). This
pass keeps its semantics and drops the machinery: the cell readers are
frictionless's own fields (so a type or a constraint means what it means there),
compiled once per distinct Table Schema; the dialect is sniffed as frictionless
sniffs it; headers, blank rows, unique and primary keys, foreign keys and the
error limit follow its table validation step by step, and each error is
frictionless's own error object, so the finding (type, row, field, cell,
message) is the one ``check_frictionless`` gives.

What this pass does not model (another dialect or encoding, a header that is
not the first row, a descriptor frictionless would fault, hashes, inline data,
a foreign key to a resource that does not exist, an undecodable file) returns
None from :func:`fast_findings`, and :func:`check_fast` asks frictionless.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from juesuan.validation.fast_descriptor import DescriptorError, accepted, read_descriptor
from juesuan.validation.findings import Finding
from juesuan.validation.frictionless_check import (
    check_frictionless,
    finding_of,
    package_error,
)
from juesuan.validation.sniff import sniff

LIMIT_ERRORS = 1000
"""frictionless's default error limit per resource."""

_SAMPLE = 100
"""Lines frictionless sniffs the dialect from, and rows it infers the header from."""

_RESOURCE_KEYS = frozenset(
    {
        "name",
        "path",
        "profile",
        "format",
        "mediatype",
        "encoding",
        "title",
        "description",
        "schema",
        "juesuan",
    }
)
_SCHEMA_KEYS = frozenset(
    {"fields", "primaryKey", "foreignKeys", "missingValues", "title", "description"}
)
_FABRICATED_MISSING = frozenset({""})
"""Missing values of a field frictionless makes up for a label the schema lacks."""

_PROFILES = (None, "tabular-data-resource", "data-resource")


class _NotModelled(Exception):
    """Something this pass does not model: frictionless checks the package."""


def check_fast(folder: Path) -> list[Finding]:
    """Frictionless's findings on the package in ``folder``, from this pass when it can."""
    try:
        findings = fast_findings(folder)
    except Exception:  # whatever this pass did not foresee, frictionless answers
        findings = None
    return check_frictionless(folder) if findings is None else findings


def fast_findings(folder: Path) -> list[Finding] | None:
    """The findings frictionless gives, or None where this pass does not model the package."""
    path = folder / "datapackage.json"
    try:
        descriptor = read_descriptor(path)
    except DescriptorError as error:
        return [package_error(path, error.message)]
    try:
        return _check(folder, descriptor)
    except _NotModelled:
        return None


@dataclass
class _Compiled:
    """A Table Schema as frictionless reads it: fields, cell readers, keys."""

    schema: Any
    names: list[str]
    readers: list[Any]
    primary_key: list[str]
    foreign_keys: list[dict[str, Any]]
    missing: dict[str, frozenset[str]]
    """The cells frictionless reads as missing, by field."""


@dataclass
class _Table:
    """One tabular resource read: its open error, or its start errors and rows."""

    name: str
    place: str
    compiled: _Compiled
    open_error: Any = None
    start_errors: list[Any] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)
    """The rows after the header, as parsed."""
    columns: dict[str, list[Any]] = field(default_factory=dict)
    """Each expected field's values, row by row (None: missing or faulty)."""
    row_errors: dict[int, list[Any]] = field(default_factory=dict)
    """Errors of the rows that have any, by index into ``cells``."""
    expected: set[str] = field(default_factory=set)


def _check(folder: Path, descriptor: dict[str, Any]) -> list[Finding]:
    resources = descriptor.get("resources")
    if "$schema" in descriptor or not isinstance(resources, list) or not resources:
        raise _NotModelled
    if not all(isinstance(r, dict) for r in resources) or not accepted(descriptor):
        raise _NotModelled
    # frictionless's own base path, so that its messages name files as it does
    basepath = os.path.dirname(str(folder / "datapackage.json"))  # noqa: PTH120
    names = [r.get("name") for r in resources]
    tables: dict[str, _Table] = {}
    files: dict[str, Any] = {}
    for resource in resources:
        kind = _kind(resource)
        if kind == "table":
            tables[resource["name"]] = _read_table(resource, basepath)
        else:
            files[resource["name"]] = _open_error(resource, basepath)
    findings: list[Finding] = []
    for resource in resources:
        name = resource["name"]
        if name in files:
            errors = [files[name]] if files[name] is not None else []
        else:
            errors = _table_errors(tables[name], tables, names)
        findings += [finding_of(folder, name, resource["path"], e) for e in errors]
    return findings


def _kind(resource: dict[str, Any]) -> str:
    if set(resource) - _RESOURCE_KEYS or not isinstance(resource.get("path"), str):
        raise _NotModelled
    if resource.get("profile") not in _PROFILES:
        raise _NotModelled
    encoding = resource.get("encoding")
    if not isinstance(encoding, str) or _codec(encoding) != "utf-8":
        raise _NotModelled
    schema = resource.get("schema")
    if resource.get("format") == "csv" and isinstance(schema, dict):
        if set(schema) - _SCHEMA_KEYS:
            raise _NotModelled
        return "table"
    if resource.get("format") == "md" and schema is None:
        return "file"
    raise _NotModelled


def _codec(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _normpath(resource: dict[str, Any], basepath: str) -> str:
    from frictionless import helpers

    return str(helpers.normalize_path(resource["path"], basepath=basepath))


def _open_error(resource: dict[str, Any], basepath: str) -> Any:
    """Frictionless's scheme-error for a file it cannot open; None when it opens."""
    from frictionless import errors

    try:
        # the path as frictionless spells it: a Path would tidy it, and the message with it
        with open(_normpath(resource, basepath), "rb"):  # noqa: PTH123
            return None
    except OSError as exception:
        return errors.SchemeError(note=str(exception))


def _read_table(resource: dict[str, Any], basepath: str) -> _Table:
    compiled = _compile(json.dumps(resource["schema"], sort_keys=True, ensure_ascii=False))
    table = _Table(resource["name"], resource["path"], compiled)
    try:
        with open(_normpath(resource, basepath), "rb") as handle:  # noqa: PTH123
            data = handle.read()
    except OSError as exception:
        from frictionless import errors

        table.open_error = errors.SchemeError(note=str(exception))
        return table
    try:
        text = data.decode("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8")
        rows = _parse(text)
    except (UnicodeDecodeError, csv.Error):
        raise _NotModelled from None
    _read_rows(table, rows)
    return table


def _parse(text: str) -> list[list[str]]:
    """The rows frictionless's CSV parser gives: the dialect sniffed from the first lines."""
    lines = io.StringIO(text, newline="")
    sample = []
    for line in lines:
        sample.append(line)
        if len(sample) >= _SAMPLE:
            break
    try:
        sniffed: Any = sniff("".join(sample))
    except csv.Error:
        sniffed = csv.excel()
    dialect = csv.excel()
    dialect.delimiter = sniffed.delimiter
    dialect.escapechar = sniffed.escapechar
    dialect.quotechar = '"' if sniffed.quotechar == "'" else sniffed.quotechar
    dialect.doublequote = True
    dialect.skipinitialspace = sniffed.skipinitialspace
    dialect.quoting = csv.QUOTE_MINIMAL
    return list(csv.reader(io.StringIO(text, newline=""), dialect=dialect))


def _header_row(rows: list[list[str]]) -> int:
    """The header row frictionless infers: the first near the sample's average width."""
    widths = [len(cells) for cells in rows[:_SAMPLE]]
    if not widths:
        return 1
    width = round(sum(widths) / len(widths))
    drift = max(round(width * 0.1), 1)
    for number, size in enumerate(widths, start=1):
        if width - drift <= size <= width + drift:
            return number
    return 1


def _read_rows(table: _Table, rows: list[list[str]]) -> None:
    from frictionless import errors

    if _header_row(rows) != 1:
        raise _NotModelled
    labels = ["" if cell is None else str(cell).strip() for cell in rows[0]] if rows else []
    if not labels:
        if len(rows) > 1:
            raise _NotModelled
        table.start_errors.append(errors.SourceError(note="the source is empty"))
        return
    compiled = table.compiled
    if labels == compiled.names:
        names, readers = compiled.names, compiled.readers
    else:
        from frictionless.table.header import Header

        header = Header(labels, fields=compiled.schema.fields, row_numbers=[1], ignore_case=False)
        table.start_errors += header.errors
        expected = header.get_expected_fields()
        names = [f.name for f in expected]
        readers = [f.create_cell_reader() for f in expected]
    table.expected = set(names)
    _type_rows(table, rows, names, readers)


def _read_column(reader: Any, cells: list[Any]) -> list[tuple[Any, Any]]:
    """Each cell read, a text read once per column: a reader depends on the text alone."""
    read: dict[Any, tuple[Any, Any]] = {}
    results = []
    for cell in cells:
        result = read.get(cell)
        if result is None:
            result = read[cell] = reader(cell)
        results.append(result)
    return results


def _type_rows(table: _Table, rows: list[list[str]], names: list[str], readers: list[Any]) -> None:
    """Each row's values and its own errors, as frictionless's Row gives them.

    Column by column (the readers are frictionless's; a reader returns notes only
    for a cell it faults), then row by row for what spans a row: extra and
    missing cells, a blank row, unique fields, the primary key.
    """
    from frictionless import errors

    body = rows[1:]
    table.cells = body
    count = len(readers)
    padded = [r if len(r) >= count else [*r, *([None] * (count - len(r)))] for r in body]
    faults: dict[int, list[Any]] = {}
    for index, reader in enumerate(readers):
        results = _read_column(reader, [r[index] for r in padded])
        table.columns[names[index]] = [value for value, _ in results]
        for i in [i for i, (_, notes) in enumerate(results) if notes]:
            faults.setdefault(i, []).append((index, results[i][1], padded[i][index]))
    missing = [table.compiled.missing.get(name, _FABRICATED_MISSING) for name in names]
    unique = [
        f.name
        for f in table.compiled.schema.fields
        if f.constraints.get("unique") and f.name in table.expected
    ]
    pk = table.compiled.primary_key
    keys: list[tuple[Any, ...]] = []
    if pk and set(pk) <= table.expected:
        keys = list(zip(*(table.columns[name] for name in pk), strict=True))
    seen_unique: dict[str, dict[Any, int]] = {name: {} for name in unique}
    seen_pk: dict[tuple[Any, ...], int] = {}
    for i, cells in enumerate(body):
        number = i + 2
        size = len(cells)
        found: list[Any] = []
        if i in faults or size != count:
            found = _cell_errors(faults.get(i, ()), cells, number, names, count)
        if all(c is None or str(c) in m for c, m in zip(padded[i], missing, strict=False)):
            found = [errors.BlankRowError(note="", cells=list(cells), row_number=number)]
        for name in unique:
            value = table.columns[name][i]
            if value is not None:
                match = seen_unique[name].get(value)
                seen_unique[name][value] = number
                if match:
                    found.append(
                        errors.UniqueError(
                            note=f"the same as in the row at position {match}",
                            cells=list(cells),
                            row_number=number,
                            cell=str(value),
                            field_name=name,
                            field_number=names.index(name) + 1,
                        )
                    )
        if keys:
            key = keys[i]
            note = None
            if set(key) == {None}:
                note = 'cells composing the primary keys are all "None"'
            else:
                match = seen_pk.get(key)
                seen_pk[key] = number
                if match:
                    note = f"the same as in the row at position {match}"
            if note is not None:
                found.append(
                    errors.PrimaryKeyError(note=note, cells=list(cells), row_number=number)
                )
        if found:
            table.row_errors[i] = found


def _cell_errors(
    faults: Any, cells: list[str], number: int, names: list[str], count: int
) -> list[Any]:
    """Type and constraint errors by field, then extra and missing cells, as Row makes them."""
    from frictionless import errors

    found: list[Any] = []
    for index, notes, source in faults:
        notes = dict(notes)
        type_note = notes.pop("type", None)
        where = {
            "cells": list(cells),
            "row_number": number,
            "cell": str(source),
            "field_name": names[index],
            "field_number": index + 1,
        }
        if type_note:
            found.append(errors.TypeError(note=type_note, **where))
        for note in notes.values():
            found.append(errors.ConstraintError(note=note, **where))
    for extra in range(count, len(cells)):
        found.append(
            errors.ExtraCellError(
                note="",
                cells=list(cells),
                row_number=number,
                cell=str(cells[extra]),
                field_name="",
                field_number=extra + 1,
            )
        )
    for absent in range(len(cells), count):
        found.append(
            errors.MissingCellError(
                note="",
                cells=list(cells),
                row_number=number,
                cell="",
                field_name=names[absent],
                field_number=absent + 1,
            )
        )
    return found


def _table_errors(table: _Table, tables: dict[str, _Table], names: list[Any]) -> list[Any]:
    """The errors of frictionless's task for ``table``, foreign keys and the limit included."""
    from frictionless import errors

    if table.open_error is not None:
        return [table.open_error]
    broken: dict[int, list[Any]] = {}
    for fk in table.compiled.foreign_keys:
        source = fk["reference"]["resource"] or table.name
        target = tables.get(source) if source in names else None
        if target is None:
            raise _NotModelled
        if target.open_error is not None:
            return [target.open_error]
    for fk in table.compiled.foreign_keys:
        target = tables[fk["reference"]["resource"] or table.name]
        target_key = list(fk["fields"])
        if not set(target_key) <= table.expected:
            continue
        source_name = fk["reference"]["resource"]
        source_key = list(fk["reference"]["fields"])
        lookup = set(_tuples(target, source_key))
        lookup.discard((None,) * len(source_key))
        for i, cells in enumerate(_tuples(table, target_key)):
            if cells in lookup or set(cells) == {None}:
                continue
            note = 'for "{}": values "{}" not found in the lookup table "{}" as "{}"'.format(
                ", ".join(target_key),
                ", ".join(str(d) for d in cells),
                source_name,
                ", ".join(source_key),
            )
            broken.setdefault(i, []).append(
                errors.ForeignKeyError(
                    note=note,
                    cells=list(table.cells[i]),
                    row_number=i + 2,
                    field_names=target_key,
                    field_cells=["" if v is None else str(v) for v in cells],
                    reference_name=source_name,
                    reference_field_names=source_key,
                )
            )
    found = list(table.start_errors)
    for i in sorted(set(table.row_errors) | set(broken)):
        found += table.row_errors.get(i, [])
        found += broken.get(i, [])
        if len(found) >= LIMIT_ERRORS:
            return found[:LIMIT_ERRORS]
    return found


def _tuples(table: _Table, fields: list[str]) -> list[tuple[Any, ...]]:
    """Each row's values of ``fields`` (None for a field the header does not have)."""
    blank = [None] * len(table.cells)
    return list(zip(*(table.columns.get(name, blank) for name in fields), strict=True))


@lru_cache(maxsize=256)
def _compile(schema_text: str) -> _Compiled:
    from frictionless import Schema

    schema = Schema.from_descriptor(json.loads(schema_text))
    return _Compiled(
        schema,
        [f.name for f in schema.fields],
        [f.create_cell_reader() for f in schema.fields],
        list(schema.primary_key),
        [dict(fk) for fk in schema.foreign_keys],
        {
            f.name: frozenset(
                f.missing_values if f.has_defined("missing_values") else schema.missing_values
            )
            for f in schema.fields
        },
    )
