"""Where an ingested disclosure goes: ``<root>/<unit slug>/<year>/``, checked.

The unit's folder is, in this order: the one given (``--unit``), the one the
source sits in (``<root>/<slug>/<year>/source/``, as ``juesuan new`` makes it),
the one already holding a unit of that name, or the pinyin of the name. Each
choice is checked against what the repository already says, so a document
filed under the wrong year or the wrong unit is an error, never a new folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from juesuan.errors import SourceError
from juesuan.ingest.pipeline import Disclosure
from juesuan.repository.unitmeta import UNIT_FILE, known_units, load_unit, same_name, slug_problem
from juesuan.units import slug_for, unit_key


def located(source: Path, root: Path) -> tuple[str, str] | None:
    """(slug, year folder) when ``source`` sits in ``root/<slug>/<year>/source/``."""
    folder = source.resolve().parent
    if folder.name != "source" or folder.parent.parent.parent != root.resolve():
        return None
    return folder.parent.parent.name, folder.parent.name


def assign(disclosure: Disclosure, root: Path, unit: str | None = None) -> Path:
    """Choose and check the package folder of ``disclosure``; record its unit metadata."""
    source = disclosure.document.path
    place = located(source, root)
    if unit is not None and (problem := slug_problem(unit)):
        raise SourceError(
            source,
            f"--unit {unit!r} cannot name a unit folder: {problem}",
            expected=f"a slug such as {slug_for(disclosure.unit)}",
        )
    if place and unit and place[0] != unit:
        raise SourceError(
            source,
            f"the source sits in the folder of unit {place[0]!r} but --unit says {unit!r}",
            expected="one of them: move the file or drop --unit",
        )
    if not disclosure.unit:
        _name_from_unit_file(disclosure, root, unit or (place[0] if place else None))
    if place and place[1] != str(disclosure.year):
        raise SourceError(
            source,
            f"the document is the {disclosure.year} 决算 of {disclosure.unit} but sits in "
            f"the {place[1]} folder",
            line=disclosure.outline.tables[0].title_line,
            location=disclosure.document.location(disclosure.outline.tables[0].title_line),
            expected=f"it under {root / place[0] / str(disclosure.year) / 'source'}",
        )
    names = known_units(root)
    registered = names.get(unit_key(disclosure.unit))
    slug = unit or (place[0] if place else None) or registered or slug_for(disclosure.unit)
    if slug_problem(slug):
        raise SourceError(
            source,
            f"the unit folder {slug!r} derived from {disclosure.unit} is not a usable slug",
            expected="--unit with a slug (lowercase letters, digits, hyphens)",
        )
    unit_dir = root / slug
    info = load_unit(unit_dir)
    if info is not None and not same_name(info.name, disclosure.unit):
        raise SourceError(
            source,
            f"the document is of {disclosure.unit} but {unit_dir / UNIT_FILE} is for {info.name}",
            line=disclosure.outline.tables[0].title_line,
            location=disclosure.document.location(disclosure.outline.tables[0].title_line),
            expected="the unit's own folder (juesuan new SLUG YEAR --name …), or the unit's "
            "name corrected in unit.json if it was renamed",
        )
    if info is None:
        _check_folder_unit(source, unit_dir, disclosure.unit)
    if registered and registered != slug:
        raise SourceError(
            source,
            f"duplicate unit: {disclosure.unit} is already {root / registered}",
            expected=f"--unit {registered} (or no --unit), not a second folder {slug!r}",
        )
    folder = unit_dir / str(disclosure.year)
    if place:
        _check_alone(source)
    disclosure.unit_slug = slug
    disclosure.unit_meta = info.package_meta(disclosure.year) if info else {}
    return folder


def _name_from_unit_file(disclosure: Disclosure, root: Path, slug: str | None) -> None:
    """A scan whose lines agree on no unit name takes its unit.json's, or is refused.

    OCR may read 单位：万元 as a name and misread the cover; a package filed under
    a wrong unit would look right, so the name is given, never guessed.
    """
    info = load_unit(root / slug) if slug else None
    if info is not None:
        disclosure.unit_name = info.name
        return
    first = disclosure.outline.tables[0].title_line
    raise SourceError(
        disclosure.document.path,
        "OCR read no unit name that the tables' headers, the part headings and the "
        f"titles agree on (read: {disclosure.outline.unit_doubt})",
        line=first,
        location=disclosure.document.location(first),
        expected="the unit's folder with its name: juesuan new SLUG YEAR --name NAME "
        "--region-code CODE, then the scan in SLUG/YEAR/source/ or --unit SLUG",
    )


def _check_folder_unit(source: Path, unit_dir: Path, unit: str) -> None:
    """A folder without unit.json may still hold another unit's packages."""
    for descriptor in sorted(unit_dir.glob("*/datapackage.json")):
        try:
            other = json.loads(descriptor.read_text(encoding="utf-8"))["juesuan"]["unit"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not same_name(other, unit):
            raise SourceError(
                source,
                f"{unit_dir} holds packages of {other}, not of {unit}",
                expected="--unit with a slug of the unit's own",
            )


def _check_alone(source: Path) -> None:
    """A package keeps one source: others beside it would be dropped by the write."""
    others = sorted(
        p.name
        for p in source.parent.iterdir()
        if p.name != source.name and not p.name.startswith(".")
    )
    if others:
        raise SourceError(
            source,
            f"{source.parent} also holds {', '.join(others)}",
            expected="one source document per package folder",
        )


def hand_edited(folder: Path) -> bool:
    """Whether the package in ``folder`` is marked as edited by hand."""
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return descriptor.get("juesuan", {}).get("hand_edited") is True
