"""Inputs past a declared limit are refused, naming the limit, the value and the variable.

Every input is made here, small: where a limit would need megabytes to pass, the
test lowers it through its environment variable. What is asserted is the
refusal, never a time; scripts/bench_hostile.py prints the figures.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from juesuan.cli import command_table, main
from juesuan.errors import SourceError
from juesuan.ingest.readers import read_document
from juesuan.repository.check_sources import check_package
from juesuan.site.build import UntrustedPackage, build_site
from juesuan.validation import validate_package
from tests.seeds import HUANGPI, source_of

UNIT = HUANGPI.parent.name


def _guarded(call: Callable[[], Any], fifo: Path, seconds: float = 20) -> Any:
    """``call()``'s result; a failure, not a hang, should it block on ``fifo``."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the test below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        # Open the other end, so the blocked reader sees the end of the FIFO and stops.
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(seconds)
        pytest.fail(f"reading {fifo} blocked")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _refusal(path: Path) -> str:
    with pytest.raises(SourceError) as refused:
        read_document(path)
    assert refused.value.path == path
    return str(refused.value)


# ---------------------------------------------------------------- sources


def test_a_fifo_given_to_ingest_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "决算.txt"
    os.mkfifo(fifo)
    result = _guarded(
        lambda: CliRunner().invoke(main, ["ingest", str(fifo), "--out", str(tmp_path / "out")]),
        fifo,
    )
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {fifo}: the source is a FIFO, device or socket, not a regular file; "
        "expected a document file"
    ]
    assert not (tmp_path / "out").exists()


def test_a_device_behind_a_source_name_is_never_read(tmp_path: Path) -> None:
    # /dev/null rather than /dev/zero: should the check go, this fails, not fills memory.
    device = tmp_path / "决算.txt"
    device.symlink_to("/dev/null")
    assert "the source is a FIFO, device or socket, not a regular file" in _refusal(device)


def test_a_folder_is_no_source(tmp_path: Path) -> None:
    folder = tmp_path / "决算.pdf"
    folder.mkdir()
    assert "the source is a folder, not a regular file" in _refusal(folder)


