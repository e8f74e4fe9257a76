"""Build the whole site from the packages: pages, downloads, MkDocs, search index.

The site is built beside ``out`` (``.<out>.building-<pid>-…``) and swapped in by
renames once complete (:mod:`juesuan.folders`), so a build that fails or is
killed leaves the previous site whole; the next build removes what a killed one
left and says so.

1. The commit dates of every package, from one ``git log`` (never the clock:
   the same commits give the same site on any day).
2. Each package (in parallel worker processes): load, validate, write its page's
   Markdown, its downloads and its part of the table of all amounts (into a
   hidden staging folder of the new site, which MkDocs' clean step leaves alone).
3. The pages across packages (home, units, glossary, codes, downloads) from the
   workers' summaries; the catalogs; the table of all amounts from the parts.
4. ``mkdocs build --strict``.
5. Move the downloads into place and index the site with Pagefind.
6. Swap the new site in for the old.

With a cache (``.juesuan-cache/``), each step first looks for what it made
before from the same inputs (see :mod:`juesuan.site.build_cache`): a
package's outputs (``disclosure_cache``), the pages across packages
(``cross_cache``), each rendered page (``page_cache``, served by the MkDocs
hook) and the search index (``search_cache``); and when the keys of every
package give the site ``out`` already holds, untouched since (``site_stamp``),
nothing is built at all. The site is the same bytes either way.

With a cache, folders are reused rather than made and removed on every build
(on most disks a folder costs more than a file): the retired site is kept as
the spare beside ``out`` and filled again, emptied of files (MkDocs then skips
its clean step); so are the downloads' staging folder beside it and the
Markdown's work folder in the cache. Folders the new site leaves empty go. A
package's key is kept with its trust stamp (``key_stamp``): one untouched since
is not hashed again.
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
from juesuan.site import (
    allfacts,
    catalog,
    cross_cache,
    disclosure_cache,
    key_stamp,
    mkdocs_site,
    page_cache,
    search_cache,
    site_stamp,
    trust_stamp,
    urls,
)
from juesuan.site.build_cache import Store
from juesuan.site.catalog import Entry
from juesuan.site.corpus import load, package_folders, validate
from juesuan.site.downloads import write_downloads
from juesuan.site.page_codes import code_pages, code_uses, codelist_page, codes_index
from juesuan.site.page_compare import compare_page
from juesuan.site.page_disclosure import disclosure_page, source_rows
from juesuan.site.page_downloads import downloads_page
from juesuan.site.page_glossary import glossary_index, term_page, terms
from juesuan.site.page_static import contribute_page, footer, home_page, search_page
from juesuan.site.page_units import by_unit, unit_page, units_index
from juesuan.site.pages import Page
from juesuan.site.provenance import Dates, commit_dates
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
    cache_hits: dict[str, int] = field(default_factory=dict)
    """Entries of the build cache reused, by area (disclosures, cross, pages, search)."""
    cache_misses: dict[str, int] = field(default_factory=dict)
    """Entries looked for and not found (or failing a check), hence built, by area."""
    cache_pruned: int = 0
    """Entries removed because this build did not use them."""
    up_to_date: bool = False
    """``out`` was the site the packages give, untouched since: nothing was built."""

    @property
    def total(self) -> float:
        """Seconds for the whole build."""
        return sum(self.seconds.values())


@contextmanager
def _timed(report: BuildReport, step: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report.seconds[step] = report.seconds.get(step, 0.0) + time.perf_counter() - start


Task = tuple[Path, Path, Path, Dates, str | None, Path | None, str | None]
"""(package folder, docs, staging, its commit dates, the site's address, the cache, its
cache key) for a worker."""


def _key(task: tuple[Path, Dates, str | None, Path]) -> str | None:
    """Worker: the cache key of a package's outputs."""
    return disclosure_cache.key(*task)


def _keys(
    tasks: list[tuple[Path, Dates, str | None]], cache: Path | None, jobs: int | None
) -> list[str | None]:
    """The cache key of every package (none without a cache), hashed over the workers."""
    if cache is None:
        return [None] * len(tasks)
    keyed = [(*task, cache) for task in tasks]
    workers = jobs or os.cpu_count() or 1
    if workers == 1 or len(tasks) < 2 * workers:
        return [_key(task) for task in keyed]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_key, keyed, chunksize=16))


