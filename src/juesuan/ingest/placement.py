"""Place the amounts of open rows (flowed text lost their blank cells).

Every open row has a set of candidate placements: the order-preserving ways its
amounts can sit in its columns. The declared rules, inside tables and across
them, decide: a constraint solver (OR-Tools CP-SAT) looks for the placements that
break the fewest rules, within XBRL rounding tolerance, and enumerates them. A
row whose placement is the same in every such solution is placed; a row left with
several is an error that lists them, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from pathlib import Path
from typing import Any

from juesuan.errors import SourceError
from juesuan.ingest.layouts import RawRow
from juesuan.taxonomy import Table
from juesuan.taxonomy.rules import CellKey, Equation
from juesuan.taxonomy.tolerance import IN_WAN_YUAN, Precision, to_units

_LISTED_OPTIONS = 40
"""Up to this many candidates, an undecided row's error lists every one that fits."""
_TIME_LIMIT = 20.0
"""Seconds one solve may take; a search that needs longer is a refusal, not an answer."""


class _Unplaced(Exception):
    """The solver could not prove a placement: the reason, for the person."""

    def __init__(self, message: str, rows: Sequence[RawRow]) -> None:
        super().__init__(message)
        self.message = message
        self.rows = list(rows)


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
    path: Path,
    tables: Mapping[str, Table],
    rows: Iterable[RawRow],
    equations: list[Equation],
    evidence: Sequence[tuple[CellKey, Decimal]] = (),
    precision: Precision = IN_WAN_YUAN,
) -> tuple[dict[tuple[str, str], tuple[int, ...]], list[Inference]]:
    """A placement for every row, by (table, row id), and how open rows were decided.

    ``evidence`` are cells whose value the narrative states: they only choose
    between placements that break equally few rules. ``precision`` says what each
    table prints its amounts to, hence the rounding each rule allows.
    """
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
    counts = {key: len(options) for key, (_row, options) in open_rows.items()}
    open_rows = _prefilter(constants, open_rows, relevant, precision)
    stated = [(key, value) for key, value in evidence if key[:2] in open_rows]
    try:
        best, alternatives, narrative_used = _solve(
            constants,
            open_rows,
            relevant,
            stated,
            precision,
            holds=lambda best: not _broken(constants, open_rows, relevant, best, precision),
        )
        _check_rules_hold(tables, constants, open_rows, relevant, best, precision)
    except _Unplaced as refusal:
        first = refusal.rows[0] if refusal.rows else next(iter(open_rows.values()))[0]
        raise SourceError(
            path,
            refusal.message,
            line=first.source_line,
            table=tables[first.table].number,
            expected="amounts whose columns the tables' arithmetic proves; write the columns "
            "read off the paper in <unit>/<year>/placements.yaml (table, row, columns; see "
            "CONTRIBUTING.md), or use a version of the document that prints its blank cells",
        ) from None
    # A rule "decided" a row only if it holds in the placement chosen.
    chosen = {**constants, **_placed_values(open_rows, best)}
    rules_of: dict[tuple[str, str], set[str]] = {}
    for equation in relevant:
        if not holds(equation, {}, chosen, precision):
            continue
        for table, row_id, _column in equation.cells:
            rules_of.setdefault((table, row_id), set()).add(equation.rule)
    for (table, row_id, _column), _value in stated if narrative_used else ():
        rules_of.setdefault((table, row_id), set()).add("narrative")
    inferences, ambiguous = [], []
    for key, (row, _options) in open_rows.items():
        if key in alternatives:
            ambiguous.append((row, sorted(alternatives[key])))
            continue
        placement = best[key]
        fixed[key] = placement
        deciding = sorted(rules_of.get(key, ()))
        inferences.append(
            Inference(
                row.table,
                row.id,
                row.source_line,
                tuple(row.columns[p] for p in placement),
                counts[key],
                tuple(deciding),
            )
        )
    if ambiguous:
        raise SourceError(
            path,
            _ambiguity_message(tables, ambiguous),
            line=ambiguous[0][0].source_line,
            table=tables[ambiguous[0][0].table].number,
            expected="amounts whose columns the table's arithmetic and the other tables "
            "determine; use a version of the document that prints its blank cells, or write "
            "the columns read off the paper in <unit>/<year>/placements.yaml "
            "(table, row, columns; see CONTRIBUTING.md)",
        )
    return fixed, inferences


