"""Characters OCR takes for one another (``schemas/checks/ocr_confusables.yaml``).

They weigh a distance between what OCR read and a declared text (a label, a
title, a part's heading): a character read as its look-alike costs less than
one read as any other, or one lost or added.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from juesuan.paths import SCHEMAS
from juesuan.text import load_yaml

_FAR = float("inf")


@cache
def _data() -> dict[str, object]:
    data = load_yaml((SCHEMAS / "checks" / "ocr_confusables.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@cache
def confusables() -> dict[str, tuple[str, ...]]:
    """Each character of a group → the others of its group."""
    groups = _data()["groups"]
    assert isinstance(groups, list)
    found: dict[str, tuple[str, ...]] = {}
    for group in groups:
        members = tuple(str(member) for member in group)
        for member in members:
            if member in found or len(member) != 1:
                raise ValueError(
                    f"ocr_confusables.yaml: {member!r} is not one character of one group"
                )
            found[member] = tuple(m for m in members if m != member)
    return found


def look_alike_cost() -> float:
    """What reading a character as its look-alike costs; any other change costs 1."""
    cost = _data().get("look_alike_cost", 0.5)
    assert isinstance(cost, int | float) and 0 < cost < 1
    return float(cost)


def distance(
    read: str, text: str, alike: Mapping[str, tuple[str, ...]], bound: float = _FAR
) -> float:
    """The weighted edit distance from ``read`` to ``text``; infinity once past ``bound``.

    A character changed for a look-alike costs :func:`look_alike_cost`, any other
    change, a character lost or one added 1.
    """
    if abs(len(read) - len(text)) > bound:
        return _FAR
    swap = look_alike_cost()
    previous = [float(j) for j in range(len(text) + 1)]
    for i, char in enumerate(read, start=1):
        others = alike.get(char, ())
        current = [float(i)]
        for j, wanted in enumerate(text, start=1):
            cost = 0.0 if char == wanted else swap if wanted in others else 1.0
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost))
        if min(current) > bound:
            return _FAR
        previous = current
    return previous[-1] if previous[-1] <= bound else _FAR
