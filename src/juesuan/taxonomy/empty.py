"""Whether a note under a table says the table holds no data (本表无数据).

The wordings are declared in ``schemas/checks/empty_tables.yaml``: each unit
words it its own way, and a new wording is a line there, not a change here.
"""

from __future__ import annotations

import re
from functools import cache

from juesuan.paths import SCHEMAS
from juesuan.text import load_yaml, normalise

EMPTY_FILE = SCHEMAS / "checks" / "empty_tables.yaml"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    data = load_yaml(EMPTY_FILE.read_text(encoding="utf-8"))
    entries = data.get("says_empty") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{EMPTY_FILE}: says_empty must list the wordings, one a line")
    return tuple(re.compile(normalise(str(entry))) for entry in entries)


def says_empty(note: str) -> bool:
    """Whether ``note`` says its table holds no data."""
    text = normalise(note)
    return any(pattern.search(text) for pattern in _patterns())


def starts_empty_note(line: str) -> bool:
    """Whether ``line`` opens with such a statement: a note, though no 注 begins it."""
    text = normalise(line)
    return any(pattern.match(text) for pattern in _patterns())