def _kept_keys(
    sources: list[Path],
    dates: dict[Path, Dates],
    stamps: dict[Path, trust_stamp.Stamp | None],
    site_url: str | None,
    cache: Path | None,
    jobs: int | None,
) -> list[str | None]:
    """The cache key of every package: kept ones for packages untouched since, others hashed."""
    if cache is None:
        return [None] * len(sources)
    kept = key_stamp.Keys(cache, site_url)
    keys = [kept.get(f, stamps.get(f), dates.get(f, Dates())) for f in sources]
    missing = [i for i, key in enumerate(keys) if key is None]
    tasks = [(sources[i], dates.get(sources[i], Dates()), site_url) for i in missing]
    for i, key in zip(missing, _keys(tasks, cache, jobs), strict=True):
        keys[i] = key
        kept.put(sources[i], stamps.get(sources[i]), dates.get(sources[i], Dates()), key)
    kept.save()
    return keys


Done = tuple[Summary, Entry, str | None, bool]
"""A worker's summary and catalog entry, its cache key (None uncached) and whether it hit."""


def _disclosure(task: Task) -> Done:
    """Worker: one package's page, downloads and facts; its summary and catalog entry.

    With a cache, what the same package gave before is put in place instead.
    """
    folder, docs, staging, dates, site_url, cache, key = task
    if cache is None:
        return (*_make_disclosure(folder, docs, staging, dates, site_url, None), None, False)
    if key is None:
        return (*_make_disclosure(folder, docs, staging, dates, site_url, cache), None, False)
    store = Store(cache / "site")
    roots = disclosure_cache.roots(docs, staging)
    found = store.fetch_tree(disclosure_cache.AREA, key, roots, disclosure_cache.read_record)
    if found is not None:
        return (*found, key, True)
    # Written apart first: the kept files are hard links, never written over in place.
    scratch = Path(tempfile.mkdtemp(dir=docs.parent, prefix="disclosure-"))
    made = disclosure_cache.roots(scratch / "docs", scratch / "staging")
    summary, entry = _make_disclosure(folder, made["docs"], made["staging"], dates, site_url, cache)
    store.put_tree(disclosure_cache.AREA, key, made, disclosure_cache.record(summary, entry))
    for name, root in made.items():
        disclosure_cache.move_files(root, roots[name])
    shutil.rmtree(scratch, ignore_errors=True)
    return summary, entry, key, False


def _make_disclosure(
    folder: Path, docs: Path, staging: Path, dates: Dates, site_url: str | None, cache: Path | None
) -> tuple[Summary, Entry]:
    disclosure = load(folder)
    disclosure.validation = validate(folder, cache)
    disclosure.dates = dates
    facts = allfacts.write_part(disclosure, staging)
    entry = catalog.entry(disclosure, facts)
    mkdocs_site.write_page(docs, disclosure_page(disclosure, entry, site_url))
    about = catalog.about_rows(entry, source_rows(disclosure), site_url)
    write_downloads(disclosure, staging, about)
    return summarise(disclosure), entry


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


def cross_pages(summaries: list[Summary], commands: Sequence[tuple[str, str]]) -> Iterator[Page]:
    """Every page built from all disclosures together (and the commands' list)."""
    for items in by_unit(summaries).values():
        yield from unit_pages(items)
    yield from site_pages(summaries, commands)


def unit_pages(items: list[Summary]) -> Iterator[Page]:
    """A unit's page and its comparison: made from that unit's disclosures alone."""
    yield unit_page(items)
    yield compare_page(items)


def site_pages(summaries: list[Summary], commands: Sequence[tuple[str, str]]) -> Iterator[Page]:
    """The pages across units: home, units, glossary, codes, search, contribute."""
    yield home_page(summaries)
    yield units_index(summaries)
    merged = terms(summaries)
    yield glossary_index(merged)
    for term in merged:
        yield term_page(term)
    uses = code_uses(summaries)
    yield codes_index(summaries, uses)
    for kind in KINDS:
        yield codelist_page(kind, summaries, uses)
    for kind, code in sorted(uses):
        yield from code_pages(kind, code, uses)
    yield search_page()
    yield contribute_page(commands)


