"""Strict models of the taxonomy: editions, tables, rows, columns and rules.

A table definition is the single place that knows a table's rows, columns and
arithmetic. Parsers, Table Schemas, JSON Schemas, validation and rendering all
read these models; none of them re-types a label or a formula.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Identifier = str
"""Row and column ids: ASCII, stable, used as CSV headers and fact keys."""


class Strict(BaseModel):
    """Base for every taxonomy model: frozen, and a typo in YAML is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Column(Strict):
    """A value column (栏次) of a table."""

    id: Identifier
    label: str
    """The column's label as the template prints it."""
    number: int | None = None
    """栏次 as printed, when the template numbers its columns."""
    group: str | None = None
    """A header that spans this column and its neighbours (本年支出, 预算数, 收入…)."""
    aliases: tuple[str, ...] = ()
    """Other spellings of the label met in real documents."""


class Row(Strict):
    """A fixed row of a ledger or economic table (classified tables have open rows)."""

    id: Identifier
    label: str
    line: int | None = None
    """行次, when the template numbers its rows."""
    side: str | None = None
    """For two-sided tables: the side id (see Table.sides) the row belongs to."""
    code: str | None = None
    """Classification code the row stands for (e.g. summary row 一般公共服务支出 = 201)."""
    aliases: tuple[str, ...] = ()
    placeholder: bool = False
    """A numbered line the template leaves without a label; it must stay empty."""


class Side(Strict):
    """One side of a two-sided (收入 | 支出) ledger table."""

    id: Identifier
    label: str
    columns: tuple[Identifier, ...]
    """The value columns printed on this side, in order."""


Term = str
"""A term of a sum: a row or column id, prefixed with '-' to subtract it."""


class SumRule(Strict):
    """An arithmetic promise inside one table.

    ``axis: row``: within each row (or the listed rows), column ``total`` equals
    the signed sum of the columns in ``parts``.
    ``axis: column``: within each column (or the listed columns), row ``total``
    equals the signed sum of the rows in ``parts``.
    """

    id: Identifier
    description: str
    kind: Literal["sum"] = "sum"
    axis: Literal["row", "column"]
    total: Identifier
    parts: tuple[Term, ...]
    within: tuple[Identifier, ...] | None = None
    """Rows (axis row) or columns (axis column) the rule applies to; None = all."""
    severity: Literal["error", "warning"] = "error"


class HierarchyRule(Strict):
    """类 = Σ 款 = Σ 项 for every value column; the grand total row = Σ 类."""

    id: Identifier
    description: str
    kind: Literal["hierarchy"] = "hierarchy"
    codelist: Literal["function", "economic"]
    total: Identifier | None = None
    """Row id of the grand total (合计) that equals the sum of 类 rows, if any."""
    within: tuple[Identifier, ...] | None = None
    """Columns the rule applies to; None = all value columns."""
    severity: Literal["error", "warning"] = "error"


TableRule = SumRule | HierarchyRule


class ColumnOrder(Strict):
    """Another way some documents print the table: which columns, in what order.

    Chosen when the table's header (spaces removed) matches ``header_pattern``.
    Columns not listed are not printed in that form (their cells are blank).
    """

    id: Identifier
    description: str
    header_pattern: str
    columns: tuple[Identifier, ...]
    headers: dict[Identifier, tuple[str, ...]] = Field(default_factory=dict)
    """The header of each column in this form, outermost first, when the labels and
    groups do not give it: one entry per header row, an entry repeated down the
    list being one cell over those rows (合计 over 预算数 and 决算数)."""

    @model_validator(mode="after")
    def _headers_cover_the_columns(self) -> ColumnOrder:
        if self.headers and set(self.headers) != set(self.columns):
            raise ValueError(f"{self.id}: headers must name exactly the columns of the form")
        if any(not path for path in self.headers.values()):
            raise ValueError(f"{self.id}: a column's header has at least one row")
        return self


class Stub(Strict):
    """The key columns left of the amounts, headed as the template prints them."""

    group: str | None = None
    """A heading over the code and the label columns (项目)."""
    code: str | None = None
    """The code column's heading (功能分类科目编码); None when no code column is printed."""
    levels: tuple[str, ...] = ()
    """Headings under ``code`` (类, 款, 项); the code is printed across them."""
    label: str = "项目"
    """The label column's heading (科目名称)."""

    @model_validator(mode="after")
    def _levels_need_a_code(self) -> Stub:
        if self.levels and not self.code:
            raise ValueError("stub: levels are headings under the code column, which has none")
        return self


class Panel(Strict):
    """One panel of an economic table printed side by side with the others."""

    classes: tuple[str, ...]
    """The 类 codes the panel lists, top to bottom (301, 303)."""
    band: str | None = None
    """A heading over the panel (人员经费); neighbours with the same band share one cell."""


