"""What a package's ``datapackage.json`` says of itself beyond Frictionless: its ``juesuan`` blocks.

The models are the definition; ``juesuan schemas`` writes their JSON Schema to
``schemas/generated/package-metadata.schema.json`` and validation checks every
descriptor against it, so a hand-edited package (``"hand_edited": "false"``, a
mistyped key) is caught like any other.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from juesuan.taxonomy.tolerance import SHIFTS, UNIT

_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)
_NAME = Field(min_length=1, max_length=200)
_ID = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)


class SourceMeta(BaseModel):
    """The source document kept in the package."""

    model_config = _STRICT
    path: str = Field(pattern=r"^source/[^/\\]+$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    encoding: str = Field(max_length=40)
    layout: Literal["cells", "rows", "flow"]


class NotPrinted(BaseModel):
    """A table of the edition the document does not print."""

    model_config = _STRICT
    table: str = _ID
    number: str = _NAME
    title: str = _NAME


class InferredPlacement(BaseModel):
    """Where ingest placed a row's amounts, and the rules that left no other choice."""

    model_config = _STRICT
    table: str = _ID
    row: str = Field(min_length=1, max_length=64)
    source_line: int = Field(ge=1)
    columns: list[str]
    candidates: int = Field(ge=1)
    rules: list[str]


class GivenPlacement(BaseModel):
    """Where a person said a row's amounts stand (placements.yaml)."""

    model_config = _STRICT
    table: str = _ID
    row: str = Field(min_length=1, max_length=64)
    columns: list[str]


class OcrMeta(BaseModel):
    """Pages of the source without a text layer, read by OCR, and the engine that read them."""

    model_config = _STRICT
    engine: str = _NAME
    pages: list[int] = Field(min_length=1)
    unmapped_pages: list[int] | None = None
    """Pages OCR read though they have a text layer: its font maps its glyphs to no text."""


class OcrCorrection(BaseModel):
    """An amount OCR read that the package holds otherwise: the rules or a person decided."""

    model_config = _STRICT
    table: str = Field(max_length=64)
    row: str = Field(max_length=64)
    column: str = Field(max_length=64)
    source_line: int = Field(ge=1)
    read: str = Field(min_length=1, max_length=200)
    corrected: str = Field(min_length=1, max_length=200)
    confidence: float | None = Field(default=None, ge=0, le=100)
    """The engine's confidence in the amount it read; none for a label."""
    by: Literal["arithmetic", "hand", "vocabulary", "sequence"]
    """The rules, a person, the edition's labels (the one clearly nearest), or the run of
    a 行次 column."""
    rules: list[str]
    """The rules over the cell, all holding with the corrected amount."""
    kind: Literal["amount", "label", "row_number"] = "amount"
    """An amount; a row label, column label or title read as the edition's; or a 行次."""
    distance: float | None = Field(default=None, ge=0)
    """For a label: its edit distance from what it is read as, a look-alike costing less."""


class PackageMeta(BaseModel):
    """The package's ``juesuan`` block."""

    model_config = _STRICT
    unit: str = _NAME
    region: str = Field(max_length=200)
    region_code: str | None = Field(default=None, pattern=r"^[1-8]\d{5}$")
    parent: str | None = Field(default=None, max_length=200)
    source_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+\S*$")
    published: datetime.date | None = None
    """The day the unit published the document, from unit.json."""
    year: int = Field(ge=2007, le=2100)
    edition: str = Field(pattern=r"^\d{4}$")
    overlay: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_-]*$")
    edition_note: str | None = None
    tables_not_printed: list[NotPrinted] | None = None
    source: SourceMeta | None = None
    hand_edited: bool
    generator: str = Field(max_length=80)
    inferred_placements: list[InferredPlacement] | None = None
    given_placements: list[GivenPlacement] | None = None
    ocr: OcrMeta | None = None
    ocr_corrections: list[OcrCorrection] | None = None


class EmptyTable(BaseModel):
    """A table printed with no rows: the note that says it holds no data, as printed."""

    model_config = _STRICT
    note: str = Field(min_length=1, max_length=2000)
    source_line: int = Field(ge=1)


# The units a table may be printed in besides 万元, from the table of their shifts.
_OTHER_UNITS = "^(?:" + "|".join(u for u in SHIFTS if u != UNIT) + ")$"


class ResourceMeta(BaseModel):
    """A table resource's ``juesuan`` block."""

    model_config = _STRICT
    table: str = _ID
    number: str | None = Field(default=None, min_length=1, max_length=200)
    """The number as printed; left out when the document prints none."""
    title_line: int | None = Field(default=None, ge=1)
    json_path: str = Field(alias="json", pattern=r"^data/[a-z0-9_]+\.json$")
    columns: list[str] | None = None
    empty: EmptyTable | None = None
    """Present when the table is printed with no rows and a note saying so."""
    printed_unit: str | None = Field(default=None, pattern=_OTHER_UNITS)
    """The unit the table was printed in, when not 万元: its amounts are kept in 万元
    exactly, and the printed figure is the amount × 10^n (元: × 10,000)."""


def descriptor_schema() -> dict[str, Any]:
    """The JSON Schema of the ``juesuan`` parts of a descriptor (the rest is Frictionless')."""
    package = PackageMeta.model_json_schema(ref_template="#/$defs/{model}")
    resource = ResourceMeta.model_json_schema(ref_template="#/$defs/{model}", by_alias=True)
    defs = {**package.pop("$defs", {}), **resource.pop("$defs", {})}
    defs["PackageMeta"], defs["ResourceMeta"] = package, resource
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "juesuan package metadata",
        "description": "The juesuan blocks of a juesuan datapackage.json; Frictionless "
        "checks the rest of the descriptor.",
        "type": "object",
        "required": ["juesuan", "resources"],
        "properties": {
            "juesuan": {"$ref": "#/$defs/PackageMeta"},
            "resources": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"juesuan": {"$ref": "#/$defs/ResourceMeta"}},
                },
            },
        },
        "$defs": dict(sorted(defs.items())),
    }