def _move_downloads(staging: Path, site: Path, *, remove: bool = True) -> None:
    """Put each disclosure's package/ and download/ folders, and the facts, in place (renames).

    ``staging`` is removed after, unless not ``remove``: then its folders are left, empty.
    """
    for folder in [*sorted(staging.glob("units/*/*")), staging / urls.DOWNLOADS.rstrip("/")]:
        target = site / folder.relative_to(staging)
        target.mkdir(parents=True, exist_ok=True)
        for child in folder.iterdir():
            _move_into(child, target / child.name)
    if remove:
        shutil.rmtree(staging)


def _move_into(source: Path, target: Path) -> None:
    """``source`` renamed to ``target``; into it, member by member, when it is a folder there.

    A site reused from the spare (:func:`juesuan.folders.reuse_spare`) keeps its folders.
    """
    if source.is_dir() and not source.is_symlink():
        if target.is_dir():
            for child in source.iterdir():
                _move_into(child, target / child.name)
            return
        if not any(source.iterdir()):
            return  # an empty folder of a kept staging folder: nothing to publish
    source.replace(target)


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
    site_url: str | None = None,
    cache: Path | None = None,
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
    with _timed(report, "checks"):
        sources = package_folders(packages)
        if not sources:
            raise FileNotFoundError(f"no package (*/*/datapackage.json) under {packages}")
        # One walk of each package stamps it for the trust check and for its key.
        stamps = trust_stamp.stamps(sources) if cache is not None else {}
        untrusted = trust_stamp.problems(cache, sources, trust.problems, stamps)
        if untrusted:
            # Nothing from outside a package may be published: refuse the build.
            lines = "; ".join(f"{folder}: {problem}" for folder, problem in untrusted)
            raise UntrustedPackage(f"refusing to publish: {lines}")
        _check_out(out, packages, work)
        dates = commit_dates(packages, sources)
    with _timed(report, "keys"):
        keys = _kept_keys(sources, dates, stamps, site_url, cache, jobs)
    cross_key = cross_cache.key(keys, commands, site_url)
    site_key = site_stamp.key(cross_key, with_search) if cross_key and cache else None
    out.parent.mkdir(parents=True, exist_ok=True)
    with folders.locked(out):
        for note in folders.recover(out, what="build"):
            progress(f"note: {note}")
        if cache is not None and site_key is not None:
            pages = site_stamp.current(cache, out, site_key)
            if pages is not None:
                report.up_to_date, report.disclosures, report.pages = True, len(sources), pages
                progress(f"{out} is up to date: nothing it depends on changed")
                return report
        # With a cache the previous site is kept as the spare: its folders are reused.
        spare = folders.reuse_spare(out) if cache is not None else None
        site = spare or folders.building(out)
        staging = _staging(out) if cache is not None else None
    # The lock is not held while the site is built: the worker processes would
    # inherit it, and one outliving a killed build would keep it. A build
    # running beside this one keeps its folder: recover() spares a live process's.
    temporary = work is None
    kept_work = _work_spare(cache) if work is None and cache is not None else None
    if work is None:
        work = kept_work or Path(tempfile.mkdtemp(prefix="juesuan-site-"))
    else:
        work = work.resolve()
    try:
        work.mkdir(parents=True, exist_ok=True)
        _build_into(
            site,
            work,
            (sources, dates, keys, cross_key),
            report,
            jobs,
            with_search,
            progress,
            commands,
            (site_url, cache),
            reused=(spare is not None, kept_work is not None),
            staging=staging,
        )
        with _timed(report, "swap"), folders.locked(out):
            folders.swap_in(site, out, keep=cache is not None)
            if cache is not None:
                site_stamp.write(cache, out, site_key, report.pages)
    except BaseException:
        shutil.rmtree(site, ignore_errors=True)
        raise
    finally:
        if staging is not None:
            folders.keep_as_spare(staging, _staging_target(out))
        if kept_work is not None and cache is not None:
            folders.keep_as_spare(kept_work, cache / "site" / WORK)
        elif temporary:
            shutil.rmtree(work, ignore_errors=True)
    return report


