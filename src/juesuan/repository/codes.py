"""``juesuan codes``: grow the code lists from the disclosures that print new codes.

No complete official 政府收支分类科目 is at hand, so the lists are kept as a
registry is: every entry says where it comes from, an addition arrives with the
document that needs it, and ``juesuan codes check`` keeps the whole consistent.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from juesuan.package.read import read_descriptor, table_rows
from juesuan.taxonomy import edition_for
from juesuan.taxonomy.codes import (
    CODELISTS,
    FIELDS,
    STATUSES,
    TITLES,
    Code,
    codelist,
    level_of,
    parent_of,
    read_codelist,
)
from juesuan.taxonomy.schemas import codelist_of, has_codes


@dataclass(frozen=True)
class Addition:
    """An entry ``learn`` adds, or a printed code it leaves for a person to decide."""

    kind: str
    code: str
    name: str
    year: int
    source: str
    problem: str | None = None
    """Why the code was not added (known under another name, or in other years)."""


def printed_codes(folder: Path) -> tuple[int, list[tuple[str, str, str]]]:
    """The package's year and every (kind, code, printed name) its tables use."""
    descriptor = read_descriptor(folder)
    meta = descriptor.get("juesuan") or {}
    year = int(meta["year"])
    edition = edition_for(str(meta.get("edition")), meta.get("overlay"))
    if edition is None:
        raise ValueError(f"{folder}: unknown edition {meta.get('edition')!r}")
    found: dict[tuple[str, str], str] = {}
    for resource in descriptor["resources"]:
        table_id = (resource.get("juesuan") or {}).get("table")
        table = edition.tables.get(table_id or "")
        if table is None or not has_codes(table):
            continue
        for record in table_rows(folder, resource):
            code = (record.get("code") or "").strip()
            if code:
                found.setdefault((codelist_of(table), code), (record.get("label") or "").strip())
    return year, [(kind, code, name) for (kind, code), name in sorted(found.items())]


def learn(folders: list[Path], registry: Path = CODELISTS) -> list[Addition]:
    """Add every code the packages print and the lists lack, as ``attested`` entries.

    A code the list knows in other years, or under another name, is not added: a
    renaming or a new period is for a person to enter, and is reported instead.
    """
    additions: list[Addition] = []
    for folder in folders:
        year, printed = printed_codes(folder)
        source = f"{folder.resolve().parent.name}/{folder.resolve().name}"
        for kind, code, name in printed:
            entries = [e for e in _entries(registry, kind) if e.code == code]
            if any(e.valid_in(year) for e in entries):
                continue
            if entries:
                known = "; ".join(
                    f"{e.name} ({e.first_year or '…'}–{e.last_year or '…'})" for e in entries
                )
                problem = f"known in other years as {known}: enter its {year} name by hand"
                additions.append(Addition(kind, code, name, year, source, problem))
                continue
            if not level_of(code):
                problem = "not a 3-, 5- or 7-digit code"
                additions.append(Addition(kind, code, name, year, source, problem))
                continue
            additions.append(Addition(kind, code, name, year, source))
    for kind in TITLES:
        new = [a for a in additions if a.kind == kind and a.problem is None]
        if new:
            _append(registry, kind, new)
    return additions


def _entries(registry: Path, kind: str) -> list[Code]:
    if registry == CODELISTS:
        return list(codelist(kind))
    return list(read_codelist(registry / f"{kind}.csv"))


def _append(registry: Path, kind: str, additions: list[Addition]) -> None:
    """Write the list again with the additions, sorted by code then first year."""
    path = registry / f"{kind}.csv"
    rows = [
        [
            e.code,
            e.name,
            e.level,
            e.parent,
            e.first_year or "",
            e.last_year or "",
            e.status,
            e.source,
        ]
        for e in read_codelist(path)
    ]
    seen: dict[str, Addition] = {}
    for addition in additions:
        if addition.code in seen:
            # Two packages print it: one entry, both attest it.
            first = seen[addition.code]
            seen[addition.code] = Addition(
                kind,
                first.code,
                first.name,
                min(first.year, addition.year),
                f"{first.source}; {addition.source}",
            )
        else:
            seen[addition.code] = addition
    for a in seen.values():
        rows.append(
            [a.code, a.name, level_of(a.code), parent_of(a.code), a.year, "", "attested", a.source]
        )
    rows.sort(key=lambda r: (str(r[0]), int(r[4] or 0)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    codelist.cache_clear()


def check(registry: Path = CODELISTS) -> list[str]:
    """Structural problems of the lists, each as one line naming the entry."""
    problems: list[str] = []
    for kind, title in TITLES.items():
        entries = _entries(registry, kind)
        by_code: dict[str, list[Code]] = defaultdict(list)
        for entry in entries:
            by_code[entry.code].append(entry)
        names: dict[tuple[str, str], list[Code]] = defaultdict(list)
        for entry in entries:
            where = f"{kind}.csv {entry.code} {entry.name}"
            if entry.level != level_of(entry.code):
                problems.append(
                    f"{where}: level {entry.level!r}, expected {level_of(entry.code)!r}"
                )
            if entry.parent != parent_of(entry.code):
                problems.append(
                    f"{where}: parent {entry.parent!r} is not the code's first digits "
                    f"{parent_of(entry.code)!r}"
                )
            elif entry.parent and entry.parent not in by_code:
                problems.append(f"{where}: its parent {entry.parent} is not in the {title} list")
            if entry.status not in STATUSES:
                problems.append(f"{where}: status {entry.status!r} is none of {STATUSES}")
            if not entry.source.strip():
                problems.append(f"{where}: no source")
            names[(entry.parent, entry.name)].append(entry)
        for code, same in by_code.items():
            for index, first in enumerate(same):
                for second in same[index + 1 :]:
                    if _overlap(first, second):
                        problems.append(
                            f"{kind}.csv {code}: named {first.name!r} and {second.name!r} "
                            "in the same years"
                        )
        for (parent, name), same in names.items():
            codes = sorted({e.code for e in same})
            if len(codes) > 1 and any(
                _overlap(a, b) for a in same for b in same if a.code != b.code
            ):
                problems.append(
                    f"{kind}.csv: {name!r} names {' and '.join(codes)} under "
                    f"{parent or 'the top level'} in the same years"
                )
    return problems


def _overlap(a: Code, b: Code) -> bool:
    start = max(a.first_year or 0, b.first_year or 0)
    end = min(a.last_year or 9999, b.last_year or 9999)
    return start <= end
