"""Read a data package into the view the page generators need.

Everything here comes from the package (datapackage.json, the CSVs, the
narrative Markdown) and the taxonomy; nothing is re-typed.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from juesuan.package import trust
from juesuan.package.read import parse_amount
from juesuan.site.provenance import Dates, Provenance, provenance
from juesuan.taxonomy import Column, Edition, Table, edition_for
from juesuan.taxonomy.codes import Code, valid_codes
from juesuan.taxonomy.tolerance import SHIFTS
from juesuan.text import normalise

_FILE_STEM = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,150}[a-z0-9])?$")
"""A package name that may name a download (``<name>.zip``): no path, no dot at an end."""


@dataclass(frozen=True)
class TableView:
    """One table resource of a package, with its definition and its rows as printed."""

    resource: dict[str, Any]
    table: Table
    rows: tuple[dict[str, str], ...]
    notes: tuple[str, ...]

    @property
    def id(self) -> str:
        """The table id (summary, income, …)."""
        return self.table.id

    @property
    def title(self) -> str:
        """The title as printed in the source (from the resource)."""
        return str(self.resource.get("title") or self.table.title)

    @property
    def number(self) -> str:
        """The table's number: as printed (公开01表, 表1), else the definition's.

        A name for the table (a workbook sheet); what the page prints as the
        number is :attr:`printed_number`.
        """
        return self.printed_number or self.table.number

    @property
    def empty_note(self) -> str | None:
        """For a table printed with no data: the note saying so (juesuan.empty), as printed."""
        empty = (self.resource.get("juesuan") or {}).get("empty")
        note = empty.get("note") if isinstance(empty, dict) else None
        return note if isinstance(note, str) and note.strip() else None

    @property
    def printed_unit(self) -> str:
        """The unit the document printed the amounts in (juesuan.printed_unit), else 万元.

        The package keeps every amount in 万元; the page prints them as the paper did.
        """
        unit = (self.resource.get("juesuan") or {}).get("printed_unit")
        return unit if isinstance(unit, str) and unit in SHIFTS else self.table.unit

    @property
    def printed_number(self) -> str | None:
        """The number the document prints for the table; None when it prints none."""
        number = (self.resource.get("juesuan") or {}).get("number")
        return number if isinstance(number, str) and number.strip() else None

    @property
    def heading(self) -> str:
        """The title as printed, after the number unless the title holds it already.

        ``表1 2019 年度收入支出决算总表（表 1）`` would say the number twice.
        """
        number = self.printed_number
        if number is None or normalise(number) in normalise(self.title):
            return self.title
        return f"{number} {self.title}"

    @property
    def printed_columns(self) -> tuple[Column, ...]:
        """The value columns the document printed, in order (``juesuan.columns``)."""
        listed = (self.resource.get("juesuan") or {}).get("columns")
        ids = (
            [c for c in listed if isinstance(c, str)]
            if isinstance(listed, list)
            else list(self.table.printed_columns)
        )
        known = {c.id: c for c in self.table.columns}
        return tuple(known[i] for i in ids if i in known)

    @property
    def fields(self) -> dict[str, dict[str, Any]]:
        """The Table Schema fields by name."""
        return {f["name"]: f for f in self.resource.get("schema", {}).get("fields", [])}

    def field_title(self, name: str) -> str:
        """A field's title from the Table Schema (科目编码, 项目, 行次)."""
        return str(self.fields.get(name, {}).get("title", name))

    @cached_property
    def _by_id(self) -> dict[str, dict[str, str]]:
        index: dict[str, dict[str, str]] = {}
        for row in self.rows:
            index.setdefault(row.get("row") or "", row)
        return index

    def row(self, row_id: str) -> dict[str, str] | None:
        """The row with this id (the first, should a malformed table repeat it)."""
        # An index: a page looks a row up per finding, and findings grow with the rows.
        return self._by_id.get(row_id)

    def amount(self, row_id: str, column_id: str) -> Decimal | None:
        """A cell as a Decimal; None when blank or absent."""
        row = self.row(row_id)
        return amount(row.get(column_id, "")) if row else None


