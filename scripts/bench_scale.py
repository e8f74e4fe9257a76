"""Validation at scale: a synthetic corpus validated by the fast pass and by frictionless.

Prints, for each N synthetic disclosures asked for (tests/synthetic.py), side by
side: the in-process time per package of the whole validation with the fast
schema pass and with frictionless itself (median, and the total; frictionless on
a sample, its total extrapolated and marked so), the wall time of validating all
of them with each --jobs and no cache, with a cold and a warm cache, the time of
knowing that nothing changed (every package's key, with the kept file digests
and reading every file), and the peak memory of this process and of its workers.
The load average is printed beside the figures: on a shared machine they vary.

Usage, from the repository root:
  .venv/bin/python -m scripts.bench_scale                 # 1,000 disclosures
  .venv/bin/python -m scripts.bench_scale --count 1000 --count 10000 --frictionless-sample 50
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from tests.synthetic import generate

from juesuan.jobs import ordered_map
from juesuan.validation.batch import Settings, validate_all
from juesuan.validation.cache import report_key
from juesuan.validation.digests import RACY_NS
from juesuan.validation.run import Timing, package_folders, validate_package


def _per_package(folders: list[Path], reference: bool) -> tuple[list[float], list[float]]:
    """Seconds per package: the whole validation, and its schema pass alone."""
    whole, schema = [], []
    for folder in folders:
        timing = Timing()
        start = time.perf_counter()
        validate_package(folder, reference=reference, timing=timing)
        whole.append(time.perf_counter() - start)
        schema.append(timing.frictionless)
    return whole, schema


def _wall(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _mb(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.0f} MB"


def _load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def _key(cache: Path | None, folder: Path) -> str | None:
    return report_key(folder, cache=cache)


Row = tuple[str, str]
"""(what, figure) of one line of the table."""


def _measure(root: Path, count: int, args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    start = time.perf_counter()
    generate(root / "datapackage", count, seed=args.seed)
    folders, _strays = package_folders(root / "datapackage")
    rows.append(("disclosures generated", f"{len(folders)} in {time.perf_counter() - start:.0f}s"))
    validate_package(folders[0])  # imports and compiled schemas, as in any long run
    validate_package(folders[0], reference=True)

    print(f"  [{count}] in-process, fast pass ({_load()})", flush=True)
    fast, fast_schema = _per_package(folders, reference=False)
    sample = folders[: args.frictionless_sample]
    print(f"  [{count}] in-process, frictionless on {len(sample)} ({_load()})", flush=True)
    slow, slow_schema = _per_package(sample, reference=True)
    ours, theirs = statistics.median(fast), statistics.median(slow)
    rows += [
        ("ours: per package, median", f"{ours * 1000:.1f}ms"),
        ("ours: schema pass, median", f"{statistics.median(fast_schema) * 1000:.1f}ms"),
        ("ours: total, one process", f"{sum(fast):.1f}s"),
        (f"frictionless ({len(sample)}): per package", f"{theirs * 1000:.1f}ms"),
        (
            f"frictionless ({len(sample)}): schema pass",
            f"{statistics.median(slow_schema) * 1000:.1f}ms",
        ),
        ("frictionless: total (extrapolated)", f"{theirs * len(folders):.0f}s"),
        ("frictionless / ours, median", f"{theirs / ours:.1f}x"),
        ("in-process, load", _load()),
    ]
    same = all(validate_package(f) == validate_package(f, reference=True) for f in sample[:20])
    rows.append((f"same reports on {min(20, len(sample))} packages", str(same)))

    for jobs in args.jobs:
        print(f"  [{count}] --jobs {jobs}, no cache ({_load()})", flush=True)
        seconds = _wall(lambda jobs=jobs: validate_all(folders, Settings(), jobs=jobs))
        rows.append(
            (
                f"--jobs {jobs}, no cache",
                f"{seconds:.1f}s ({seconds / len(folders) * 1000:.1f}ms/pkg, {_load()})",
            )
        )
    jobs = max(args.jobs)
    cache = root / "cache"
    print(f"  [{count}] --jobs {jobs}, cold and warm cache ({_load()})", flush=True)
    cold = _wall(lambda: validate_all(folders, Settings(cache=cache), jobs=jobs))
    outcomes: list[object] = []
    warm = _wall(lambda: outcomes.extend(validate_all(folders, Settings(cache=cache), jobs=jobs)))
    hits = sum(1 for o in outcomes if getattr(o, "cached", False))
    rows.append((f"--jobs {jobs}, cold cache", f"{cold:.1f}s ({_load()})"))
    rows.append((f"--jobs {jobs}, warm cache", f"{warm:.1f}s ({hits} reused, {_load()})"))

    print(f"  [{count}] nothing changed: keys ({_load()})", flush=True)
    padded = f", sources +{args.source_kb} KB" if args.source_kb else ""
    if args.source_kb:
        # As a scanned PDF weighs: reading every file costs by the byte, the kept digests do not.
        for folder in folders:
            for source in (folder / "source").iterdir():
                with source.open("ab") as handle:
                    handle.write(b" " * (args.source_kb * 1024))
    # Out of the racy window (files written just before a recording are read again), recorded.
    time.sleep(RACY_NS / 1e9)
    _keys(folders, cache, max(args.jobs))
    for jobs in args.jobs:
        kept = [_wall(lambda jobs=jobs: _keys(folders, cache, jobs)) for _ in range(3)]
        unkept = _wall(lambda jobs=jobs: _keys(folders, None, jobs))
        rows.append(
            (
                f"nothing changed, keys, --jobs {jobs}{padded}",
                f"{statistics.median(kept):.2f}s kept digests (median of 3), "
                f"{unkept:.2f}s reading every file ({_load()})",
            )
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    rows.append(("peak RSS: this process", _mb(own)))
    rows.append(("peak RSS: largest worker so far", _mb(children)))
    return rows


def _keys(folders: list[Path], cache: Path | None, jobs: int) -> list[str | None]:
    return ordered_map(partial(_key, cache), folders, jobs=jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--count", type=int, action="append", help="synthetic disclosures (repeatable; 1000)"
    )
    parser.add_argument(
        "--frictionless-sample",
        type=int,
        default=100,
        help="packages frictionless validates in-process (its total is extrapolated)",
    )
    parser.add_argument(
        "--jobs", type=int, action="append", help="worker processes (repeatable; 1 and 2)"
    )
    parser.add_argument(
        "--source-kb",
        type=int,
        default=0,
        help="bytes added to each source document (in KB) before the keys are timed",
    )
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    args.count = args.count or [1000]
    args.jobs = args.jobs or [1, 2]
    print(f"start ({_load()}, {os.cpu_count()} cores)")
    columns: dict[int, dict[str, str]] = {}
    for count in args.count:
        with tempfile.TemporaryDirectory(prefix="juesuan-bench-scale-") as scratch:
            root = Path(scratch)
            # The kept digests are for packages inside the working directory.
            here = Path.cwd()
            os.chdir(root)
            try:
                columns[count] = dict(_measure(root, count, args))
            finally:
                os.chdir(here)
    names = list(dict.fromkeys(name for rows in columns.values() for name in rows))
    width = max(map(len, names))
    print("\n" + " " * width + "".join(f" | {count:>7} disclosures" for count in columns))
    for name in names:
        print(name.ljust(width) + "".join(f" | {rows.get(name, '')}" for rows in columns.values()))


if __name__ == "__main__":
    main()
