"""The seed copies the tests use are what their sources give today."""

from __future__ import annotations

import pytest

from juesuan.repository.check_sources import check_package
from tests.seeds import SEED_PACKAGES


@pytest.mark.parametrize("folder", SEED_PACKAGES, ids=lambda p: p.parent.name)
def test_the_fixture_is_what_its_source_gives(folder) -> None:
    outcome = check_package(folder)
    assert outcome.status == "matches", [p.message for p in outcome.problems]