WORK = "work"
"""In ``<cache>/site/``: the spare of the folder MkDocs reads, its folders reused."""


def _staging_target(out: Path) -> Path:
    return out.with_name(f".{out.name}-staging")


def _staging(out: Path) -> Path:
    """A folder beside ``out`` for the downloads before they move in (under ``out``'s lock).

    The spare of the last build's, emptied of files, when there is one: its folders,
    thousands of them, are made once.
    """
    target = _staging_target(out)
    folders.recover(target, what="build")
    return folders.reuse_spare(target) or folders.building(target)


def _work_spare(cache: Path) -> Path | None:
    """The work folder of the last build with ``cache``, emptied of files; None without one."""
    target = cache / "site" / WORK
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with folders.locked(target):
            folders.recover(target, what="build")
            return folders.reuse_spare(target)
    except OSError:
        return None  # without it the build makes every folder afresh


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
    packages: tuple[list[Path], dict[Path, Dates], list[str | None], str | None],
    report: BuildReport,
    jobs: int | None,
    with_search: bool,
    progress: Callable[[str], None],
    commands: Sequence[tuple[str, str]],
    addresses: tuple[str | None, Path | None],
    *,
    reused: tuple[bool, bool] = (False, False),
    staging: Path | None = None,
) -> None:
    """Build the whole site into the empty folder ``site``, with ``work`` for MkDocs.

    ``reused``: whether ``site`` and ``work`` are spares emptied of files, their folders
    kept (see :func:`juesuan.folders.reuse_spare`); those of ``site`` the new site does
    not fill are removed at the end. ``staging``: where the downloads wait (a folder kept
    between builds, left empty); by default a hidden folder of ``site``, removed.

    ``packages`` is the package folders, their commit dates, their cache keys and the
    key of the pages across them;
    ``addresses`` the site's address and the cache.
    """
    sources, dates, keys, cross_key = packages
    site_url, cache = addresses
    reused_site, reused_work = reused
    docs = mkdocs_site.prepare(work, emptied=reused_work)
    removed = staging is None
    staging = site / STAGING if staging is None else staging
    tasks = [
        (folder, docs, staging, dates.get(folder, Dates()), site_url, cache, key)
        for folder, key in zip(sources, keys, strict=True)
    ]
    progress(f"{len(sources)} packages: validating, writing pages and downloads")
    with _timed(report, "disclosures"):
        workers = jobs or os.cpu_count() or 1
        if workers == 1:
            results = [_disclosure(task) for task in tasks]
        else:
            with ProcessPoolExecutor(workers) as pool:
                results = list(pool.map(_disclosure, tasks, chunksize=4))
    summaries = [summary for summary, _entry, _key, _hit in results]
    entries = [entry for _summary, entry, _key, _hit in results]
    store = Store(cache / "site") if cache is not None else None
    if store is not None:
        for _summary, _entry, key, hit in results:
            if key is not None:
                store.note(disclosure_cache.AREA, key, hit)
    with _timed(report, "cross pages"):
        pages = None
        # A unit's pages are kept by its disclosures' keys; the rest by all of them.
        by_units = store is not None and cross_key is not None
        units = _unit_pages(docs, work, store, summaries, keys) if by_units and store else 0
        roots = cross_cache.roots(docs, staging)
        if store is not None and cross_key is not None:
            pages = store.fetch_tree(cross_cache.AREA, cross_key, roots, cross_cache.read_record)
        if pages is None:
            scratch = Path(tempfile.mkdtemp(dir=work, prefix="cross-"))
            made = cross_cache.roots(scratch / "docs", scratch / "staging")
            pages = _cross(
                made["docs"],
                staging,
                made["staging"],
                sources,
                summaries,
                entries,
                commands,
                site_url,
                with_units=not by_units,
            )
            if store is not None and cross_key is not None:
                store.put_tree(cross_cache.AREA, cross_key, made, pages)
            for name, folder in made.items():
                disclosure_cache.move_files(folder, roots[name])
            shutil.rmtree(scratch, ignore_errors=True)
    with _timed(report, "page keys"):
        settings = mkdocs_site.config(docs, site, site_url, footer(entries))
        page_keys = page_cache.keys(docs, page_cache.environment(settings)) if store else {}
        rendered = page_cache.plan(store, page_keys, work) if store else None
    config_file = mkdocs_site.write_config(
        work,
        mkdocs_site.config(docs, site, site_url, footer(entries), rendered, reused=reused_site),
    )
    report.disclosures = len(summaries)
    report.pages = units + pages + len(summaries)
    progress(f"mkdocs build --strict: {report.pages} pages")
    with _timed(report, "mkdocs"):
        report.mkdocs_log = mkdocs_site.build(config_file, site, reused=reused_site)
        if store is not None:
            page_cache.keep(store, page_keys, work, site)
    with _timed(report, "downloads"):
        _move_downloads(staging, site, remove=removed)
    if with_search:
        progress("pagefind: indexing")
        with _timed(report, "search index"):
            report.search_log = search_cache.index(site, store, jobs)
    if reused_site or not removed:  # folders of the spare or of the kept staging left empty
        with _timed(report, "downloads"):
            folders.remove_empty_folders(site)
    if store is not None:
        with _timed(report, "prune"):
            report.cache_pruned = store.prune(AREAS)
        report.cache_hits = dict(store.hits)
        report.cache_misses = dict(store.misses)


