"""What a contributor says about a unit: ``datapackage/<slug>/unit.json``.

One file per unit, next to its year folders: the unit's name as printed, its
行政区划代码, the department it reports to, and for each year the page the
document was published on. Ingest copies it into each package's metadata; the
document itself cannot tell a region code or where it was found.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from juesuan.errors import SourceError
from juesuan.text import invisible_in, json_text
from juesuan.units import SLUG, slug_for, unit_key

UNIT_FILE = "unit.json"
MAX_SLUG = 80
REGION_CODE = re.compile(r"^[1-8]\d{5}$")
URL = re.compile(r"^https?://[^\s/]+\S*$")


class YearInfo(BaseModel):
    """One year's disclosure of the unit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source_url: str | None = Field(default=None, pattern=URL.pattern)
    """The page the document was published on."""
    published: datetime.date | None = None
    """The day the unit published the document (公开日期), as that page gives it."""


class UnitInfo(BaseModel):
    """A unit as its contributor describes it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=2)
    """The unit's name exactly as the documents print it (单位：…)."""
    region_code: str = Field(pattern=REGION_CODE.pattern)
    """行政区划代码 of the region the unit belongs to, 6 digits (420104 硚口区)."""
    parent: str | None = None
    """The department the unit reports to (主管部门), as it names itself."""
    years: dict[str, YearInfo] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _printable(cls, name: str) -> str:
        # A zero-width space or a Kangxi ⼼ for 心 would make a second unit that
        # looks like the first.
        if found := invisible_in(name):
            where = ", ".join(f"{what} at {position + 1}" for position, what in found[:3])
            raise ValueError(f"holds characters that print nothing or mimic others: {where}")
        return name

    def package_meta(self, year: int) -> dict[str, str]:
        """What a package's ``juesuan`` metadata takes from this file for ``year``."""
        meta = {"region_code": self.region_code}
        if self.parent:
            meta["parent"] = self.parent
        entry = self.years.get(str(year))
        if entry and entry.source_url:
            meta["source_url"] = entry.source_url
        if entry and entry.published:
            meta["published"] = entry.published.isoformat()
        return meta


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name a unit folder, or None when it can."""
    if not slug:
        return "it is empty"
    if "/" in slug or "\\" in slug:
        return "it has a / or \\: a slug is one folder name"
    if ".." in slug or slug.startswith("."):
        return "it has .. or starts with a dot"
    if not slug.isascii():
        return "it is not ASCII: write the unit's name in pinyin"
    if slug != slug.lower():
        return "it has capitals: use lowercase"
    if len(slug) > MAX_SLUG:
        return f"it is {len(slug)} characters long (at most {MAX_SLUG})"
    if not SLUG.fullmatch(slug):
        return "use lowercase letters, digits and single hyphens between them"
    return None


def suggest_slug(name: str | None) -> str:
    """An example slug for an error message: the unit's own, when its name is known."""
    return slug_for(name) if name else "wuhan-qiaokou-dashujuzhongxin"


def load_unit(unit_dir: Path) -> UnitInfo | None:
    """The unit.json of ``unit_dir``, or None when there is none."""
    path = unit_dir / UNIT_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return UnitInfo.model_validate(data)
    except json.JSONDecodeError as error:
        raise SourceError(path, f"not valid JSON: {error.msg}", line=error.lineno) from error
    except ValidationError as error:
        problem = error.errors()[0]
        location = problem["loc"]
        field = ".".join(str(p) for p in location) or "unit.json"
        raise SourceError(
            path,
            f"{field}: {problem['msg']}",
            expected=_EXPECTED.get(str(location[0]) if location else "", "the fields of unit.json"),
        ) from error


_EXPECTED = {
    "name": "the unit's name as the documents print it",
    "region_code": "a 6-digit 行政区划代码 such as 420104",
    "years": 'years such as {"2024": {"source_url": "https://…", "published": "2025-09-01"}}',
}


def save_unit(unit_dir: Path, info: UnitInfo) -> Path:
    """Write unit.json atomically (a reader never sees half a file)."""
    unit_dir.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = info.model_dump(mode="json", exclude_none=True)
    text = json_text(data, where=str(unit_dir / UNIT_FILE), indent=2) + "\n"
    handle, temporary = tempfile.mkstemp(prefix=".unit.", dir=unit_dir)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    target = unit_dir / UNIT_FILE
    Path(temporary).replace(target)
    return target


def known_units(root: Path) -> dict[str, str]:
    """Normalised unit name → slug, from every unit.json and package under ``root``."""
    names: dict[str, str] = {}
    if not root.is_dir():
        return names
    for unit_dir in sorted(p for p in root.iterdir() if p.is_dir() and SLUG.fullmatch(p.name)):
        for descriptor in sorted(unit_dir.glob("*/datapackage.json")):
            try:
                unit = json.loads(descriptor.read_text(encoding="utf-8"))["juesuan"]["unit"]
            except (OSError, ValueError, KeyError, TypeError):
                continue
            names.setdefault(unit_key(unit), unit_dir.name)
        try:
            info = load_unit(unit_dir)
        except SourceError:
            continue
        if info is not None:
            names[unit_key(info.name)] = unit_dir.name
    return names


def same_name(a: str, b: str) -> bool:
    """Whether two printings name the same unit (see :func:`juesuan.units.unit_key`)."""
    return unit_key(a) == unit_key(b)
