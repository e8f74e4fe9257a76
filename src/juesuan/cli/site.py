"""``juesuan build`` and ``juesuan serve``: the static site."""

from __future__ import annotations

import contextlib
import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from juesuan.cli.options import build_cache_options
from juesuan.paths import CACHE, PACKAGES, SITE

DEFAULT_OUT = SITE
_out = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default="site-build/",  # not the absolute path: the docs are generated from --help
    help="Folder the site is put in: built beside it, replaced whole once complete.",
)
_packages = click.option(
    "--packages",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=PACKAGES,
    show_default="datapackage/",
    help="Folder that holds one folder per unit and year.",
)


def _site_url(
    _context: click.Context, _parameter: click.Parameter, value: str | None
) -> str | None:
    from juesuan.site.urls import site_address

    try:
        return site_address(value) if value else None
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _build(
    packages: Path,
    out: Path,
    jobs: int | None,
    work: Path | None,
    search: bool,
    site_url: str | None = None,
    cache: Path | None = CACHE,
) -> None:
    from juesuan.cli import command_table
    from juesuan.site.build import UnsafeOutput, UntrustedPackage, build_site
    from juesuan.site.mkdocs_site import MkDocsError
    from juesuan.site.search import SearchIndexError

    try:
        report = build_site(
            packages,
            out,
            jobs=jobs,
            work=work,
            with_search=search,
            progress=lambda message: click.echo(message, err=True),
            commands=command_table(),
            site_url=site_url,
            cache=cache,
        )
    except (
        MkDocsError,
        SearchIndexError,
        FileNotFoundError,
        UntrustedPackage,
        UnsafeOutput,
    ) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    steps = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in report.seconds.items())
    if report.up_to_date:
        click.echo(f"{report.site} is up to date ({report.disclosures} disclosures, {steps})")
        return
    kept = sum(report.cache_hits.values())
    made = sum(report.cache_misses.values())
    if kept or made:
        click.echo(f"cache: {kept} kept, {made} made, {report.cache_pruned} pruned", err=True)
    click.echo(
        f"built {report.site}: {report.disclosures} disclosures, {report.pages} pages "
        f"in {report.total:.1f}s ({steps})"
    )


@click.command()
@_out
@_packages
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the generated mkdocs.yml and Markdown here (default: a temporary folder).",
)
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index.")
@click.option(
    "--site-url",
    callback=_site_url,
    help="The address the site will be served at (https://…/): the sitemap, the "
    "catalogs and the citations give absolute addresses (default: relative ones).",
)
@build_cache_options
def build(
    out: Path,
    packages: Path,
    jobs: int | None,
    work: Path | None,
    no_search: bool,
    site_url: str | None,
    cache: Path,
    no_cache: bool,
) -> None:
    """Build the static site (MkDocs Material, in Chinese) from every package.

    One page per disclosure with its tables, charts, validation findings, narrative
    and downloads; pages for units, the glossary and the code lists; a Chinese
    search index. The site needs no internet: serve OUT with any static server.

    The site is built in a folder beside OUT and put in its place only when
    complete, so a build that fails or is killed leaves the previous site as it
    was; the next build removes what a killed one left (and says so).

    What the build makes of each package (its page, downloads and facts), the
    pages across packages, every rendered page and the search index are kept in
    the cache by the hash of all they depend on: a build after one change
    makes only what that change touches, and one with nothing changed leaves
    OUT as it is. The site is the same bytes as a build with --no-cache. With
    the cache, the previous site is kept beside OUT (.OUT.spare, with
    .OUT-staging.spare for the downloads on their way in): the next build fills
    its folders again, emptied of files, as making and removing thousands of
    folders costs more than the files in them. They may be deleted at any time.

    The build writes every amount of every disclosure to downloads/facts.csv
    and facts.parquet, a DCAT-AP catalog (catalog.jsonld) and a schema.org
    Dataset in each disclosure page. Dates are those of the commits that added
    and last changed each package: build from a full clone (not a shallow one)
    to have them.

    \b
    Example:
      juesuan build --out site-build --site-url https://example.org/juesuan/
    """
    _build(packages, out, jobs, work, not no_search, site_url, None if no_cache else cache)


@click.command()
@_out
@_packages
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--no-build", is_flag=True, help="Serve OUT as it is.")
def serve(out: Path, packages: Path, port: int, host: str, no_build: bool) -> None:
    """Build the site and serve it locally for a preview.

    \b
    Example:
      juesuan serve --port 8000
    """
    if not no_build:
        _build(packages, out, None, None, True)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(out))
    with ThreadingHTTPServer((host, port), handler) as server:
        click.echo(f"serving {out} at http://{host}:{server.server_port}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
