"""A package that passed the trust check is not read again until something in it changes.

The stamp stands for every entry of the package on disk; a file replaced by a
symlink to the same bytes, a file written again with the same bytes, a new
file or another input limit each make the check run again, and a package that
fails is never stamped.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from juesuan.package import trust
from juesuan.site import trust_stamp
from juesuan.site.corpus import package_folders
from tests.synthetic import generate


class Counting:
    """trust.problems, counting the packages it read."""

    def __init__(self) -> None:
        self.read: list[Path] = []

    def __call__(self, folder: Path) -> list[trust.Problem]:
        self.read.append(folder)
        return trust.problems(folder)


def age(folder: Path, seconds: int = 60) -> None:
    """Every file's mtime well before now: out of the racy window of a stamp taken now."""
    then = time.time_ns() - seconds * 1_000_000_000
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, ns=(then, then))


@pytest.fixture
def packages(tmp_path: Path) -> list[Path]:
    generate(tmp_path / "packages", 2)
    age(tmp_path / "packages")
    return package_folders(tmp_path / "packages")


def check(cache: Path, sources: list[Path]) -> tuple[list[Path], list[str]]:
    counting = Counting()
    found = trust_stamp.problems(cache, sources, counting)
    return counting.read, [f"{folder.name}: {problem}" for folder, problem in found]


def test_a_package_untouched_since_it_passed_is_not_read_again(
    packages: list[Path], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert check(cache, packages) == (packages, [])
    assert check(cache, packages) == ([], [])
    table = next(packages[0].glob("data/*.csv"))
    table.write_bytes(table.read_bytes())  # the same bytes, written again
    assert check(cache, packages) == ([packages[0]], [])
    age(packages[0])
    assert check(cache, packages) == ([packages[0]], [])
    (packages[1] / "data" / "extra.txt").write_text("x", encoding="utf-8")
    age(packages[1])
    assert check(cache, packages)[0] == [packages[1]]
    assert check(cache, packages) == ([], [])


def test_a_file_swapped_for_a_symlink_to_the_same_bytes_is_refused_every_time(
    packages: list[Path], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    check(cache, packages)
    table = next(packages[0].glob("data/*.csv"))
    outside = tmp_path / "outside.csv"
    outside.write_bytes(table.read_bytes())
    table.unlink()
    table.symlink_to(outside)
    for _ in range(2):
        read, found = check(cache, packages)
        assert read == [packages[0]]
        assert any("a symlink" in line for line in found), found


def test_another_input_limit_checks_every_package_again(
    packages: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    check(cache, packages)
    monkeypatch.setenv("JUESUAN_MAX_PACKAGE_FILE_BYTES", str(10**9))
    assert check(cache, packages)[0] == packages
    monkeypatch.delenv("JUESUAN_MAX_PACKAGE_FILE_BYTES")
    assert check(cache, packages)[0] == packages
    assert (cache / "site" / "trusted.json").is_file()


def test_a_file_modified_within_the_racy_window_of_the_stamp_is_checked_again(
    packages: list[Path], tmp_path: Path
) -> None:
    # Written in the same clock tick as the stamp, a change could leave it matching.
    cache = tmp_path / "cache"
    table = next(packages[0].glob("data/*.csv"))
    table.write_bytes(table.read_bytes())
    assert check(cache, packages) == (packages, [])
    for _ in range(2):
        assert check(cache, packages) == ([packages[0]], [])
    age(packages[0])
    assert check(cache, packages) == ([packages[0]], [])
    assert check(cache, packages) == ([], [])


def test_the_stamp_is_the_files_identity_of_the_digests(packages: list[Path]) -> None:
    table = next(packages[0].glob("data/*.csv"))
    before = trust_stamp.stamp(packages[0])
    assert trust_stamp.stamp(packages[0]).digest == before.digest
    assert before.newest_ns == max(p.stat().st_mtime_ns for p in packages[0].rglob("*.*"))
    table.chmod(0o600)  # the change time moves, and no one can set it back
    assert trust_stamp.stamp(packages[0]).digest != before.digest
