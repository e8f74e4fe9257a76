"""--jobs changes how long a command takes, never what it prints or writes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from juesuan.cli import main
from juesuan.jobs import ordered_map
from tests.seeds import SEED_PACKAGES, source_of


def _square(number: int) -> int:
    return number * number


def test_results_keep_the_order_of_the_inputs() -> None:
    steps: list[int] = []
    numbers = list(range(50))
    assert ordered_map(_square, numbers, jobs=2, done=lambda: steps.append(1)) == [
        n * n for n in numbers
    ]
    assert len(steps) == 50
    assert ordered_map(_square, [], jobs=2) == []


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_ingest_and_check_sources_are_the_same_for_any_number_of_jobs(tmp_path: Path) -> None:
    sources = [str(source_of(package)) for package in SEED_PACKAGES]
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        ingested = CliRunner().invoke(main, ["ingest", *sources, "--out", str(out), "--jobs", jobs])
        assert ingested.exit_code == 0, ingested.output
        checked = CliRunner().invoke(main, ["check-sources", "--root", str(out), "--jobs", jobs])
        assert checked.exit_code == 0, checked.output
        runs[jobs] = (
            ingested.stdout.replace(str(out), "OUT"),
            checked.stdout.replace(str(out), "OUT"),
            _files(out),
        )
    assert runs["1"] == runs["2"]
    assert "matches its source" in runs["1"][1]
