"""Every table of the edition is in the package, or the package says it was not printed.

A table printed with no data (juesuan.empty) is in the package, with no rows:
its amounts count as zero where a rule reads them, as blank cells do.
"""

from __future__ import annotations

from juesuan.validation.findings import Finding
from juesuan.validation.loaded import LoadedPackage


def check_tables(package: LoadedPackage) -> list[Finding]:
    """A warning per table the document did not print; an error per table just gone."""
    listed = (package.descriptor.get("juesuan") or {}).get("tables_not_printed")
    not_printed = (
        {entry.get("table") for entry in listed or () if isinstance(entry, dict)}
        if isinstance(listed, list)
        else set()
    )
    file = str(package.folder / "datapackage.json")
    findings = _empty_with_rows(package)
    for table_id in package.edition.table_order:
        if table_id in package.tables:
            continue
        table = package.edition.tables[table_id]
        name = f"{table.number} {table.title}"
        if table_id in not_printed:
            findings.append(
                Finding(
                    "table/not-printed",
                    "warning",
                    f"{name} is not printed in the document, and no note says it is empty; "
                    "the rules that read it are not checked",
                    f"原文未印 {name}，也未说明该表无数据；涉及该表的校验规则未能执行",
                    table=table_id,
                    file=file,
                )
            )
        else:
            findings.append(
                Finding(
                    "table/missing",
                    "error",
                    f"the package has no resource for {name} and does not list it as not printed",
                    f"数据包缺少 {name}，也未注明原文未印",
                    table=table_id,
                    file=file,
                )
            )
    return findings


def _empty_with_rows(package: LoadedPackage) -> list[Finding]:
    findings = []
    for table_id, loaded in package.tables.items():
        meta = loaded.resource.get("juesuan")
        empty = meta.get("empty") if isinstance(meta, dict) else None
        if not isinstance(empty, dict) or not loaded.rows:
            continue
        name = package.cell_name(table_id)
        note = str(empty.get("note") or "")
        findings.append(
            Finding(
                "table/empty-with-rows",
                "error",
                f"{name} is marked as printed with no data ({note}) but holds "
                f"{len(loaded.rows)} rows",
                f"{name} 注明“{note}”，却有 {len(loaded.rows)} 行数据",
                table=table_id,
                file=str(loaded.file),
            )
        )
    return findings
