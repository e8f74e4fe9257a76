"""Downloads of a disclosure: the package byte for byte, and files made for people.

Package files are copied, never rewritten, so what a visitor downloads is what
the repository holds; their CSVs keep the stable ids (``row``, ``income``…)
that the Table Schema titles explain. Made for people: a zip of the package,
the workbook (:mod:`juesuan.site.workbook`), per table a CSV for Excel (byte-order
mark, Chinese headers, rows in hierarchy order, formulas made inert) and the
table's JSON in hierarchy order, and the source under a readable name. All are
reproducible: fixed dates, sorted members, nothing from the clock.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import json
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

from juesuan.package import trust
from juesuan.package.read import parse_amount
from juesuan.site import readable, urls
from juesuan.site.corpus import Disclosure, TableView
from juesuan.site.provenance import SourceFile
from juesuan.site.workbook import write_xlsx
from juesuan.taxonomy.schemas import dump

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
BOM = b"\xef\xbb\xbf"


def package_files(folder: Path) -> list[str]:
    """Every regular file of the package, relative to its folder, sorted.

    Symlinks are never followed: what a package links to is not its own.
    """
    return trust.regular_files(folder)


def zip_name(disclosure: Disclosure) -> str:
    """File name of the whole-package zip."""
    return f"{disclosure.stem}.zip"


def xlsx_name(disclosure: Disclosure) -> str:
    """File name of the Excel workbook."""
    return f"{disclosure.stem}.xlsx"


def excel_csv_name(view: TableView) -> str:
    """File name of a table's CSV for Excel (byte-order mark, Chinese headers)."""
    return f"{view.id}-excel.csv"


def json_name(view: TableView) -> str:
    """File name of a table's JSON in hierarchy order."""
    return f"{view.id}.json"


def source_name(disclosure: Disclosure, source: SourceFile) -> str:
    """File name of the readable copy of the source (``<name>-source.pdf``, ``….html``)."""
    return f"{disclosure.stem}-source{source.view_suffix}"


def table_json(disclosure: Disclosure, view: TableView) -> str | None:
    """The package's JSON of a table, when it names one that is there to read."""
    path = (view.resource.get("juesuan") or {}).get("json")
    if trust.unsafe_reference(disclosure.folder, path) is not None:
        return None
    return str(path)


def write_downloads(disclosure: Disclosure, site: Path, about: list[tuple[str, str]]) -> list[Path]:
    """Copy the package into the site and write the files made for people.

    ``about`` is the provenance, key then value, for the workbook's 说明 sheet.
    """
    written = []
    paths = package_files(disclosure.folder)
    made: set[Path] = set()
    for path in paths:
        target = site / urls.package_file(disclosure.slug, disclosure.year, path)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        shutil.copyfile(disclosure.folder / path, target)
        written.append(target)
    folder = site / urls.download(disclosure.slug, disclosure.year, "")
    folder.mkdir(parents=True, exist_ok=True)
    written.append(write_zip(disclosure, folder / zip_name(disclosure), paths))
    written.append(write_xlsx(disclosure, folder / xlsx_name(disclosure), about))
    for view in disclosure.tables:
        target = folder / excel_csv_name(view)
        target.write_bytes(BOM + people_csv(disclosure, view).encode("utf-8"))
        written.append(target)
        json_path = table_json(disclosure, view)
        if json_path:
            target = folder / json_name(view)
            target.write_bytes(ordered_json(disclosure.folder / json_path, view))
            written.append(target)
    source = disclosure.provenance.source
    if source is not None:
        target = folder / source_name(disclosure, source)
        write_source_view(disclosure, source, target)
        written.append(target)
    return written


def people_csv(disclosure: Disclosure, view: TableView) -> str:
    """The table as people read it: Chinese headers, 收入 for ``income``, hierarchy order."""
    columns = readable.fields(view, locations=bool(disclosure.locations))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(inert(field.header) for field in columns)
    for row in readable.ordered_rows(view):
        writer.writerow(
            inert(readable.cell(view, row, field, disclosure.locations)) for field in columns
        )
    return out.getvalue()