@dataclass(frozen=True)
class Chapter:
    """A narrative chapter: its resource title and its Markdown file."""

    key: str
    title: str
    path: str
    markdown: str


@dataclass(frozen=True)
class GlossaryEntry:
    """One 名词解释 entry as the unit words it."""

    order: int
    number: str
    term: str
    definition: str
    parent: int | None


@dataclass(frozen=True)
class FindingView:
    """A validation finding, reduced to what a page shows."""

    rule: str
    severity: str
    message_zh: str
    table: str | None
    row: str | None
    column: str | None
    expected: str | None
    found: str | None
    difference: str | None
    tolerance: str | None
    line: int | None
    location: str | None = None
    """Page and line of a PDF source, sheet and cell of a workbook, when known."""
    file: str | None = None
    """The file ``line`` is in, relative to the package (source/…, data/….csv)."""


@dataclass(frozen=True)
class Validation:
    """The validation status of a package, or why it was not validated."""

    status: str | None
    """valid, warnings or errors; None when juesuan.validation is not available."""
    findings: tuple[FindingView, ...] = ()
    amounts: int = 0
    covered: int = 0
    note: str = ""


@dataclass
class Disclosure:
    """One package: a unit's disclosure for one year."""

    folder: Path
    descriptor: dict[str, Any]
    edition: Edition
    tables: list[TableView]
    glossary: list[GlossaryEntry]
    chapters: list[Chapter]
    validation: Validation = field(default_factory=lambda: Validation(None))
    locations: dict[int, str] = field(default_factory=dict)
    """Page and line (PDF) or sheet and row (workbook) of each source line, when known."""
    dates: Dates = field(default_factory=Dates)
    """When the package was committed and last changed (set by the build)."""

    @property
    def meta(self) -> dict[str, Any]:
        """The ``juesuan`` block of the descriptor."""
        return self.descriptor.get("juesuan") or {}

    @property
    def slug(self) -> str:
        """The unit's folder name."""
        return self.folder.parent.name

    @property
    def year(self) -> int:
        """The year the accounts are for."""
        return int(self.meta.get("year") or self.folder.name)

    @property
    def unit(self) -> str:
        """The unit's name as printed."""
        return str(self.meta.get("unit") or self.slug)

    @property
    def region(self) -> str:
        """The region the unit sits in (may be empty)."""
        return str(self.meta.get("region") or "")

    @property
    def name(self) -> str:
        """The package name."""
        return str(self.descriptor.get("name") or f"{self.slug}-{self.year}")

    @property
    def stem(self) -> str:
        """The start of the download file names: the package name, when it is safe as one."""
        name = self.name
        if _FILE_STEM.fullmatch(name) and ".." not in name:
            return name
        return f"{self.slug}-{self.year}"

    @cached_property
    def provenance(self) -> Provenance:
        """Publisher, source page, dates, source file and licence.

        Worked out once (a PDF is opened to count its pages), when first asked
        for: the build sets :attr:`dates` before anything asks.
        """
        return provenance(self.folder, self.descriptor, self.unit, self.dates)

    @property
    def title(self) -> str:
        """The package title."""
        return str(self.descriptor.get("title") or f"{self.unit}{self.year}")

    def table(self, table_id: str) -> TableView | None:
        """The table with this id, if the disclosure has it."""
        for view in self.tables:
            if view.id == table_id:
                return view
        return None

    def codes(self, kind: str) -> dict[str, Code]:
        """The code list in force for this year."""
        return valid_codes(kind, self.year)


def amount(text: str | None) -> Decimal | None:
    """A printed amount as a Decimal; None when blank, not a number or not finite."""
    return parse_amount(text)


