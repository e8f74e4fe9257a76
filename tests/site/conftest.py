"""Fixtures for the site tests.

One build of the real site per session, a local static server for it, and
Debian's Chromium driven by Playwright (one browser per module; never a
downloaded browser).
"""

from __future__ import annotations

import functools
import os
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from juesuan.paths import PACKAGES, ROOT
from juesuan.site.build import BuildReport, build_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The site of the committed packages, built once for the whole session."""
    out = tmp_path_factory.mktemp("site") / "site"
    return build_site(PACKAGES, out, jobs=2)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def server(built_site: BuildReport) -> Iterator[str]:
    """Base URL of a plain static server on the loopback serving the built site."""
    handler = functools.partial(_Quiet, directory=str(built_site.site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, with a fresh profile; quiet on a closed network."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: scripts/setup.sh installs it")
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh installs it)")
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