def test_a_source_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = shutil.copy(source_of(HUANGPI), tmp_path / "决算.txt")
    size = Path(source).stat().st_size
    monkeypatch.setenv("JUESUAN_MAX_SOURCE_BYTES", "1_000")
    assert _refusal(Path(source)) == (
        f"{source}: the source is {size:,} bytes, over the limit of 1,000 bytes for a source "
        "document (set the environment variable JUESUAN_MAX_SOURCE_BYTES to raise it)"
    )
    result = CliRunner().invoke(main, ["ingest", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "JUESUAN_MAX_SOURCE_BYTES" in result.output


def test_a_source_of_too_many_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "决算.txt"
    source.write_text("说明。\n" * 150, encoding="utf-8")
    monkeypatch.setenv("JUESUAN_MAX_SOURCE_LINES", "100")
    message = _refusal(source)
    assert "the text of the source has 151 lines, over the limit of 100 lines" in message
    assert "JUESUAN_MAX_SOURCE_LINES" in message


# ---------------------------------------------------------------- workbooks


def _rewrite_zip(path: Path, change: Callable[[zipfile.ZipFile, zipfile.ZipFile], None]) -> None:
    """Rewrite the archive at ``path``: ``change(old, new)`` writes every member to new."""
    original = path.read_bytes()
    scratch = path.with_suffix(".tmp")
    scratch.write_bytes(original)
    with zipfile.ZipFile(scratch) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        change(old, new)
    scratch.unlink()


def _workbook(path: Path, sheet_xml: Callable[[str], str] = lambda xml: xml) -> Path:
    """A small .xlsx of one sheet (a title and a row of amounts), its sheet XML edited."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "公开01表"
    sheet.append(["收入支出决算总表"])
    sheet.append(["项目", "金额"])
    sheet.append(["合计", 1.5])
    book.save(path)

    def change(old: zipfile.ZipFile, new: zipfile.ZipFile) -> None:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml(data.decode("utf-8")).encode("utf-8")
            new.writestr(info.filename, data)

    _rewrite_zip(path, change)
    return path


def _opened_by_no_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail a test if openpyxl is asked to open the workbook: it must be refused first."""
    import openpyxl

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl opened a workbook that is past a limit")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_sheet_whose_used_range_reaches_the_last_row(tmp_path: Path) -> None:
    def last_row(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:B1048576"/>', xml)
        return xml.replace(
            "</sheetData>",
            '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            "</sheetData>",
        )

    message = _refusal(_workbook(tmp_path / "决算.xlsx", last_row))
    assert "(sheet 公开01表): the used range A1:B1048576 has 1,048,576 rows, over the " in message
    assert "limit of 20,000 rows for the used range of a sheet" in message
    assert "JUESUAN_MAX_SHEET_ROWS" in message


def test_a_dimension_that_claims_a_million_rows_is_not_believed(tmp_path: Path) -> None:
    def claim(xml: str) -> str:
        return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)

    document = read_document(_workbook(tmp_path / "决算.xlsx", claim))
    assert "\t1.50" in document.lines


def test_a_zip_bomb_workbook_is_refused_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "决算.xlsx")

    def add_zeros(old: zipfile.ZipFile, new: zipfile.ZipFile) -> None:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        new.writestr("xl/media/zeros.bin", bytes(2_000_000))

    _rewrite_zip(path, add_zeros)
    assert path.stat().st_size < 20_000  # two megabytes of zeros, packed small
    monkeypatch.setenv("JUESUAN_MAX_WORKBOOK_BYTES", "1_000_000")
    _opened_by_no_reader(monkeypatch)
    message = _refusal(path)
    assert "the workbook unpacks to " in message
    assert "over the limit of 1,000,000 bytes unpacked for an .xlsx workbook" in message
    assert "JUESUAN_MAX_WORKBOOK_BYTES" in message


def test_a_zip_bomb_word_document_is_refused_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docx

    path = tmp_path / "决算.docx"
    docx.Document().save(str(path))

    def add_zeros(old: zipfile.ZipFile, new: zipfile.ZipFile) -> None:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        new.writestr("word/media/zeros.bin", bytes(2_000_000))

    _rewrite_zip(path, add_zeros)
    monkeypatch.setenv("JUESUAN_MAX_WORKBOOK_BYTES", "1_000_000")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("python-docx opened a document that is past a limit")

    monkeypatch.setattr(docx, "Document", refuse)
    message = _refusal(path)
    assert "the Word document unpacks to " in message
    assert "JUESUAN_MAX_WORKBOOK_BYTES" in message


@pytest.mark.parametrize(
    "ranges",
    [
        '<mergeCells count="1"><mergeCell ref="A5:XFD1048576"/></mergeCells>',
        '<hyperlinks><hyperlink ref="A5:XFD1048576" location="公开01表!A1"/></hyperlinks>',
    ],
    ids=["merged", "hyperlink"],
)
def test_a_range_of_billions_of_cells_is_refused_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ranges: str
) -> None:
    # openpyxl makes one cell object for each cell of a merged or linked range.
    path = _workbook(
        tmp_path / "决算.xlsx", lambda xml: xml.replace("</sheetData>", "</sheetData>" + ranges)
    )
    _opened_by_no_reader(monkeypatch)
    message = _refusal(path)
    assert "the sheets of the workbook hold more than 200,000 cells, over the limit" in message
    assert "JUESUAN_MAX_CELLS" in message


def test_a_workbook_of_too_many_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for index in range(4):
        book.create_sheet(f"表{index}").append(["合计", 1.5])
    book.save(tmp_path / "决算.xlsx")
    monkeypatch.setenv("JUESUAN_MAX_SHEETS", "3")
    _opened_by_no_reader(monkeypatch)
    message = _refusal(tmp_path / "决算.xlsx")
    assert "the workbook has more than 3 sheets, over the limit of 3 sheets" in message
    assert "JUESUAN_MAX_SHEETS" in message


