"""The downloads made for people: Chinese headers, hierarchy order, a clean workbook."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from juesuan.site.build import BuildReport
from juesuan.site.corpus import load, validate
from juesuan.site.downloads import ordered_json, people_csv
from juesuan.site.readable import code_key, fields, hierarchy_order, ordered_rows
from juesuan.site.workbook import HEADER_ROW, text_width
from tests.seeds import HUANGPI, QIAOKOU, SEED_PACKAGES


def test_basic_expenditure_reads_class_by_class_not_panel_by_panel() -> None:
    view = load(HUANGPI).table("basic_expenditure")
    assert view is not None
    printed = [row["row"] for row in view.rows]
    assert printed[:4] == ["301", "302", "310", "30101"]  # three panels read across
    ordered = [row["row"] for row in ordered_rows(view)]
    assert ordered[:3] == ["301", "30101", "30102"]
    assert ordered.index("302") == ordered.index("30199") + 1
    assert ordered.index("303") == ordered.index("30299") + 1  # 303 after 302: list order
    assert ordered[-2:] == ["personnel_total", "public_total"]
    assert sorted(ordered) == sorted(printed)


def test_the_grand_total_comes_first_and_each_class_before_its_items() -> None:
    rows = [{"row": r, "code": "" if r == "total" else r} for r in ("2080505", "208", "total")]
    rows += [{"row": "20805", "code": "20805"}, {"row": "201", "code": "201"}]
    assert [r["row"] for r in hierarchy_order(rows, "function")] == [
        "total",
        "201",
        "208",
        "20805",
        "2080505",
    ]
    assert hierarchy_order(rows, None) == rows  # a ledger keeps its printed order


def test_a_code_the_list_lacks_follows_the_listed_ones_of_its_level() -> None:
    assert code_key("function", "201") < code_key("function", "20101")
    assert code_key("function", "20199") < code_key("function", "202")
    unknown = code_key("function", "29999")
    assert code_key("function", "201") < unknown and code_key("function", "20101") < unknown


@pytest.mark.parametrize("edition", ["2024", "2019"])
def test_every_table_has_distinct_chinese_headers(edition: str) -> None:
    folder = HUANGPI if edition == "2024" else QIAOKOU
    for view in load(folder).tables:
        headers = [field.header for field in fields(view, locations=True)]
        assert len(set(headers)) == len(headers), (view.id, headers)
        assert all(not header.isascii() for header in headers), headers


def test_the_excel_csv_has_chinese_headers_sides_in_words_and_every_row() -> None:
    d = load(HUANGPI)
    view = d.table("summary")
    assert view is not None
    rows = list(csv.reader(io.StringIO(people_csv(d, view))))
    assert rows[0] == ["科目编码", "项目", "收支", "行次", "收入 / 金额", "支出 / 金额", "原文行号"]
    assert {row[2] for row in rows[1:]} == {"收入", "支出"}
    assert len(rows) == len(view.rows) + 1
    assert rows[1][1:6] == ["一、一般公共预算财政拨款收入", "收入", "1", "282.91", ""]


def test_the_excel_csv_of_basic_expenditure_is_in_hierarchy_order() -> None:
    d = load(HUANGPI)
    view = d.table("basic_expenditure")
    assert view is not None
    rows = list(csv.reader(io.StringIO(people_csv(d, view))))
    assert rows[0] == ["科目编码", "项目", "决算数", "原文行号"]
    assert [row[0] for row in rows[1:4]] == ["301", "30101", "30102"]
    assert [row[1] for row in rows[-2:]] == ["人员经费合计", "公用经费合计"]


def test_the_table_json_holds_the_same_records_in_hierarchy_order() -> None:
    d = load(HUANGPI)
    view = d.table("basic_expenditure")
    assert view is not None
    package = json.loads((d.folder / "data" / "basic_expenditure.json").read_text())
    ordered = json.loads(ordered_json(d.folder / "data" / "basic_expenditure.json", view))
    assert [r["row"] for r in ordered] == [r["row"] for r in ordered_rows(view)]
    assert sorted(map(json.dumps, ordered)) == sorted(map(json.dumps, package))


def test_a_table_json_that_is_no_list_of_records_is_given_as_it_is(tmp_path: Path) -> None:
    view = load(HUANGPI).table("income")
    assert view is not None
    for text in ('{"a": 1}', "[1, 2]", '[{"row": NaN}]', "not json", "[" * 100_000):
        path = tmp_path / "x.json"
        path.write_text(text, encoding="utf-8")
        assert ordered_json(path, view) == text.encode("utf-8")


def _workbook(built_site: BuildReport, folder: Path) -> openpyxl.Workbook:
    d = load(folder)
    path = built_site.site / "units" / d.slug / str(d.year) / "download" / f"{d.stem}.xlsx"
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize("folder", SEED_PACKAGES, ids=lambda p: p.parent.name)
def test_the_workbook_has_one_header_row_per_group_numbers_and_fitted_widths(
    built_site: BuildReport, folder: Path
) -> None:
    d = load(folder)
    workbook = _workbook(built_site, folder)
    for view in d.tables:
        sheet = workbook[view.number]
        columns = fields(view, locations=bool(d.locations))
        depth = max(len(f.path) for f in columns)
        first = HEADER_ROW + depth + 1  # 1-based, as openpyxl counts
        merged = {str(r) for r in sheet.merged_cells.ranges}
        for index, field in enumerate(columns, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            cells = [sheet.cell(HEADER_ROW + 1 + level, index).value for level in range(depth)]
            assert field.path[-1] in cells, (view.id, field.path, cells)
            if len(field.path) < depth:  # the label spans the header rows below it
                top = HEADER_ROW + len(field.path)
                assert f"{letter}{top}:{letter}{HEADER_ROW + depth}" in merged
            values = [sheet.cell(r, index).value for r in range(first, first + len(view.rows))]
            present = [v for v in values if v is not None]
            if field.kind in ("line", "source_line"):
                assert all(isinstance(v, int) for v in present), (view.id, field.name)
            elif field.kind == "value":
                assert all(isinstance(v, int | float) for v in present), (view.id, field.name)
            elif field.kind == "code":
                assert all(isinstance(v, str) for v in present)
            width = sheet.column_dimensions[letter].width
            longest = max([text_width(str(v)) for v in present] or [0])
            assert width >= min(longest, 58), (view.id, field.name, width, longest)
        column = 1 + next(i for i, f in enumerate(columns) if f.name == "label")
        labels = [sheet.cell(r, column).value for r in range(first, first + len(view.rows))]
        assert labels == [row.get("label") or None for row in ordered_rows(view)], view.id


def test_the_two_amount_columns_of_the_summary_sit_under_their_sides(
    built_site: BuildReport,
) -> None:
    sheet = _workbook(built_site, HUANGPI)["公开01表"]
    top, below = ([c.value for c in sheet[HEADER_ROW + n]] for n in (1, 2))
    assert top[4:6] == ["收入", "支出"] and below[4:6] == ["金额", "金额"]


@pytest.mark.parametrize("folder", SEED_PACKAGES, ids=lambda p: p.parent.name)
def test_the_workbook_lists_every_finding_and_the_provenance(
    built_site: BuildReport, folder: Path
) -> None:
    workbook = _workbook(built_site, folder)
    sheet = workbook["校验"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    findings = [r for r in rows if r[1]]
    expected = validate(folder).findings
    assert [r[1] for r in findings] == [f.rule for f in expected]
    about = dict(workbook["说明"].iter_rows(values_only=True))
    d = load(folder)
    assert about["单位"] == d.unit and about["原文 sha256"] == d.meta["source"]["sha256"]
    assert about["公开日期"] == "未登记"  # the seed's unit.json gives no day
    assert about["许可"].startswith("Creative Commons Attribution 4.0")
    assert about["引用"].startswith(f"{d.unit}. {d.title}[DB/OL]. 部门决算公开数据")
