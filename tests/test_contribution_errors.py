"""Bad contributions, one test each, caught with the message a contributor reads.

Each runs the command CONTRIBUTING.md tells the contributor to run and checks
the whole error line: which file (and line, page or cell), what is wrong, what
was expected. CONTRIBUTING.md's table of errors lists the same cases.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from juesuan.cli import main
from tests.disclosure_files import scanned_pdf
from tests.seeds import HUANGPI, source_of

NAME = "武汉市黄陂区大数据中心（本级）"
SLUG = "wuhan-huangpi-dsjzx-benji"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def errors(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith(("error:", "::error"))]


def new(root: Path, year: str = "2024", slug: str = SLUG) -> Path:
    result = run("new", slug, year, "--name", NAME, "--region-code", "420116", "--out", str(root))
    assert result.exit_code == 0, result.output
    return root / slug / year / "source"


def ingested(root: Path) -> Path:
    source = new(root) / "决算.txt"
    shutil.copyfile(source_of(HUANGPI), source)
    assert run("ingest", str(source), "--out", str(root)).exit_code == 0
    return source.parent.parent


def test_wrong_year_folder(tmp_path: Path) -> None:
    source = new(tmp_path, year="2023") / "决算.txt"
    shutil.copyfile(source_of(HUANGPI), source)
    result = run("ingest", str(source), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {source}:34: the document is the 2024 决算 of {NAME} but sits in the 2023 "
        f"folder; expected it under {tmp_path / SLUG / '2024' / 'source'}"
    ]


def test_duplicate_unit(tmp_path: Path) -> None:
    new(tmp_path)
    result = run(
        "new", "huangpi-dsj", "2023", "--name", NAME, "--region-code", "420116",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {tmp_path / 'huangpi-dsj'}: duplicate unit: {NAME} is already "
        f"{tmp_path / SLUG}; expected juesuan new {SLUG} YEAR to add a year to it"
    ]


@pytest.mark.parametrize("slug", ["../huangpi", "wuhan/huangpi", "huangpi..dsj"])
def test_slug_with_dots_or_slash(tmp_path: Path, slug: str) -> None:
    result = run(
        "new", slug, "2024", "--name", NAME, "--region-code", "420116", "--out", str(tmp_path)
    )
    assert result.exit_code == 2
    assert f"Invalid value for 'UNIT_SLUG': {slug!r}: it has" in result.output
    assert "(lowercase ASCII letters, digits, hyphens)" in result.output
    assert list(tmp_path.iterdir()) == []


def test_source_missing(tmp_path: Path) -> None:
    package = ingested(tmp_path)
    (package / "source" / "决算.txt").unlink()
    result = run("check-sources", str(package))
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {package / 'datapackage.json'}: source missing: datapackage.json names "
        "source/决算.txt, which is not in the package; put the document back, or set "
        "juesuan.hand_edited to true if the numbers were typed by hand"
    ]


def test_package_edited_so_it_no_longer_matches_its_source(tmp_path: Path) -> None:
    package = ingested(tmp_path)
    csv = package / "data" / "expenditure.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("115.35", "115.53", 1), encoding="utf-8")
    result = run("check-sources", str(package), "--format", "github")
    assert result.exit_code == 1
    assert errors(result) == [
        f"::error file={csv},line=2,title=package differs from its source::2024年度支出决算表 "
        "row total 合计, 项目支出: the package has 115.53, the source gives 115.35"
    ]


def test_hand_edited_package_is_allowed(tmp_path: Path) -> None:
    package = ingested(tmp_path)
    csv = package / "data" / "expenditure.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("115.35", "115.53", 1), encoding="utf-8")
    descriptor = package / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["juesuan"]["hand_edited"] = True
    descriptor.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    result = run("check-sources", str(package))
    assert result.exit_code == 0
    assert "skipped, hand_edited: not compared with its source" in result.output


def test_encoding_that_cannot_be_decoded(tmp_path: Path) -> None:
    raw = source_of(HUANGPI).read_bytes()
    broken = tmp_path / "决算.txt"
    # 0x80 and 0xFF start no character in UTF-8 nor in GB18030.
    broken.write_bytes(raw.replace("2024年度收入决算表".encode(), b"\x80\xff\x80\xff", 1))
    result = run("ingest", str(broken), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    (line,) = errors(result)
    assert line.startswith(f"error: {broken}:274: bytes b'\\x80\\xff")
    assert line.endswith(
        "are neither UTF-8 nor GBK/GB18030; expected text in UTF-8, GBK or GB18030"
    )
    assert not (tmp_path / "out").exists()


def test_scan_without_text_is_refused(tmp_path: Path) -> None:
    scan = scanned_pdf(tmp_path / "扫描件.pdf", pages=2)
    result = run("ingest", str(scan), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {scan}: the PDF has no text layer (its 2 pages are images, as from a "
        "scanner) and OCR read no text on them; expected a PDF with a text layer: run OCR "
        "first (for "
        "example `ocrmypdf -l chi_sim in.pdf out.pdf`), or ask the publisher for the Word, "
        "Excel or text version"
    ]
