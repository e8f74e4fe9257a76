"""Benchmark the static site: build time, pages/second, search index, page weights,
and the bytes a browser transfers for a search.

Page weights are the HTML files' bytes: the heaviest page (and the heaviest of
each kind: disclosure, unit, comparison, code, …), the median, and every page
over the budget (--budget, 200 KB), which the pages across disclosures must
stay under at 1,000 disclosures (split or paginate them otherwise).

Usage:
  .venv/bin/python -m scripts.bench_site                  # real packages, 3 builds
  .venv/bin/python -m scripts.bench_site --synthetic 1000 # plus a synthetic corpus

Figures are medians over --runs builds. Run it alone: the machine has 2 cores.
Run it from the repository root with -m: the synthetic corpus is tests/synthetic.py,
test data that is not part of the installed package.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
from pathlib import Path

from tests.synthetic import generate

from juesuan.cli import command_table
from juesuan.paths import PACKAGES
from juesuan.site.build import BuildReport, build_site
from juesuan.site.linkcheck import pages
from juesuan.site.local import CHROMIUM, CHROMIUM_ARGS, static_server
from juesuan.site.search import index_size

QUERIES = ("网信事务", "公务接待费", "黄陂")
KINDS = (
    ("comparison", re.compile(r"units/[^/]+/compare/index\.html")),
    ("disclosure", re.compile(r"units/[^/]+/\d{4}/index\.html")),
    ("unit", re.compile(r"units/[^/]+/index\.html")),
    ("code", re.compile(r"codes/[^/]+/[^/]+/(?:\d+/)?index\.html")),
    ("code list", re.compile(r"codes/[^/]+/index\.html")),
    ("term", re.compile(r"glossary/[^/]+/index\.html")),
)
"""Kinds of page by their path, the first that matches; the rest are "other"."""


def kind_of(path: str) -> str:
    """The kind of page at ``path`` (relative to the site)."""
    return next((name for name, pattern in KINDS if pattern.fullmatch(path)), "other")


def page_weights(site: Path, budget: int) -> None:
    """Print the heaviest page, the heaviest of each kind, the median and those over budget."""
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in pages(site)}
    heaviest = max(sizes, key=lambda p: sizes[p])
    print(
        f"page weight: max {sizes[heaviest]} B ({heaviest}); "
        f"median {statistics.median(sizes.values()):.0f} B over {len(sizes)} HTML pages"
    )
    by_kind: dict[str, list[str]] = {}
    for path in sizes:
        by_kind.setdefault(kind_of(path), []).append(path)
    for kind, paths in sorted(by_kind.items()):
        top = max(paths, key=lambda p: sizes[p])
        median = statistics.median(sizes[p] for p in paths)
        print(f"  {kind}: {len(paths)} pages, max {sizes[top]} B ({top}), median {median:.0f} B")
    over = sorted((p for p in sizes if sizes[p] > budget), key=lambda p: -sizes[p])
    print(f"pages over {budget / 1e3:.0f} KB: {len(over)}" + "".join(f"\n  {p}" for p in over[:10]))


def search_transfer(site: Path) -> dict[str, tuple[int, int]]:
    """Per query: (bytes, requests) the browser fetched from the search bundle.

    Each query runs in a fresh browser context (cold cache), so the figure
    includes Pagefind's script and WebAssembly as well as the index fragments.
    """
    from playwright.sync_api import sync_playwright

    results = {}
    with static_server(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for query in QUERIES:
            context = browser.new_context()
            page = context.new_page()
            sizes: list[int] = []
            page.on(
                "response",
                lambda r, sizes=sizes: (
                    sizes.append(len(r.body())) if "/pagefind/" in r.url and r.ok else None
                ),
            )
            page.goto(f"{base}search/?q={query}")
            page.locator(".js-result-link").first.wait_for(timeout=30_000)
            page.wait_for_load_state("networkidle")
            results[query] = (sum(sizes), len(sizes))
            context.close()
        browser.close()
    return results


def report(name: str, builds: list[BuildReport], browser: bool, budget: int) -> None:
    """Print the figures of one corpus."""
    site = builds[-1].site
    total = statistics.median(b.total for b in builds)
    count = builds[-1].pages
    print(f"== {name}: {builds[-1].disclosures} disclosures, {count} pages, {len(builds)} build(s)")
    print(f"build time (median): {total:.1f} s; {count / total:.1f} pages/s")
    for step in builds[-1].seconds:
        print(f"  {step}: {statistics.median(b.seconds[step] for b in builds):.1f} s")
    files, size = index_size(site)
    print(f"search index: {files} files, {size / 1e6:.2f} MB")
    page_weights(site, budget)
    site_size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"whole site: {site_size} B ({site_size / 1e6:.1f} MB)")
    if browser:
        for query, (transferred, requests) in search_transfer(site).items():
            print(f"search {query}: {transferred / 1e3:.0f} KB in {requests} requests (cold)")


def main() -> None:
    """Build and measure the real site, then (optionally) a synthetic corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds of the real site")
    parser.add_argument("--synthetic", type=int, default=0, help="disclosures to generate")
    parser.add_argument("--synthetic-runs", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-browser", action="store_true", help="skip the search transfer")
    parser.add_argument("--budget", type=int, default=200_000, help="bytes a page may weigh")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-") as tmp:
        root = Path(tmp)
        commands = command_table()
        real = [
            build_site(PACKAGES, root / "real", jobs=args.jobs, commands=commands)
            for _ in range(args.runs)
        ]
        report("real packages", real, not args.no_browser, args.budget)
        if args.synthetic:
            packages = root / "packages"
            generate(packages, args.synthetic)
            builds = [
                build_site(packages, root / "synthetic", jobs=args.jobs, commands=commands)
                for _ in range(args.synthetic_runs)
            ]
            report(f"synthetic corpus ({args.synthetic})", builds, not args.no_browser, args.budget)


if __name__ == "__main__":
    main()
