"""Every code a table uses must exist, with the same name, in its year's list."""

from __future__ import annotations

import re

from juesuan.paths import shown
from juesuan.taxonomy.codes import TITLES, codelist, valid_codes
from juesuan.taxonomy.schemas import codelist_of, has_codes
from juesuan.text import normalise
from juesuan.validation.findings import Finding
from juesuan.validation.loaded import LoadedPackage

_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


def _comparable(name: str) -> str:
    return _ORDINAL.sub("", normalise(name))


def check_codes(package: LoadedPackage) -> list[Finding]:
    """Unknown and renamed codes, each naming both spellings."""
    findings = []
    for table_id, loaded in package.tables.items():
        table = package.edition.tables[table_id]
        if not has_codes(table):
            continue
        kind = codelist_of(table)
        valid = valid_codes(kind, package.year)
        for record in loaded.rows:
            code = (record.get("code") or "").strip()
            if not code:
                continue
            label = record.get("label") or ""
            row = record.get("row") or code
            entry = valid.get(code)
            if entry is not None and (not label or _comparable(label) == _comparable(entry.name)):
                continue
            file, line = package.locate(table_id, row)
            if entry is None:
                other = [c for c in codelist(kind) if c.code == code]
                known = (
                    "; ".join(f"{c.name} ({_years(c.first_year, c.last_year)})" for c in other)
                    or "nowhere"
                )
                known_zh = (
                    "其他年度为："
                    + "；".join(f"{c.name}（{_years(c.first_year, c.last_year)}）" for c in other)
                    if other
                    else "其他年度的科目表也没有这个编码"
                )
                findings.append(
                    Finding(
                        "code/unknown",
                        "error",
                        f"{table_id} row {row}: code {code} {label} is not in the {kind} list "
                        f"for {package.year} (known as: {known}); if the document prints it so, "
                        f"add it with: juesuan codes learn {shown(package.folder)}",
                        f"{package.cell_name(table_id, row)}：科目编码 {code} 不在 "
                        f"{package.year} 年{TITLES[kind]}中（{known_zh}）；如原文确系如此，"
                        f"运行 juesuan codes learn {shown(package.folder)} 补录",
                        table=table_id,
                        row=row,
                        column="code",
                        found=f"{code} {label}",
                        file=file,
                        line=line,
                    )
                )
            elif label and _comparable(label) != _comparable(entry.name):
                findings.append(
                    Finding(
                        "code/name",
                        "error",
                        f"{table_id} row {row}: code {code} is printed as {label!r}, but the "
                        f"{package.year} {kind} list names it {entry.name!r}",
                        f"{package.cell_name(table_id, row)}：科目编码 {code} 原文名称为"
                        f"“{label}”，{package.year} 年{TITLES[kind]}中为“{entry.name}”",
                        table=table_id,
                        row=row,
                        column="label",
                        expected=entry.name,
                        found=label,
                        file=file,
                        line=line,
                    )
                )
    return findings


def _years(first: int | None, last: int | None) -> str:
    return f"{first or '…'}–{last or '…'}"