def term_key(text: str) -> str:
    """A glossary term or row label reduced for matching: width, spaces, numbering."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(text.split())
    for prefix_end in ("、", ")", "."):  # 一、 (一) 1. — the row's printed numbering
        head, sep, rest = text.partition(prefix_end)
        number = head.removeprefix("(")
        if sep and (number.isdigit() or _is_chinese_number(number)):
            text = rest
            break
    return text.rstrip("。.;；:：")


def _is_chinese_number(text: str) -> bool:
    return bool(text) and all(ch in "一二三四五六七八九十" for ch in text)


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(folder: Path) -> Disclosure:
    """The disclosure in package folder ``folder``."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    meta = descriptor.get("juesuan") or {}
    overlay = meta.get("overlay") if isinstance(meta.get("overlay"), str) else None
    found = edition_for(str(meta.get("edition")), overlay)
    if found is None:
        raise ValueError(f"{folder}: unknown edition {meta.get('edition')!r}")
    edition = found
    resources = descriptor.get("resources", [])
    notes: dict[str, list[str]] = {}
    glossary: list[GlossaryEntry] = []
    chapters: list[Chapter] = []
    tables: dict[str, TableView] = {}
    for resource in resources:
        if resource.get("name") == "table-notes":
            for row in _read_csv(folder / resource["path"]):
                notes.setdefault(row.get("table", ""), []).append(row.get("text", ""))
        elif resource.get("name") == "glossary":
            glossary = [
                GlossaryEntry(
                    int(row["order"]),
                    row.get("number", ""),
                    row.get("term", ""),
                    row.get("definition", ""),
                    int(row["parent"]) if row.get("parent") else None,
                )
                for row in _read_csv(folder / resource["path"])
            ]
        elif str(resource.get("path", "")).startswith("narrative/") and resource["path"].endswith(
            ".md"
        ):
            path = resource["path"]
            chapters.append(
                Chapter(
                    Path(path).stem,
                    str(resource.get("title") or Path(path).stem),
                    path,
                    (folder / path).read_text(encoding="utf-8"),
                )
            )
    for resource in resources:
        table_id = (resource.get("juesuan") or {}).get("table")
        if table_id in edition.tables:
            tables[table_id] = TableView(
                resource,
                edition.tables[table_id],
                tuple(_read_csv(folder / resource["path"])),
                tuple(notes.get(table_id, ())),
            )
    ordered = [tables[t] for t in edition.table_order if t in tables]
    disclosure = Disclosure(folder, descriptor, edition, ordered, glossary, chapters)
    disclosure.locations = _locations(folder, resources)
    return disclosure


def _locations(folder: Path, resources: list[Any]) -> dict[int, str]:
    """The package's ``locations.csv`` (source line → "page 3, line 12"); empty for text."""
    for resource in resources:
        if isinstance(resource, dict) and resource.get("name") == "source-locations":
            if trust.unsafe_reference(folder, resource.get("path")) is not None:
                return {}
            return {
                int(row["source_line"]): row["location"]
                for row in _read_csv(folder / resource["path"])
                if (row.get("source_line") or "").isdigit() and row.get("location")
            }
    return {}


def validate(folder: Path, cache: Path | None = None) -> Validation:
    """The package's validation, by juesuan.validation when it is installed.

    With ``cache``, a report kept there for the same content is reused.
    """
    try:
        from juesuan.validation.cache import validate_cached
    except ImportError:
        return Validation(None, note="本站构建时未安装校验模块，未显示校验结果。")
    report = validate_cached(folder, cache).report
    findings = tuple(
        FindingView(
            f.rule,
            f.severity,
            f.message_zh,
            f.table,
            f.row,
            f.column,
            f.expected,
            f.found,
            f.difference,
            f.tolerance,
            getattr(f, "source_line", None) or getattr(f, "line", None),
            getattr(f, "location", None),
            _inside(folder, getattr(f, "file", None)),
        )
        for f in report.findings
    )
    return Validation(
        report.status,
        findings,
        getattr(report, "amounts", 0),
        getattr(report, "covered", 0),
    )


def _inside(folder: Path, file: str | None) -> str | None:
    """``file`` relative to the package folder; None when it is elsewhere or not given."""
    if not file:
        return None
    try:
        return Path(file).relative_to(folder).as_posix()
    except ValueError:
        return None


def package_folders(root: Path) -> list[Path]:
    """Every package folder under ``root`` (``<unit>/<year>/datapackage.json``).

    Folders under another name are not published (validation reports them).
    """
    return trust.package_folders(root)[0]
