"""The commands that work on the repository of packages: new, template, diff, check-sources.

Each parses its options, calls the library function of the same name in
:mod:`juesuan.repository` and prints the outcome; the work is done there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from juesuan.cli.options import jobs_option, packages_folder, progress_bar
from juesuan.errors import SourceError
from juesuan.jobs import ordered_map
from juesuan.paths import shown
from juesuan.repository.check_sources import Problem, check_package, package_folders
from juesuan.repository.diff import (
    GitError,
    changed_packages,
    diff_package,
    render_markdown,
    render_text,
)
from juesuan.repository.new import scaffold, slug_example
from juesuan.repository.template import template
from juesuan.repository.unitmeta import UNIT_FILE, slug_problem, suggest_slug
from juesuan.years import FIRST_YEAR, latest_year


def _check_new_slug(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if problem := slug_problem(value):
        raise click.BadParameter(f"{value!r}: {problem}; {slug_example(None)}")
    return value


@click.command("new")
@click.argument("unit_slug", callback=_check_new_slug)
@click.argument("year", type=click.IntRange(FIRST_YEAR, latest_year()))
@click.option("--name", help="The unit's name exactly as the document prints it (单位：…).")
@click.option("--region-code", help="行政区划代码 of the unit's region, 6 digits (420104).")
@click.option("--parent", help="The department the unit reports to (主管部门).")
@click.option("--source-url", help="The web page the document was published on.")
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help="The day the unit published the document (公开日期), as that page gives it.",
)
@packages_folder("--out", "Folder that holds one folder per unit.")
def new(
    unit_slug: str,
    year: int,
    name: str | None,
    region_code: str | None,
    parent: str | None,
    source_url: str | None,
    published: str | None,
    out: Path,
) -> None:
    """Create the folder and metadata for UNIT_SLUG's YEAR disclosure.

    Writes OUT/UNIT_SLUG/unit.json (name, region code, parent department, and the
    year's source URL and publication day) and an empty OUT/UNIT_SLUG/YEAR/source/
    for the document.
    A new unit needs --name and --region-code; a known unit only gets the year.
    UNIT_SLUG is lowercase ASCII (the pinyin of the name), digits and hyphens.

    \b
    Example:
      juesuan new wuhan-qiaokou-dashujuzhongxin 2019 \
        --name 武汉市硚口区大数据中心 --region-code 420104 \
        --parent 武汉市硚口区人民政府 --source-url https://example.gov.cn/2019.pdf \
        --published 2020-09-01

    Exit status: 0 created, 1 refused (duplicate unit or year, bad metadata), 2 usage.
    """
    try:
        folder = scaffold(
            out,
            unit_slug,
            year,
            name=name,
            region_code=region_code,
            parent=parent,
            source_url=source_url,
            published=published,
        )
    except SourceError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"created {folder}/source/ and {folder.parent / UNIT_FILE}")
    click.echo("next:")
    click.echo(f"  1. copy the document (PDF, .xlsx, .xls or text) into {folder}/source/")
    click.echo(f"  2. juesuan ingest {folder}/source/<file>   and check its summary")
    click.echo(f"  3. juesuan validate {folder}")


def _check_template_slug(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if problem := slug_problem(value):
        raise click.BadParameter(
            f"{value!r}: {problem}; a slug such as {suggest_slug(None)} "
            "(lowercase ASCII letters, digits, hyphens)"
        )
    return value


@click.command("template")
@click.argument("unit_slug", callback=_check_template_slug)
@click.argument("year", type=click.IntRange(FIRST_YEAR, latest_year()))
@click.option(
    "--edition",
    "edition_id",
    required=True,
    metavar="EDITION",
    help="The edition of the printed tables, a folder of schemas/editions/: 2024 for "
    "公开01表…公开09表, 2019 for 表1…表8.",
)
@click.option(
    "--name",
    help="The unit's name exactly as printed (单位：…), for a unit without unit.json.",
)
@packages_folder("--out", "Folder that holds one folder per unit.")
def template_command(
    unit_slug: str, year: int, edition_id: str, name: str | None, out: Path
) -> None:
    """Write a blank package for UNIT_SLUG's YEAR, to type a printed 部门决算 into.

    For a disclosure there is no digital copy of: OUT/UNIT_SLUG/YEAR/ gets one CSV
    (and JSON) per table of the edition with its template rows and blank amounts
    (classified tables only their 合计 row: add one row per code printed), the code
    lists of YEAR, an empty glossary.csv, notes.csv and narrative.csv, and a
    datapackage.json marked hand_edited. The unit is the one registered with juesuan
    new, or the one --name names. A year that already holds a package is refused.

    \b
    Example:
      juesuan template wuhan-qiaokou-dashujuzhongxin 2024 --edition 2024
      juesuan template wuhan-huangpi-dashujuzhongxin-benji 2024 --edition 2024 \
        --name 武汉市黄陂区大数据中心（本级）

    Exit status: 0 written, 1 refused (unit not registered, year already holds a
    package, unknown edition, --name differs from unit.json), 2 usage.
    """
    try:
        folder = template(out, unit_slug, year, edition_id, name=name)
    except SourceError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"created {folder} (hand_edited, no source)")
    click.echo("next:")
    click.echo(f"  1. type the printed amounts into {folder}/data/*.csv (blank cell: leave empty)")
    click.echo(
        "     classified tables: one row per 类/款/项 code printed (row and code = the code)"
    )
    click.echo(f"  2. juesuan validate {folder}")


@click.command("diff")
@click.argument("packages", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option("--rev", default="HEAD", show_default=True, help="The git revision to compare with.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for a pull request summary.",
)
@click.option(
    "--name-only",
    is_flag=True,
    help="Print only the folders of changed packages that still exist, one a line.",
)
@click.option(
    "-z",
    "--null",
    "null",
    is_flag=True,
    help="With --name-only, end each folder with NUL, not a newline (for xargs -0).",
)
@click.option("--exit-code", is_flag=True, help="Exit with 1 when any fact changed.")
@packages_folder("--root", "Folder of packages to search for changes when no PACKAGES are given.")
def diff(
    packages: tuple[Path, ...],
    rev: str,
    output: str,
    name_only: bool,
    null: bool,
    exit_code: bool,
    root: Path,
) -> None:
    """Show which facts of PACKAGES changed against a git revision.

    Without PACKAGES, every package folder under --root whose files differ from
    REV (or are not yet committed) is compared. Facts are compared by table, row
    and column, so a corrected amount shows as before → after.

    Folder names come with contributions: a script reads the list with
    --name-only -z, whose names end with NUL, never through the shell.

    \b
    Example:
      juesuan diff datapackage/wuhan-huangpi-dashujuzhongxin-benji/2024
      juesuan diff --rev origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"
      juesuan diff --rev origin/main --name-only -z | xargs -0 -r juesuan validate --

    Exit status: 0 done (1 with --exit-code when a fact changed), 2 usage or git error.
    """
    if null and not name_only:
        raise click.UsageError("-z goes with --name-only")
    try:
        folders = list(packages) or changed_packages(root, rev)
        if name_only:
            # For the next command (validate, check-sources): removed packages are gone.
            existing = [shown(folder) for folder in folders if folder.is_dir()]
            if null:
                # Bytes as the file system has them: any name, newlines included, passes.
                sys.stdout.flush()
                sys.stdout.buffer.write(b"".join(os.fsencode(name) + b"\0" for name in existing))
                sys.stdout.buffer.flush()
            else:
                for name in existing:
                    click.echo(name)
            sys.exit(0)
        diffs = [diff_package(folder, rev) for folder in folders]
    except GitError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    listed = [d for d in diffs if d.status != "unchanged" or packages]
    render = render_markdown if output == "markdown" else render_text
    click.echo(render(listed, rev), nl=False)
    sys.exit(1 if exit_code and any(d.changes or d.notes for d in diffs) else 0)


def _render(problem: Problem, output: str) -> str:
    if output == "github":
        line = f",line={problem.line}" if problem.line else ""
        message = problem.message.replace("%", "%25").replace("\n", "%0A")
        title = "package differs from its source"
        return f"::error file={shown(problem.file)}{line},title={title}::{message}"
    where = f"{shown(problem.file)}:{problem.line}" if problem.line else shown(problem.file)
    return f"error: {where}: {problem.message}"


@click.command("check-sources")
@click.argument("packages", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@packages_folder("--root", "Folder of packages to check when no PACKAGES are given.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text for a terminal; github for workflow annotations on the files.",
)
@jobs_option()
def check_sources(packages: tuple[Path, ...], root: Path, output: str, jobs: int | None) -> None:
    """Check that each package is exactly what its source gives.

    Ingests every package (or PACKAGES) again from the source it keeps and
    compares the result with the committed files; a changed amount is reported
    at its CSV line with the value the source gives. Packages marked hand_edited
    in datapackage.json are skipped and listed as such.

    \b
    Example:
      juesuan check-sources
      juesuan check-sources datapackage/wuhan-qiaokou-dashujuzhongxin/2019

    Exit status: 0 every package matches (or is hand-edited), 1 a package differs
    from its source or its source is missing, 2 usage.
    """
    folders = list(packages) or package_folders(root)
    finished = 0

    def step() -> None:
        nonlocal finished
        finished += 1
        click.echo(
            f"[{finished}/{len(folders)}] re-ingested {shown(folders[finished - 1])}", err=True
        )

    with progress_bar("re-ingesting", len(folders)) as bar:
        on_terminal = sys.stderr.isatty() and len(folders) > 1
        outcomes = ordered_map(check_package, folders, jobs=jobs, done=bar if on_terminal else step)
    failed = 0
    for folder, outcome in zip(folders, outcomes, strict=True):
        if outcome.status == "matches":
            click.echo(f"{shown(folder)}: matches its source")
        elif outcome.status == "skipped":
            click.echo(f"{shown(folder)}: skipped, {outcome.note}")
        else:
            failed += 1
            click.echo(f"{shown(folder)}: differs from its source")
            for problem in outcome.problems:
                click.echo(_render(problem, output))
    if not folders:
        click.echo(f"no package under {shown(root)}")
    sys.exit(1 if failed else 0)


@click.command("corpus")
@click.argument(
    "folders",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
def corpus(folders: tuple[Path, ...]) -> None:
    """Read every document in FOLDERS and say how much of each got in.

    Ingests each document (PDF, workbook or text, in any subfolder) into a
    scratch folder and prints, per document: the edition and provincial overlay
    chosen, the year, the unit, the tables found, the amounts printed in the
    tables section against the amounts placed in the package (nothing lost,
    nothing invented), the rules broken and the seconds it took. Nothing in
    the repository changes: use it to measure ingest on real documents before
    committing any of them.

    \b
    Example:
      juesuan corpus ~/Downloads/决算/
      juesuan corpus datapackage/

    Exit status: 0 every document read with every amount placed once, 1 a document
    refused or an amount lost or invented, 2 usage.
    """
    from juesuan.repository.corpus import read_corpus

    results = []
    for folder in folders:
        for result in read_corpus(folder):
            results.append(result)
            for line in result.lines():
                click.echo(line)
    complete = sum(1 for r in results if r.complete)
    refused = sum(1 for r in results if r.error is not None)
    click.echo(
        f"corpus: {len(results)} documents, {complete} complete, {refused} refused, "
        f"{len(results) - complete - refused} with amounts lost or invented"
    )
    if complete < len(results):
        sys.exit(1)


@click.group("codes")
def codes() -> None:
    """Grow and check the code lists (支出功能分类科目, 支出经济分类科目).

    The lists are built from the disclosures: each entry names the package that
    attests it. See juesuan codes learn --help and juesuan codes check --help.

    \b
    Example:
      juesuan codes learn datapackage/shanghai-putuo-guihuaheziranziyuanju/2024
      juesuan codes check
    """


@codes.command("learn")
@click.argument(
    "packages",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
def codes_learn(packages: tuple[Path, ...]) -> None:
    """Add the codes PACKAGES print that the lists do not know yet.

    Each becomes an entry of schemas/codelists/ with the name the disclosure
    prints, its level and parent, the package's year as its first year, status
    attested and the package as its source; the lines added are printed for the
    pull request's reviewer to hold against the document. A code the lists know
    in other years or under another name is not added but reported: a renaming
    is entered by hand, with the years of both names.

    \b
    Example:
      juesuan codes learn datapackage/shanghai-putuo-guihuaheziranziyuanju/2024

    Exit status: 0 done (nothing left to decide), 1 a code was left for a person
    to enter, 2 usage.
    """
    from juesuan.repository.codes import learn

    try:
        additions = learn(list(packages))
    except (OSError, KeyError, ValueError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    left = 0
    for a in additions:
        if a.problem is None:
            click.echo(f"added {a.kind} {a.code} {a.name} (from {a.year}, attested by {a.source})")
        else:
            left += 1
            click.echo(f"not added {a.kind} {a.code} {a.name} ({a.source}): {a.problem}")
    if not additions:
        click.echo("every code the packages print is in the lists")
    if left:
        sys.exit(1)


@codes.command("check")
def codes_check() -> None:
    """Check the code lists' structure.

    Every 款 and 项 has its parent in the list, and its digits extend the
    parent's; levels match the code's length; a code has one name in any one
    year; no two codes under one parent share a name in the same years; every
    entry names its source and a status (official or attested).

    \b
    Example:
      juesuan codes check

    Exit status: 0 consistent, 1 a problem (each printed with its entry), 2 usage.
    """
    from juesuan.repository.codes import check

    problems = check()
    for problem in problems:
        click.echo(f"error: schemas/codelists/{problem}")
    if problems:
        sys.exit(1)
    click.echo("code lists consistent")
