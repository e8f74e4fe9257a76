"""A scan's unit name is the one its lines agree on, or is given; never a misreading.

OCR reads the header 单位：万元 as ``单位: 万 元`` and may misread the unit's
name. The text seed is given to the pipeline as if OCR had read it, its headers
so read, so each case runs in a second.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.cli import main
from juesuan.errors import SourceError
from juesuan.ingest import pipeline
from juesuan.ingest.readers import read_document
from juesuan.ingest.source import Document, OcrReading
from juesuan.ingest.unit_name import is_name
from juesuan.repository.targets import assign
from tests.seeds import QIAOKOU, source_of

NAME = "武汉市硚口区大数据中心"
HEADER = f"部门：{NAME} 单位：万元"


def _scan(headers: list[str]) -> Document:
    """The seed as OCR gives it, its tables' headers read as ``headers`` in turn."""
    document = read_document(source_of(QIAOKOU))
    lines = list(document.lines)
    at = [n for n, text in enumerate(lines) if text == HEADER]
    assert len(at) == len(headers) == 8
    for number, header in zip(at, headers, strict=True):
        lines[number] = header
    return replace(document, lines=tuple(lines), ocr=OcrReading("tesseract 5.3.0", (1,), ()))


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Make ingest read ``tmp_path/scan.pdf`` as the seed with the headers given."""
    source = tmp_path / "scan.pdf"
    shutil.copyfile(source_of(QIAOKOU), source)

    def scan(headers: list[str]) -> Path:
        document = replace(_scan(headers), path=source)
        monkeypatch.setattr(pipeline, "read_document", lambda _path: document)
        return source

    return scan


def test_the_name_most_lines_agree_on_is_taken_spaces_and_marks_aside(
    scanned, tmp_path: Path
) -> None:
    split = "部门 : 武汉市硚口区 大数据中 心 单位 ;万 元"
    misread = "部门: 武汉市硚口区大数据巾心 单位: 万 元"
    source = scanned([split] * 4 + [misread] * 2 + ["单位: 万 元"] * 2)
    disclosure = pipeline.ingest(source)
    assert disclosure.unit == NAME
    folder = assign(disclosure, tmp_path / "out")
    assert folder == tmp_path / "out" / "wuhan-qiaokou-dashujuzhongxin" / "2019"


def test_a_money_unit_or_one_character_is_no_name() -> None:
    assert not is_name("万元") and not is_name("万") and not is_name("元")
    assert is_name(NAME) and not is_name("2019年")


def test_a_scan_that_agrees_on_no_name_is_refused_saying_how_to_give_it(
    scanned, tmp_path: Path
) -> None:
    # The cover alone names the unit (第一部分 …): one line is no agreement.
    source = scanned(["单位: 万 元"] * 7 + ["部门: 万 单位: 万 元"])
    disclosure = pipeline.ingest(source)
    assert disclosure.unit == ""
    out = tmp_path / "out"
    with pytest.raises(SourceError) as caught:
        assign(disclosure, out)
    message = str(caught.value)
    assert "OCR read no unit name" in message and f"{NAME} ×1" in message
    assert "万" not in re.sub(r"(单位|万元)", "", message.split("(read: ")[1])
    assert "juesuan new SLUG YEAR --name NAME" in (caught.value.expected or "")
    result = CliRunner().invoke(main, ["ingest", "--jobs", "1", "--out", str(out), str(source)])
    assert result.exit_code == 1, result.output
    assert "OCR read no unit name" in result.output
    assert not out.exists() or not any(out.rglob("datapackage.json"))


def test_a_refused_name_is_given_by_the_unit_folder(scanned, tmp_path: Path) -> None:
    source = scanned(["单位: 万 元"] * 8)
    out = tmp_path / "out"
    runner = CliRunner()
    made = runner.invoke(
        main,
        [
            "new",
            "qiaokou-dsj",
            "2019",
            "--name",
            NAME,
            "--region-code",
            "420104",
            "--out",
            str(out),
        ],
    )
    assert made.exit_code == 0, made.output
    result = runner.invoke(
        main, ["ingest", "--jobs", "1", "--out", str(out), "--unit", "qiaokou-dsj", str(source)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "qiaokou-dsj" / "2019" / "datapackage.json").is_file()
    assert f"{NAME} 2019" in result.output
