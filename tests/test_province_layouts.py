"""Documents printed as other provinces print the national tables.

Each way a real document was refused becomes a case here, on a document the
test makes itself: the 2024 seed reprinted in the Shanghai districts' layout
(titles without numbers or year, no 行次, the year only in the part heading,
三公 budget and actual side by side per item, 一、 glossary numbering, a part
heading wrapped over two lines), as text and as a ruled PDF.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from juesuan.errors import SourceError
from juesuan.ingest import ingest
from juesuan.package.facts import facts
from juesuan.package.write import write_package
from juesuan.taxonomy import editions, overlays
from juesuan.taxonomy.model import Overlay
from juesuan.validation import validate_package
from tests.disclosure_files import ruled_pdf
from tests.seeds import HUANGPI, source_of
from tests.test_variants import THREE_PUBLIC_ITEMS

_TITLE = re.compile(r"^2024年度(.+表)$")
_RENAMED = {
    "一般公共预算财政拨款基本支出决算明细表": "一般公共预算财政拨款基本支出决算表",
    "国有资本经营预算财政拨款支出决算表": "国有资本经营预算财政拨款收入支出决算表",
}
_LEDGERS = ("收入支出决算总表", "财政拨款收入支出决算总表")
_DROPPED = re.compile(r"^\t(公开\d\d表|单位：.*|2024年度|金额单位：万元)$")


def _rows(lines: list[str]) -> list[list[str]]:
    """Lines grouped into printed rows: a run of cell lines, or one plain line."""
    rows: list[list[str]] = [[]]
    for line in lines:
        if not line:
            rows.append([])
        elif line.startswith("\t"):
            rows[-1].append(line)
        else:
            rows += [[line], []]
    return [row for row in rows if row]


def _without_line_numbers(row: list[str]) -> list[str]:
    """A ledger row less its two 行次 cells (the second and the fifth)."""
    if not row[0].startswith("\t") or len(row) < 6:
        return row
    return [cell for index, cell in enumerate(row) if index not in (1, 4)]


def _three_public_alternating(rows: list[list[str]]) -> list[list[str]]:
    """The 三公 header and values with 预算数/决算数 side by side for each item."""
    values = next(row for row in rows if row[0] == "\t0.13")
    alternating = [values[k] for pair in zip(range(6), range(6, 12), strict=True) for k in pair]
    return [
        [f"\t{label}" for label in THREE_PUBLIC_ITEMS],
        ["\t预算数", "\t决算数"] * 6,
        alternating,
        *[row for row in rows if row[0].startswith("\t注")],
    ]


def shanghai_reprint(lines: list[str]) -> list[str]:
    """The 2024 seed as the Shanghai districts print their 2024 tables."""
    out: list[str] = []
    table: str | None = None
    pending: list[str] = []

    def flush() -> None:
        rows = _rows(pending)
        if table and "三公" in table:
            rows = _three_public_alternating(rows)
        for row in rows:
            if "\t栏次" in row:
                continue
            if table in _LEDGERS:
                row = _without_line_numbers(row)
            out.extend([*row, ""] if row and row[0].startswith("\t") else row)
        pending.clear()

    for line in lines:
        title = _TITLE.match(line)
        if title or line.startswith("第三部分"):
            flush()
            table = None
        if title:
            table = title.group(1)
            out += [_RENAMED.get(table, table), "单位：万元"]
        elif line.startswith("第三部分"):
            out += [line.removesuffix("说明"), "说明"]
        elif table is not None:
            if not _DROPPED.match(line):
                pending.append(line)
        else:
            out.append(re.sub(r"^\(([一二三四五六七八九十]+)\)", r"\1、", line))
    return out


def _reprint(tmp_path: Path) -> Path:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    source = tmp_path / "shanghai-layout.txt"
    source.write_text("\n".join(shanghai_reprint(lines)), encoding="utf-8")
    return source


def _facts(package: Path) -> Counter[tuple[str, str, str, str]]:
    return Counter((f.table, f.row, f.column, f.value) for f in facts(package))


def test_shanghai_layout_gives_the_seed_facts(tmp_path: Path) -> None:
    source = _reprint(tmp_path)
    text = source.read_text(encoding="utf-8")
    tables = text[text.index("第二部分") : text.index("第三部分")]
    assert not re.search(r"公开0|行次|栏次|2024年度.*表\n|\n\t\d\d?\n", tables.split("\n", 1)[1])
    disclosure = ingest(source)
    assert disclosure.outline.edition.key == "2024/shanghai"
    assert (disclosure.year, disclosure.unit) == (2024, "武汉市黄陂区大数据中心（本级）")
    package = write_package(disclosure, tmp_path / "package")
    assert _facts(package) == _facts(HUANGPI)
    seed = ingest(source_of(HUANGPI))
    assert [e.term for e in disclosure.glossary] == [e.term for e in seed.glossary]
    assert [p.key for p in disclosure.parts] == [p.key for p in seed.parts]
    assert not validate_package(package).errors


def test_shanghai_layout_as_a_ruled_pdf(tmp_path: Path) -> None:
    pdf = ruled_pdf(_reprint(tmp_path), tmp_path / "shanghai-layout.pdf")
    disclosure = ingest(pdf)
    assert disclosure.layout == "cells"
    assert disclosure.outline.edition.key == "2024/shanghai"
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(HUANGPI)


def test_a_document_naming_two_years_is_refused(tmp_path: Path) -> None:
    source = _reprint(tmp_path)
    text = source.read_text(encoding="utf-8").replace(
        "（本级）2024年度部门决算情况", "（本级）2023年度部门决算情况", 1
    )
    source.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        ingest(source)
    assert "two years: 2024" in str(caught.value)
    assert "2023" in str(caught.value)


def test_a_document_with_no_year_is_refused(tmp_path: Path) -> None:
    source = _reprint(tmp_path)
    source.write_text(re.sub(r"2024年度部门决算", "部门决算", source.read_text("utf-8")), "utf-8")
    with pytest.raises(SourceError, match="no year in the table titles or the headings"):
        ingest(source)


def test_a_code_the_lists_do_not_know_is_kept_and_reported(tmp_path: Path) -> None:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    assert lines.count("\t2013750") == 3
    source = tmp_path / "new-code.txt"
    source.write_text("\n".join(lines).replace("\t2013750", "\t2013702"), encoding="utf-8")
    package = write_package(ingest(source), tmp_path / "package")
    listed = (package / "codelists" / "function.csv").read_text(encoding="utf-8")
    assert "2013702,事业运行,项" in listed
    report = validate_package(package)
    unknown = [f for f in report.errors if f.rule == "code/unknown"]
    assert {f.table for f in unknown} == {"income", "expenditure", "general_budget_expenditure"}
    assert all("2013702" in (f.found or "") for f in unknown)
    assert not [f for f in report.errors if f.rule != "code/unknown"]


def test_every_overlay_loads_and_keeps_the_national_arithmetic() -> None:
    assert overlays(), "the Shanghai overlay should be declared"
    for (edition_id, overlay_id), variant in overlays().items():
        national = editions()[edition_id]
        assert variant.key == f"{edition_id}/{overlay_id}"
        assert variant.rules == national.rules
        assert set(variant.table_order) == set(national.table_order)
        for table_id, table in variant.tables.items():
            assert table.rules == national.tables[table_id].rules
            assert national.tables[table_id].title in (table.title, *table.aliases)


def test_an_overlay_of_tables_the_edition_lacks_is_refused() -> None:
    tables = {"balance_sheet": {"title": "资产负债表"}}
    overlay = Overlay.model_validate({"id": "x", "title": "x", "region": "x", "tables": tables})
    with pytest.raises(ValueError, match="balance_sheet"):
        editions()["2024"].with_overlay(overlay)


def test_a_title_run_into_the_previous_table_note(tmp_path: Path) -> None:
    source = _reprint(tmp_path)
    lines = source.read_text(encoding="utf-8").split("\n")
    title = lines.index("收入决算表")
    note = max(i for i in range(title) if lines[i].strip())
    assert lines[note].startswith("\t") and lines[note].endswith("。")
    lines[note] += "收入决算表"
    del lines[title]
    source.write_text("\n".join(lines), encoding="utf-8")
    assert _facts(write_package(ingest(source), tmp_path / "package")) == _facts(HUANGPI)


def _flowed_summary(tmp_path: Path, change: str, to: str) -> Path:
    """The reprint with its summary as text lines, blank cells gone, one line changed."""
    source = _reprint(tmp_path)
    lines = source.read_text(encoding="utf-8").split("\n")
    start, end = lines.index("收入支出决算总表") + 2, lines.index("收入决算表")
    flowed = [" ".join(c.strip() for c in row if c.strip()) for row in _rows(lines[start:end])]
    flowed[flowed.index(change)] = to
    source.write_text("\n".join([*lines[:start], *flowed, *lines[end:]]), encoding="utf-8")
    return source


def test_labels_run_together_in_flowed_text_are_split(tmp_path: Path) -> None:
    # Where one side's row has no amount, its label runs into the other side's
    # (二、政府性基金预算财政拨款收入二、外交支出 0.00): the amount is the last label's.
    line = "二、政府性基金预算财政拨款收入 二、外交支出"
    source = _flowed_summary(tmp_path, line, line + " 0.00")
    package = write_package(ingest(source), tmp_path / "package")
    added = Counter({("summary", "202", "expenditure", "0.00"): 1})
    assert _facts(package) == _facts(HUANGPI) + added


def test_an_unknown_label_run_into_a_known_one_is_refused(tmp_path: Path) -> None:
    line = "二、政府性基金预算财政拨款收入 二、外交支出"
    source = _flowed_summary(tmp_path, line, "二、政府性基金预算财政拨款收入 某某收入 1.00")
    with pytest.raises(SourceError) as caught:
        ingest(source)
    message = str(caught.value)
    assert "[公开01表] row label '二、政府性基金预算财政拨款收入某某收入'" in message
    assert "several labels run together" in message


def test_a_part_heading_run_into_the_last_tables_note(tmp_path: Path) -> None:
    source = _reprint(tmp_path)
    lines = source.read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("第三部分"))
    note = max(i for i in range(heading) if lines[i].strip())
    assert lines[note].rstrip().endswith("。")
    lines[note] = lines[note].rstrip() + lines[heading]
    del lines[heading]
    source.write_text("\n".join(lines), encoding="utf-8")
    disclosure = ingest(source)
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(HUANGPI)
    assert "explanation" in [p.key for p in disclosure.parts]


def test_a_table_the_document_leaves_out_is_recorded_and_reported(tmp_path: Path) -> None:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    start = lines.index("2024年度政府性基金预算财政拨款收入支出决算表")
    end = lines.index("2024年度国有资本经营预算财政拨款支出决算表")
    source = tmp_path / "without-gov-fund.txt"
    source.write_text("\n".join([*lines[:start], *lines[end:]]), encoding="utf-8")
    disclosure = ingest(source)
    assert disclosure.outline.missing == ("gov_fund",)
    package = write_package(disclosure, tmp_path / "package")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["juesuan"]["tables_not_printed"] == [
        {"table": "gov_fund", "number": "公开07表", "title": "政府性基金预算财政拨款收入支出决算表"}
    ]
    assert "gov-fund" not in {r["name"] for r in descriptor["resources"]}
    seed = _facts(HUANGPI)
    assert _facts(package) == Counter({k: n for k, n in seed.items() if k[0] != "gov_fund"})
    report = validate_package(package)
    assert not report.errors
    (finding,) = [f for f in report.findings if f.rule.startswith("table/")]
    assert (finding.rule, finding.severity) == ("table/not-printed", "warning")
    assert finding.table == "gov_fund"


def test_a_document_without_most_tables_is_refused(tmp_path: Path) -> None:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    start = lines.index("2024年度支出决算表")
    end = next(i for i, line in enumerate(lines) if line.startswith("第三部分"))
    source = tmp_path / "two-tables.txt"
    source.write_text("\n".join([*lines[:start], *lines[end:]]), encoding="utf-8")
    with pytest.raises(SourceError, match="table missing: 公开03表 支出决算表、"):
        ingest(source)


def test_a_contents_list_of_bare_titles_is_not_the_tables(tmp_path: Path) -> None:
    source = _reprint(tmp_path)
    lines = source.read_text(encoding="utf-8").split("\n")
    titles = [lines[i - 1] for i, line in enumerate(lines) if line == "单位：万元"]
    assert len(titles) == 9
    # 目录 listing the nine titles, one a line, nothing else: as many documents open.
    source.write_text("\n".join([*lines[:2], "目录", *titles, *lines[2:]]), encoding="utf-8")
    disclosure = ingest(source)
    assert disclosure.outline.tables[0].title_line > 12
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(HUANGPI)


def test_titles_after_the_units_name(tmp_path: Path) -> None:
    source = _reprint(tmp_path)
    lines = source.read_text(encoding="utf-8").split("\n")
    unit = "武汉市黄陂区大数据中心（本级）"
    titled = [
        f"{unit}{lines[i]}" if lines[i + 1 : i + 2] == ["单位：万元"] else lines[i]
        for i in range(len(lines))
    ]
    assert sum(line.startswith(unit) and line.endswith("表") for line in titled) == 9
    source.write_text("\n".join(titled), encoding="utf-8")
    assert _facts(write_package(ingest(source), tmp_path / "package")) == _facts(HUANGPI)


def test_a_table_printed_without_its_number_is_written_without_one(tmp_path: Path) -> None:
    package = write_package(ingest(_reprint(tmp_path)), tmp_path / "package")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r for r in descriptor["resources"] if "table" in (r.get("juesuan") or {})]
    assert len(tables) == 9
    assert not [r["juesuan"]["number"] for r in tables if "number" in r["juesuan"]]
    assert all(not r["description"].startswith("公开") for r in tables)
    seed = json.loads((HUANGPI / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["juesuan"]["number"] for r in seed["resources"] if "number" in r.get("juesuan", {})]
