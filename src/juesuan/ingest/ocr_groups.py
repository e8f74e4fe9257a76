"""Which tables a scan's broken rules blame, so each is mended by its own rules.

A misread amount breaks the rules of its own table; an amount only a rule
across tables reads (表1's total against 表2's) breaks that rule alone. Each
table one of its own rules finds broken is a group; the tables of a broken
rule across tables that touches none of those are another (merged when such
rules share a table). A mend in a group is judged by the rules that read the
group's cells and no other group's: a second misreading elsewhere cannot make
it look wrong, nor right.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from juesuan.taxonomy.rules import Equation


@dataclass(frozen=True)
class Group:
    """Tables whose broken rules one mend among their amounts must settle."""

    tables: frozenset[str]
    others: frozenset[str]
    """The tables of the other groups: the rules that read them do not judge this one."""

    def judges(self, equation: Equation) -> bool:
        """Whether ``equation`` judges a mend in this group."""
        tables = tables_of(equation)
        return bool(tables & self.tables) and not tables & self.others

    def rules(self, equations: Iterable[Equation]) -> list[Equation]:
        """The equations that judge a mend in this group."""
        return [e for e in equations if self.judges(e)]


def tables_of(equation: Equation) -> frozenset[str]:
    """The tables whose cells ``equation`` reads."""
    return frozenset(table for table, _row, _column in equation.cells)


def groups(broken: Sequence[Equation], forced: Iterable[frozenset[str]] = ()) -> list[Group]:
    """The groups the ``broken`` rules make, in the order of the rules, after ``forced``.

    ``forced`` are tables to mend whatever their rules say (a garbled amount's).
    """
    own: list[frozenset[str]] = list(dict.fromkeys(forced))
    for equation in broken:
        tables = tables_of(equation)
        if len(tables) == 1 and tables not in own:
            own.append(tables)
    blamed = frozenset().union(*own)
    across: list[frozenset[str]] = []
    for equation in broken:
        tables = tables_of(equation)
        if len(tables) == 1 or tables & blamed:
            continue
        touching = [g for g in across if g & tables]
        across = [g for g in across if not g & tables]
        across.append(tables.union(*touching))
    found = [*own, *across]
    every = frozenset().union(*found)
    return [Group(tables, every - tables) for tables in found]
