"""The facts view: every reported amount of a package as one CSV row.

This is the contract analysts and later tools rely on:
``table,table_title,row,row_label,column,column_label,value``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TextIO

from juesuan.package.read import read_descriptor, table_rows
from juesuan.taxonomy import editions

HEADER = ("table", "table_title", "row", "row_label", "column", "column_label", "value")


@dataclass(frozen=True)
class Fact:
    """One reported amount."""

    table: str
    table_title: str
    row: str
    row_label: str
    column: str
    column_label: str
    value: str


def facts(folder: Path) -> Iterator[Fact]:
    """Every non-blank amount of the package in ``folder``, in printed order."""
    descriptor = read_descriptor(folder)
    edition = editions()[descriptor["juesuan"]["edition"]]
    for resource in descriptor["resources"]:
        table_id = resource.get("juesuan", {}).get("table")
        if table_id is None:
            continue
        table = edition.tables[table_id]
        for row in table_rows(folder, resource):
            for column in table.columns:
                value = row.get(column.id, "")
                if value != "":
                    yield Fact(
                        table_id,
                        resource["title"],
                        row["row"],
                        row["label"],
                        column.id,
                        column.label,
                        value,
                    )


def write_facts(folder: Path, out: TextIO) -> int:
    """Write the facts view of ``folder`` as CSV to ``out``; return the number of facts."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    count = 0
    for fact in facts(folder):
        writer.writerow(astuple(fact))
        count += 1
    return count
