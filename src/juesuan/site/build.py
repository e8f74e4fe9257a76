"""Build the whole site from the packages: pages, downloads, MkDocs, search index.

The site is built beside ``out`` (``.<out>.building-<pid>-…``) and swapped in by
renames once complete (:mod:`juesuan.folders`), so a build that fails or is
killed leaves the previous site whole; the next build removes what a killed one
left and says so.

1. Each package (in parallel worker processes): load, validate, write its page's
   Markdown and its downloads (into a hidden staging folder of the new site,
   which MkDocs' clean step leaves alone).
2. The pages across packages (home, units, glossary, codes) from the workers'
   summaries.
3. ``mkdocs build --strict``.
4. Move the downloads into place and index the site with Pagefind.
5. Swap the new site in for the old.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from juesuan import folders
from juesuan.package import trust
from juesuan.site import mkdocs_site, search, urls
from juesuan.site.corpus import load, package_folders, validate
from juesuan.site.downloads import write_downloads
from juesuan.site.page_codes import code_page, code_uses, codelist_page, codes_index
from juesuan.site.page_disclosure import disclosure_page
from juesuan.site.page_glossary import glossary_index, term_page, terms
from juesuan.site.page_static import contribute_page, home_page, search_page
from juesuan.site.page_units import by_unit, unit_page, units_index
from juesuan.site.pages import Page
from juesuan.site.summary import Summary, summarise
from juesuan.taxonomy.codes import FIELDS, KINDS, codelist
from juesuan.text import json_text

STAGING = ".juesuan-downloads"


@dataclass
class BuildReport:
    """What a build made and how long each step took."""

    site: Path
    disclosures: int = 0
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    mkdocs_log: str = ""
    search_log: str = ""

    @property
    def total(self) -> float:
        """Seconds for the whole build."""
        return sum(self.seconds.values())


@contextmanager
def _timed(report: BuildReport, step: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report.seconds[step] = report.seconds.get(step, 0.0) + time.perf_counter() - start


def _disclosure(task: tuple[Path, Path, Path]) -> Summary:
    """Worker: one package's page and downloads; its summary for the other pages."""
    folder, docs, staging = task
    disclosure = load(folder)
    disclosure.validation = validate(folder)
    mkdocs_site.write_page(docs, disclosure_page(disclosure))
    write_downloads(disclosure, staging)
    return summarise(disclosure)


def _write_codelists(docs: Path) -> None:
    """Both code lists, every entry with its years, status and source, as CSV and JSON."""
    for kind in KINDS:
        entries = [dataclasses.asdict(entry) for entry in codelist(kind)]
        target = docs / urls.codelist_file(kind, "csv")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: ("" if v is None else v) for k, v in e.items()} for e in entries)
        json_file = urls.codelist_file(kind, "json")
        (docs / json_file).write_text(
            json_text(entries, where=json_file, indent=1), encoding="utf-8"
        )


def _catalog(summaries: list[Summary]) -> dict:
    """A machine-readable list of every disclosure and its files, for portals to harvest."""
    datasets = []
    for s in summaries:
        package = lambda path, s=s: urls.package_file(s.slug, s.year, path)  # noqa: E731
        download = lambda name, s=s: urls.download(s.slug, s.year, name)  # noqa: E731
        datasets.append(
            {
                "name": s.name,
                "title": s.title,
                "unit": s.unit,
                "region": s.region,
                "year": s.year,
                "edition": s.edition,
                "validation": s.status,
                "page": urls.disclosure(s.slug, s.year),
                "datapackage": package("datapackage.json"),
                "zip": download(f"{s.name}.zip"),
                "xlsx": download(f"{s.name}.xlsx"),
                "tables": [
                    {
                        "table": table_id,
                        "title": title,
                        "csv": package(f"data/{table_id}.csv"),
                        "json": package(f"data/{table_id}.json"),
                    }
                    for table_id, title in s.tables
                ],
            }
        )
    return {"title": mkdocs_site.SITE_NAME, "unit_of_amounts": "万元", "datasets": datasets}


def cross_pages(summaries: list[Summary], commands: Sequence[tuple[str, str]]) -> Iterator[Page]:
    """Every page built from all disclosures together (and the commands' list)."""
    yield home_page(summaries)
    yield units_index(summaries)
    for items in by_unit(summaries).values():
        yield unit_page(items)
    merged = terms(summaries)
    yield glossary_index(merged)
    for term in merged:
        yield term_page(term)
    uses = code_uses(summaries)
    yield codes_index(summaries, uses)
    for kind in KINDS:
        yield codelist_page(kind, summaries, uses)
    for kind, code in sorted(uses):
        yield code_page(kind, code, summaries, uses)
    yield search_page()
    yield contribute_page(commands)


