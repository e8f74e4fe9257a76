"""Median validation time per package: our two parts in-process (the schema pass,
which gives frictionless's findings, and our rules), and the plain
`frictionless validate` CLI on the same package as the peer figure.
scripts/bench_scale.py measures a synthetic corpus, frictionless in-process included.

Usage: .venv/bin/python scripts/bench_validate.py [RUNS] [CLI_RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from juesuan.paths import PACKAGES
from juesuan.validation.run import Timing, package_folders, validate_package


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    cli_runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    frictionless_cli = str(Path(sys.executable).parent / "frictionless")
    print(
        f"in-process: {runs} runs after a warm-up; CLI: {cli_runs} runs (process start "
        "included, as a user sees it)"
    )
    print(f"{'package':44} {'schema pass':>12} {'rules':>7} {'ours':>7} {'CLI':>8} {'ours/CLI':>8}")
    for folder in package_folders(PACKAGES):
        validate_package(folder)
        friction, rules, total = [], [], []
        for _ in range(runs):
            timing = Timing()
            start = time.perf_counter()
            validate_package(folder, timing=timing)
            total.append((time.perf_counter() - start) * 1000)
            friction.append(timing.frictionless * 1000)
            rules.append(timing.rules * 1000)
        cli = []
        for _ in range(cli_runs):
            start = time.perf_counter()
            subprocess.run(
                [frictionless_cli, "validate", str(folder / "datapackage.json")],
                capture_output=True,
                check=False,
            )
            cli.append((time.perf_counter() - start) * 1000)
        name = f"{folder.parent.name}/{folder.name}"
        ours, peer = statistics.median(total), statistics.median(cli)
        print(
            f"{name:44} {statistics.median(friction):10.1f}ms {statistics.median(rules):5.1f}ms "
            f"{ours:5.1f}ms {peer:6.1f}ms {ours / peer:8.2f}"
        )


if __name__ == "__main__":
    main()
