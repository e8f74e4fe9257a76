"""Cost of hostile inputs: linear in their size, and cut short at the declared limits.

Usage, from the repository root: .venv/bin/python -m scripts.bench_hostile [RUNS | limits]

First, for a line of N spaces in the tables part of the 2024 seed (the case that
once made the title scan quadratic), the median ingest time and its ratio to the
plain seed's: linear scanning keeps the ratio near 1 as N grows tenfold.

Then (alone with ``limits``) the inputs that the limits of juesuan.limits refuse:
each is made in a scratch folder, then read in a fresh process that prints how
long it took to refuse it, its peak memory (ru_maxrss, the imports included: the
first line is a process that only imports) and the refusal.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.seeds import HUANGPI, source_of

from juesuan.ingest.pipeline import ingest


def _median(path: Path, runs: int) -> float:
    ingest(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        ingest(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def spaces(runs: int) -> None:
    """The ingest time of a line of N spaces against the plain seed's."""
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    at = lines.index("2024年度收入决算表")
    with tempfile.TemporaryDirectory() as scratch:
        plain = _median(source_of(HUANGPI), runs)
        print(f"{'input':32} {'median ms':>10} {'ratio':>7}")
        print(f"{'seed 2024':32} {plain:10.1f} {1:7.2f}")
        for spaces in (1_000, 10_000, 100_000, 1_000_000):
            path = Path(scratch) / f"spaces-{spaces}.txt"
            hostile = [*lines[:at], "说明" + " " * spaces + "。", *lines[at:]]
            path.write_text("\n".join(hostile), encoding="utf-8")
            took = _median(path, runs)
            print(f"{f'{spaces:,} spaces in one line':32} {took:10.1f} {took / plain:7.2f}")


# ------------------------------------------------------------- inputs past a limit


def _workbook(target: Path, sheet_xml: Callable[[bytes], bytes] | None = None) -> Path:
    """A small one-sheet .xlsx, its sheet XML rewritten by ``sheet_xml``."""
    import openpyxl

    book = openpyxl.Workbook()
    for row in range(1, 200):
        book.active.append([f"项目{row}", row * 1.5, row * 2.5])
    plain = target.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if sheet_xml and info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml(data)
            new.writestr(info.filename, data)
    plain.unlink()
    return target


def _last_row(scratch: Path) -> Path:
    cell = b'<row r="1048576"><c r="C1048576" s="0"/></row></sheetData>'
    return _workbook(scratch / "used-range.xlsx", lambda xml: xml.replace(b"</sheetData>", cell))


def _merged(scratch: Path) -> Path:
    merge = b'</sheetData><mergeCells count="1"><mergeCell ref="A300:XFD1048576"/></mergeCells>'
    return _workbook(scratch / "merged.xlsx", lambda xml: xml.replace(b"</sheetData>", merge))


def _zip_bomb(scratch: Path) -> Path:
    """A sheet of 1.5 GB of rows, packed into about a megabyte and a half."""
    target = scratch / "bomb.xlsx"
    plain = _workbook(scratch / "plain.xlsx")
    row = b'<row><c t="n"><v>0</v></c></row>' * 32_768
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                new.writestr(info.filename, old.read(info))
                continue
            head, tail = old.read(info).split(b"<sheetData>")
            with new.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(head + b"<sheetData>")
                for _ in range(1_500_000_000 // len(row)):
                    sheet.write(row)
                sheet.write(b"</sheetData>" + tail.split(b"</sheetData>")[1])
    return target


def _many_pages(scratch: Path) -> Path:
    from reportlab.pdfgen import canvas

    target = scratch / "pages.pdf"
    pages = canvas.Canvas(str(target))
    for number in range(5_000):
        pages.drawString(72, 720, f"page {number}")
        pages.showPage()
    pages.save()
    return target


def _many_lines(scratch: Path) -> Path:
    target = scratch / "lines.txt"
    target.write_text("说明。\n" * 1_000_000, encoding="utf-8")
    return target


def _fifo(scratch: Path) -> Path:
    target = scratch / "fifo.txt"
    os.mkfifo(target)
    return target


def _package(scratch: Path, name: str, short: bool) -> Path:
    """A copy of the 2024 seed whose income.csv has a million more rows.

    ``short``: rows of empty cells (about 20 bytes), under the size limit.
    """
    folder = scratch / name / HUANGPI.parent.name / HUANGPI.name
    shutil.copytree(HUANGPI, folder)
    table = folder / "data" / "income.csv"
    last = table.read_text(encoding="utf-8").splitlines()[-1]
    row = "," * last.count(",") if short else last
    with table.open("a", encoding="utf-8") as handle:
        for _ in range(1_000):
            handle.write(f"{row}\n" * 1_000)
    return folder


CASES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "used-range": ("xlsx, a cell at row 1,048,576", _last_row),
    "merged": ("xlsx, merged A300:XFD1048576", _merged),
    "bomb": ("xlsx, 1.5 GB sheet zipped", _zip_bomb),
    "pages": ("PDF of 5,000 pages", _many_pages),
    "lines": ("text of 1,000,000 lines", _many_lines),
    "fifo": ("a FIFO as the source", _fifo),
    "package": ("package CSV of 1,000,000 rows", lambda d: _package(d, "long", short=False)),
    "short": ("1,000,000 rows of empty cells", lambda d: _package(d, "short", short=True)),
}


def _refuse(case: str, path: str) -> tuple[float, int, str]:
    """In a fresh process: (seconds, peak RSS in MB, outcome) of reading ``path``."""
    from juesuan.errors import SourceError
    from juesuan.ingest.readers import read_document
    from juesuan.validation import validate_package

    start = time.perf_counter()
    outcome = "imported"
    if case in ("package", "short"):
        errors = validate_package(Path(path)).errors
        outcome = "; ".join(f"{f.rule}: {f.message}" for f in errors) or "no error"
    elif case != "import":
        try:
            read_document(Path(path))
            outcome = "read"
        except SourceError as error:
            outcome = error.message
    took = time.perf_counter() - start
    return took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, outcome


def limits() -> None:
    """Each input past a limit, read in a fresh process: time, peak memory, refusal."""
    spawn = multiprocessing.get_context("spawn")
    print(f"{'input':32} {'size':>12} {'s':>6} {'peak MB':>8}  refusal")
    with tempfile.TemporaryDirectory() as scratch:
        rows: list[tuple[str, str, str]] = [("import", "only the imports", "")]
        for case, (label, make) in CASES.items():
            made = make(Path(scratch))
            rows.append((case, label, str(made)))
        for case, label, path in rows:
            with spawn.Pool(1) as pool:
                took, peak, outcome = pool.apply(_refuse, (case, path))
            size = "" if not path else _size(Path(path))
            print(f"{label:32} {size:>12} {took:6.2f} {peak:8}  {outcome[:110]}")


def _size(path: Path) -> str:
    if path.is_dir():
        return f"{sum(p.stat().st_size for p in path.rglob('*') if p.is_file()):,}"
    return "FIFO" if path.is_fifo() else f"{path.stat().st_size:,}"


def main() -> None:
    if sys.argv[1:] == ["limits"]:
        limits()
        return
    spaces(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    print()
    limits()


if __name__ == "__main__":
    main()