def _move_downloads(staging: Path, site: Path) -> None:
    """Put each disclosure's package/ and download/ folders in place (renames)."""
    for folder in sorted(staging.glob("units/*/*")):
        target = site / folder.relative_to(staging)
        target.mkdir(parents=True, exist_ok=True)
        for child in folder.iterdir():
            child.replace(target / child.name)
    shutil.rmtree(staging)


class UntrustedPackage(ValueError):
    """A package names or holds a file that may not be published, or is past a limit."""


class UnsafeOutput(ValueError):
    """The output folder is not a folder, or replacing it would take something else along."""


def build_site(
    packages: Path,
    out: Path,
    *,
    jobs: int | None = None,
    work: Path | None = None,
    with_search: bool = True,
    progress: Callable[[str], None] = lambda _message: None,
    commands: Sequence[tuple[str, str]],
) -> BuildReport:
    """Build the site of every package under ``packages`` and put it at ``out``.

    ``out`` is replaced whole, and only by a complete site: the build happens
    beside it. What a killed build left beside it is removed (or, when ``out``
    itself was lost between the renames, put back) first, and ``progress``
    hears of it.

    ``commands`` are (name, one-line help) of every command for the contribute
    page, as :func:`juesuan.cli.command_table` gives them: the site is told the
    commands rather than importing the command line that builds it.
    """
    out = out.resolve()
    report = BuildReport(out)
    sources = package_folders(packages)
    if not sources:
        raise FileNotFoundError(f"no package (*/*/datapackage.json) under {packages}")
    untrusted = [(folder, problem) for folder in sources for problem in trust.problems(folder)]
    if untrusted:
        # Nothing from outside a package may be published: refuse the build.
        lines = "; ".join(f"{folder}: {problem}" for folder, problem in untrusted)
        raise UntrustedPackage(f"refusing to publish: {lines}")
    _check_out(out, packages, work)
    out.parent.mkdir(parents=True, exist_ok=True)
    with folders.locked(out):
        for note in folders.recover(out, what="build"):
            progress(f"note: {note}")
        site = folders.building(out)
    # The lock is not held while the site is built: the worker processes would
    # inherit it, and one outliving a killed build would keep it. A build
    # running beside this one keeps its folder: recover() spares a live process's.
    temporary = work is None
    work = Path(tempfile.mkdtemp(prefix="juesuan-site-")) if work is None else work.resolve()
    try:
        work.mkdir(parents=True, exist_ok=True)
        _build_into(site, work, sources, report, jobs, with_search, progress, commands)
        with folders.locked(out):
            folders.swap_in(site, out)
    except BaseException:
        shutil.rmtree(site, ignore_errors=True)
        raise
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)
    return report


def _check_out(out: Path, packages: Path, work: Path | None) -> None:
    """Refuse an ``out`` that is a file, or that holds what the build must not replace."""
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"{out} is not a folder: the site replaces a folder only")
    kept = {"the packages": packages, "the current folder": Path.cwd(), "the work folder": work}
    for what, path in kept.items():
        if path is not None and path.resolve().is_relative_to(out):
            raise UnsafeOutput(
                f"refusing to build into {out}: the build replaces it whole, "
                f"and {what} ({path.resolve()}) would go with it"
            )


def _build_into(
    site: Path,
    work: Path,
    sources: list[Path],
    report: BuildReport,
    jobs: int | None,
    with_search: bool,
    progress: Callable[[str], None],
    commands: Sequence[tuple[str, str]],
) -> None:
    """Build the whole site into the empty folder ``site``, with ``work`` for MkDocs."""
    docs, config_file = mkdocs_site.prepare(work, site)
    staging = site / STAGING
    tasks = [(folder, docs, staging) for folder in sources]
    progress(f"{len(sources)} packages: validating, writing pages and downloads")
    with _timed(report, "disclosures"):
        workers = jobs or os.cpu_count() or 1
        if workers == 1:
            summaries = [_disclosure(task) for task in tasks]
        else:
            with ProcessPoolExecutor(workers) as pool:
                summaries = list(pool.map(_disclosure, tasks, chunksize=4))
    with _timed(report, "cross pages"):
        pages = mkdocs_site.write_pages(docs, cross_pages(summaries, commands))
        (docs / "catalog.json").write_text(
            json_text(_catalog(summaries), where="catalog.json", indent=1), encoding="utf-8"
        )
        _write_codelists(docs)
    report.disclosures = len(summaries)
    report.pages = pages + len(summaries)
    progress(f"mkdocs build --strict: {report.pages} pages")
    with _timed(report, "mkdocs"):
        report.mkdocs_log = mkdocs_site.build(config_file, site)
    with _timed(report, "downloads"):
        _move_downloads(staging, site)
    if with_search:
        progress("pagefind: indexing")
        with _timed(report, "search index"):
            report.search_log = search.index(site)
