"""The edition a document is read in: the one in force in its year, or it says why not."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from juesuan.ingest.pipeline import ingest
from juesuan.package.facts import facts
from juesuan.package.write import write_package
from juesuan.taxonomy import edition_in_force
from juesuan.validation import validate_package
from tests.seeds import HUANGPI, QIAOKOU, source_of


@pytest.mark.parametrize(
    ("year", "edition"),
    [(2010, "2019"), (2019, "2019"), (2023, "2019"), (2024, "2024"), (2031, "2024")],
)
def test_an_edition_holds_until_a_newer_one_starts(year: int, edition: str) -> None:
    assert edition_in_force(year).id == edition


def _facts(package: Path) -> Counter[tuple[str, str, str, str]]:
    return Counter((f.table, f.row, f.column, f.value) for f in facts(package))


def _redated(tmp_path: Path, package: Path, old: str, new: str) -> Path:
    source = tmp_path / f"redated-{new}.txt"
    source.write_text(source_of(package).read_text(encoding="utf-8").replace(old, new), "utf-8")
    return source


def test_the_edition_in_force_is_read_without_a_note(tmp_path: Path) -> None:
    disclosure = ingest(source_of(HUANGPI))
    assert disclosure.outline.edition.id == "2024"
    assert disclosure.edition_note is None


def test_a_document_its_years_edition_does_not_fit_is_read_and_says_why(tmp_path: Path) -> None:
    # The 2024 template dated 2022: the 2019 edition is in force then, but its
    # tables (表1–表8) are not the document's.
    disclosure = ingest(_redated(tmp_path, HUANGPI, "2024", "2022"))
    assert (disclosure.year, disclosure.outline.edition.id) == (2022, "2024")
    note = disclosure.edition_note or ""
    assert note.startswith("read with the 2024 edition: the 2019 edition, in force for 2022")
    package = write_package(disclosure, tmp_path / "package")
    assert _facts(package) == _facts(HUANGPI)
    findings = [f for f in validate_package(package).findings if f.rule == "edition/years"]
    assert len(findings) == 1
    assert findings[0].severity == "warning"
    assert (findings[0].expected, findings[0].found) == ("2019", "2024")


def test_a_document_after_the_newest_edition_tries_the_newest_first(tmp_path: Path) -> None:
    disclosure = ingest(_redated(tmp_path, QIAOKOU, "2019", "2026"))
    assert (disclosure.year, disclosure.outline.edition.id) == (2026, "2019")
    assert "the 2024 edition, in force for 2026, does not fit" in (disclosure.edition_note or "")