def _ambiguity_message(
    tables: Mapping[str, Table], ambiguous: list[tuple[RawRow, list[tuple[int, ...]]]]
) -> str:
    lines = []
    for row, options in ambiguous:
        table = tables[row.table]
        labels = {c.id: c.label for c in table.columns}
        amounts = " ".join(v.text if v else "—" for v in row.values)
        shown = [
            "(" + ", ".join(labels[row.columns[p]] for p in option) + ")" for option in options[:8]
        ]
        more = f" and {len(options) - 8} more" if len(options) > 8 else ""
        # The ids a contributor writes into placements.yaml, once the paper is read.
        ids = ", ".join(f"{labels[c]} = {c}" for c in row.columns)
        lines.append(
            f"table {row.table} row {row.id} ({row.label}) line {row.source_line}: amounts "
            f"{amounts} fit {' or '.join(shown)}{more} [columns: {ids}]"
        )
    return "cannot decide which columns hold these amounts: " + "; ".join(lines)


def _placed_values(
    open_rows: Mapping[tuple[str, str], tuple[RawRow, list[tuple[int, ...]]]],
    best: Mapping[tuple[str, str], tuple[int, ...]],
) -> dict[CellKey, Decimal]:
    values: dict[CellKey, Decimal] = {}
    for key, (row, _options) in open_rows.items():
        if key in best:
            for column, token in row.placed(best[key]).items():
                values[(row.table, row.id, column)] = token.amount
    return values


def _broken(
    constants: Mapping[CellKey, Decimal],
    open_rows: Mapping[tuple[str, str], tuple[RawRow, list[tuple[int, ...]]]],
    equations: list[Equation],
    best: Mapping[tuple[str, str], tuple[int, ...]],
    precision: Precision,
) -> list[Equation]:
    """The rules (errors) a placement breaks."""
    values = {**constants, **_placed_values(open_rows, best)}
    return [e for e in equations if e.severity == "error" and not holds(e, {}, values, precision)]