AREAS = (
    disclosure_cache.AREA,
    cross_cache.UNITS_AREA,
    cross_cache.AREA,
    page_cache.AREA,
    search_cache.AREA,
)
"""The build cache's areas, each pruned to what the latest build used."""


def _unit_pages(
    docs: Path, work: Path, store: Store, summaries: list[Summary], keys: list[str | None]
) -> int:
    """Each unit's page and comparison, kept by its disclosures' keys; the pages written."""
    keyed = {id(summary): key for summary, key in zip(summaries, keys, strict=True)}
    roots = {"docs": docs, "blocks": mkdocs_site.blocks_folder(docs)}
    count = 0
    for items in by_unit(summaries).values():
        key = cross_cache.unit_key([str(keyed[id(item)]) for item in items])
        found = store.fetch_tree(cross_cache.UNITS_AREA, key, roots, cross_cache.read_record)
        if found is None:
            scratch = Path(tempfile.mkdtemp(dir=work, prefix="unit-"))
            made = {"docs": scratch / "docs", "blocks": mkdocs_site.blocks_folder(scratch / "docs")}
            found = mkdocs_site.write_pages(made["docs"], unit_pages(items))
            store.put_tree(cross_cache.UNITS_AREA, key, made, found)
            for name, folder in made.items():
                disclosure_cache.move_files(folder, roots[name])
            shutil.rmtree(scratch, ignore_errors=True)
        count += found
    return count


def _cross(
    docs: Path,
    staging: Path,
    out: Path,
    sources: list[Path],
    summaries: list[Summary],
    entries: list[Entry],
    commands: Sequence[tuple[str, str]],
    site_url: str | None,
    *,
    with_units: bool,
) -> int:
    """Write the pages across disclosures, catalogs, code lists and table of all amounts.

    The table goes to ``out/downloads/``, from the parts in ``staging``. The pages written;
    the units' own pages among them ``with_units``.
    """
    made = cross_pages(summaries, commands) if with_units else site_pages(summaries, commands)
    pages = mkdocs_site.write_pages(docs, made)
    (docs / "catalog.json").write_text(
        json_text(catalog.legacy(entries), where="catalog.json", indent=1), encoding="utf-8"
    )
    (docs / urls.CATALOG).write_text(
        json_text(catalog.dcat(entries, site_url), where=urls.CATALOG, indent=1) + "\n",
        encoding="utf-8",
    )
    _write_codelists(docs)
    facts = allfacts.write_all(staging, sources, out / urls.DOWNLOADS)
    unread = tuple(e.name for e in entries if e.facts < 0)
    mkdocs_site.write_page(docs, downloads_page(facts, len(entries), unread))
    return pages + 1
