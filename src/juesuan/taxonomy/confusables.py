"""Characters OCR takes for one another (``schemas/checks/ocr_confusables.yaml``)."""

from __future__ import annotations

from functools import cache

from juesuan.paths import SCHEMAS
from juesuan.text import load_yaml


@cache
def confusables() -> dict[str, tuple[str, ...]]:
    """Each character of a group → the others of its group."""
    data = load_yaml((SCHEMAS / "checks" / "ocr_confusables.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    found: dict[str, tuple[str, ...]] = {}
    for group in data["groups"]:
        members = tuple(str(member) for member in group)
        for member in members:
            if member in found or len(member) != 1:
                raise ValueError(
                    f"ocr_confusables.yaml: {member!r} is not one character of one group"
                )
            found[member] = tuple(m for m in members if m != member)
    return found
