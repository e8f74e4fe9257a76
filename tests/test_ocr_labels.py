"""Labels and titles OCR misread by a look-alike are read as the edition's, or left.

The cells seed is given to the pipeline as if OCR had read it (every line on a
scanned page), with one label or title misread, so each case runs without
Tesseract; tests/test_ocr_grid.py reads real scans.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from juesuan.errors import SourceError
from juesuan.ingest import ocr_labels, pipeline
from juesuan.ingest.readers import read_document
from juesuan.ingest.source import Document, OcrReading
from juesuan.package.facts import write_facts
from juesuan.package.write import write_package
from juesuan.taxonomy import edition_in_force
from tests.disclosure_files import ingested_facts
from tests.seeds import HUANGPI, source_of

LABEL = "\t年末结转和结余"
MISREAD = "\t年未结转和结余"
TITLE = "2024年度收入支出决算总表"


def _misread(path: Path, line: str, read: str, *, scanned: bool = True) -> Document:
    """The cells seed with its first ``line`` read as ``read``, as OCR would give it."""
    document = read_document(source_of(HUANGPI))
    number = document.lines.index(line) + 1
    document = document.with_lines({number: read})
    if not scanned:
        return replace(document, path=path)
    where = tuple(f"page 1, line {n}" for n in range(1, len(document.lines) + 1))
    reading = OcrReading("tesseract 5.3.0", (1,), ())
    return replace(document, path=path, locations=where, ocr=reading)


def _ingest(monkeypatch: pytest.MonkeyPatch, document: Document) -> pipeline.Disclosure:
    monkeypatch.setattr(pipeline, "read_document", lambda _path: document)
    return pipeline.ingest(document.path)


@pytest.fixture(scope="module")
def text_facts(tmp_path_factory: pytest.TempPathFactory) -> str:
    return ingested_facts(source_of(HUANGPI), tmp_path_factory.mktemp("text"))


def test_a_label_one_look_alike_off_is_read_as_the_editions_and_recorded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text_facts: str
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(source_of(HUANGPI).read_bytes())
    disclosure = _ingest(monkeypatch, _misread(source, LABEL, MISREAD))
    (repair,) = disclosure.ocr_corrections
    assert (repair.kind, repair.by) == ("label", "vocabulary")
    assert (repair.read, repair.corrected) == ("年未结转和结余", "年末结转和结余")
    assert disclosure.document.line(repair.line) == LABEL
    folder = write_package(disclosure, tmp_path / "package")
    meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["juesuan"]
    (recorded,) = meta["ocr_corrections"]
    assert recorded["kind"] == "label" and recorded["read"] == "年未结转和结余"
    assert recorded["confidence"] is None
    out = io.StringIO()
    write_facts(folder, out)
    assert out.getvalue() == text_facts


def test_the_same_misread_in_a_text_layer_is_left_as_printed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    document = _misread(tmp_path / "text.pdf", LABEL, MISREAD, scanned=False)
    edition = edition_in_force(2024)
    assert ocr_labels.repair_labels(document, edition) == (document, [])
    with pytest.raises(SourceError):
        _ingest(monkeypatch, document)


def test_a_misread_two_labels_are_equally_near_is_left_as_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Were 未 as like 初 as 末, 年未结转和结余 could be 年初… or 年末…: neither is chosen
    # on a line of words, which stand on no one side of the table.
    alike = {"未": ("末", "初"), "末": ("未", "初"), "初": ("未", "末")}
    monkeypatch.setattr(ocr_labels, "confusables", lambda: alike)
    document = _misread(tmp_path / "scan.pdf", LABEL, MISREAD[1:])
    mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
    assert repairs == []
    assert MISREAD[1:] in mended.lines


def test_a_title_with_one_character_misread_names_its_table(tmp_path: Path) -> None:
    document = _misread(tmp_path / "scan.pdf", TITLE, "2024年度收入支出决自总表")
    mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
    (repair,) = repairs
    assert (repair.read, repair.corrected, repair.table) == (
        "收入支出决自总表",
        "收入支出决算总表",
        "summary",
    )
    assert TITLE in mended.lines


def test_a_title_with_two_characters_misread_is_known_by_the_weighted_distance(
    tmp_path: Path,
) -> None:
    # 人/入 are look-alikes (half a change), 自 for 算 a whole one: 1.5 in 8.
    document = _misread(tmp_path / "scan.pdf", TITLE, "2024年度收人支出决自总表 公开01表")
    mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
    (repair,) = repairs
    assert (repair.read, repair.corrected, repair.table) == (
        "收人支出决自总表",
        "收入支出决算总表",
        "summary",
    )
    assert repair.distance == 1.5
    assert "2024年度收入支出决算总表 公开01表" in mended.lines


def test_a_title_too_far_or_as_near_two_titles_is_left_as_read(tmp_path: Path) -> None:
    for read in ("2024年度收人支自决自总表", "2024年度财政拨歀收人支出决自总表"):
        # Three changes in 8 is past a fifth; 财政拨款收入支出决算总表 read with
        # 款 lost is as near it as its end is to 收入支出决算总表.
        document = _misread(tmp_path / "scan.pdf", TITLE, read)
        mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
        assert [r for r in repairs if r.kind == "label" and "总表" in r.corrected] == [], read
        assert read in mended.lines


def test_a_label_on_either_side_of_a_row_is_known_by_the_code_before_it(
    tmp_path: Path,
) -> None:
    # 基本支出决算明细表 prints 30101 基本工资 | 30201 办公费 | 31002 … in one row:
    # each name is its own side's code's, a character of it (资, 公) read otherwise.
    document = read_document(source_of(HUANGPI))
    left, middle = document.lines.index("\t  基本工资") + 1, document.lines.index("\t  办公费") + 1
    document = _misread(tmp_path / "scan.pdf", "\t  基本工资", "\t  基本工次")
    document = document.with_lines({middle: "\t  办工费"})
    _mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
    found = {(r.line, r.read, r.corrected, r.row) for r in repairs}
    assert found == {
        (left, "  基本工次", "基本工资", "30101"),
        (middle, "  办工费", "办公费", "30201"),
    }


def test_a_label_of_a_two_sided_table_is_matched_with_its_sides_labels(
    tmp_path: Path,
) -> None:
    # 本年收出合计 is one change from 本年收入合计 and from 本年支出合计: printed on
    # the 支出 side of 收入支出决算总表, it is the latter; as a line of prose, neither.
    document = _misread(tmp_path / "scan.pdf", "\t本年支出合计", "\t本年收出合计")
    mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
    (repair,) = repairs
    assert (repair.read, repair.corrected, repair.table) == (
        "本年收出合计",
        "本年支出合计",
        "summary",
    )
    assert repair.row == "expenditure_total"
    assert "\t本年支出合计" in mended.lines
    flowed = _misread(tmp_path / "scan.pdf", "\t本年支出合计", "本年收出合计")
    _mended, repairs = ocr_labels.repair_labels(flowed, edition_in_force(2024))
    assert [r for r in repairs if r.read == "本年收出合计"] == []
    # 年中结转和结余 in the 支出 side's cell is 年末…, the side's one such label.
    document = _misread(tmp_path / "scan.pdf", LABEL, "\t年中结转和结余")
    _mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
    assert [(r.corrected, r.row) for r in repairs] == [("年末结转和结余", "closing_balance")]


def test_every_confusable_is_one_character_of_one_group() -> None:
    from juesuan.taxonomy.confusables import confusables

    alike = confusables()
    assert alike["未"] == ("末",) and set(alike["已"]) == {"己", "巳"}
    assert all(char in alike[other] for char, others in alike.items() for other in others)


def test_a_label_read_whole_after_a_garbled_ordinal_is_the_editions(tmp_path: Path) -> None:
    document = _misread(tmp_path / "scan.pdf", "\t二、外交支出", "\t-十 、外交支出")
    mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
    (repair,) = repairs
    assert (repair.read, repair.corrected) == ("-十 、外交支出", "二、外交支出")
    assert "\t二、外交支出" in mended.lines


def test_the_distance_weighs_a_look_alike_less_than_another_change() -> None:
    from juesuan.taxonomy.confusables import confusables, distance

    alike = confusables()
    assert distance("年未结转", "年末结转", alike) == 0.5
    assert distance("年中结转", "年末结转", alike) == 1.0
    assert distance("年末结", "年末结转", alike) == 1.0
    assert distance("年中中结转", "年末结转", alike, bound=1.5) == float("inf")


def test_a_label_with_three_characters_misread_is_the_one_near_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text_facts: str
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(source_of(HUANGPI).read_bytes())
    # 勘 → 堪 and 业 → 亚 are no look-alikes of the list, 支 → 文 is.
    read = "\t十四、资源堪探工亚信息等文出"
    disclosure = _ingest(monkeypatch, _misread(source, "\t十四、资源勘探工业信息等支出", read))
    (repair,) = disclosure.ocr_corrections
    assert (repair.read, repair.corrected) == (read[1:], "十四、资源勘探工业信息等支出")
    assert repair.distance == 2.5 and repair.kind == "label"
    folder = write_package(disclosure, tmp_path / "package")
    meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["juesuan"]
    assert meta["ocr_corrections"][0]["distance"] == 2.5
    out = io.StringIO()
    write_facts(folder, out)
    assert out.getvalue() == text_facts


def test_a_coded_row_is_read_as_its_codes_name(tmp_path: Path) -> None:
    document = _misread(tmp_path / "scan.pdf", "\t一般公共服务支出", "\t一般公共服各文出")
    mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
    (repair,) = repairs
    assert (repair.corrected, repair.row, repair.distance) == ("一般公共服务支出", "201", 1.5)
    assert mended.line(repair.line) == "\t一般公共服务支出"


def test_a_label_two_labels_are_as_near_is_left_as_read_and_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # 年中 is one change from 年初 and from 年末: on a line of words, neither is chosen.
    document = _misread(tmp_path / "scan.pdf", LABEL, "年中结转和结余")
    mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
    assert repairs == [] and mended == document
    with pytest.raises(SourceError) as caught:
        _ingest(monkeypatch, document)
    assert "年中结转和结余" in str(caught.value)


def test_a_label_far_from_every_label_is_left_as_read(tmp_path: Path) -> None:
    far = "\t一、一般公用预测财攻拔歉收人"
    document = _misread(tmp_path / "scan.pdf", "\t一、一般公共预算财政拨款收入", far)
    mended, repairs = ocr_labels.repair_labels(document, edition_in_force(2024))
    assert repairs == [] and far in mended.lines


def test_prose_on_a_scanned_page_is_never_repaired(tmp_path: Path) -> None:
    document = _misread(tmp_path / "scan.pdf", LABEL, "年未结转和结余。")
    assert ocr_labels.repair_labels(document, edition_in_force(2024))[1] == []