class Table(Strict):
    """One disclosure table of one edition."""

    id: Identifier
    """Stable across editions for the same national table (summary, income, …);
    an edition may bring tables of its own."""
    number: str
    """The table's number as printed (公开01表, 表1)."""
    title: str
    """The title as printed, without the year prefix (收入支出决算总表)."""
    aliases: tuple[str, ...] = ()
    """Other titles the same table carries in real documents."""
    layout: Literal["ledger", "classified", "economic", "single"]
    """ledger: fixed rows with 行次, one or two sides; classified: open rows keyed by
    function code plus 合计; economic: the economic code list in panels plus group
    totals; single: one row of values."""
    codelist: Literal["function", "economic"] | None = None
    """Code list that keys the table's classified rows."""
    unit: Literal["万元"] = "万元"
    columns: tuple[Column, ...]
    rows: tuple[Row, ...] = ()
    """Fixed rows (ledger, economic, single); classified tables add one per code."""
    sides: tuple[Side, ...] = ()
    rules: tuple[TableRule, ...] = ()
    printed: tuple[Identifier, ...] | None = None
    """The columns the template prints, in order, when not all of ``columns``
    (the others belong to a form listed in ``column_orders``)."""
    column_orders: tuple[ColumnOrder, ...] = ()
    stub: Stub | None = None
    """How the key columns are headed; None: by the Table Schema's field titles."""
    panels: tuple[Panel, ...] = ()
    """Economic tables: the panels printed side by side, left to right."""
    column_numbers: bool = True
    """Whether the template prints the 栏次 row under the header."""

    @model_validator(mode="after")
    def _consistent(self) -> Table:
        column_ids = [c.id for c in self.columns]
        for name, printed in [("printed", self.printed or ())] + [
            (order.id, order.columns) for order in self.column_orders
        ]:
            if len(set(printed)) != len(printed) or not set(printed) <= set(column_ids):
                raise ValueError(f"{self.id}/{name}: columns must be distinct columns of the table")
        row_ids = [r.id for r in self.rows]
        _unique(column_ids, f"{self.id}: column ids")
        _unique(row_ids, f"{self.id}: row ids")
        if self.layout == "classified" and self.codelist is None:
            raise ValueError(f"{self.id}: a classified table names its codelist")
        for side in self.sides:
            for column in side.columns:
                if column not in column_ids:
                    raise ValueError(f"{self.id}: side {side.id} names unknown column {column}")
        side_ids = {s.id for s in self.sides}
        for row in self.rows:
            if self.sides and row.side not in side_ids:
                raise ValueError(f"{self.id}: row {row.id} has no valid side")
        for rule in self.rules:
            self._check_rule(rule, set(column_ids), set(row_ids))
        classes = [c for panel in self.panels for c in panel.classes]
        if self.panels and self.layout != "economic":
            raise ValueError(f"{self.id}: only an economic table is printed in panels")
        if len(set(classes)) != len(classes) or not all(len(c) == 3 for c in classes):
            raise ValueError(f"{self.id}: panels list distinct 类 codes (three digits)")
        return self

    def _check_rule(self, rule: TableRule, columns: set[str], rows: set[str]) -> None:
        if isinstance(rule, HierarchyRule):
            names = set(rule.within or ())
            if not names <= columns:
                raise ValueError(f"{self.id}/{rule.id}: unknown columns {names - columns}")
            if rule.total and rule.total not in rows | {"total"}:
                raise ValueError(f"{self.id}/{rule.id}: unknown total row {rule.total}")
            return
        along, across = (columns, rows) if rule.axis == "row" else (rows, columns)
        if self.layout == "classified" and rule.axis == "column":
            along = along | {"total"}
        terms = {t.removeprefix("-") for t in rule.parts} | {rule.total}
        if not terms <= along:
            raise ValueError(f"{self.id}/{rule.id}: unknown terms {sorted(terms - along)}")
        if rule.within is not None and not set(rule.within) <= across | {"total"}:
            raise ValueError(f"{self.id}/{rule.id}: unknown 'within' {rule.within}")

    def column(self, column_id: str) -> Column:
        """The column with this id."""
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(f"{self.id}: no column {column_id}")

    def row(self, row_id: str) -> Row:
        """The fixed row with this id."""
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(f"{self.id}: no row {row_id}")

    def printed_label(self, column_id: str) -> str:
        """A column as the table prints it, group first: 决算数合计, not actual_total."""
        for column in self.columns:
            if column.id == column_id:
                group = column.group if column.group and column.group != column.label else ""
                return f"{group}{column.label}"
        return column_id

    @property
    def printed_columns(self) -> tuple[str, ...]:
        """The columns the template prints, in order."""
        return self.printed or tuple(c.id for c in self.columns)

    @property
    def has_lines(self) -> bool:
        """Whether the template numbers its rows (行次)."""
        return any(r.line is not None for r in self.rows)


CellRef = str
"""A cell in another table: ``table:row:column``; ``{code}`` in the row stands for
each code of the rule's ``each``; a leading '-' subtracts the term."""


class CrossRule(Strict):
    """An identity between tables of one disclosure (总表 = 收入表 合计, and the like)."""

    id: Identifier
    description: str
    left: tuple[CellRef, ...]
    op: Literal["=", ">="] = "="
    right: tuple[CellRef, ...]
    each: Literal["function_class", "function_code"] | None = None
    """Repeat the rule for every 类 code (function_class) or every function code
    present in the referenced tables."""
    severity: Literal["error", "warning"] = "error"


