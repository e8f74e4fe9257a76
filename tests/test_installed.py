"""A wheel installed outside the checkout ingests, validates and builds a site.

The wheel is built from this checkout and installed into a folder of its own;
the commands run from a working directory that is no checkout, with the
installed package first on the path, so nothing can be found through the
source tree: definitions, code lists and the theme must come inside the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from juesuan.paths import CHECKOUT
from tests.seeds import HUANGPI, source_of

RUN = "import sys; from juesuan.cli import main; sys.argv[0] = 'juesuan'; main()"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("installed")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base), str(CHECKOUT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = base.glob("juesuan-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "juesuan/schemas/editions/2024/edition.yaml" in names
    assert "juesuan/schemas/codelists/function.csv" in names
    assert "juesuan/site/theme/overrides/main.html" in names
    target = base / "lib"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target"]
    done = subprocess.run([*install, str(target), str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return target


def _juesuan(lib: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(lib)}
    return subprocess.run(
        [sys.executable, "-c", RUN, *args], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip


def test_the_installed_package_reads_nothing_from_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    probe = "import juesuan, juesuan.paths as p; print(juesuan.__file__, p.SCHEMAS, p.THEME)"
    env = {**os.environ, "PYTHONPATH": str(installed)}
    shown = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    assert all(part.startswith(str(installed)) for part in shown.stdout.split()), shown.stdout


def test_ingest_validate_and_build_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    source = shutil.copy(source_of(HUANGPI), work / "决算.txt")
    ingested = _juesuan(installed, work, "ingest", str(source))
    assert ingested.returncode == 0, ingested.stderr
    # The packages are the working directory's, not the checkout's.
    (package,) = (work / "datapackage").glob("*/2024")
    validated = _juesuan(installed, work, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    built = _juesuan(installed, work, "build", "--no-search")
    assert built.returncode == 0, built.stderr
    page = work / "site-build" / "units" / package.parent.name / "2024" / "index.html"
    assert "收入支出决算总表" in page.read_text(encoding="utf-8")
