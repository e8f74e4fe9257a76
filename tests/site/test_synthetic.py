"""The synthetic corpus the benchmark builds: plausible, and arithmetic that holds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from juesuan.site.corpus import load, package_folders
from juesuan.units import slug_for
from juesuan.validation import validate_package
from tests.synthetic import CITY, generate, plan, unit_names


def test_synthetic_disclosures_validate_without_error(tmp_path: Path) -> None:
    folders = generate(tmp_path, 6, seed=7)
    assert package_folders(tmp_path) == sorted(folders)
    for folder in folders:
        report = validate_package(folder)
        assert not report.errors, [f.message for f in report.errors]
        assert report.amounts > 20
        disclosure = load(folder)
        assert disclosure.unit in disclosure.title
        assert {"summary", "expenditure", "basic_expenditure", "three_public"} <= {
            view.id for view in disclosure.tables
        }


def test_synthetic_corpus_is_deterministic(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 3, seed=11)
    second = generate(tmp_path / "b", 3, seed=11)
    for a, b in zip(first, second, strict=True):
        assert (a / "data" / "expenditure.csv").read_bytes() == (
            b / "data" / "expenditure.csv"
        ).read_bytes()


def test_a_province_year_has_as_many_units_as_disclosures() -> None:
    plans = plan(10_000)
    assert len(plans) == 10_000
    assert {(year, edition) for _unit, year, edition in plans} == {(2024, "2024")}
    units = [unit for unit, _year, _edition in plans]
    assert len(set(units)) == 10_000
    assert len({slug_for(unit) for unit in units}) == 10_000


def test_a_city_corpus_spans_several_years_per_unit() -> None:
    plans = plan(CITY)
    assert len(plans) == CITY
    assert {year for _unit, year, _edition in plans} == {2019, 2024, 2025}
    assert len({unit for unit, _year, _edition in plans}) < CITY


def test_more_names_than_the_vocabulary_gives_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unit names asked for"):
        unit_names(1_000_000, random.Random(1))
