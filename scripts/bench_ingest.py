"""Median ingest time per document, in-process (interpreter start excluded).

Usage: .venv/bin/python scripts/bench_ingest.py [RUNS] [DOCUMENT…]
Prints, per document (default: every committed package's source), the median and
spread of reading + placing (ingest) and of writing the package, over RUNS runs
after one warm-up run. Documents outside the repository are read where they are.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from juesuan.ingest.pipeline import ingest
from juesuan.package.write import package_dir, write_package
from juesuan.paths import PACKAGES


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    sources = [Path(a) for a in sys.argv[2:]] or sorted(PACKAGES.glob("*/*/source/*"))
    print(f"{runs} runs per document, after one warm-up run")
    print(f"{'document':48} {'ingest ms':>10} {'p10–p90':>14} {'write ms':>9}")
    for source in sources:
        ingest(source)
        read, write = [], []
        with tempfile.TemporaryDirectory() as out:
            for _ in range(runs):
                start = time.perf_counter()
                disclosure = ingest(source)
                middle = time.perf_counter()
                write_package(disclosure, package_dir(Path(out), disclosure))
                end = time.perf_counter()
                read.append((middle - start) * 1000)
                write.append((end - middle) * 1000)
        deciles = statistics.quantiles(read, n=10)
        inside = source.resolve().is_relative_to(PACKAGES.resolve())
        name = f"{source.parents[2].name}/{source.parents[1].name}" if inside else source.name
        print(
            f"{name:48} {statistics.median(read):10.1f} "
            f"{deciles[0]:6.1f}–{deciles[-1]:<6.1f} {statistics.median(write):9.1f}"
        )


if __name__ == "__main__":
    main()
