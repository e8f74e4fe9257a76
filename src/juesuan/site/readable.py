"""A table as people read it: Chinese headers, rows in the order of the code list.

The package's CSVs keep stable machine ids (``row``, ``income``…) in the order
the source printed them, and their Table Schema ``title``s carry the Chinese
labels; the downloads meant for people (the Excel CSV, the workbook, the
table's JSON on the site) put the labels in the header and the rows of a
classified or economic table in hierarchy order: 合计, then each 类 followed by
its 款 and their 项, codes in code-list order. 公开06 prints its list in three
panels read across (301, 302, 310, 30101 …); here it reads 301, 30101 ….
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from juesuan.site.corpus import Disclosure, FindingView, TableView
from juesuan.site.tables import column_paths
from juesuan.taxonomy.codes import codelist

Row = TypeVar("Row", bound=Mapping[str, Any])


@cache
def _positions(kind: str) -> dict[str, int]:
    """Each code's place in its code list (the first entry, when years repeat it)."""
    positions: dict[str, int] = {}
    for index, entry in enumerate(codelist(kind)):
        positions.setdefault(entry.code, index)
    return positions


def code_key(kind: str, code: str) -> tuple[tuple[int, str], ...]:
    """Sort key of a code: its 类, 款 and 项 in turn, each by its place in the list.

    A parent's key is a prefix of its children's, so it sorts just before them;
    a code the list lacks follows the listed ones of its level, by code.
    """
    positions = _positions(kind)
    parts = [code[:n] for n in (3, 5, 7) if n < len(code)] + [code]
    return tuple((positions.get(part, len(positions)), part) for part in parts)


def hierarchy_order(
    rows: Iterable[Row], kind: str | None, field: Callable[[Row, str], str] | None = None
) -> list[Row]:
    """``rows`` with the grand total first, then the coded rows in hierarchy order.

    Rows with no code (group totals such as 人员经费合计) keep their printed order
    after the coded rows; a table without a code list keeps its printed order.
    """
    rows = list(rows)
    if kind is None:
        return rows
    get = field or (lambda row, name: str(row.get(name) or ""))
    totals = [r for r in rows if get(r, "row") == "total"]
    coded = [r for r in rows if get(r, "row") != "total" and get(r, "code")]
    others = [r for r in rows if get(r, "row") != "total" and not get(r, "code")]
    coded.sort(key=lambda r: code_key(kind, get(r, "code")))
    return [*totals, *coded, *others]


def ordered_rows(view: TableView) -> list[dict[str, str]]:
    """The table's rows in the order people read them."""
    return hierarchy_order(view.rows, view.table.codelist)


@dataclass(frozen=True)
class Field:
    """A column of the readable table: the package field and its header path."""

    name: str
    """The package CSV's field (``code``, ``label``, ``income``…)."""
    path: tuple[str, ...]
    """Header from the outermost group to the label (收入 / 金额)."""
    kind: str
    """code, label, side, line, value, source_line, location or text."""

    @property
    def header(self) -> str:
        """The one-line header of a CSV: the path joined by `` / ``."""
        return " / ".join(self.path)


LOCATION = Field("location", ("原文位置",), "location")
"""The page and line of a PDF (or sheet and row of a workbook) source."""


def fields(view: TableView, *, locations: bool = False) -> list[Field]:
    """The readable columns of ``view``: every field but the row id, labels as paths.

    A value column of a two-sided ledger is headed by its side first (收入 / 金额,
    支出 / 金额), so no two columns carry the same header. ``locations`` adds
    原文位置 after 原文行号.
    """
    table = view.table
    paths = dict(zip([c.id for c in table.columns], column_paths(table.columns), strict=True))
    side_of = {column: side.label for side in table.sides for column in side.columns}
    out = []
    for name, spec in view.fields.items():
        if name == "row":
            continue
        if name in paths:
            path = paths[name]
            side = side_of.get(name)
            if side and path[0] != side:
                path = (side, *path)
            out.append(Field(name, path, "value"))
        else:
            kind = name if name in ("code", "label", "side", "line", "source_line") else "text"
            out.append(Field(name, (str(spec.get("title") or name),), kind))
        if name == "source_line" and locations:
            out.append(LOCATION)
    return _distinct(out)


def _distinct(found: Sequence[Field]) -> list[Field]:
    """Headers made unique by the field id where two paths still coincide."""
    seen: dict[tuple[str, ...], int] = {}
    for field in found:
        seen[field.path] = seen.get(field.path, 0) + 1
    return [
        Field(f.name, (*f.path[:-1], f"{f.path[-1]}（{f.name}）"), f.kind)
        if seen[f.path] > 1
        else f
        for f in found
    ]


def cell(view: TableView, row: Mapping[str, str], field: Field, where: Mapping[int, str]) -> str:
    """The text of ``field`` in ``row`` as people read it: 收入 for ``income``, the page."""
    if field.kind == "location":
        line = row.get("source_line") or ""
        return where.get(int(line), "") if line.isdigit() else ""
    text = row.get(field.name) or ""
    if field.kind == "side":
        return {side.id: side.label for side in view.table.sides}.get(text, text)
    return text


def place(disclosure: Disclosure, finding: FindingView) -> tuple[str, str | None]:
    """表号 / 行 / 栏 of a finding as printed, and its table's id; ids where there is no table."""
    view = disclosure.table(finding.table) if finding.table else None
    if view is None:
        return " / ".join(p for p in (finding.table, finding.row, finding.column) if p), None
    words = [view.number]
    row = view.row(finding.row) if finding.row else None
    if finding.row:
        label = (row or {}).get("label") or ""
        words.append(f"{(row or {}).get('code') or ''} {label}".strip() or finding.row)
    if finding.column:
        try:
            words.append(view.table.column(finding.column).label)
        except KeyError:
            words.append(finding.column)
    return " / ".join(words), view.id
