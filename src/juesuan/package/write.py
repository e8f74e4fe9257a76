"""Write a disclosure as a Frictionless data package, all or nothing.

The writing half of :mod:`juesuan.package`; :mod:`juesuan.package.read` reads what
it writes. Only this module takes the in-memory disclosure ingest gives.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juesuan import __version__, folders
from juesuan.ingest.glossary import Entry
from juesuan.ingest.narrative import paragraphs, to_markdown
from juesuan.ingest.outline import Part
from juesuan.ingest.pipeline import Disclosure, TableData
from juesuan.ingest.source import Document
from juesuan.package.read import json_records
from juesuan.taxonomy import Edition, Table
from juesuan.taxonomy.codes import KINDS, TITLES, level_of, parent_of, valid_codes
from juesuan.taxonomy.schemas import (
    codelist_of,
    codelist_table_schema,
    dump,
    has_codes,
    table_schema,
)

LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0（结构化整理部分；原文为依法公开的政府信息）",
}
PART_FILES = {
    "overview": "概况",
    "tables": "部门决算表",
    "explanation": "部门决算情况说明",
    "key_work": "重点工作完成情况",
    "glossary": "名词解释",
    "appendix": "附件",
}


def package_dir(root: Path, disclosure: Disclosure) -> Path:
    """datapackage/<unit slug>/<year>/."""
    return root / disclosure.slug / str(disclosure.year)


@dataclass(frozen=True)
class TableContent:
    """What a table resource is written from: an ingested table or a blank template."""

    table: Table
    title: str
    """The title as printed (with its year)."""
    number: str | None
    """The number as printed (公开01表, 表1); None when the document prints none."""
    records: list[dict[str, Any]]
    """One per row: row, code, label, side, line, source_line and column id → amount."""
    columns: tuple[str, ...]
    """The columns the document prints, in the order it prints them."""
    title_line: int | None = None
    """The source line of the title; None when there is no source (typed by hand)."""
    empty: tuple[int, str] | None = None
    """For a table printed with no rows: the note saying so, with its source line."""
    printed_unit: str | None = None
    """The unit the document printed the amounts in, when not 万元 (they are written in 万元)."""


def write_package(
    disclosure: Disclosure, target: Path, said: Callable[[str], None] | None = None
) -> Path:
    """Write the package into ``target``, replacing what was there only on success."""
    return write_atomically(target, lambda staging: _write(disclosure, staging), said)


def write_atomically(
    target: Path, fill: Callable[[Path], None], said: Callable[[str], None] | None = None
) -> Path:
    """Have ``fill`` write a package into a staging folder, then put it at ``target``.

    What was at ``target`` is replaced only once ``fill`` has succeeded, so a
    failure leaves it as it was and nothing half-written behind. A write killed
    earlier is mended first (see :func:`juesuan.folders.recover`); ``said`` hears
    what was mended. Writers of one unit take turns (a lock on the unit's folder).
    """
    return folders.replace(target, fill, said, what="write")


def write_resources(
    folder: Path,
    year: int,
    tables: Iterable[TableContent],
    glossary: Sequence[Entry] = (),
    notes: Sequence[tuple[str, int, str]] = (),
    parts: Sequence[Part] = (),
    whole_lists: bool = False,
    document: Document | None = None,
) -> list[dict[str, Any]]:
    """Write every resource but the source into ``folder``; their descriptors, in order.

    ``notes`` are (table id, source line, text). Ingest and ``juesuan template``
    both write through here, so a typed package has the same files and schemas.
    A package carries the code-list entries its tables use; ``whole_lists`` gives
    a blank package, whose codes are still to be typed, the year's whole lists.
    ``document`` gives the grids, so a table inside a chapter stays a table.
    """
    tables = list(tables)
    resources = [_write_table(folder, content) for content in tables]
    for kind in KINDS:
        used = _printed_codes(tables, kind)
        resources.append(_write_codelist(folder, kind, year, used, whole_lists))
    resources.append(_write_glossary(folder, glossary))
    resources.append(_write_notes(folder, notes))
    resources += _write_parts(folder, parts, document)
    return resources


def _write(disclosure: Disclosure, folder: Path) -> None:
    resources = write_resources(
        folder,
        disclosure.year,
        [_table_content(table) for table in disclosure.tables],
        disclosure.glossary,
        [(t.span.table.id, line, text) for t in disclosure.tables for line, text in t.notes],
        disclosure.parts,
        document=disclosure.document,
    )
    if disclosure.document.locations is not None:
        resources.append(_write_locations(folder, disclosure))
    source = disclosure.document.path
    source_path = f"source/{source.name}"
    (folder / "source").mkdir()
    shutil.copyfile(source, folder / source_path)
    if disclosure.given_file is not None:
        # Kept with the package, so that ingesting again decides the same way.
        shutil.copyfile(disclosure.given_file, folder / disclosure.given_file.name)
    if disclosure.ocr_file is not None:
        shutil.copyfile(disclosure.ocr_file, folder / disclosure.ocr_file.name)
    descriptor = {
        "name": f"{disclosure.slug}-{disclosure.year}",
        "title": f"{disclosure.unit}{disclosure.year}年度部门决算",
        "description": (
            f"{disclosure.unit}{disclosure.year}年度部门决算公开表、情况说明和"
            "名词解释，由 juesuan 从原文转换。金额单位：万元。"
        ),
        "keywords": ["部门决算", "决算公开", str(disclosure.year), disclosure.region],
        "licenses": [LICENSE],
        "sources": [
            {
                "title": f"{disclosure.unit}{disclosure.year}年度部门决算（原文）",
                "path": source_path,
            },
            *_published_at(disclosure),
        ],
        "juesuan": {
            "unit": disclosure.unit,
            "region": disclosure.region,
            # region_code, parent, source_url: from the unit's unit.json, when it has one.
            **disclosure.unit_meta,
            "year": disclosure.year,
            "edition": disclosure.outline.edition.id,
            **_overlay(disclosure.outline.edition),
            **({"edition_note": disclosure.edition_note} if disclosure.edition_note else {}),
            **_not_printed(disclosure),
            "source": {
                "path": source_path,
                "sha256": disclosure.document.sha256,
                "encoding": disclosure.document.encoding,
                "layout": disclosure.layout,
            },
            "hand_edited": False,
            "generator": f"juesuan {__version__}",
            "inferred_placements": [
                {
                    "table": i.table,
                    "row": i.row,
                    "source_line": i.source_line,
                    "columns": list(i.columns),
                    "candidates": i.candidates,
                    "rules": list(i.rules),
                }
                for i in disclosure.inferences
            ],
            **(
                {"given_placements": [g.model_dump(mode="json") for g in disclosure.given]}
                if disclosure.given
                else {}
            ),
            **_ocr(disclosure),
        },
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(dump(descriptor, "datapackage.json"), encoding="utf-8")


def _ocr(disclosure: Disclosure) -> dict[str, Any]:
    """Which pages OCR read, by what engine, and the amounts it read otherwise."""
    reading = disclosure.document.ocr
    if reading is None:
        return {}
    corrections = [
        {
            "table": c.table,
            "row": c.row,
            "column": c.column,
            "source_line": c.line,
            "read": c.read,
            "corrected": c.corrected,
            "confidence": c.confidence,
            "by": c.by,
            "rules": list(c.rules),
            **({"kind": c.kind} if c.kind != "amount" else {}),
            **({"distance": c.distance} if c.distance is not None else {}),
        }
        for c in disclosure.ocr_corrections
    ]
    return {
        "ocr": {
            "engine": reading.engine,
            "pages": list(reading.pages),
            **({"unmapped_pages": list(reading.unmapped)} if reading.unmapped else {}),
        },
        **({"ocr_corrections": corrections} if corrections else {}),
    }


def _published_at(disclosure: Disclosure) -> list[dict[str, str]]:
    url = disclosure.unit_meta.get("source_url")
    if not url:
        return []
    return [{"title": f"{disclosure.unit}{disclosure.year}年度部门决算（发布页面）", "path": url}]


def _csv(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue()


def _csv_resource(
    folder: Path, path: str, rows: list[list[Any]], **descriptor: Any
) -> dict[str, Any]:
    """Write ``rows`` as a UTF-8 CSV at ``path``; its resource descriptor."""
    _write_text(folder, path, _csv(rows))
    return {
        "name": descriptor.pop("name"),
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        **descriptor,
    }


def _write_text(folder: Path, path: str, content: str) -> None:
    file = folder / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(content, encoding="utf-8")


def _table_content(data: TableData) -> TableContent:
    records = [
        {
            "row": row.id,
            "code": row.code,
            "label": row.label,
            "side": row.side,
            "line": row.line,
            "source_line": row.source_line,
            **row.values,
        }
        for row in data.rows
    ]
    return TableContent(
        data.span.table,
        data.span.title,
        # Only a number the document prints: the page shows what stands on the paper.
        data.span.number,
        records,
        data.columns,
        data.span.title_line,
        data.empty,
        data.unit if data.unit != data.span.table.unit else None,
    )


def _write_table(folder: Path, content: TableContent) -> dict[str, Any]:
    table = content.table
    schema = table_schema(table)
    names = [f["name"] for f in schema["fields"]]
    rows = [names, *([record.get(name) for name in names] for record in content.records)]
    cells = [["" if value is None else str(value) for value in row] for row in rows[1:]]
    json_path = f"data/{table.id}.json"
    _write_text(folder, json_path, dump(json_records(schema, cells), json_path))
    number = content.number
    named = f"{number} {table.title}" if number else table.title
    return _csv_resource(
        folder,
        f"data/{table.id}.csv",
        rows,
        name=table.id.replace("_", "-"),
        title=content.title,
        description=f"{named}。金额单位：{table.unit}"
        + (
            f"（原表以{content.printed_unit}列示，已按原数换算，未作舍入）。"
            if content.printed_unit
            else "。"
        ),
        schema=schema,
        juesuan={
            "table": table.id,
            # No number the document does not print: the key is left out, not null.
            **({"number": number} if number else {}),
            # No title line without a source: the key is left out, not null.
            **({"title_line": content.title_line} if content.title_line is not None else {}),
            "json": f"data/{table.id}.json",
            # Printed in 元 (or 千元…): the amounts are in 万元 all the same, and the
            # print is theirs × 10^n; the key is left out for a table printed in 万元.
            **({"printed_unit": content.printed_unit} if content.printed_unit else {}),
            **(
                {"columns": list(content.columns)}
                if content.columns != tuple(c.id for c in table.columns)
                else {}
            ),
            # Printed with no rows: what the paper says instead, so no reader takes
            # the table for lost.
            **(
                {"empty": {"note": content.empty[1], "source_line": content.empty[0]}}
                if content.empty
                else {}
            ),
        },
    )


def _printed_codes(tables: Sequence[TableContent], kind: str) -> dict[str, str]:
    """Codes the tables print from the ``kind`` list, with the first name printed."""
    printed: dict[str, str] = {}
    for content in tables:
        if not has_codes(content.table) or codelist_of(content.table) != kind:
            continue
        for record in content.records:
            code = record.get("code") or ""
            if code and code not in printed:
                printed[code] = record.get("label") or ""
    return printed


def _write_codelist(
    folder: Path, kind: str, year: int, printed: dict[str, str], whole: bool
) -> dict[str, Any]:
    valid = valid_codes(kind, year)
    # The entries the tables use and their parents, so that a new entry for one
    # unit changes no other unit's package. A code the list does not know yet
    # stays under the name the document prints: validation names it.
    wanted = set(valid) if whole else _with_parents(printed)
    rows = {code: [code, valid[code].name, valid[code].level] for code in wanted if code in valid}
    for code, name in printed.items():
        rows.setdefault(code, [code, name, level_of(code)])
    scope = "在 {year} 年有效的条目" if whole else "中本公开各表所用的条目及其上级科目"
    return _csv_resource(
        folder,
        f"codelists/{kind}.csv",
        [["code", "name", "level"], *(rows[code] for code in sorted(rows))],
        name=f"codelist-{kind}",
        title=f"{TITLES[kind]}（{year}年）",
        description=f"{TITLES[kind]}{scope.format(year=year)}；代码表尚未收录的编码照录原文名称。",
        schema=codelist_table_schema(kind),
    )


def _with_parents(codes: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for code in codes:
        while code and code not in found:
            found.add(code)
            code = parent_of(code)
    return found


def _write_glossary(folder: Path, glossary: Sequence[Entry]) -> dict[str, Any]:
    rows: list[list[Any]] = [["order", "number", "term", "definition", "parent", "source_line"]]
    rows += [[e.order, e.number, e.term, e.definition, e.parent, e.line] for e in glossary]
    return _csv_resource(
        folder,
        "glossary.csv",
        rows,
        name="glossary",
        title="名词解释",
        description="名词解释：每个术语一行，子项以 parent 指向所属术语。",
        schema={
            "fields": [
                {
                    "name": "order",
                    "type": "integer",
                    "title": "顺序",
                    "constraints": {"required": True},
                },
                {
                    "name": "number",
                    "type": "string",
                    "title": "序号",
                    "description": "术语为（一）中的一，子项为 1. 中的 1",
                },
                {"name": "term", "type": "string", "title": "术语"},
                {"name": "definition", "type": "string", "title": "解释"},
                {
                    "name": "parent",
                    "type": "integer",
                    "title": "所属术语",
                    "description": "子项所属术语的 order",
                },
                {"name": "source_line", "type": "integer", "title": "原文行号"},
            ],
            "primaryKey": ["order"],
            "missingValues": [""],
            "foreignKeys": [
                {"fields": ["parent"], "reference": {"resource": "", "fields": ["order"]}}
            ],
        },
    )


def _write_notes(folder: Path, notes: Sequence[tuple[str, int, str]]) -> dict[str, Any]:
    rows: list[list[Any]] = [["table", "source_line", "text"]]
    rows += [list(note) for note in notes]
    return _csv_resource(
        folder,
        "notes.csv",
        rows,
        name="table-notes",
        title="表注",
        description="各表下方的注释、计算关系说明和“本部门无……”等说明，按原文照录。",
        schema={
            "fields": [
                {"name": "table", "type": "string", "title": "表"},
                {"name": "source_line", "type": "integer", "title": "原文行号"},
                {"name": "text", "type": "string", "title": "内容"},
            ],
            "missingValues": [""],
        },
    )


def _write_locations(folder: Path, disclosure: Disclosure) -> dict[str, Any]:
    """Where each line the package refers to stands in a PDF or workbook source.

    ``source_line`` numbers the lines ingest read out of the document; a person
    looks for a page and a line on it, or a sheet and a row.
    """
    lines = {t.span.title_line for t in disclosure.tables}
    lines |= {row.source_line for t in disclosure.tables for row in t.rows}
    lines |= {line for t in disclosure.tables for line, _text in t.notes}
    lines |= {line for part in disclosure.parts for line, _text in paragraphs(part.lines)}
    document = disclosure.document
    rows: list[list[Any]] = [["source_line", "location"]]
    rows += [[n, where] for n in sorted(lines) if (where := document.location(n))]
    return _csv_resource(
        folder,
        "locations.csv",
        rows,
        name="source-locations",
        title="原文位置",
        description="原文为 PDF 或电子表格时，各原文行号在原件中的位置"
        "（页码与页内行，或工作表与行）。",
        schema={
            "fields": [
                {"name": "source_line", "type": "integer", "title": "原文行号"},
                {"name": "location", "type": "string", "title": "原件中的位置"},
            ],
            "primaryKey": ["source_line"],
        },
    )


def _write_parts(
    folder: Path, parts: Sequence[Part], document: Document | None
) -> list[dict[str, Any]]:
    resources = [_write_paragraphs(folder, parts)]
    for part in parts:
        title = (
            part.heading if part.key.startswith("part_") else PART_FILES.get(part.key, part.heading)
        )
        path = f"narrative/{part.key}.md"
        _write_text(folder, path, to_markdown(title, part.lines, document))
        resources.append(
            {
                "name": f"narrative-{part.key.replace('_', '-')}",
                "path": path,
                "title": title,
                "format": "md",
                "mediatype": "text/markdown",
                "encoding": "utf-8",
                "description": f"{title}（按原文整理为 Markdown）",
            }
        )
    return resources


def _write_paragraphs(folder: Path, parts: Sequence[Part]) -> dict[str, Any]:
    rows: list[list[Any]] = [["part", "order", "source_line", "text"]]
    for part in parts:
        for order, (line, text) in enumerate(paragraphs(part.lines), start=1):
            rows.append([part.key, order, line, text])
    return _csv_resource(
        folder,
        "narrative.csv",
        rows,
        name="narrative",
        title="文字部分（逐段）",
        description="概况、情况说明、重点工作完成情况和名词解释的原文，逐段一行，附原文行号。",
        schema={
            "fields": [
                {
                    "name": "part",
                    "type": "string",
                    "title": "部分",
                    "description": "overview 概况、tables 决算表部分的标题、"
                    "explanation 情况说明、key_work 重点工作、glossary 名词解释、appendix 附件",
                },
                {"name": "order", "type": "integer", "title": "段序"},
                {"name": "source_line", "type": "integer", "title": "原文行号"},
                {"name": "text", "type": "string", "title": "内容"},
            ],
            "missingValues": [""],
            "primaryKey": ["part", "order"],
        },
    )


__all__ = [
    "LICENSE",
    "TableContent",
    "has_codes",
    "package_dir",
    "write_atomically",
    "write_package",
    "write_resources",
]


def _overlay(edition: Edition) -> dict[str, str]:
    """The provincial overlay the source is printed in, when not the national form."""
    return {"overlay": edition.overlay.id} if edition.overlay else {}


def _not_printed(disclosure: Disclosure) -> dict[str, list[dict[str, str]]]:
    """The edition's tables the document does not print, when there are any."""
    edition = disclosure.outline.edition
    missing = [
        {"table": t, "number": edition.tables[t].number, "title": edition.tables[t].title}
        for t in disclosure.outline.missing
    ]
    return {"tables_not_printed": missing} if missing else {}
