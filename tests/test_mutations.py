"""Every reported amount is guarded: a changed, blanked or moved amount is an error.

The test enumerates every amount of both seed packages. Raising or lowering one by
1.00 must be caught in every case; blanking one or moving it to a blank column of
its row is caught at the rate printed (target ≥ 95%), with the escapes listed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.taxonomy.rules import CellKey
from juesuan.validation.arithmetic import check_arithmetic, equations
from juesuan.validation.loaded import LoadedPackage, load_package
from tests.seeds import SEED_PACKAGES

Values = dict[CellKey, Decimal]


def _caught(package: LoadedPackage, values: Values) -> bool:
    original = package.values
    package.values = values
    try:
        return any(f.severity == "error" for f in check_arithmetic(package, equations(package)))
    finally:
        package.values = original


def _changed(package: LoadedPackage, delta: Decimal) -> Iterator[tuple[str, Values]]:
    for key, value in package.values.items():
        yield ":".join(key), {**package.values, key: value + delta}


def _blanked(package: LoadedPackage) -> Iterator[tuple[str, Values]]:
    for key in package.values:
        yield ":".join(key), {k: v for k, v in package.values.items() if k != key}


def _moved(package: LoadedPackage) -> Iterator[tuple[str, Values]]:
    for (table, row, column), value in package.values.items():
        for other in package.edition.tables[table].columns:
            target = (table, row, other.id)
            if other.id == column or target in package.values:
                continue
            values = {k: v for k, v in package.values.items() if k != (table, row, column)}
            values[target] = value
            yield f"{table}:{row}:{column}→{other.id}", values


def _rate(
    mutations: Callable[[LoadedPackage], Iterator[tuple[str, Values]]],
) -> tuple[int, int, list[str]]:
    total, escaped = 0, []
    for folder in SEED_PACKAGES:
        package = load_package(folder)
        for name, values in mutations(package):
            total += 1
            if not _caught(package, values):
                escaped.append(f"{folder.parent.name}/{folder.name} {name}")
    return total, total - len(escaped), escaped


@pytest.mark.parametrize("folder", SEED_PACKAGES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("delta", [Decimal("1.00"), Decimal("-1.00")], ids=["plus", "minus"])
def test_every_amount_changed_by_one_is_an_error(folder: Path, delta: Decimal) -> None:
    package = load_package(folder)
    assert not _caught(package, package.values)
    escaped = [name for name, values in _changed(package, delta) if not _caught(package, values)]
    assert len(package.values) > 50
    assert escaped == []


@pytest.mark.parametrize("kind", ["blanked", "moved"])
def test_blanked_and_moved_amounts_are_detected(kind: str) -> None:
    mutations = {"blanked": _blanked, "moved": _moved}[kind]
    total, caught, escaped = _rate(mutations)
    rate = caught / total
    print(f"\n{kind}: {caught}/{total} detected ({rate:.1%}); escaped:")
    for name in escaped:
        print(f"  {name}")
    assert rate >= 0.95
