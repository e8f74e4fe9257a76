"""A table printed with no data, on its disclosure's page and in its downloads.

The page prints the table's header with the note where its rows would be, and
the note only once; the downloads keep the table, with no rows, and the note.
The package is read from a document made at test time (tests/test_empty_tables.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from juesuan.cli import command_table
from juesuan.ingest import ingest
from juesuan.package.write import write_package
from juesuan.site.build import BuildReport, build_site
from juesuan.site.corpus import Disclosure, load
from juesuan.site.workbook import HEADER_ROW
from tests.test_empty_tables import FORMS, reprint_with_empty

FORM = "header-and-bracketed-note"
NOTE = FORMS[FORM][0]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("empty-table")
    source = root / "empty-table.txt"
    source.write_text("\n".join(reprint_with_empty(FORMS[FORM][1])), encoding="utf-8")
    return write_package(ingest(source), root / "packages" / "shanghai-empty-table" / "2024")


@pytest.fixture(scope="module")
def site(package: Path) -> BuildReport:
    return build_site(
        package.parent.parent,
        package.parent.parent.parent / "site",
        jobs=1,
        with_search=False,
        commands=command_table(),
    )


def _folder(site: BuildReport, d: Disclosure) -> Path:
    return site.site / "units" / d.slug / str(d.year)


def _section(html: str, anchor: str) -> str:
    start = html.index(f'<h2 id="{anchor}"')
    return html[start : html.index("<h2 ", start + 1)]


def test_the_page_prints_the_header_and_the_note_in_place_of_rows(
    site: BuildReport, package: Path
) -> None:
    d = load(package)
    html = (_folder(site, d) / "index.html").read_text(encoding="utf-8")
    section = _section(html, "t-state-capital")
    assert "<thead>" in section and ">科目名称</th>" in section and ">基本支出</th>" in section
    body = section[section.index("<tbody>") : section.index("</tbody>")]
    (row,) = re.findall(r"<tr>.*?</tr>", body)
    columns = sum(
        int(re.search(r'colspan="(\d+)"', cell).group(1)) if "colspan" in cell else 1
        for cell in re.findall(r"<t[hd](?=[\s>])[^>]*>", section[: section.index("</tr>")])
    )
    assert row == f'<tr><td class="js-empty" colspan="{columns}">{NOTE}</td></tr>'
    assert section.count(NOTE) == 1  # not printed again under the table
    assert "js-empty" not in _section(html, "t-three-public")  # the next table prints its rows


def test_the_downloads_keep_the_table_and_its_note(site: BuildReport, package: Path) -> None:
    d = load(package)
    folder = _folder(site, d)
    excel = (folder / "download" / "state_capital-excel.csv").read_text(encoding="utf-8-sig")
    (header,) = list(csv.reader(io.StringIO(excel)))
    assert "本年支出 / 基本支出" in header
    assert json.loads((folder / "download" / "state_capital.json").read_text("utf-8")) == []
    descriptor = json.loads((folder / "package" / "datapackage.json").read_text("utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "state-capital"]
    assert resource["juesuan"]["empty"]["note"] == NOTE
    workbook = openpyxl.load_workbook(folder / "download" / f"{d.stem}.xlsx")
    (sheet,) = [
        workbook[name] for name in workbook.sheetnames if "国有资本" in workbook[name]["A1"].value
    ]
    cells = [c.value for row in sheet.iter_rows(min_row=HEADER_ROW + 1) for c in row if c.value]
    assert cells[-1] == NOTE
    notes = [row for row in workbook["表注"].iter_rows(values_only=True) if row[1] == NOTE]
    assert len(notes) == 1
