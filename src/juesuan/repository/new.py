"""``juesuan new``: the folder and metadata of a unit's year, before its source arrives."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

from juesuan.errors import SourceError
from juesuan.repository.unitmeta import (
    REGION_CODE,
    UNIT_FILE,
    URL,
    UnitInfo,
    YearInfo,
    known_units,
    load_unit,
    same_name,
    save_unit,
    slug_problem,
    suggest_slug,
)
from juesuan.text import invisible_in
from juesuan.units import unit_key

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def scaffold(
    root: Path,
    slug: str,
    year: int,
    *,
    name: str | None = None,
    region_code: str | None = None,
    parent: str | None = None,
    source_url: str | None = None,
    published: str | None = None,
) -> Path:
    """Create ``root/slug/year/source/`` and the unit's unit.json; return the year folder.

    A new unit needs its name and region code; a known one gets a new year. Raises
    SourceError (naming unit.json or the folder) and leaves nothing behind.
    """
    unit_dir = root / slug
    folder = unit_dir / str(year)
    name = name.strip() if name else name
    if problem := slug_problem(slug):
        raise SourceError(
            unit_dir, f"{slug!r} cannot name a unit: {problem}", expected=slug_example(name)
        )
    if source_url is not None and not URL.fullmatch(source_url):
        raise SourceError(
            unit_dir / UNIT_FILE,
            f"source URL {source_url!r} is not a web address",
            expected="the page the document was published on, https://…",
        )
    day = _day(published)
    if published is not None and day is None:
        raise SourceError(
            unit_dir / UNIT_FILE,
            f"publication date {published!r} is not a day",
            expected="the day the unit published the document, as YYYY-MM-DD (2025-09-01)",
        )
    info = load_unit(unit_dir)
    if info is None:
        info = _new_unit(root, slug, name, region_code, parent)
    else:
        _same_unit(unit_dir, info, name, region_code, parent)
    if folder.exists():
        raise SourceError(
            folder,
            f"{slug} {year} already exists",
            expected="a year not yet in the repository; to correct a package, replace its "
            "source and run juesuan ingest again",
        )
    years = dict(info.years)
    years[str(year)] = YearInfo(source_url=source_url, published=day)
    updated = info.model_copy(update={"years": dict(sorted(years.items()))})
    new_unit = not unit_dir.exists()
    (folder / "source").mkdir(parents=True)
    try:
        # Git keeps no empty folder; the placeholder goes when the package is written.
        (folder / "source" / ".gitkeep").write_text("", encoding="utf-8")
        save_unit(unit_dir, updated)
    except BaseException:
        shutil.rmtree(unit_dir if new_unit else folder, ignore_errors=True)
        raise
    return folder


def _day(published: str | None) -> datetime.date | None:
    """The publication day as given (YYYY-MM-DD), or None for none or no day."""
    if published is None:
        return None
    try:
        # unit.json keeps one form: fromisoformat alone would take 20250901 too.
        return datetime.date.fromisoformat(published) if DAY.fullmatch(published) else None
    except ValueError:
        return None


def slug_example(name: str | None) -> str:
    """How a good slug looks, for an error message: one suggested for ``name``."""
    return f"a slug such as {suggest_slug(name)} (lowercase ASCII letters, digits, hyphens)"


def _new_unit(
    root: Path, slug: str, name: str | None, region_code: str | None, parent: str | None
) -> UnitInfo:
    unit_dir = root / slug
    if not name or not region_code:
        missing = " and ".join(
            option
            for option, value in (("--name", name), ("--region-code", region_code))
            if not value
        )
        raise SourceError(
            unit_dir / UNIT_FILE,
            f"{slug} is a new unit: {missing} needed",
            expected="the unit's name as the document prints it and its 6-digit 行政区划代码",
        )
    taken = known_units(root).get(unit_key(name))
    if taken is not None and taken != slug:
        raise SourceError(
            unit_dir,
            f"duplicate unit: {name} is already {root / taken}",
            expected=f"juesuan new {taken} YEAR to add a year to it",
        )
    for descriptor in sorted(unit_dir.glob("*/datapackage.json")):
        # A folder made before unit.json existed: its packages say whose it is.
        other = json.loads(descriptor.read_text(encoding="utf-8")).get("juesuan", {}).get("unit")
        if other and not same_name(other, name):
            raise SourceError(
                unit_dir,
                f"{slug} already holds packages of {other}",
                expected=f"another slug for {name}",
            )
    if not REGION_CODE.fullmatch(region_code):
        raise SourceError(
            unit_dir / UNIT_FILE,
            f"region code {region_code!r} is not a 行政区划代码",
            expected="6 digits such as 420104 (湖北省武汉市硚口区)",
        )
    if len(name) < 2:
        raise SourceError(
            unit_dir / UNIT_FILE,
            f"unit name {name!r} is too short",
            expected="the unit's name as the document prints it",
        )
    if found := invisible_in(name):
        where = ", ".join(f"{what} at {position + 1}" for position, what in found[:3])
        raise SourceError(
            unit_dir / UNIT_FILE,
            f"unit name {name!r} holds characters that print nothing or mimic others: {where}",
            expected="the unit's name typed as the document prints it",
        )
    return UnitInfo(name=name, region_code=region_code, parent=parent)


def _same_unit(
    unit_dir: Path, info: UnitInfo, name: str | None, region_code: str | None, parent: str | None
) -> None:
    """Options given for a known unit must agree with its unit.json."""
    for option, given, known in (
        ("--name", name, info.name),
        ("--region-code", region_code, info.region_code),
        ("--parent", parent, info.parent),
    ):
        if given is None:
            continue
        if option == "--name" and same_name(given, known or ""):
            continue
        if given != known:
            raise SourceError(
                unit_dir / UNIT_FILE,
                f"{option} {given!r} differs from unit.json's {known!r}",
                expected="the same unit: leave the option out, or correct unit.json by hand "
                "if the unit changed",
            )
