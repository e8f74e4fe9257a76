"""Frictionless Table Schemas and JSON Schemas, generated from the table definitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from juesuan.paths import SCHEMAS
from juesuan.taxonomy import Edition, Table, editions
from juesuan.taxonomy.codes import KINDS, TITLES
from juesuan.taxonomy.package_meta import descriptor_schema
from juesuan.text import json_text

GENERATED = SCHEMAS / "generated"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_CODE_PATTERN = r"^\d{3}(\d{2}){0,2}$"


def has_codes(table: Table) -> bool:
    """Whether rows of ``table`` carry classification codes."""
    return table.codelist is not None or any(row.code for row in table.rows)


def codelist_of(table: Table) -> str:
    """The code list a table's codes come from."""
    return table.codelist or "function"


def _column_description(table: Table, column_id: str) -> str:
    column = table.column(column_id)
    parts = [p for p in (column.group, column.label) if p]
    number = f"（栏次 {column.number}）" if column.number else ""
    return f"{' / '.join(parts)}{number}，单位：{table.unit}；空白表示未填报，0.00 表示填报为零"


def table_schema(table: Table) -> dict[str, Any]:
    """The Frictionless Table Schema of ``table``'s CSV."""
    fields: list[dict[str, Any]] = [
        {
            "name": "row",
            "type": "string",
            "title": "行",
            "description": "行标识：分类科目编码，合计行为 total，其他为模板行的固定标识",
            "constraints": {"required": True},
        }
    ]
    if has_codes(table):
        fields.append(
            {
                "name": "code",
                "type": "string",
                "title": "科目编码",
                "description": f"{TITLES[codelist_of(table)]}编码；非科目行为空",
                "constraints": {"pattern": _CODE_PATTERN},
            }
        )
    fields.append(
        {"name": "label", "type": "string", "title": "项目", "description": "行的名称，按原文照录"}
    )
    if table.sides:
        fields.append(
            {
                "name": "side",
                "type": "string",
                "title": "收支",
                "description": "收入方或支出方",
                "constraints": {"enum": [side.id for side in table.sides]},
            }
        )
    if table.has_lines:
        fields.append(
            {"name": "line", "type": "integer", "title": "行次", "description": "原表行次"}
        )
    for column in table.columns:
        fields.append(
            {
                "name": column.id,
                "type": "number",
                "title": column.label,
                "description": _column_description(table, column.id),
                "bareNumber": True,
            }
        )
    fields.append(
        {
            "name": "source_line",
            "type": "integer",
            "title": "原文行号",
            "description": "该行在来源文件中的行号（手工录入时为空）",
        }
    )
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": ["row"]}
    if has_codes(table):
        schema["foreignKeys"] = [
            {
                "fields": ["code"],
                "reference": {"resource": f"codelist-{codelist_of(table)}", "fields": ["code"]},
            }
        ]
    return schema


def json_schema(edition: Edition, table: Table) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for ``table``'s rows as a JSON array."""
    properties: dict[str, Any] = {}
    row_ids = [row.id for row in table.rows]
    if table.layout == "classified":
        properties["row"] = {"type": "string", "pattern": r"^(total|\d{3}(\d{2}){0,2})$"}
    elif table.layout == "economic":
        # The template's rows, or another code of the year's economic list.
        properties["row"] = {"anyOf": [{"enum": row_ids}, {"pattern": r"^\d{3}(\d{2})?$"}]}
    else:
        properties["row"] = {"type": "string", "enum": row_ids}
    if has_codes(table):
        properties["code"] = {"type": ["string", "null"], "pattern": _CODE_PATTERN}
    properties["label"] = {"type": ["string", "null"]}  # null: a template line without label
    if table.sides:
        properties["side"] = {"enum": [side.id for side in table.sides]}
    if table.has_lines:
        properties["line"] = {"type": ["integer", "null"], "minimum": 1}  # null: no 行次 printed
    for column in table.columns:
        properties[column.id] = {
            "type": ["number", "null"],
            "description": _column_description(table, column.id),
        }
    properties["source_line"] = {"type": ["integer", "null"], "minimum": 1}
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"juesuan/{edition.id}/{table.id}.schema.json",
        "title": f"{table.number} {table.title}（{edition.id} 版）",
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": ["row", "label"],
            "additionalProperties": False,
        },
    }


def codelist_table_schema(kind: str) -> dict[str, Any]:
    """The Table Schema of a package's code list resource."""
    return {
        "fields": [
            {
                "name": "code",
                "type": "string",
                "title": "科目编码",
                "constraints": {"required": True, "pattern": _CODE_PATTERN},
            },
            {
                "name": "name",
                "type": "string",
                "title": "科目名称",
                "constraints": {"required": True},
            },
            {
                "name": "level",
                "type": "string",
                "title": "级次",
                "constraints": {"enum": ["类", "款", "项"]},
            },
        ],
        "primaryKey": ["code"],
        "missingValues": [""],
        "description": f"{TITLES[kind]}（本年度有效的条目）",
    }


def codelist_json_schema(kind: str) -> dict[str, Any]:
    """A JSON Schema for a code list as a JSON array."""
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"juesuan/codelist-{kind}.schema.json",
        "title": TITLES[kind],
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "pattern": _CODE_PATTERN},
                "name": {"type": "string", "minLength": 1},
                "level": {"enum": ["类", "款", "项"]},
                "first_year": {"type": ["integer", "null"]},
                "last_year": {"type": ["integer", "null"]},
                "source": {"type": "string"},
            },
            "required": ["code", "name", "level"],
            "additionalProperties": False,
        },
    }


def generated_files() -> dict[Path, str]:
    """Every generated schema file, by path, with its content."""
    files: dict[Path, str] = {}
    for edition in editions().values():
        for table in edition.tables.values():
            base = GENERATED / edition.id / table.id
            files[base.with_suffix(".tableschema.json")] = dump(table_schema(table))
            files[base.with_suffix(".schema.json")] = dump(json_schema(edition, table))
    for kind in KINDS:
        files[GENERATED / f"codelist-{kind}.tableschema.json"] = dump(codelist_table_schema(kind))
        files[GENERATED / f"codelist-{kind}.schema.json"] = dump(codelist_json_schema(kind))
    files[GENERATED / "package-metadata.schema.json"] = dump(descriptor_schema())
    return files


def write_generated() -> list[Path]:
    """Write every generated schema; return the files that changed."""
    changed = []
    for path, content in generated_files().items():
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            changed.append(path)
    return changed


def dump(data: Any, where: str = "JSON") -> str:
    """JSON as committed: UTF-8, indented, stable; NaN and Infinity refused, naming ``where``."""
    return json_text(data, where=where, indent=2) + "\n"
