"""The synthetic corpus the benchmark builds: plausible, and arithmetic that holds."""

from __future__ import annotations

from pathlib import Path

from juesuan.site.corpus import load, package_folders
from juesuan.validation import validate_package
from tests.synthetic import generate


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
