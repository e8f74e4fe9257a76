"""Page weights of the pages across disclosures at a synthetic corpus, quickly.

Units, comparisons, codes and glossary grow with the corpus; a disclosure's page
does not. This builds only the pages across disclosures (no package is
validated, no disclosure page or download written: the badges read 未校验),
with MkDocs and the site's theme, and prints their weights as bench_site does.

Usage (from the repository root):
  .venv/bin/python -m scripts.bench_pages --synthetic 1000
  .venv/bin/python -m scripts.bench_pages --packages DIR   # a corpus made before
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from scripts.bench_site import page_weights
from tests.synthetic import generate

from juesuan.cli import command_table
from juesuan.site import mkdocs_site
from juesuan.site.build import cross_pages
from juesuan.site.corpus import load, package_folders
from juesuan.site.summary import Summary, summarise


def _summary(folder: Path) -> Summary:
    return summarise(load(folder))


def main() -> None:
    """Generate (or reuse) a corpus, build its pages across disclosures, print weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=1000, help="disclosures to generate")
    parser.add_argument("--packages", type=Path, help="use this corpus instead")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--budget", type=int, default=200_000, help="bytes a page may weigh")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-pages-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        packages = args.packages
        if packages is None:
            packages = root / "packages"
            generate(packages, args.synthetic)
            print(f"generate: {time.perf_counter() - start:.1f} s")
        folders = package_folders(packages)
        start = time.perf_counter()
        with ProcessPoolExecutor(args.jobs) as pool:
            summaries = list(pool.map(_summary, folders, chunksize=16))
        print(f"summaries of {len(summaries)} disclosures: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        docs = mkdocs_site.prepare(root / "work")
        count = mkdocs_site.write_pages(docs, cross_pages(summaries, command_table()))
        print(f"cross pages: {count} in {time.perf_counter() - start:.1f} s")
        site = root / "site"
        config = mkdocs_site.write_config(root / "work", mkdocs_site.config(docs, site))
        start = time.perf_counter()
        # Not --strict: the disclosure pages the menu and links name are not built here.
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config)],
            check=True,
            capture_output=True,
        )
        print(f"mkdocs: {time.perf_counter() - start:.1f} s")
        page_weights(site, args.budget)
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"these pages and the theme: {size} B ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