def _check_rules_hold(
    tables: Mapping[str, Table],
    constants: Mapping[CellKey, Decimal],
    open_rows: Mapping[tuple[str, str], tuple[RawRow, list[tuple[int, ...]]]],
    equations: list[Equation],
    best: Mapping[tuple[str, str], tuple[int, ...]],
    precision: Precision,
) -> None:
    """Refuse a best placement that still breaks a rule (an error) over open rows.

    When no placement makes every rule hold, an amount is missing or the document
    contradicts itself: the columns cannot be inferred, only read off the paper.
    """
    broken = _broken(constants, open_rows, equations, best, precision)
    if not broken:
        return
    rows = [
        open_rows[(t, r)][0]
        for t, r in dict.fromkeys((t, r) for e in broken for t, r, _c in e.cells)
        if (t, r) in open_rows
    ]
    names = "; ".join(
        f"table {row.table} row {row.id} ({row.label}) line {row.source_line}: amounts "
        + " ".join(v.text if v else "—" for v in row.values)
        for row in rows
    )
    rules = ", ".join(dict.fromkeys(e.rule for e in broken))
    raise _Unplaced(
        f"no placement of these amounts makes the rules hold ({rules} stay broken in the "
        f"best one), so their columns cannot be inferred: {names}",
        rows,
    )


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
    stated: Sequence[tuple[CellKey, Decimal]] = (),
    precision: Precision = IN_WAN_YUAN,
    holds: Callable[[Mapping[tuple[str, str], tuple[int, ...]]], bool] = lambda _best: True,
) -> tuple[
    dict[tuple[str, str], tuple[int, ...]], dict[tuple[str, str], set[tuple[int, ...]]], bool
]:
    """The best placement, the ambiguous rows with their candidates, and more.

    The third value says whether the narrative had to break ties. A best placement
    that ``holds`` rejects is refused whatever else fits, so the candidates of
    undecided rows are not listed for it (a solve per candidate).
    """
    from ortools.sat.python import cp_model  # heavy; only flowed text needs it

    model = cp_model.CpModel()
    choice: dict[tuple[str, str], list[Any]] = {}
    for key, (_row, options) in open_rows.items():
        choice[key] = [model.new_bool_var(f"{key}:{i}") for i in range(len(options))]
        model.add_exactly_one(choice[key])

    # Integers fine enough for every amount and half unit the tables print.
    scale = precision.places
    placed = {key: [row.placed(o) for o in options] for key, (row, options) in open_rows.items()}
    cells: dict[CellKey, tuple[Any, Any]] = {}

    def cell(key: CellKey) -> tuple[Any, Any]:
        """(value in units of 10^-places 万元, reported 0/1) of a cell, as linear expressions."""
        if key in cells:
            return cells[key]
        table, row_id, column = key
        if (table, row_id) in open_rows:
            value, reported = 0, 0
            for var, amounts in zip(choice[(table, row_id)], placed[(table, row_id)], strict=True):
                if column in amounts:
                    value += to_units(amounts[column].amount, scale) * var
                    reported += var
            cells[key] = (value, reported)
        else:
            amount = constants.get(key)
            cells[key] = (0, 0) if amount is None else (to_units(amount, scale), 1)
        return cells[key]

    # An error rule broken outweighs every warning: the best placement breaks an
    # error only when every placement does, and is then refused without more search.
    error_weight = 1 + sum(1 for e in equations if e.severity != "error")
    broken = []
    for equation in equations:
        difference, reported = 0, 0
        for side, sign_of_side in ((equation.left, 1), (equation.right, -1)):
            for sign, cell_key in side:
                value, present = cell(cell_key)
                difference += sign * sign_of_side * value
                reported += present
        per_term = to_units(precision.per_term(t for t, _r, _c in equation.cells), scale)
        tolerance = per_term * reported
        violated = model.new_bool_var(equation.rule)
        if equation.op == "=":
            above = model.new_bool_var("above")
            model.add(difference <= tolerance).only_enforce_if(violated.negated())
            model.add(difference >= -tolerance).only_enforce_if(violated.negated())
            model.add(difference >= tolerance + 1).only_enforce_if([violated, above])
            model.add(difference <= -tolerance - 1).only_enforce_if([violated, above.negated()])
            model.add_implication(violated.negated(), above.negated())
        else:
            model.add(difference >= -tolerance).only_enforce_if(violated.negated())
            model.add(difference <= -tolerance - 1).only_enforce_if(violated)
        broken.append(violated * (error_weight if equation.severity == "error" else 1))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = _TIME_LIMIT
    # The models are small and tightly constrained: presolve, symmetry detection
    # and LP relaxations cost more than the search they would save.
    solver.parameters.cp_model_presolve = False
    solver.parameters.symmetry_level = 0
    solver.parameters.linearization_level = 0

    Best = dict[tuple[str, str], tuple[int, ...]]
    Found = dict[tuple[str, str], set[tuple[int, ...]]]

    def optimise(objective: list[Any], first: bool = False) -> tuple[Best, Found] | None:
        """Fix the objective at its best; the best placements' alternatives.

        The ``first`` best that breaks an error rule has none listed: it is refused.
        """
        model.minimize(sum(objective))
        model.clear_assumptions()
        status = solver.solve(model)
        if status == cp_model.FEASIBLE or status == cp_model.UNKNOWN:
            _timed_out(open_rows, "find the placement that breaks the fewest rules")
        if status != cp_model.OPTIMAL:
            return None
        best = {key: _chosen(solver, choice[key], open_rows[key][1]) for key in open_rows}
        if first and not holds(best):
            return best, {}
        model.add(sum(objective) == round(solver.objective_value))
        model.clear_objective()  # type: ignore[no-untyped-call]
        return best, _alternatives(model, solver, choice, open_rows, best)

    result = optimise(broken, first=True)
    if result is None:
        return {}, {key: set(options) for key, (_row, options) in open_rows.items()}, False
    best, alternatives = result
    if not holds(best):
        return best, {}, False
    narrative_used = bool(stated) and any(len(found) > 1 for found in alternatives.values())
    if narrative_used:
        # What the narrative states counts only among placements that break
        # equally few rules: a second objective, when the rules leave rows open.
        mismatches = []
        for cell_key, value in stated:
            amount, _present = cell(cell_key)
            differs = model.new_bool_var("narrative")
            above = model.new_bool_var("above")
            said = to_units(value, scale)
            model.add(amount == said).only_enforce_if(differs.negated())
            model.add(amount >= said + 1).only_enforce_if([differs, above])
            model.add(amount <= said - 1).only_enforce_if([differs, above.negated()])
            model.add_implication(differs.negated(), above.negated())
            mismatches.append(differs)
        best, alternatives = optimise(mismatches) or (best, alternatives)
    ambiguous = {key: found for key, found in alternatives.items() if len(found) > 1}
    if ambiguous and not holds(best):
        return best, ambiguous, narrative_used
    # For the error message: every placement of an undecided row that fits as well.
    for key, found in ambiguous.items():
        options = open_rows[key][1]
        if len(options) > _LISTED_OPTIONS:
            continue
        for index, option in enumerate(options):
            if option in found:
                continue
            model.clear_assumptions()
            model.add_assumptions([choice[key][index]])
            if solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                found.add(option)
    return best, ambiguous, narrative_used