def ordered_json(path: Path, view: TableView) -> bytes:
    """The package's JSON of a table with its records in hierarchy order.

    The same records, written the way the package writes them; a file that is
    not a list of records (the validation reports it) is given as it is.
    """
    raw = path.read_bytes()
    try:
        records = json.loads(raw)
    except (ValueError, RecursionError):
        return raw
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return raw
    ordered = readable.hierarchy_order(
        records, view.table.codelist, lambda r, name: "" if r.get(name) is None else str(r[name])
    )
    try:
        return dump(ordered, path.name).encode("utf-8")
    except ValueError:  # NaN or Infinity: JSON cannot say them
        return raw


def write_source_view(disclosure: Disclosure, source: SourceFile, target: Path) -> Path:
    """The source under a readable name, in a form browsers open as it is.

    A PDF or workbook is copied: static hosts serve it by its suffix. A text
    source becomes an HTML page, UTF-8 with a byte-order mark and ``<meta
    charset="utf-8">``, each line numbered as the package's ``source_line``
    counts them. A static host decides the charset of a ``.txt`` (often none,
    and the browser guesses GBK or Latin-1: mojibake), but a BOM overrides any
    charset the server sends and the meta tag covers tools that skip BOMs; the
    original bytes stay in ``package/source/``, where the sha256 holds.
    """
    original = disclosure.folder / source.path
    if not source.is_text:
        shutil.copyfile(original, target)
        return target
    text = _decoded(original.read_bytes(), source.encoding)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = "".join(
        f'<span id="L{n}"><a href="#L{n}">{n}</a>{html.escape(line)}\n</span>'
        for n, line in enumerate(lines, start=1)
    )
    title = html.escape(f"{disclosure.title}（原文）")
    # The page sits in download/: links from it start there (a folder URL).
    here = urls.download(disclosure.slug, disclosure.year, "")
    there = urls.package_file(disclosure.slug, disclosure.year, source.path)
    original_link = html.escape(urls.relative(here, there))
    page = (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<h1>{title}</h1>\n<p>原始文件：<a href="{original_link}">'
        f"{html.escape(Path(source.path).name)}</a>（{html.escape(source.encoding)}，"
        f"sha256 <code>{html.escape(source.sha256)}</code>）。本页为其 UTF-8 文本，"
        "行号即数据包中的原文行号（source_line）。</p>\n"
        f"<pre>{numbered}</pre>\n</body>\n</html>\n"
    )
    target.write_bytes(BOM + page.encode("utf-8"))
    return target


_STYLE = (
    "body{font-family:sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem}"
    "pre{white-space:pre-wrap;line-height:1.5}"
    "pre a{display:inline-block;width:3.5em;margin-right:1em;text-align:right;"
    "color:#888;text-decoration:none;user-select:none}"
    "pre span:target{background:#ffeb3b66}"
)


def _decoded(raw: bytes, encoding: str) -> str:
    """The text of a source in the encoding ingest found (BOMs dropped); unknown: UTF-8."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        codec = "utf-8"
    if codec == "utf-8" and raw.startswith(BOM):
        codec = "utf-8-sig"
    return raw.decode(codec, errors="replace")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """``cell`` with a leading apostrophe when Excel would run it as a formula."""
    if cell.startswith(_FORMULA_START) and parse_amount(cell) is None:
        return "'" + cell
    return cell


def write_zip(disclosure: Disclosure, target: Path, paths: Sequence[str] | None = None) -> Path:
    """The whole package folder as ``<name>/…`` in a zip with fixed dates.

    ``paths`` are :func:`package_files` when the caller has them already.
    """
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in package_files(disclosure.folder) if paths is None else paths:
            info = zipfile.ZipInfo(f"{disclosure.name}/{path}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (disclosure.folder / path).read_bytes())
    return target