class ColumnOverlay(Strict):
    """A column as a province heads it: another label, another group or none."""

    label: str | None = None
    """The label the province prints; the national label becomes an alias."""
    group: str | None = None
    """The group the province prints over it; ``group: null`` prints none."""


class TableOverlay(Strict):
    """How a province prints one national table: its own title, headings, panels."""

    title: str | None = None
    """The title the province prints; the national title becomes an alias."""
    aliases: tuple[str, ...] = ()
    columns: dict[Identifier, ColumnOverlay] = Field(default_factory=dict)
    stub: Stub | None = None
    panels: tuple[Panel, ...] | None = None


class Overlay(Strict):
    """A province's or city's way of printing an edition's national tables.

    The arithmetic stays the national one: an overlay changes only how tables
    are recognised and in what order they stand.
    """

    id: Identifier
    title: str
    region: str
    """Where the overlay's template is used (上海市)."""
    tables: dict[str, TableOverlay] = Field(default_factory=dict)
    table_order: tuple[str, ...] | None = None
    column_numbers: bool = True
    """Whether the province prints the 栏次 row under the tables' headers."""


class Edition(Strict):
    """A version of the disclosure templates (a taxonomy version, XBRL-wise)."""

    id: Identifier
    title: str
    first_year: int
    last_year: int | None = None
    """Years the edition's templates were printed for, as far as documents show."""
    table_order: tuple[str, ...]
    """Table ids in the order the templates print them."""
    rules: tuple[CrossRule, ...] = ()
    tables: dict[str, Table] = Field(default_factory=dict)
    overlay: Overlay | None = None
    """The provincial overlay this edition is printed with, when not the national form."""

    @property
    def key(self) -> str:
        """The edition and overlay as one name: 2024, or 2024/shanghai."""
        return f"{self.id}/{self.overlay.id}" if self.overlay else self.id

    def with_overlay(self, overlay: Overlay) -> Edition:
        """The edition as ``overlay`` prints it."""
        unknown = (set(overlay.tables) | set(overlay.table_order or ())) - set(self.tables)
        if unknown or (overlay.table_order and set(overlay.table_order) != set(self.tables)):
            raise ValueError(
                f"overlay {overlay.id} of edition {self.id}: its tables "
                f"{sorted(unknown) or sorted(overlay.table_order or ())} "
                f"are not the edition's {sorted(self.tables)}"
            )
        tables = {
            table_id: table.model_copy(update={"column_numbers": overlay.column_numbers})
            for table_id, table in self.tables.items()
        }
        for table_id, change in overlay.tables.items():
            table = tables[table_id]
            title = change.title or table.title
            aliases = (*change.aliases, *table.aliases, table.title)
            update: dict[str, object] = {
                "title": title,
                "aliases": tuple(a for a in aliases if a != title),
                "columns": _relabelled(table, change.columns),
            }
            if change.stub is not None:
                update["stub"] = change.stub
            if change.panels is not None:
                update["panels"] = change.panels
            # Validated again: a relabelled column or a panel must still fit the table.
            tables[table_id] = Table.model_validate({**table.model_dump(), **update})
        return self.model_copy(
            update={
                "tables": tables,
                "table_order": overlay.table_order or self.table_order,
                "overlay": overlay,
            }
        )

    @model_validator(mode="after")
    def _consistent(self) -> Edition:
        if set(self.table_order) != set(self.tables):
            raise ValueError(
                f"edition {self.id}: table_order {sorted(self.table_order)} "
                f"differs from the tables defined {sorted(self.tables)}"
            )
        for rule in self.rules:
            for ref in (*rule.left, *rule.right):
                table_id, row_id, column_id = ref.removeprefix("-").split(":")
                table = self.tables.get(table_id)
                if table is None:
                    raise ValueError(f"{self.id}/{rule.id}: unknown table {table_id}")
                try:
                    table.column(column_id)
                    if "{code}" not in row_id and row_id != "total":
                        table.row(row_id)
                except KeyError as error:
                    raise ValueError(f"{self.id}/{rule.id}: {error.args[0]}") from error
        return self


def _relabelled(table: Table, changes: dict[str, ColumnOverlay]) -> tuple[Column, ...]:
    """The table's columns with a province's labels and groups."""
    unknown = set(changes) - {c.id for c in table.columns}
    if unknown:
        raise ValueError(f"{table.id}: the overlay names unknown columns {sorted(unknown)}")
    columns = []
    for column in table.columns:
        change = changes.get(column.id)
        if change is None:
            columns.append(column)
            continue
        update: dict[str, object] = {}
        if change.label is not None and change.label != column.label:
            update["label"] = change.label
            update["aliases"] = (*column.aliases, column.label)
        if "group" in change.model_fields_set:
            update["group"] = change.group
        columns.append(column.model_copy(update=update))
    return tuple(columns)


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what}: {value} appears twice")
        seen.add(value)
