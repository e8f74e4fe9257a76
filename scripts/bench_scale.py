"""Validation at scale: a synthetic corpus validated by the fast pass and by frictionless.

Prints, for N synthetic disclosures (tests/synthetic.py): the in-process time per
package of the whole validation with the fast schema pass and with frictionless
itself (median, and the total; frictionless on a sample, its total extrapolated
and marked so), the wall time of validating all of them with --jobs 1 and 2 and
no cache, with a cold and a warm cache, and the peak memory of this process and
of its workers.

Usage, from the repository root:
  .venv/bin/python -m scripts.bench_scale                 # 1,000 disclosures
  .venv/bin/python -m scripts.bench_scale --count 10000 --frictionless-sample 100
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.synthetic import generate

from juesuan.validation.batch import Settings, validate_all
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="synthetic disclosures")
    parser.add_argument(
        "--frictionless-sample",
        type=int,
        default=100,
        help="packages frictionless validates in-process (its total is extrapolated)",
    )
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-scale-") as scratch:
        root = Path(scratch)
        start = time.perf_counter()
        generate(root / "datapackage", args.count, seed=args.seed)
        folders, _strays = package_folders(root / "datapackage")
        print(
            f"{len(folders)} synthetic disclosures generated in {time.perf_counter() - start:.0f}s"
        )
        validate_package(folders[0])  # imports and compiled schemas, as in any long run
        validate_package(folders[0], reference=True)

        fast, fast_schema = _per_package(folders, reference=False)
        sample = folders[: args.frictionless_sample]
        slow, slow_schema = _per_package(sample, reference=True)
        ours = statistics.median(fast)
        theirs = statistics.median(slow)
        print("\nin-process, one process, no cache (seconds per package, median):")
        print(f"  {'':34} {'median':>9} {'schema pass':>12} {'total':>10}")
        schema_ms = statistics.median(fast_schema) * 1000
        print(f"  {'fast pass':34} {ours * 1000:7.1f}ms {schema_ms:10.1f}ms {sum(fast):9.1f}s")
        extrapolated = theirs * len(folders)
        print(
            f"  {'frictionless (' + str(len(sample)) + ' packages)':34} {theirs * 1000:7.1f}ms "
            f"{statistics.median(slow_schema) * 1000:10.1f}ms {extrapolated:9.1f}s "
            f"(extrapolated from the sample: median x {len(folders)})"
        )
        print(f"  frictionless / fast, per package median: {theirs / ours:.1f}x")
        same = all(validate_package(f) == validate_package(f, reference=True) for f in sample[:20])
        print(f"  same reports on {min(20, len(sample))} packages: {same}")

        print("\nall packages, wall time:")
        for jobs in (1, 2):
            seconds = _wall(lambda jobs=jobs: validate_all(folders, Settings(), jobs=jobs))
            print(
                f"  --jobs {jobs}, no cache:   {seconds:7.1f}s "
                f"({seconds / len(folders) * 1000:.1f}ms per package)"
            )
        cache = root / "cache"
        cold = _wall(lambda: validate_all(folders, Settings(cache=cache), jobs=2))
        warm_outcomes: list[object] = []
        warm = _wall(
            lambda: warm_outcomes.extend(validate_all(folders, Settings(cache=cache), jobs=2))
        )
        hits = sum(1 for o in warm_outcomes if getattr(o, "cached", False))
        print(f"  --jobs 2, cold cache: {cold:7.1f}s")
        print(
            f"  --jobs 2, warm cache: {warm:7.1f}s ({hits}/{len(folders)} reports reused, "
            f"{warm / len(folders) * 1000:.2f}ms per package)"
        )
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"\npeak memory (max RSS): this process {_mb(own)}, largest worker {_mb(children)}")


if __name__ == "__main__":
    main()
