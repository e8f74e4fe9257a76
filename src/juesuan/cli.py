"""The ``juesuan`` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from juesuan.errors import SourceError
from juesuan.paths import PACKAGES


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="juesuan")
def main() -> None:
    """Turn 部门决算公开 documents into open data packages, check them, publish them."""


@main.command()
@click.argument(
    "sources", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=PACKAGES,
    show_default=True,
    help="Folder that holds one folder per unit and year.",
)
def ingest(sources: tuple[Path, ...], out: Path) -> None:
    r"""Read SOURCES (部门决算 documents) and write a data package for each.

    The package goes to OUT/<unit>/<year>/ with the source kept inside it. Nothing
    is written for a document that cannot be read in full.

    \b
    Example:
      juesuan ingest datapackage/_sources/huangpi-2024.txt
    """
    from juesuan.ingest import ingest as read
    from juesuan.package import package_dir, write_package

    failed = 0
    for source in sources:
        try:
            disclosure = read(source)
            target = write_package(disclosure, package_dir(out, disclosure))
        except SourceError as error:
            click.echo(f"error: {error}", err=True)
            failed += 1
            continue
        amounts = sum(len(row.values) for table in disclosure.tables for row in table.rows)
        click.echo(
            f"{source} → {target}: {disclosure.unit} {disclosure.year} "
            f"({disclosure.outline.edition.id} edition, {disclosure.layout} layout), "
            f"{len(disclosure.tables)} tables, {amounts} amounts, "
            f"{len(disclosure.glossary)} glossary entries"
        )
        for inference in disclosure.inferences:
            click.echo(
                f"  inferred {inference.table} row {inference.row} "
                f"(line {inference.source_line}): {', '.join(inference.columns)} "
                f"of {inference.candidates} candidates, by "
                f"{', '.join(inference.rules)}"
            )
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("package", type=click.Path(exists=True, file_okay=False, path_type=Path))
def facts(package: Path) -> None:
    r"""Print every reported amount of PACKAGE as CSV.

    Header: table,table_title,row,row_label,column,column_label,value

    \b
    Example:
      juesuan facts datapackage/wuhan-huangpi-dashujuzhongxin-benji/2024
    """
    from juesuan.facts import write_facts

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
def validate(paths: tuple[Path, ...], output: str) -> None:
    r"""Validate packages: frictionless, arithmetic, code lists, narrative numbers.

    PATHS are package folders (holding datapackage.json) or folders of packages;
    with none, every package under datapackage/ is validated. Exit status: 0 no
    error (warnings allowed), 1 errors found, 2 could not run.

    \b
    Example:
      juesuan validate --format github
      juesuan validate datapackage/wuhan-huangpi-dashujuzhongxin-benji/2024
    """
    from juesuan.validation import validate_package
    from juesuan.validation.render import RENDERERS
    from juesuan.validation.run import package_folders

    folders: list[Path] = []
    for path in paths or (PACKAGES,):
        if (path / "datapackage.json").exists() or path.name == "datapackage.json":
            folders.append(path.parent if path.name == "datapackage.json" else path)
        elif path.is_dir():
            folders += package_folders(path)
        else:
            click.echo(f"error: {path}: no package here (no datapackage.json)", err=True)
            sys.exit(2)
    if not folders:
        click.echo("error: no package found", err=True)
        sys.exit(2)
    reports = []
    show_progress = output == "text" and len(folders) > 1 and sys.stderr.isatty()
    with click.progressbar(
        folders, label="validating", file=sys.stderr, hidden=not show_progress
    ) as bar:
        for folder in bar:
            reports.append(validate_package(folder))
    click.echo(RENDERERS[output](reports), nl=False)
    sys.exit(1 if any(report.errors for report in reports) else 0)


@main.command()
@click.option("--check", is_flag=True, help="Fail if a generated file is stale; write nothing.")
def schemas(check: bool) -> None:
    r"""Generate Table Schemas and JSON Schemas from the table definitions.

    \b
    Example:
      juesuan schemas --check
    """
    from juesuan.schemas import generated_files, write_generated

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
