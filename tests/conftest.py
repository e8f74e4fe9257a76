"""Shared fixtures: the committed packages and their sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.seeds import SEED_PACKAGES


@pytest.fixture(params=SEED_PACKAGES, ids=lambda p: p.parent.name)
def seed_package(request: pytest.FixtureRequest) -> Path:
    return request.param
