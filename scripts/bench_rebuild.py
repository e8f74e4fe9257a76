"""Benchmark rebuilds with the build cache: clean, one disclosure changed, nothing changed.

For N synthetic disclosures (tests/synthetic.py), side by side: a clean build
with a cold cache, a rebuild after one disclosure changed (a different one each
run), a rebuild with nothing changed, and one after a file of the site was
touched (every step served from the cache); each with its wall time, its steps
and the cache's hits and misses. Then the peak memory (this process and its largest child), the
heaviest and median page, and the bytes a cold browser fetches for a search.

Usage:
  .venv/bin/python -m scripts.bench_rebuild --synthetic 1000 --runs 3

Rebuild figures are medians over --runs. The machine has 2 cores: run it alone,
and read the load average it prints beside the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from scripts.bench_site import page_weights, search_transfer
from tests.synthetic import generate

from juesuan.cli import command_table
from juesuan.site.build import BuildReport, build_site


def change(packages: Path, run: int) -> Path:
    """Reword the title of the ``run``-th disclosure: the smallest change a person makes."""
    descriptor = sorted(packages.glob("*/*/datapackage.json"))[run]
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace('"title": "', '"title": "修订 ', 1), encoding="utf-8")
    return descriptor.parent


def line(name: str, builds: list[tuple[float, BuildReport]]) -> None:
    """One kind of build: median wall seconds, its steps, the cache's hits and misses."""
    total = statistics.median(wall for wall, _b in builds)
    reports = [b for _wall, b in builds]
    steps = ", ".join(
        f"{step} {statistics.median(b.seconds.get(step, 0.0) for b in reports):.1f}"
        for step in reports[-1].seconds
    )
    last = reports[-1]
    print(f"{name:<22} {total:7.1f} s  ({steps})")
    print(
        f"{'':<22} hits {last.cache_hits}  misses {last.cache_misses}  pruned {last.cache_pruned}"
    )
    if last.up_to_date:
        print(f"{'':<22} up to date: nothing built")


def peak_memory() -> str:
    """This process's and its largest child's peak resident memory."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"self {own:.0f} MB, largest child {child:.0f} MB (sum {own + child:.0f} MB)"


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    """Build N synthetic disclosures cold, then rebuild them as a person's edits would."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=1000, help="disclosures to generate")
    parser.add_argument("--runs", type=int, default=3, help="rebuilds of each kind")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-browser", action="store_true", help="skip the search transfer")
    parser.add_argument("--budget", type=int, default=200_000, help="bytes a page may weigh")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="juesuan-rebuild-") as tmp:
        root = Path(tmp)
        # Packages inside the working directory, as in a checkout: their digests are kept.
        os.chdir(root)
        packages, out, cache = root / "packages", root / "site", root / "cache"
        start = time.perf_counter()
        generate(packages, args.synthetic)
        print(f"{args.synthetic} synthetic disclosures in {time.perf_counter() - start:.0f} s")
        print(f"load average before: {load()}")

        def build() -> tuple[float, BuildReport]:
            start = time.perf_counter()
            built = build_site(packages, out, jobs=args.jobs, commands=command_table(), cache=cache)
            return time.perf_counter() - start, built

        clean = [build()]
        print(f"load average after the clean build: {load()}")
        changed = []
        for run in range(args.runs):
            change(packages, run)
            changed.append(build())
        unchanged = [build() for _ in range(args.runs)]
        # A file of the site touched since: rebuilt whole from the cache.
        touched = []
        for _ in range(args.runs):
            (out / "index.html").touch()
            touched.append(build())
        print(f"== {args.synthetic} disclosures, {clean[0][1].pages} pages, --jobs {args.jobs}")
        line("clean (cold cache)", clean)
        line("one disclosure changed", changed)
        line("nothing changed", unchanged)
        line("site touched, no change", touched)
        print(f"load average after the rebuilds: {load()}")
        print(f"peak memory: {peak_memory()}")
        page_weights(out, args.budget)
        if not args.no_browser:
            for query, (transferred, requests) in search_transfer(out).items():
                print(f"search {query}: {transferred / 1e3:.0f} KB in {requests} requests (cold)")


if __name__ == "__main__":
    main()
