"""Downloads of a disclosure: the package files byte for byte, a zip, an Excel workbook.

Package files are copied, never rewritten, so what a visitor downloads is what
the repository holds. The zip and the workbook are reproducible: fixed dates,
sorted members.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import xlsxwriter

from juesuan.package import trust
from juesuan.package.read import parse_amount
from juesuan.site import urls
from juesuan.site.corpus import Disclosure, TableView
from juesuan.site.tables import column_paths

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
BOM = b"\xef\xbb\xbf"


def package_files(folder: Path) -> list[str]:
    """Every regular file of the package, relative to its folder, sorted.

    Symlinks are never followed: what a package links to is not its own.
    """
    return trust.regular_files(folder)


def zip_name(disclosure: Disclosure) -> str:
    """File name of the whole-package zip."""
    return f"{disclosure.name}.zip"


def xlsx_name(disclosure: Disclosure) -> str:
    """File name of the Excel workbook."""
    return f"{disclosure.name}.xlsx"


def excel_csv_name(view: TableView) -> str:
    """File name of a table's CSV with a byte-order mark, for Excel."""
    return f"{view.id}-excel.csv"


def write_downloads(disclosure: Disclosure, site: Path) -> list[Path]:
    """Copy the package into the site and write its zip, workbook and Excel CSVs."""
    written = []
    for path in package_files(disclosure.folder):
        target = site / urls.package_file(disclosure.slug, disclosure.year, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(disclosure.folder / path, target)
        written.append(target)
    folder = site / urls.download(disclosure.slug, disclosure.year, "")
    folder.mkdir(parents=True, exist_ok=True)
    written.append(write_zip(disclosure, folder / zip_name(disclosure)))
    written.append(write_xlsx(disclosure, folder / xlsx_name(disclosure)))
    for view in disclosure.tables:
        target = folder / excel_csv_name(view)
        text = (disclosure.folder / view.resource["path"]).read_text(encoding="utf-8")
        target.write_bytes(BOM + excel_safe_csv(text).encode("utf-8"))
        written.append(target)
    return written


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_safe_csv(text: str) -> str:
    """The CSV with every text cell Excel would run as a formula made inert.

    A cell beginning with = + - @ (or a tab or carriage return) that is not a
    number gets a leading apostrophe, which Excel shows as text; amounts such
    as -12.00 stay numbers. The package's own CSV keeps the text as printed.
    """
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(
            "'" + cell if cell.startswith(_FORMULA_START) and parse_amount(cell) is None else cell
            for cell in row
        )
    return out.getvalue()


def write_zip(disclosure: Disclosure, target: Path) -> Path:
    """The whole package folder as ``<name>/…`` in a zip with fixed dates."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in package_files(disclosure.folder):
            info = zipfile.ZipInfo(f"{disclosure.name}/{path}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (disclosure.folder / path).read_bytes())
    return target


def _headers(view: TableView) -> list[tuple[str, str]]:
    """(CSV field, Chinese header) for the workbook: everything but internal ids."""
    table = view.table
    paths = dict(zip([c.id for c in table.columns], column_paths(table.columns), strict=True))
    out = []
    for name, spec in view.fields.items():
        if name in ("row", "source_line"):
            continue
        if name in paths:
            out.append((name, " / ".join(paths[name])))
        else:
            out.append((name, str(spec.get("title", name))))
    return out


def _sheet_name(view: TableView, used: set[str]) -> str:
    name = "".join(ch for ch in view.number if ch not in "[]:*?/\\")[:31] or view.id
    if name in used:
        name = view.id[:31]
    used.add(name)
    return name


def write_xlsx(disclosure: Disclosure, target: Path) -> Path:
    """One sheet per table with Chinese headers, plus 说明, 名词解释 and 表注."""
    workbook = xlsxwriter.Workbook(str(target), {"in_memory": True})
    workbook.set_properties(
        {"title": disclosure.title, "created": datetime(2000, 1, 1), "author": "juesuan"}
    )
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "0.00"})
    about = workbook.add_worksheet("说明")
    source = disclosure.meta.get("source") or {}
    facts = [
        ("单位", disclosure.unit),
        ("地区", disclosure.region),
        ("年度", str(disclosure.year)),
        ("版式", disclosure.edition.title),
        ("金额单位", "万元"),
        ("原文", str(source.get("path", ""))),
        ("原文 sha256", str(source.get("sha256", ""))),
        ("说明", str(disclosure.descriptor.get("description", ""))),
    ]
    for index, (key, value) in enumerate(facts):
        about.write_string(index, 0, key, bold)
        about.write_string(index, 1, value)
    about.set_column(0, 0, 14)
    about.set_column(1, 1, 80)
    used = {"说明", "名词解释", "表注"}
    for view in disclosure.tables:
        sheet = workbook.add_worksheet(_sheet_name(view, used))
        sheet.write_string(0, 0, view.title, bold)
        sheet.write_string(1, 0, f"{view.number}　金额单位：{view.table.unit}")
        headers = _headers(view)
        values = {c.id for c in view.table.columns}
        sides = {side.id: side.label for side in view.table.sides}
        for col, (_name, title) in enumerate(headers):
            sheet.write_string(3, col, title, bold)
        for row_index, row in enumerate(view.rows, start=4):
            for col, (name, _title) in enumerate(headers):
                text = row.get(name, "") or ""
                text = sides.get(text, text) if name == "side" else text
                value = parse_amount(text) if name in values else None
                if value is not None:
                    sheet.write_number(row_index, col, float(value), money)
                elif text:
                    sheet.write_string(row_index, col, text)
        sheet.set_column(0, len(headers), 14)
        sheet.freeze_panes(4, 0)
    glossary = workbook.add_worksheet("名词解释")
    for col, title in enumerate(("序号", "术语", "解释")):
        glossary.write_string(0, col, title, bold)
    for index, entry in enumerate(disclosure.glossary, start=1):
        glossary.write_string(index, 0, entry.number)
        glossary.write_string(index, 1, entry.term)
        glossary.write_string(index, 2, entry.definition)
    glossary.set_column(1, 1, 30)
    glossary.set_column(2, 2, 100)
    notes = workbook.add_worksheet("表注")
    for col, title in enumerate(("表", "内容")):
        notes.write_string(0, col, title, bold)
    index = 1
    for view in disclosure.tables:
        for note in view.notes:
            notes.write_string(index, 0, view.number)
            notes.write_string(index, 1, note)
            index += 1
    notes.set_column(1, 1, 100)
    workbook.close()
    return target
