"""Reports kept by content hash, and many packages over worker processes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.cli import main
from juesuan.validation import cache as report_cache
from juesuan.validation.cache import report_key, validate_cached
from juesuan.validation.run import validate_package
from tests.seeds import HUANGPI, QIAOKOU


def _copy(root: Path, seed: Path) -> Path:
    folder = root / seed.parent.name / seed.name
    shutil.copytree(seed, folder)
    return folder


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    index = data.index(b"282.91")
    data[index] = ord("3")
    path.write_bytes(bytes(data))


def test_a_report_is_reused_until_a_byte_of_the_package_changes(tmp_path: Path) -> None:
    folder = _copy(tmp_path / "packages", HUANGPI)
    cache = tmp_path / "cache"
    first = validate_cached(folder, cache)
    again = validate_cached(folder, cache)
    assert (first.cached, again.cached) == (False, True)
    assert again.report == first.report == validate_package(folder)
    _flip_a_byte(folder / "data" / "income.csv")
    changed = validate_cached(folder, cache)
    assert not changed.cached
    assert changed.report == validate_package(folder)
    assert changed.report.errors, "the changed amount breaks a sum"
    assert validate_cached(folder, cache).cached


def test_a_changed_definition_changes_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(tmp_path / "packages", HUANGPI)
    definitions = tmp_path / "schemas"
    shutil.copytree(report_cache.SCHEMAS, definitions)
    monkeypatch.setattr(report_cache, "SCHEMAS", definitions)
    report_cache._environment.cache_clear()
    before = report_key(folder)
    table = definitions / "editions" / "2024" / "income.yaml"
    table.write_bytes(table.read_bytes() + b" ")
    report_cache._environment.cache_clear()
    after = report_key(folder)
    monkeypatch.undo()
    report_cache._environment.cache_clear()
    assert before is not None and after is not None and before != after


def test_the_key_tells_the_schema_pass_and_the_limits_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(tmp_path, HUANGPI)
    fast, reference = report_key(folder), report_key(folder, reference=True)
    monkeypatch.setenv("JUESUAN_MAX_PACKAGE_ROWS", "10")
    assert len({fast, reference, report_key(folder)}) == 3


def test_an_unreadable_cache_entry_is_validated_again(tmp_path: Path) -> None:
    folder = _copy(tmp_path / "packages", QIAOKOU)
    cache = tmp_path / "cache"
    validate_cached(folder, cache)
    (entry,) = cache.glob("validation/*/*.json")
    entry.write_text("{", encoding="utf-8")
    outcome = validate_cached(folder, cache)
    assert not outcome.cached
    assert outcome.report == validate_package(folder)


def _validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, result.stdout


def _corpus(root: Path) -> Path:
    packages = root / "datapackage"
    _copy(packages, HUANGPI)
    _copy(packages, QIAOKOU)
    broken = packages / "wuhan-huangpi-dashujuzhongxin-benji" / "2023"
    shutil.copytree(HUANGPI, broken)
    _flip_a_byte(broken / "data" / "income.csv")
    return packages


def test_deleting_the_cache_changes_nothing_in_the_output(tmp_path: Path) -> None:
    packages = _corpus(tmp_path)
    cache = tmp_path / "cache"
    for output in ("text", "json"):
        args = (str(packages), "--format", output, "--cache", str(cache), "--jobs", "1")
        fresh = _validate(*args)
        reused = _validate(*args)
        shutil.rmtree(cache)
        assert fresh == reused == _validate(*args)
        assert fresh == _validate(*args[:-2], "--no-cache")
        assert fresh[0] == 1


def test_the_output_is_the_same_for_any_number_of_jobs(tmp_path: Path) -> None:
    packages = _corpus(tmp_path)
    one = _validate(str(packages), "--format", "json", "--no-cache", "--jobs", "1")
    two = _validate(str(packages), "--format", "json", "--no-cache", "--jobs", "2")
    assert one == two
    assert one[1].index("benji/2023") < one[1].index("benji/2024") < one[1].index("qiaokou")


def test_frictionless_itself_gives_the_same_report(tmp_path: Path) -> None:
    packages = _corpus(tmp_path)
    fast = _validate(str(packages), "--format", "json", "--no-cache")
    assert fast == _validate(str(packages), "--format", "json", "--no-cache", "--frictionless")
