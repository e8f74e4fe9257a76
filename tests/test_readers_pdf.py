"""PDF sources: ruled tables and flowed text both give the text source's facts."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from juesuan.errors import SourceError
from juesuan.ingest.pipeline import ingest
from juesuan.ingest.readers import read_document
from juesuan.package.facts import facts
from juesuan.package.write import write_package
from tests.disclosure_files import flow_pdf, ingested_facts, ruled_pdf, scanned_pdf
from tests.seeds import HUANGPI, QIAOKOU, source_of


@pytest.fixture(scope="module")
def ruled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ruled_pdf(source_of(HUANGPI), tmp_path_factory.mktemp("pdf") / "huangpi-2024.pdf")


@pytest.fixture(scope="module")
def flowed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return flow_pdf(source_of(QIAOKOU), tmp_path_factory.mktemp("pdf") / "qiaokou-2019.pdf")


def test_ruled_tables_give_the_facts_of_the_text(ruled: Path, tmp_path: Path) -> None:
    assert ingested_facts(ruled, tmp_path) == ingested_facts(source_of(HUANGPI), tmp_path)


def test_ruled_tables_are_read_cell_by_cell(ruled: Path) -> None:
    disclosure = ingest(ruled)
    assert disclosure.layout == "cells"
    assert disclosure.inferences == []
    assert disclosure.document.encoding == "pdf"
    assert disclosure.document.sha256 == hashlib.sha256(ruled.read_bytes()).hexdigest()


def test_repeated_headers_and_page_numbers_are_dropped(ruled: Path) -> None:
    document = read_document(ruled)
    pages = {where.split(",")[0] for where in document.locations or ()}
    assert len(pages) > 3, "the fixture should run tables across pages"
    assert not [line for line in document.lines if re.fullmatch(r"- \d+ -", line.strip())]
    seed = source_of(HUANGPI).read_text(encoding="utf-8").splitlines()
    assert document.lines.count("\t栏次") == seed.count("\t栏次")


def test_flowed_text_gives_the_facts_of_the_text(flowed: Path, tmp_path: Path) -> None:
    assert ingested_facts(flowed, tmp_path) == ingested_facts(source_of(QIAOKOU), tmp_path)


def test_flowed_text_is_placed_by_the_arithmetic(flowed: Path) -> None:
    from_pdf = ingest(flowed)
    from_text = ingest(source_of(QIAOKOU))
    assert from_pdf.layout == "flow"
    assert [(i.table, i.row, i.columns) for i in from_pdf.inferences] == [
        (i.table, i.row, i.columns) for i in from_text.inferences
    ]


def test_error_in_a_pdf_names_the_page(tmp_path: Path) -> None:
    text = source_of(QIAOKOU).read_text(encoding="utf-8")
    assert "本年收入合计 24" in text
    broken = tmp_path / "broken.txt"
    broken.write_text(text.replace("本年收入合计 24", "本年收益合计 24"), encoding="utf-8")
    pdf = flow_pdf(broken, tmp_path / "broken.pdf")
    with pytest.raises(SourceError) as caught:
        ingest(pdf)
    error = caught.value
    assert re.fullmatch(r"page 2, line \d+", error.location or "")
    assert str(error).startswith(f"{pdf}:{error.line} ({error.location}): [表1] 行次 24 is")
    assert "本年收入合计" in (error.expected or "")


def test_scan_without_text_says_ocr_read_none(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        read_document(scanned_pdf(tmp_path / "scan.pdf", pages=3))
    message = str(caught.value)
    assert "no text layer" in message
    assert "3 pages are images" in message
    assert "OCR read no text on them" in message
    assert "ocrmypdf" in message


def test_a_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    fake = tmp_path / "report.pdf"
    fake.write_bytes(b"<html>404 not found</html>\n")
    with pytest.raises(SourceError, match=r"named \.pdf but holds a web page"):
        read_document(fake)
    fake.write_bytes(b"%PDF-1.4 but nothing after\n")
    with pytest.raises(SourceError, match="not a readable PDF"):
        read_document(fake)


def test_findings_on_a_pdf_point_at_its_page_and_line(ruled: Path, tmp_path: Path) -> None:
    import json

    import pdfplumber
    from click.testing import CliRunner

    from juesuan.cli import main
    from juesuan.package.write import write_package

    disclosure = ingest(ruled)
    folder = write_package(disclosure, tmp_path / "unit" / "2024")
    table = folder / "data" / "income.csv"
    lines = table.read_text(encoding="utf-8").split("\n")
    (at,) = [i for i, line in enumerate(lines) if line.startswith("201,201,")]
    lines[at] = lines[at].replace("282.91", "282.00", 1)
    table.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(folder)])
    findings = json.loads(result.output)["packages"][0]["findings"]
    located = [f for f in findings if f["table"] == "income" and f["row"] == "201" and f["line"]]
    assert located, findings
    for finding in located:
        where = finding["location"]
        assert where == disclosure.document.location(finding["line"])
        page = int(re.fullmatch(r"page (\d+), line \d+", where).group(1))
        with pdfplumber.open(ruled) as pdf:
            # Line numbers count the page's lines top down, a table row as one line.
            assert "一般公共服务支出" in pdf.pages[page - 1].extract_text()
    github = CliRunner().invoke(main, ["validate", "--format", "github", str(folder)]).output
    annotation = next(a for a in github.splitlines() if f"({located[0]['location']})" in a)
    assert ",line=" not in annotation  # no line of the extracted text, which GitHub cannot show


def test_overprinted_bold_is_read_once(tmp_path: Path) -> None:
    """Faux bold prints each character twice; the text layer must not say 收收入入."""
    pdf = ruled_pdf(source_of(HUANGPI), tmp_path / "bold.pdf", faux_bold=True)
    disclosure = ingest(pdf)
    assert disclosure.unit == "武汉市黄陂区大数据中心（本级）"
    package = write_package(disclosure, tmp_path / "package")
    assert Counter((f.table, f.row, f.column, f.value) for f in facts(package)) == Counter(
        (f.table, f.row, f.column, f.value) for f in facts(HUANGPI)
    )
