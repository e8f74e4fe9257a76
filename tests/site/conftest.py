"""Fixtures for the site tests.

One build of the real site per session, a local static server for it, and
Debian's Chromium driven by Playwright (one browser per module; never a
downloaded browser).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from juesuan.cli import command_table
from juesuan.paths import CHECKOUT
from juesuan.site.build import BuildReport, build_site
from juesuan.site.local import CHROMIUM, CHROMIUM_ARGS, static_server
from tests.seeds import FIXTURES

ARTIFACTS = CHECKOUT / "test-artifacts"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The site of the committed packages, built once for the whole session."""
    out = tmp_path_factory.mktemp("site") / "site"
    return build_site(FIXTURES, out, jobs=2, commands=command_table())


SHANGHAI_LIKE = "shanghai-layout-unit"
"""The unit folder of the package the Shanghai-layout site is built from."""


@pytest.fixture(scope="session")
def shanghai_site(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The site of one package read from the 2024 seed reprinted in Shanghai's layout.

    Titles without 公开0N表 numbers, no 行次 or 栏次, 三公 budget and actual side
    by side (tests/test_province_layouts.py makes the document).
    """
    from juesuan.ingest import ingest
    from juesuan.package.write import write_package
    from tests.seeds import HUANGPI, source_of
    from tests.test_province_layouts import shanghai_reprint

    root = tmp_path_factory.mktemp("shanghai")
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    source = root / "shanghai-layout.txt"
    source.write_text("\n".join(shanghai_reprint(lines)), encoding="utf-8")
    write_package(ingest(source), root / "packages" / SHANGHAI_LIKE / "2024")
    return build_site(
        root / "packages", root / "site", jobs=1, with_search=False, commands=command_table()
    )


@pytest.fixture(scope="session")
def server(built_site: BuildReport) -> Iterator[str]:
    """Base URL of a plain static server on the loopback serving the built site."""
    with static_server(built_site.site) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, with a fresh profile; quiet on a closed network."""
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: scripts/setup-browser.sh installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        yield context
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (kept after the run; ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


SCREENSHOTS = "JUESUAN_SCREENSHOTS"
"""The folder the layout tests save their screenshots in (else a pytest temporary folder)."""
_SCREENSHOT_FOLDERS: list[Path] = []


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots of every page at each screen size go; named at the end of the run."""
    chosen = os.environ.get(SCREENSHOTS)
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    _SCREENSHOT_FOLDERS.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say where the screenshots are."""
    for folder in _SCREENSHOT_FOLDERS:
        count = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"screenshots: {count} in {folder} (set {SCREENSHOTS})")