def test_an_xls_cell_at_the_last_row(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("公开01表")
    sheet.write(0, 0, "收入支出决算总表")
    sheet.write(65535, 1, "合计")
    book.save(str(tmp_path / "决算.xls"))
    message = _refusal(tmp_path / "决算.xls")
    assert "(sheet 公开01表): the used range A1:B65536 has 65,536 rows, over the limit" in message
    assert "JUESUAN_MAX_SHEET_ROWS" in message


def test_used_ranges_over_the_cell_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook(tmp_path / "决算.xlsx")
    monkeypatch.setenv("JUESUAN_MAX_CELLS", "5")
    message = _refusal(path)
    # Five cell elements pass the count in the XML; the used range A1:B3 has six.
    assert "the used range A1:B3, the sheets have 6 cells, over the limit of 5 cells" in message
    assert "JUESUAN_MAX_CELLS" in message


# ---------------------------------------------------------------- PDF


def test_a_pdf_over_the_page_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "决算.pdf"
    pages = canvas.Canvas(str(path))
    for number in range(1, 5):
        pages.drawString(72, 720, f"page {number}")
        pages.showPage()
    pages.save()
    monkeypatch.setenv("JUESUAN_MAX_PDF_PAGES", "3")
    message = _refusal(path)
    assert "the PDF has more than 3 pages, over the limit of 3 pages for a PDF source" in message
    assert "JUESUAN_MAX_PDF_PAGES" in message


# ---------------------------------------------------------------- packages


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    root = tmp_path / "datapackage"
    shutil.copytree(HUANGPI.parent, root / UNIT)
    return root


def _too_large(folder: Path) -> list[tuple[str, str]]:
    return [(f.rule, f.file or "") for f in validate_package(folder).errors]


def test_a_package_csv_over_the_row_limit(
    packages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = packages / UNIT / "2024"
    table = folder / "data" / "income.csv"
    last = table.read_text(encoding="utf-8").splitlines()[-1]
    with table.open("a", encoding="utf-8") as handle:
        handle.write(f"{last}\n" * 200)
    monkeypatch.setenv("JUESUAN_MAX_PACKAGE_ROWS", "150")  # the seed's CSVs are shorter
    report = validate_package(folder)
    assert [(f.rule, f.file) for f in report.errors] == [("package/too-large", str(table))]
    assert report.errors[0].message == (
        "data/income.csv is too long: more than 150 rows, over the limit of 150 rows for a "
        "CSV file of a package (set the environment variable JUESUAN_MAX_PACKAGE_ROWS to "
        "raise it); it is neither read nor published"
    )
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "package/too-large" in result.output
    assert check_package(folder).status == "differs"
    with pytest.raises(
        UntrustedPackage, match=re.escape("data/income.csv is too long: more than 150 rows")
    ):
        build_site(packages, tmp_path / "site", commands=command_table())
    assert not (tmp_path / "site").exists()


def test_a_package_file_over_the_size_limit_is_not_read(
    packages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = packages / UNIT / "2024"
    descriptor = folder / "datapackage.json"
    descriptor.write_text("{" * descriptor.stat().st_size, encoding="utf-8")  # unparseable
    monkeypatch.setenv("JUESUAN_MAX_PACKAGE_FILE_BYTES", str(descriptor.stat().st_size - 1))
    errors = validate_package(folder).errors
    # Only the limit is reported: the descriptor was never parsed.
    assert {(f.rule, f.file) for f in errors} == {("package/too-large", str(descriptor))}
    assert "JUESUAN_MAX_PACKAGE_FILE_BYTES" in errors[0].message


def test_a_package_over_the_total_size_limit(
    packages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = packages / UNIT / "2024"
    monkeypatch.setenv("JUESUAN_MAX_PACKAGE_BYTES", "10_000")
    (error,) = validate_package(folder).errors
    assert error.rule == "package/too-large"
    assert error.message.startswith("the package's files together are ")
    assert "over the limit of 10,000 bytes" in error.message
    assert "JUESUAN_MAX_PACKAGE_BYTES" in error.message


def test_diff_reads_no_package_past_a_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git = ["git", "-c", "user.name=juesuan tests", "-c", "user.email=tests@example.invalid"]
    folder = tmp_path / "datapackage" / UNIT / "2024"
    shutil.copytree(HUANGPI, folder)
    for step in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "seed"]):
        subprocess.run([*git, *step], cwd=tmp_path, check=True, capture_output=True)
    with (folder / "data" / "income.csv").open("a", encoding="utf-8") as handle:
        handle.write("x,,,\n" * 200)
    monkeypatch.setenv("JUESUAN_MAX_PACKAGE_ROWS", "150")
    result = CliRunner().invoke(main, ["diff", "--root", str(tmp_path / "datapackage")])
    assert result.exit_code == 0, result.output
    assert "  not compared: data/income.csv is too long: more than 150 rows" in result.output


# ---------------------------------------------------------------- the variables


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("JUESUAN_MAX_CELLS", "lots", "JUESUAN_MAX_CELLS='lots' is no limit"),
        ("JUESUAN_MAX_PDF_PAGES", "0", "JUESUAN_MAX_PDF_PAGES='0' is no limit"),
        ("JUESUAN_MAX_SOURCE_BYTE", "9", "JUESUAN_MAX_SOURCE_BYTE names no limit"),
    ],
)
def test_a_limit_set_to_no_number_stops_the_command(
    packages: Path, variable: str, value: str, said: str
) -> None:
    result = CliRunner().invoke(main, ["validate", str(packages)], env={variable: value})
    assert result.exit_code == 2
    assert said in result.output