def _alternatives(
    model: Any,
    solver: Any,
    choice: Mapping[tuple[str, str], list[Any]],
    open_rows: Mapping[tuple[str, str], tuple[RawRow, list[tuple[int, ...]]]],
    best: Mapping[tuple[str, str], tuple[int, ...]],
) -> dict[tuple[str, str], set[tuple[int, ...]]]:
    """For each open row, the placements found among the best solutions.

    Among the placements as good as the best one, does any row have another? Ask
    for a solution that differs somewhere among the rows not yet shown ambiguous,
    until none exists: one extra solve when all is determined, one more per
    ambiguous row otherwise.
    """
    from ortools.sat.python import cp_model

    alternatives = {key: {placement} for key, placement in best.items()}
    undecided = set(open_rows)
    while undecided:
        differs = model.new_bool_var("differs")
        model.AddBoolOr(
            [choice[key][open_rows[key][1].index(best[key])].negated() for key in undecided]
        ).only_enforce_if(differs)
        model.clear_assumptions()
        model.add_assumptions([differs])
        status = solver.solve(model)
        if status == cp_model.UNKNOWN:
            _timed_out(open_rows, "prove that no other placement fits as well")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        for key in list(undecided):
            other = _chosen(solver, choice[key], open_rows[key][1])
            if other != best[key]:
                alternatives[key].add(other)
                undecided.discard(key)
    model.clear_assumptions()
    return alternatives


def _timed_out(
    open_rows: Mapping[tuple[str, str], tuple[RawRow, list[tuple[int, ...]]]], task: str
) -> None:
    rows = [row for row, _options in open_rows.values()]
    names = ", ".join(f"{row.table} {row.id}" for row in rows[:12])
    raise _Unplaced(
        f"the placement search could not {task} within {_TIME_LIMIT:g} s, so no placement "
        f"is taken as proven ({len(rows)} open rows: {names})",
        rows,
    )


def _chosen(solver: Any, variables: list[Any], options: list[tuple[int, ...]]) -> tuple[int, ...]:
    return options[next(i for i, var in enumerate(variables) if solver.value(var))]


def _prefilter(
    constants: Mapping[CellKey, Decimal],
    open_rows: dict[tuple[str, str], tuple[RawRow, list[tuple[int, ...]]]],
    equations: list[Equation],
    precision: Precision,
) -> dict[tuple[str, str], tuple[RawRow, list[tuple[int, ...]]]]:
    """Drop the candidates that break more of a row's own equations than others do.

    An equation that reads only one open row (the rest being known) can be judged
    candidate by candidate; doing so first keeps the solver's model small.
    """
    local: dict[tuple[str, str], list[Equation]] = {}
    for equation in equations:
        touched = {(t, r) for t, r, _c in equation.cells if (t, r) in open_rows}
        if len(touched) == 1:
            local.setdefault(touched.pop(), []).append(equation)
    result = dict(open_rows)
    for key, eqs in local.items():
        row, options = open_rows[key]
        scores = []
        for option in options:
            own = {(row.table, row.id, c): t.amount for c, t in row.placed(option).items()}
            scores.append(sum(not holds(e, own, constants, precision) for e in eqs))
        least = min(scores)
        if least:
            continue  # no candidate fits: leave the trade-off to the whole model
        result[key] = (row, [o for o, score in zip(options, scores, strict=True) if score == least])
    return result


def holds(
    equation: Equation,
    own: Mapping[CellKey, Decimal],
    constants: Mapping[CellKey, Decimal],
    precision: Precision = IN_WAN_YUAN,
) -> bool:
    """Whether ``equation`` holds within tolerance, reading ``own`` before ``constants``."""
    difference, reported = off_by(equation, own, constants)
    limit = precision.limit((t for t, _r, _c in equation.cells), reported)
    return -difference <= limit if equation.op == ">=" else abs(difference) <= limit


def off_by(
    equation: Equation, own: Mapping[CellKey, Decimal], constants: Mapping[CellKey, Decimal]
) -> tuple[Decimal, int]:
    """Left minus right of ``equation``, and how many amounts it reads (blank cells none)."""
    difference, reported = Decimal(0), 0
    for side, sign_of_side in ((equation.left, 1), (equation.right, -1)):
        for sign, key in side:
            value = own.get(key)
            if value is None:
                value = constants.get(key)
            if value is not None:
                difference += sign * sign_of_side * value
                reported += 1
    return difference, reported
