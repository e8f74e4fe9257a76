"""Shared fixtures: the committed packages and their sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.seeds import SEED_PACKAGES


@pytest.fixture(params=SEED_PACKAGES, ids=lambda p: p.parent.name)
def seed_package(request: pytest.FixtureRequest) -> Path:
    return request.param


@pytest.fixture(scope="session", autouse=True)
def _ocr_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """OCR keeps its words in a folder of the test session, never the checkout's."""
    from juesuan.ingest.readers import ocr_cache

    ocr_cache.FOLDER = tmp_path_factory.mktemp("ocr-cache")
