"""Kept file digests: nothing changed is known without reading, and a change is never missed."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.cli import main
from juesuan.validation import digests
from juesuan.validation.cache import report_key
from tests.seeds import HUANGPI

_TABLE = Path("data") / "income.csv"


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package inside the working directory, where its digests may be kept."""
    monkeypatch.chdir(tmp_path)
    folder = Path("datapackage") / HUANGPI.parent.name / HUANGPI.name
    shutil.copytree(HUANGPI, folder)
    return folder


def _age(folder: Path, seconds: int = 60) -> None:
    """Every file's mtime well before now: out of the racy window of a recording made now."""
    then = time.time_ns() - seconds * 1_000_000_000
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(then, then))


def _flip_keeping_size_and_mtime(path: Path) -> None:
    before = path.stat()
    data = bytearray(path.read_bytes())
    index = data.index(b"282.91")
    data[index] = ord("3")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files read in full from now on."""
    read: list[str] = []
    real = digests._read

    def counting(path: str) -> tuple[digests.Identity, str]:
        read.append(path)
        return real(path)

    monkeypatch.setattr(digests, "_read", counting)
    return read


def test_nothing_changed_is_known_without_reading(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Path(".juesuan-cache")
    _age(repository)
    fresh = report_key(repository, cache=cache)
    assert list(cache.glob("digests/*/*.json"))
    read = _reads(monkeypatch)
    again = report_key(repository, cache=cache)
    assert read == []
    assert again == fresh == report_key(repository, cache=None)


def test_an_edit_keeping_size_and_mtime_in_the_racy_window_is_seen(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Path(".juesuan-cache")
    # As on a file system whose ctime does not tell the edit: only the racy rule can.
    monkeypatch.setattr(
        digests, "identity", lambda s: (s.st_size, s.st_mtime_ns, 0, s.st_ino, s.st_dev)
    )
    _age(repository, 0)  # written just now, as the recording is made
    before = report_key(repository, cache=cache)
    _flip_keeping_size_and_mtime(repository / _TABLE)
    after = report_key(repository, cache=cache)
    assert after != before
    assert after == report_key(repository, cache=None)


def test_an_edit_that_changes_ctime_is_seen_out_of_the_racy_window(
    repository: Path,
) -> None:
    cache = Path(".juesuan-cache")
    _age(repository)
    before = report_key(repository, cache=cache)
    _flip_keeping_size_and_mtime(repository / _TABLE)
    after = report_key(repository, cache=cache)
    assert after != before
    assert after == report_key(repository, cache=None)


def test_a_touched_but_identical_file_gives_the_same_key(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Path(".juesuan-cache")
    _age(repository)
    before = report_key(repository, cache=cache)
    path = repository / _TABLE
    path.write_bytes(path.read_bytes())
    then = time.time_ns() - 30 * 1_000_000_000
    os.utime(path, ns=(then, then))
    read = _reads(monkeypatch)
    assert report_key(repository, cache=cache) == before
    assert read == [str(path)]  # the touched file alone is read again
    assert report_key(repository, cache=cache) == before
    assert read == [str(path)]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: b"{",
        lambda data: b"\xff\xfe",
        lambda data: data.replace(b'"juesuan-file-digests/1"', b'"juesuan-file-digests/0"'),
        lambda data: data.replace(b'"files":{', b'"files":{"x":[1,2,3],'),
        lambda data: b"[]",
    ],
)
def test_a_corrupt_store_is_ignored(
    repository: Path, monkeypatch: pytest.MonkeyPatch, spoil: object
) -> None:
    cache = Path(".juesuan-cache")
    _age(repository)
    key = report_key(repository, cache=cache)
    (store,) = cache.glob("digests/*/*.json")
    store.write_bytes(spoil(_lie(store.read_bytes())))  # type: ignore[operator]
    read = _reads(monkeypatch)
    assert report_key(repository, cache=cache) == key
    assert read, "a store that is not ours is not trusted"


def _lie(data: bytes) -> bytes:
    """The store with every digest replaced by another: trusting it would change the key."""
    parsed = json.loads(data)
    for entry in parsed["files"].values():
        entry[-1] = "0" * 64
    return json.dumps(parsed, separators=(",", ":")).encode()


def test_another_repository_s_store_is_not_trusted(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Path(".juesuan-cache")
    _age(repository)
    key = report_key(repository, cache=cache)
    (store,) = cache.glob("digests/*/*.json")
    foreign = json.loads(_lie(store.read_bytes()))
    foreign["root"] = "/elsewhere"
    store.write_text(json.dumps(foreign), encoding="utf-8")
    assert report_key(repository, cache=cache) == key


def test_a_folder_that_leaves_the_repository_is_read_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside" / HUANGPI.parent.name / HUANGPI.name
    shutil.copytree(HUANGPI, outside)
    here = tmp_path / "repository"
    (here / "datapackage").mkdir(parents=True)
    monkeypatch.chdir(here)
    linked = Path("datapackage") / "linked"
    linked.symlink_to(outside.parent, target_is_directory=True)
    cache = Path(".juesuan-cache")
    for folder in (outside, Path("..") / "outside" / HUANGPI.parent.name / HUANGPI.name):
        assert report_key(folder, cache=cache) == report_key(folder, cache=None)
    assert report_key(linked / HUANGPI.name, cache=cache) is not None
    assert not cache.exists()


def test_no_cache_keeps_no_digests(repository: Path) -> None:
    packages = str(repository.parents[1])
    runner = CliRunner()
    kept = runner.invoke(main, ["validate", packages, "--cache", "c", "--jobs", "1"])
    bypassed = runner.invoke(main, ["validate", packages, "--no-cache", "--jobs", "1"])
    assert kept.stdout == bypassed.stdout
    assert list(Path("c").glob("digests/*/*.json"))
    assert not Path(".juesuan-cache").exists()
