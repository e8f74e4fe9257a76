"""Place the amounts of open rows (flowed text lost their blank cells).

Every open row has a set of candidate placements: the order-preserving ways its
amounts can sit in its columns. The declared rules, inside tables and across
them, decide: a constraint solver (OR-Tools CP-SAT) looks for the placements that
break the fewest rules, within XBRL rounding tolerance, and enumerates them. A
row whose placement is the same in every such solution is placed; a row left with
several is an error that lists them, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from pathlib import Path

from juesuan.errors import SourceError
from juesuan.layouts import RawRow
from juesuan.rules import CellKey, Equation
from juesuan.taxonomy import Table
from juesuan.tolerance import MILLS_PER_TERM, to_mills

_SOLUTION_LIMIT = 512


@dataclass(frozen=True)
class Inference:
    """How an open row was placed, for the person who reviews the ingest."""

    table: str
    row: str
    source_line: int
    columns: tuple[str, ...]
    """The columns the amounts went to, in order."""
    candidates: int
    rules: tuple[str, ...]
    """Ids of the rules that decided it."""


def candidates(row: RawRow) -> list[tuple[int, ...]]:
    """Order-preserving placements of ``row``'s amounts in its columns."""
    if row.exact:
        return [tuple(range(len(row.columns)))]
    return list(combinations(range(len(row.columns)), len(row.values)))


def place(
    path: Path, tables: Mapping[str, Table], rows: Iterable[RawRow], equations: list[Equation]
) -> tuple[dict[tuple[str, str], tuple[int, ...]], list[Inference]]:
    """A placement for every row, by (table, row id), and how open rows were decided."""
    rows = list(rows)
    fixed: dict[tuple[str, str], tuple[int, ...]] = {}
    open_rows: dict[tuple[str, str], tuple[RawRow, list[tuple[int, ...]]]] = {}
    for row in rows:
        options = candidates(row)
        if len(options) == 1:
            fixed[(row.table, row.id)] = options[0]
        else:
            open_rows[(row.table, row.id)] = (row, options)
    if not open_rows:
        return fixed, []
    constants = _constants(rows, fixed)
    relevant = [e for e in equations if any((t, r) in open_rows for t, r, _c in e.cells)]
    solutions = _solve(constants, open_rows, relevant)
    inferences, ambiguous = [], []
    for key, (row, options) in open_rows.items():
        chosen = {solution[key] for solution in solutions}
        if len(chosen) != 1:
            ambiguous.append((row, sorted(chosen) or options))
            continue
        placement = chosen.pop()
        fixed[key] = placement
        deciding = sorted({e.rule for e in relevant if key in {(t, r) for t, r, _ in e.cells}})
        inferences.append(
            Inference(
                row.table,
                row.id,
                row.source_line,
                tuple(row.columns[p] for p in placement),
                len(options),
                tuple(deciding),
            )
        )
    if ambiguous:
        raise SourceError(
            path,
            _ambiguity_message(tables, ambiguous),
            line=ambiguous[0][0].source_line,
            table=tables[ambiguous[0][0].table].number,
            expected="amounts whose columns the table's arithmetic and the "
            "other tables determine; print the blank cells or give the "
            "placement by hand",
        )
    return fixed, inferences


def _ambiguity_message(tables: Mapping[str, Table], ambiguous: list) -> str:
    lines = []
    for row, options in ambiguous:
        table = tables[row.table]
        labels = {c.id: c.label for c in table.columns}
        amounts = " ".join(v.text for v in row.values)
        shown = [
            "(" + ", ".join(labels[row.columns[p]] for p in option) + ")" for option in options[:8]
        ]
        more = f" and {len(options) - 8} more" if len(options) > 8 else ""
        lines.append(
            f"row {row.id} ({row.label}) line {row.source_line}: amounts {amounts} "
            f"fit {' or '.join(shown)}{more}"
        )
    return "cannot decide which columns hold these amounts: " + "; ".join(lines)


def _constants(
    rows: list[RawRow], fixed: Mapping[tuple[str, str], tuple[int, ...]]
) -> dict[CellKey, Decimal]:
    values: dict[CellKey, Decimal] = {}
    for row in rows:
        placement = fixed.get((row.table, row.id))
        if placement is None:
            continue
        for column, token in row.placed(placement).items():
            values[(row.table, row.id, column)] = token.amount
    return values


def _solve(
    constants: Mapping[CellKey, Decimal],
    open_rows: Mapping[tuple[str, str], tuple[RawRow, list[tuple[int, ...]]]],
    equations: list[Equation],
) -> list[dict[tuple[str, str], tuple[int, ...]]]:
    from ortools.sat.python import cp_model  # heavy; only flowed text needs it

    model = cp_model.CpModel()
    choice: dict[tuple[str, str], list] = {}
    for key, (_row, options) in open_rows.items():
        choice[key] = [model.NewBoolVar(f"{key}:{i}") for i in range(len(options))]
        model.AddExactlyOne(choice[key])

    def cell(key: CellKey):
        """(value in mills, reported 0/1) of a cell, as linear expressions."""
        table, row_id, column = key
        if (table, row_id) in open_rows:
            row, options = open_rows[(table, row_id)]
            value, reported = 0, 0
            for var, option in zip(choice[(table, row_id)], options, strict=True):
                placed = row.placed(option)
                if column in placed:
                    value += to_mills(placed[column].amount) * var
                    reported += var
            return value, reported
        amount = constants.get(key)
        return (0, 0) if amount is None else (to_mills(amount), 1)

    broken = []
    for equation in equations:
        difference, reported = 0, 0
        for side, sign_of_side in ((equation.left, 1), (equation.right, -1)):
            for sign, key in side:
                value, present = cell(key)
                difference += sign * sign_of_side * value
                reported += present
        tolerance = MILLS_PER_TERM * reported
        violated = model.NewBoolVar(equation.rule)
        if equation.op == "=":
            above = model.NewBoolVar("above")
            model.Add(difference <= tolerance).OnlyEnforceIf(violated.Not())
            model.Add(difference >= -tolerance).OnlyEnforceIf(violated.Not())
            model.Add(difference >= tolerance + 1).OnlyEnforceIf([violated, above])
            model.Add(difference <= -tolerance - 1).OnlyEnforceIf([violated, above.Not()])
            model.AddImplication(violated.Not(), above.Not())
        else:
            model.Add(difference >= -tolerance).OnlyEnforceIf(violated.Not())
            model.Add(difference <= -tolerance - 1).OnlyEnforceIf(violated)
        broken.append(violated)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20.0
    model.Minimize(sum(broken))
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    best = round(solver.ObjectiveValue())
    model.ClearObjective()
    model.Add(sum(broken) == best)

    keys = list(open_rows)

    class Collector(cp_model.CpSolverSolutionCallback):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[dict[tuple[str, str], tuple[int, ...]]] = []

        def on_solution_callback(self) -> None:
            solution = {}
            for key in keys:
                options = open_rows[key][1]
                index = next(i for i, var in enumerate(choice[key]) if self.Value(var))
                solution[key] = options[index]
            self.found.append(solution)
            if len(self.found) >= _SOLUTION_LIMIT:
                self.StopSearch()

    collector = Collector()
    solver.parameters.enumerate_all_solutions = True
    solver.Solve(model, collector)
    return collector.found
