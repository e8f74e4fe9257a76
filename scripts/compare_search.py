"""Compare Material's built-in search (lunr + jieba) with the Pagefind index juesuan builds.

Usage:
  .venv/bin/juesuan build --packages P --out SITE --work WORK
  .venv/bin/pip install jieba   # only for this comparison; not a dependency
  .venv/bin/python -m scripts.compare_search --work WORK --site SITE

Rebuilds WORK's pages with Material's search plugin (Chinese segmented by jieba)
into a scratch folder, then prints for both engines: index size, what a browser
downloads for a query, and whether 网信事务 / 黄陂 / 公务接待费 find a page.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from scripts.bench_site import QUERIES, search_transfer

from juesuan.site.local import CHROMIUM, CHROMIUM_ARGS, static_server
from juesuan.site.search import index_size


def material_build(work: Path, out: Path) -> float:
    """Build WORK's docs with Material's search plugin into OUT; seconds taken."""
    config = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_dir"] = str(out)
    config["plugins"] = [{"search": {"lang": "zh", "separator": r"[\s\u200b\-]"}}]
    path = work / "mkdocs-material-search.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(path)], check=True)
    return time.perf_counter() - start


def material_queries(site: Path) -> dict[str, tuple[int, list[str]]]:
    """Per query: (bytes of search files fetched, result links) in Material's search box."""
    from playwright.sync_api import sync_playwright

    results: dict[str, tuple[int, list[str]]] = {}
    with static_server(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for query in QUERIES:
            context = browser.new_context()
            page = context.new_page()
            sizes: list[int] = []

            def count(response: Any, sizes: list[int] = sizes) -> None:
                if "search" in response.url and response.ok:
                    sizes.append(len(response.body()))

            page.on("response", count)
            page.goto(base)
            page.locator("input.md-search__input").click()
            page.locator("input.md-search__input").fill(query)
            try:
                page.locator(".md-search-result__link").first.wait_for(timeout=60_000)
                links = page.locator(".md-search-result__link").evaluate_all(
                    "a => a.map(x => x.getAttribute('href'))"
                )
            except Exception:
                links = []
            page.wait_for_load_state("networkidle")
            results[query] = (sum(sizes), links[:5])
            context.close()
        browser.close()
    return results


def main() -> None:
    """Print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="a kept juesuan build --work")
    parser.add_argument("--site", type=Path, required=True, help="the juesuan build --out")
    args = parser.parse_args()
    files, size = index_size(args.site)
    print(f"Pagefind: {files} files, {size / 1e6:.2f} MB on disk")
    for query, (transferred, requests) in search_transfer(args.site).items():
        print(f"  {query}: {transferred / 1e3:.0f} KB in {requests} requests (cold)")
    with tempfile.TemporaryDirectory(prefix="material-search-") as tmp:
        out = Path(tmp) / "site"
        seconds = material_build(args.work, out)
        index = out / "search" / "search_index.json"
        raw = index.read_bytes()
        print(
            f"Material search (jieba): mkdocs build {seconds:.1f} s; search_index.json "
            f"{len(raw) / 1e6:.2f} MB ({len(gzip.compress(raw)) / 1e6:.2f} MB gzipped)"
        )
        for query, (transferred, links) in material_queries(out).items():
            print(f"  {query}: {transferred / 1e3:.0f} KB; results {links}")


if __name__ == "__main__":
    main()
