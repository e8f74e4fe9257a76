"""Kill -9 at each step of writing a package: the old or the new package, never a mix.

A real process is killed (SIGKILL, nothing runs after it) at file-system steps
across a package write that replaces an existing package: before the staging
folder, while it fills, between the two renames of the swap and while the old
package is removed. Afterwards the year's folder holds the old package, the new
one, or the old one retired beside it; nothing else counts as a package; and the
next ingest mends what was left, says so, and writes the new package.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.cli import main
from juesuan.package.trust import package_folders
from juesuan.paths import CHECKOUT
from tests.seeds import HUANGPI, source_of

NARRATIVE = "一、部门主要职责"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _killed(kill_at: int, source: Path, out: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "tests.killing", str(kill_at), "ingest", str(source)]
    return subprocess.run(
        [*command, "--out", str(out)], cwd=CHECKOUT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The repository with the old package, the new source, the new package, the steps."""
    base = tmp_path_factory.mktemp("killed")
    old_root = base / "old" / "datapackage"
    first = CliRunner().invoke(main, ["ingest", str(source_of(HUANGPI)), "--out", str(old_root)])
    assert first.exit_code == 0, first.output
    text = source_of(HUANGPI).read_text(encoding="utf-8")
    assert NARRATIVE in text
    new_source = base / "changed.txt"
    new_source.write_text(text.replace(NARRATIVE, NARRATIVE + "（修订）", 1), encoding="utf-8")
    new_root = base / "new" / "datapackage"
    shutil.copytree(old_root, new_root)
    dry = _killed(0, new_source, new_root)
    assert dry.returncode == 0, dry.stderr
    steps = [line for line in dry.stderr.splitlines() if line.startswith(MODULE_PREFIXES)]
    (old,) = old_root.glob("*/2024")
    (new,) = new_root.glob("*/2024")
    return {
        "old_root": old_root,
        "source": new_source,
        "old": _snapshot(old),
        "new": _snapshot(new),
        "steps": steps,
        "relative": old.relative_to(old_root),
    }


MODULE_PREFIXES = ("pathlib.", "shutil.", "tempfile.")


def _chosen(steps: list[str]) -> list[int]:
    """The first steps, every swap step (rename, rmtree) and a spread of the writes."""
    swap = [i for i, step in enumerate(steps, start=1) if step.endswith(("rename", "rmtree"))]
    spread = list(range(1, len(steps) + 1, max(1, len(steps) // 8)))
    return sorted({1, 2, 3, *spread, *swap, *(i + 1 for i in swap if i < len(steps))})


def test_the_write_has_the_steps_a_swap_needs(states: dict) -> None:
    steps = states["steps"]
    assert steps.count("pathlib.rename") == 2, steps  # old aside, new in place
    assert "shutil.rmtree" in steps and "tempfile.mkdtemp" in steps
    assert states["old"] != states["new"]


def test_a_kill_at_any_step_leaves_the_old_or_the_new_package(states: dict, tmp_path: Path) -> None:
    for kill_at in _chosen(states["steps"]):
        root = tmp_path / str(kill_at) / "datapackage"
        shutil.copytree(states["old_root"], root)
        target = root / states["relative"]
        run = _killed(kill_at, states["source"], root)
        assert run.returncode == -9, (kill_at, run.stderr[-500:])
        if target.exists():
            assert _snapshot(target) in (states["old"], states["new"]), kill_at
        else:
            (retired,) = target.parent.glob(f".{target.name}.old*")
            assert _snapshot(retired) == states["old"], kill_at
        # Leftovers are never taken for packages.
        folders, strays = package_folders(root)
        assert folders == ([target] if target.exists() else []) and strays == [], kill_at
        leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith(".")]
        again = CliRunner().invoke(main, ["ingest", str(states["source"]), "--out", str(root)])
        assert again.exit_code == 0, (kill_at, again.output)
        assert _snapshot(target) == states["new"], kill_at
        for name in leftovers:
            assert name in again.stderr and "an interrupted write" in again.stderr, kill_at
        assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []
