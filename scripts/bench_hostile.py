"""Ingest time of hostile inputs against their size: the cost must stay linear.

Usage, from the repository root: .venv/bin/python -m scripts.bench_hostile [RUNS]
Prints, for a line of N spaces in the tables part of the 2024 seed (the case that
once made the title scan quadratic), the median ingest time and its ratio to the
plain seed's: linear scanning keeps the ratio near 1 as N grows tenfold.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.seeds import HUANGPI, source_of

from juesuan.ingest.pipeline import ingest


def _median(path: Path, runs: int) -> float:
    ingest(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        ingest(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    at = lines.index("2024年度收入决算表")
    with tempfile.TemporaryDirectory() as scratch:
        plain = _median(source_of(HUANGPI), runs)
        print(f"{'input':32} {'median ms':>10} {'ratio':>7}")
        print(f"{'seed 2024':32} {plain:10.1f} {1:7.2f}")
        for spaces in (1_000, 10_000, 100_000, 1_000_000):
            path = Path(scratch) / f"spaces-{spaces}.txt"
            hostile = [*lines[:at], "说明" + " " * spaces + "。", *lines[at:]]
            path.write_text("\n".join(hostile), encoding="utf-8")
            took = _median(path, runs)
            print(f"{f'{spaces:,} spaces in one line':32} {took:10.1f} {took / plain:7.2f}")


if __name__ == "__main__":
    main()
