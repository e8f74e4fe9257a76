"""The ``juesuan`` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from juesuan.cli.options import cache_options, jobs_option, packages_folder, progress_bar
from juesuan.errors import SourceError
from juesuan.paths import PACKAGES


class _Commands(click.Group):
    """The command group, with one last guard: no traceback reaches the terminal.

    Each command turns bad input into its own errors; should something still
    escape, the command could not run: one line, exit 2.
    """

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as error:  # the last guard, by design
            detail = str(error).splitlines()[0][:200] if str(error) else ""
            click.echo(f"error: juesuan could not run: {type(error).__name__}: {detail}", err=True)
            sys.exit(2)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="juesuan")
def main() -> None:
    """Turn 部门决算公开 documents into open data packages, check them, publish them."""
    from juesuan.limits import InvalidLimit, check_environment

    try:
        check_environment()
    except InvalidLimit as error:  # a typo in a limit must not pass for the default
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


@main.command()
@click.argument(
    "sources", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@packages_folder("--out", "Folder that holds one folder per unit and year.")
@click.option(
    "--unit",
    metavar="SLUG",
    help="The unit's folder under OUT (default: the folder the source sits in, the unit "
    "already registered under the printed name, or the pinyin of the name).",
)
@click.option(
    "--skip-hand-edited",
    is_flag=True,
    help="Leave packages marked hand_edited as they are instead of failing.",
)
@jobs_option()
def ingest(
    sources: tuple[Path, ...],
    out: Path,
    unit: str | None,
    skip_hand_edited: bool,
    jobs: int | None,
) -> None:
    """Read SOURCES (部门决算 documents) and write a data package for each.

    SOURCES may be PDF (with or without ruled tables), .xlsx/.xls workbooks, Word
    .docx (.doc with LibreOffice installed), web pages saved as .html, or text
    (UTF-8, GBK, GB18030); the kind is told by the content where a renamed file's
    suffix says otherwise. The package goes to OUT/<unit>/<year>/ with the source
    kept inside it; a source already in OUT/<unit>/<year>/source/ (see juesuan new)
    must be that year's document. Nothing is written for a document that cannot be
    read in full, and a package marked hand_edited is never overwritten.

    Prints, for each document, a summary to check against the paper: the tables
    found, their amounts and totals, and every placement that had to be inferred.

    \b
    Example:
      juesuan ingest datapackage/wuhan-qiaokou-dashujuzhongxin/2019/source/2019.pdf
      juesuan ingest ~/Downloads/决算.xlsx --unit wuhan-huangpi-dashujuzhongxin-benji

    Exit status: 0 all written, 1 a source has errors (each printed as
    file:line (page or cell): [table] message; expected …), 2 usage.
    """
    from juesuan.ingest.batch import read_all
    from juesuan.ingest.report import report
    from juesuan.package.write import write_package
    from juesuan.repository.targets import assign, hand_edited

    finished = 0

    def step() -> None:
        nonlocal finished
        finished += 1
        click.echo(f"[{finished}/{len(sources)}] read {sources[finished - 1]}", err=True)

    # Reading is the long part and runs over worker processes; the packages are
    # assigned and written here, one at a time and in order, as without --jobs.
    failed = 0
    for done in read_all(sources, jobs=jobs, done=step):
        source, disclosure = done.source, done.disclosure
        if disclosure is None:
            click.echo(f"error: {done.error}", err=True)
            failed += 1
            continue
        try:
            folder = assign(disclosure, out, unit)
            if hand_edited(folder):
                if skip_hand_edited:
                    click.echo(f"{source}: skipped, {folder} is marked hand_edited")
                    continue
                raise SourceError(
                    source,
                    f"{folder} is marked hand_edited: ingesting would overwrite the edits",
                    expected="--skip-hand-edited, or hand_edited set to false in its "
                    "datapackage.json if the edits are to go",
                )
            target = write_package(
                disclosure, folder, said=lambda note: click.echo(f"note: {note}", err=True)
            )
        except SourceError as error:
            click.echo(f"error: {error}", err=True)
            failed += 1
            continue
        except OSError as error:  # a read-only folder, a full disk: nothing half-written
            click.echo(f"error: {source}: the package could not be written: {error}", err=True)
            failed += 1
            continue
        for line in report(disclosure, source, target):
            click.echo(line)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("package", type=click.Path(exists=True, file_okay=False, path_type=Path))
def facts(package: Path) -> None:
    """Print every reported amount of PACKAGE as CSV.

    Header: table,table_title,row,row_label,column,column_label,value

    \b
    Example:
      juesuan facts datapackage/wuhan-huangpi-dashujuzhongxin-benji/2024
    """
    from juesuan.package.facts import write_facts

    write_facts(package, sys.stdout)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "github", "markdown"]),
    default="text",
    show_default=True,
    help="How to print the findings.",
)
@click.option(
    "--frictionless",
    "reference",
    is_flag=True,
    help="Run frictionless itself for the schema, type and key checks (slower; the "
    "default pass gives the same findings).",
)
@jobs_option()
@cache_options
def validate(
    paths: tuple[Path, ...],
    output: str,
    reference: bool,
    jobs: int | None,
    cache: Path,
    no_cache: bool,
) -> None:
    """Validate packages: frictionless, arithmetic, code lists, narrative numbers.

    PATHS are package folders (holding datapackage.json) or folders of packages;
    with none, every package under datapackage/ is validated. Each report is
    kept in the cache under the hash of everything it depends on (the package's
    files, the definitions and code lists, juesuan itself) and reused while
    none of it changes. Exit status: 0 no error (warnings allowed), 1 errors
    found, 2 could not run.

    \b
    Example:
      juesuan validate --format github
      juesuan validate datapackage/wuhan-huangpi-dashujuzhongxin-benji/2024
      juesuan validate --frictionless --no-cache
    """
    from juesuan.validation.batch import Settings, validate_all
    from juesuan.validation.render import RENDERERS
    from juesuan.validation.run import package_folders, stray_report

    folders: list[Path] = []
    strays = []
    for path in paths or (PACKAGES,):
        if (path / "datapackage.json").exists() or path.name == "datapackage.json":
            folders.append(path.parent if path.name == "datapackage.json" else path)
        elif path.is_dir():
            packages, found = package_folders(path)
            folders += packages
            strays += [stray_report(folder) for folder in found]
        else:
            click.echo(f"error: {path}: no package here (no datapackage.json)", err=True)
            sys.exit(2)
    if not folders and not strays:
        click.echo("error: no package found", err=True)
        sys.exit(2)
    settings = Settings(cache=None if no_cache else cache, reference=reference)
    with progress_bar("validating", len(folders), show=output == "text") as step:
        outcomes = validate_all(folders, settings, jobs=jobs, done=step)
    reports = strays + [outcome.report for outcome in outcomes]
    click.echo(RENDERERS[output](reports), nl=False)
    sys.exit(1 if any(report.errors for report in reports) else 0)


@main.command()
@click.option("--check", is_flag=True, help="Fail if a generated file is stale; write nothing.")
def schemas(check: bool) -> None:
    """Generate Table Schemas and JSON Schemas from the table definitions.

    \b
    Example:
      juesuan schemas --check
    """
    from juesuan.taxonomy.schemas import generated_files, write_generated

    if check:
        stale = [
            p
            for p, c in generated_files().items()
            if not p.exists() or p.read_text(encoding="utf-8") != c
        ]
        for path in stale:
            click.echo(f"stale: {path}", err=True)
        sys.exit(1 if stale else 0)
    for path in write_generated():
        click.echo(f"wrote {path}")


@main.command()
@click.option("--check", is_flag=True, help="Fail if a reference page is stale; write nothing.")
def docs(check: bool) -> None:
    """Generate docs/: the rules, the commands and the input limits.

    docs/rules.md comes from schemas/, docs/cli.md from the commands' help and
    docs/limits.md from the code that enforces the limits.

    \b
    Example:
      juesuan docs --check
    """
    from juesuan.cli.reference import reference_files

    stale = []
    for path, content in reference_files(main).items():
        if path.exists() and path.read_text(encoding="utf-8") == content:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            click.echo(f"wrote {path}")
    for path in stale if check else ():
        click.echo(f"stale: {path} (run juesuan docs)", err=True)
    sys.exit(1 if check and stale else 0)


@main.command()
@click.argument(
    "packages",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
def sync(packages: tuple[Path, ...]) -> None:
    """Rewrite each table's JSON from its CSV, after typing into the CSVs by hand.

    The JSON files are always derived from the CSVs; juesuan validate reports a
    JSON file that says something else.

    \b
    Example:
      juesuan sync datapackage/wuhan-huangpi-dashujuzhongxin-benji/2024

    A value JSON cannot hold (NaN, Infinity, a number too large to be finite)
    or a cell that is no number of its column's type is an error naming the CSV
    line and column, and nothing of that package is written.

    Exit status: 0 done, 1 a package's JSON cannot be written from its CSVs, 2 usage.
    """
    from juesuan.package.read import SyncError, refresh_json

    failed = False
    for package in packages:
        try:
            written = refresh_json(package)
        except SyncError as error:
            failed = True
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            continue
        for path in written:
            click.echo(f"wrote {path}")
    sys.exit(1 if failed else 0)


def _register() -> None:
    """Commands that live in their own modules."""
    from juesuan.cli.repository import (
        check_sources,
        codes,
        corpus,
        diff,
        new,
        template_command,
    )

    main.add_command(new)
    main.add_command(diff)
    main.add_command(check_sources)
    main.add_command(template_command)
    main.add_command(corpus)
    main.add_command(codes)


_register()


def _register_site() -> None:
    """The static site's commands (juesuan.cli.site)."""
    from juesuan.cli.site import build, serve

    main.add_command(build)
    main.add_command(serve)


_register_site()


def command_table() -> list[tuple[str, str]]:
    """Every command's name and one-line help, in name order: the site's list of commands.

    The site receives this as data from ``juesuan build`` rather than importing
    the command line, so the site does not depend on the commands that build it.
    """
    context = click.Context(main)
    table = []
    for name in sorted(main.list_commands(context)):
        command = main.get_command(context, name)
        if command is None:
            continue
        table.append((name, command.get_short_help_str(limit=120)))
    return table
