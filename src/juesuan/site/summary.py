"""What the pages across disclosures need from each one, small enough to pass around.

A :class:`Summary` is built in the worker that renders the disclosure page and
sent back to the main process, which builds the units, glossary and code pages
from all of them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

from juesuan.site.corpus import Disclosure, term_key
from juesuan.site.tables import printed


@dataclass(frozen=True)
class CodeUse:
    """A classification code one disclosure uses, and its amounts there."""

    kind: str
    code: str
    label: str
    """The row label as the disclosure prints it."""
    amounts: tuple[tuple[str, str], ...]
    """(table id, first column's printed amount) for each table with the code."""


@dataclass(frozen=True)
class TermUse:
    """A glossary term as one disclosure words it."""

    key: str
    term: str
    definition: str
    section: str = ""
    """For an entry listed under a heading (本部门使用的支出功能分类科目): the heading."""


@dataclass(frozen=True)
class Summary:
    """One disclosure, as the cross-disclosure pages see it."""

    slug: str
    year: int
    unit: str
    region: str
    name: str
    title: str
    edition: str
    edition_title: str
    status: str | None
    errors: int
    warnings: int
    facts: tuple[tuple[str, str], ...]
    """("table:row:column", printed amount) for every reported amount."""
    codes: tuple[CodeUse, ...]
    terms: tuple[TermUse, ...]
    tables: tuple[tuple[str, str], ...]
    """(table id, title as printed)."""
    labels: tuple[tuple[str, str], ...] = ()
    """("table:row", label as printed) for rows that are not codes (合计, 本年收入合计…)."""

    def fact(self, key: str) -> str:
        """The printed amount at ``table:row:column``, or ``""``."""
        return dict(self.facts).get(key, "")


def pinyin_key(text: str) -> tuple[str, ...]:
    """A sort key by pinyin with tones, as a Chinese index orders; punctuation ignored."""
    letters = re.sub(r"[^\w]", "", text)
    return (*lazy_pinyin(letters, style=Style.TONE3), "\x00", letters)


@lru_cache(maxsize=65536)
def term_slug(key: str) -> str:
    """A stable ASCII anchor for a term: its pinyin and a short hash of the term."""
    spelled = re.sub(r"[^a-z0-9]+", "-", "-".join(lazy_pinyin(key)).lower()).strip("-")
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
    return f"{spelled[:48].rstrip('-')}-{digest}" if spelled else digest


def summarise(disclosure: Disclosure) -> Summary:
    """The summary of one disclosure."""
    facts = []
    labels = []
    codes: dict[tuple[str, str], dict[str, Any]] = {}
    for view in disclosure.tables:
        columns = [c.id for c in view.table.columns]
        kind = view.table.codelist or "function"
        for row in view.rows:
            for column in columns:
                value = row.get(column, "")
                if value.strip():
                    facts.append((f"{view.id}:{row.get('row', '')}:{column}", printed(value)))
            code = row.get("code") or ""
            if not code:
                labels.append((f"{view.id}:{row.get('row', '')}", row.get("label", "")))
            # A code "used" has an amount: 公开06 prints the whole list, mostly blank.
            if code and any(row.get(c, "").strip() for c in columns):
                use = codes.setdefault((kind, code), {"label": row.get("label", ""), "amounts": []})
                if view.table.layout in ("classified", "economic"):
                    use["label"] = row.get("label", "") or use["label"]
                    use["amounts"].append((view.id, printed(row.get(columns[0], ""))))
    # A heading that explains nothing (其他专用名词) is no term; its entries are.
    headings = {e.order: e.term for e in disclosure.glossary}
    terms = tuple(
        TermUse(
            term_key(e.term),
            e.term,
            e.definition,
            headings.get(e.parent, "") if e.parent is not None else "",
        )
        for e in disclosure.glossary
        if e.term and e.definition.strip()
    )
    validation = disclosure.validation
    return Summary(
        disclosure.slug,
        disclosure.year,
        disclosure.unit,
        disclosure.region,
        disclosure.name,
        disclosure.title,
        disclosure.edition.id,
        disclosure.edition.title,
        validation.status,
        sum(f.severity == "error" for f in validation.findings),
        sum(f.severity == "warning" for f in validation.findings),
        tuple(facts),
        tuple(
            CodeUse(kind, code, use["label"], tuple(use["amounts"]))
            for (kind, code), use in sorted(codes.items())
        ),
        terms,
        tuple((v.id, v.title) for v in disclosure.tables),
        tuple(labels),
    )
