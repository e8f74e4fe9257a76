"""``juesuan template``: a blank package to type a printed 部门决算 into by hand.

When there is no digital document, only paper or a scan, the numbers are typed.
The template is the package ingest would write, with the amounts left blank: the
same files, Table Schemas, code lists and metadata, written by the same code
(:func:`juesuan.package.write.write_resources`). Ledger, economic and single tables
get every row of their definition; classified tables only their 合计 row, since
which codes a unit reports is what the paper says. The package is marked
``hand_edited`` and has no source, so ``check-sources`` skips it and ``ingest``
never overwrites it, while ``validate`` checks the typed amounts as any other.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from juesuan import __version__
from juesuan.errors import SourceError
from juesuan.package.write import LICENSE, TableContent, write_atomically, write_resources
from juesuan.repository.unitmeta import (
    UNIT_FILE,
    known_units,
    load_unit,
    same_name,
    slug_problem,
    suggest_slug,
)
from juesuan.taxonomy import Edition, Table, editions
from juesuan.taxonomy.schemas import dump
from juesuan.units import split_region, unit_key

KEEP = ".gitkeep"
"""``juesuan new``'s placeholder in an empty source/: a template replaces it."""


def template(root: Path, slug: str, year: int, edition_id: str, *, name: str | None = None) -> Path:
    """Write a blank package for ``slug``'s ``year`` in ``edition_id``; return its folder.

    The unit is the one registered in ``root/slug/unit.json`` or, without one, the
    unit ``name`` names. Raises SourceError (naming the file or folder at fault)
    and writes nothing when the unit is unknown or the year already holds a package.
    """
    unit_dir = root / slug
    folder = unit_dir / str(year)
    if problem := slug_problem(slug):
        raise SourceError(
            unit_dir,
            f"{slug!r} cannot name a unit: {problem}",
            expected=f"a slug such as {suggest_slug(name)}",
        )
    edition = _edition(edition_id, folder)
    unit, unit_meta = _unit(root, slug, year, name.strip() if name else None)
    carried = _carried_sources(folder)
    region = split_region(unit)[0]

    def fill(staging: Path) -> None:
        if carried:
            # A scan put in source/ stays with the numbers typed from it.
            shutil.copytree(folder / "source", staging / "source", ignore=_placeholder)
        resources = write_resources(
            staging,
            year,
            [_blank_table(table, year) for table in _tables(edition)],
            whole_lists=True,
        )
        descriptor = _descriptor(slug, year, unit, region, unit_meta, edition, resources)
        descriptor_text = dump(descriptor, "datapackage.json")
        (staging / "datapackage.json").write_text(descriptor_text, encoding="utf-8")

    return write_atomically(folder, fill)


def _edition(edition_id: str, folder: Path) -> Edition:
    known = editions()
    if edition_id not in known:
        raise SourceError(
            folder,
            f"unknown edition {edition_id!r}",
            expected="one of " + "; ".join(f"{e.id} {e.title}" for e in known.values()),
        )
    return known[edition_id]


def _unit(root: Path, slug: str, year: int, name: str | None) -> tuple[str, dict[str, str]]:
    """The unit's printed name and what its unit.json gives a package for ``year``."""
    unit_dir = root / slug
    info = load_unit(unit_dir)
    if info is not None:
        if name is not None and not same_name(name, info.name):
            raise SourceError(
                unit_dir / UNIT_FILE,
                f"--name {name!r} differs from unit.json's {info.name!r}",
                expected="the same unit: leave --name out, or correct unit.json by hand if "
                "the unit was renamed",
            )
        return info.name, info.package_meta(year)
    if name is None:
        raise SourceError(
            unit_dir / UNIT_FILE,
            f"{slug} is not a registered unit (no {UNIT_FILE})",
            expected=f"juesuan new {slug} {year} --name … --region-code … first, or --name "
            "with the unit's name as printed",
        )
    if len(name) < 2:
        raise SourceError(
            unit_dir, f"unit name {name!r} is too short", expected="the name as printed"
        )
    # known_units maps names from unit.json files and from packages already written.
    for known, known_slug in known_units(root).items():
        if known == unit_key(name) and known_slug != slug:
            raise SourceError(
                unit_dir,
                f"duplicate unit: {name} is already {root / known_slug}",
                expected=f"juesuan template {known_slug} {year} …",
            )
        if known_slug == slug and known != unit_key(name):
            raise SourceError(
                unit_dir,
                f"{unit_dir} holds packages of {known}, not of {name}",
                expected=f"another slug for {name}",
            )
    return name, {}


def _carried_sources(folder: Path) -> bool:
    """Refuse a year that holds a package; whether its source/ holds files to keep.

    A folder made by ``juesuan new`` (an empty source/) is what a template may
    replace; anything else there would be lost, so it is an error.
    """
    if not folder.exists():
        return False
    if (folder / "datapackage.json").exists():
        raise SourceError(
            folder,
            f"{folder.parent.name} {folder.name} already holds a package (datapackage.json)",
            expected="a year without one; to correct that package, edit its CSVs (see "
            "CONTRIBUTING.md, Packages edited by hand)",
        )
    others = sorted(p.name for p in folder.iterdir() if p.name != "source")
    if others:
        raise SourceError(
            folder,
            f"the year folder holds {', '.join(others)}, which a template would replace",
            expected="an empty year folder (or one made by juesuan new)",
        )
    source = folder / "source"
    return source.is_dir() and any(p.name != KEEP for p in source.iterdir())


def _placeholder(_folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == KEEP]


def _tables(edition: Edition) -> list[Table]:
    return [edition.tables[table_id] for table_id in edition.table_order]


def _blank_table(table: Table, year: int) -> TableContent:
    """A table with its template rows and no amount."""
    if table.layout == "classified":
        # Which 类/款/项 codes a unit reports is the paper's to say: one row per code
        # is typed below the total.
        records: list[dict[str, Any]] = [{"row": "total", "label": "合计"}]
    else:
        records = [
            {"row": r.id, "code": r.code, "label": r.label, "side": r.side, "line": r.line}
            for r in table.rows
        ]
    return TableContent(
        table,
        f"{year}年度{table.title}",
        table.number,
        records,
        # The template's own columns; a paper in another column order says so
        # under juesuan.columns of the resource, as ingest writes it.
        table.printed_columns,
    )


def _descriptor(
    slug: str,
    year: int,
    unit: str,
    region: str,
    unit_meta: dict[str, str],
    edition: Edition,
    resources: list[dict[str, Any]],
) -> dict[str, Any]:
    """datapackage.json as ingest writes it, without a source and marked hand-edited."""
    url = unit_meta.get("source_url")
    published = [{"title": f"{unit}{year}年度部门决算（发布页面）", "path": url}] if url else []
    return {
        "name": f"{slug}-{year}",
        "title": f"{unit}{year}年度部门决算",
        "description": (
            f"{unit}{year}年度部门决算公开表，按纸质文本手工录入（juesuan template）。"
            "金额单位：万元。"
        ),
        "keywords": ["部门决算", "决算公开", str(year), *([region] if region else [])],
        "licenses": [LICENSE],
        **({"sources": published} if published else {}),
        "juesuan": {
            "unit": unit,
            "region": region,
            # region_code, parent, source_url: from the unit's unit.json, when it has one.
            **unit_meta,
            "year": year,
            "edition": edition.id,
            "hand_edited": True,
            "generator": f"juesuan {__version__}",
        },
        "resources": resources,
    }
