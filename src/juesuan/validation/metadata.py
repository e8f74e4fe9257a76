"""A descriptor's own fields (its ``juesuan`` blocks) against their JSON Schema."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from juesuan.taxonomy.package_meta import descriptor_schema
from juesuan.validation.findings import Finding
from juesuan.years import year_problem

_SHOWN = 20
"""Findings per package at most: a descriptor wrong throughout needs no hundred lines."""


@cache
def _validator() -> Draft202012Validator:
    # Formats checked too: a publication date of 2025-02-30 is no date.
    return Draft202012Validator(
        descriptor_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def check_metadata(descriptor: Any, file: str) -> list[Finding]:
    """An error for every field of the ``juesuan`` blocks that breaks the schema."""
    problems = [
        (".".join(str(p) for p in error.absolute_path) or "datapackage.json", error.message)
        for error in sorted(_validator().iter_errors(descriptor), key=lambda e: e.json_path)
    ]
    meta = descriptor.get("juesuan") if isinstance(descriptor, dict) else None
    year = meta.get("year") if isinstance(meta, dict) else None
    if isinstance(year, int) and not isinstance(year, bool) and (problem := year_problem(year)):
        problems.append(("juesuan.year", problem))
    return [
        Finding(
            "package/metadata",
            "error",
            f"{where}: {message[:300]}",
            f"{where}：{message[:300]}",
            found=where,
            file=file,
        )
        for where, message in problems[:_SHOWN]
    ]
