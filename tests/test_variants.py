"""Ingest recognises what other provinces print differently.

Each case rewrites a seed the way other documents print the same tables and
checks that the same facts come out.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.ingest.pipeline import Disclosure, ingest
from juesuan.package.facts import facts
from juesuan.package.write import write_package
from juesuan.validation import validate_package
from tests.seeds import HUANGPI, QIAOKOU, source_of

Rewrite = Callable[[list[str]], list[str]]

THREE_PUBLIC_ITEMS = [
    "合计",
    "因公出国（境）费",
    "公务用车购置及运行维护费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
]
"""The 三公 items as printed when 预算数 and 决算数 stand side by side per item."""


def _facts(package: Path) -> Counter[tuple[str, str, str, str]]:
    return Counter((f.table, f.row, f.column, f.value) for f in facts(package))


def _ingest(tmp_path: Path, lines: list[str]) -> Counter[tuple[str, str, str, str]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "variant.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    return _facts(write_package(ingest(source), tmp_path / "package"))


def _tables_section(lines: list[str]) -> tuple[int, int]:
    start = next(i for i, line in enumerate(lines) if line.startswith("2019 年度收入支出决算总表"))
    end = next(i for i, line in enumerate(lines) if line.startswith("第三部分"))
    return start, end


def unnumbered_and_reordered(lines: list[str]) -> list[str]:
    start, end = _tables_section(lines)
    blocks: list[list[str]] = []
    for line in lines[start:end]:
        if re.match(r"^2019 年度.*表（表 \d）", line):
            blocks.append([])
        blocks[-1].append(re.sub(r"（表 \d）", "", line))
    return lines[:start] + [line for block in reversed(blocks) for line in block] + lines[end:]


def split_codes(lines: list[str]) -> list[str]:
    start, end = _tables_section(lines)

    def split(match: re.Match[str]) -> str:
        code = match.group(1)
        return " ".join([code[:3], *re.findall(r"\d\d", code[3:])])

    body = [re.sub(r"(?<![\d.])(\d{5}|\d{7})(?=\s|$)", split, line) for line in lines[start:end]]
    return lines[:start] + body + lines[end:]


def stray_spaces(lines: list[str]) -> list[str]:
    start, end = _tables_section(lines)
    body = [
        line.replace("一般公共服务支出", "一般公共 服务支出").replace(
            "工业和信息产业监管", "工业和信息 产业监管"
        )
        for line in lines[start:end]
    ]
    return lines[:start] + body + lines[end:]


def page_break_inside_tables(lines: list[str]) -> list[str]:
    at = next(i for i, line in enumerate(lines) if line.startswith("14 十四、资源勘探信息等支出"))
    out = [
        *lines[: at + 1],
        "",
        "- 3 -",
        "2019 年度收入支出决算总表（续）",
        "项 目 行次 决算数 项 目 行次 决算数",
        "栏次 1 栏次 2",
        "",
    ]
    out += lines[at + 1 :]
    at = next(i for i, line in enumerate(out) if line.startswith("20105 统计信息事务 12.15 12.15"))
    return [*out[: at + 1], "", "第 5 页", "", "类 款 项", "栏次 1 2 3 4 5 6 7", *out[at + 1 :]]


def tables_run_together(lines: list[str]) -> list[str]:
    at = next(i for i, line in enumerate(lines) if line.startswith("1 栏各行＝（2＋3）栏各行。"))
    title = next(i for i in range(at + 1, len(lines)) if lines[i].strip())
    joined = lines[at] + lines[title]
    return [*lines[:at], joined, *lines[title + 1 :]]


FLOW_CASES: dict[str, Rewrite] = {
    "tables without numbers, in another order": unnumbered_and_reordered,
    "codes split into 类 款 项 parts": split_codes,
    "labels cut by a stray space": stray_spaces,
    "page breaks with repeated title, header and page numbers": page_break_inside_tables,
    "two tables run together on one line": tables_run_together,
}


@pytest.mark.parametrize("case", sorted(FLOW_CASES))
def test_flowed_variant_gives_the_same_facts(tmp_path: Path, case: str) -> None:
    lines = source_of(QIAOKOU).read_text(encoding="utf-8").split("\n")
    rewritten = FLOW_CASES[case](lines)
    assert rewritten != lines
    assert _ingest(tmp_path, rewritten) == _facts(QIAOKOU)


def test_thousands_separators(tmp_path: Path) -> None:
    lines = source_of(QIAOKOU).read_text(encoding="utf-8").split("\n")
    start, end = _tables_section(lines)

    def scaled(match: re.Match[str]) -> str:
        return f"{Decimal(match.group()) * 10:,.2f}"

    body = [re.sub(r"\d+\.\d{2}", scaled, line) for line in lines[start:end]]
    assert any("," in line for line in body)
    got = _ingest(tmp_path, lines[:start] + body + lines[end:])
    expected = Counter(
        {(t, r, c, f"{Decimal(v) * 10:.2f}"): n for (t, r, c, v), n in _facts(QIAOKOU).items()}
    )
    assert got == expected


def test_cells_codes_in_separate_class_columns(tmp_path: Path) -> None:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    rewritten = []
    for line in lines:
        match = re.fullmatch(r"\t(201)(37)(50)?", line)
        if match:
            rewritten += [f"\t{part}" for part in match.groups() if part]
        else:
            rewritten.append(line)
    assert rewritten != lines
    assert _ingest(tmp_path, rewritten) == _facts(HUANGPI)


def test_header_only_table_with_no_data_note(tmp_path: Path) -> None:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    start = next(
        i
        for i, line in enumerate(lines)
        if line == "\t合计" and "公开07表" in "".join(lines[max(0, i - 60) : i])
    )
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("\t注："))
    rewritten = [*lines[:start], "\t本表无数据", "", *lines[end:]]
    got = _ingest(tmp_path, rewritten)
    assert got == _facts(HUANGPI)


def test_three_public_with_budget_and_actual_alternating(tmp_path: Path) -> None:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line == "\t公开09表")
    header = next(i for i in range(start, len(lines)) if lines[i] == "\t预算数")
    values = next(i for i in range(header, len(lines)) if lines[i] == "\t0.13")
    cells = lines[values : values + 12]
    alternating = [cells[k] for pair in zip(range(6), range(6, 12), strict=True) for k in pair]
    new_header = [f"\t{label}" for label in THREE_PUBLIC_ITEMS] + [""]
    new_header += ["\t预算数", "\t决算数"] * 6 + [""]
    new_header += [f"\t{n}" for n in range(1, 13)] + [""]
    rewritten = [*lines[:header], *new_header, *alternating, *lines[values + 12 :]]
    assert _ingest(tmp_path, rewritten) == _facts(HUANGPI)


def test_state_capital_printed_as_an_income_and_expenditure_table(tmp_path: Path) -> None:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line == "\t公开08表")
    header = next(i for i in range(start, len(lines)) if lines[i] == "\t项目")
    note = next(i for i in range(header, len(lines)) if lines[i].startswith("\t注："))
    six = [
        "\t项目",
        "\t年初结转和结余",
        "\t本年收入",
        "\t本年支出",
        "\t年末结转和结余",
        "",
        "\t功能分类科目编码",
        "\t科目名称",
        "\t小计",
        "\t基本支出",
        "\t项目支出",
        "",
        "\t类",
        "\t款",
        "\t项",
        "\t栏次",
        *[f"\t{n}" for n in range(1, 7)],
        "",
        "\t",
        "\t",
        "\t",
        "\t合计",
        *["\t"] * 6,
        "",
        "\t201",
        "\t一般公共服务支出",
        "\t0.00",
        "\t",
        "\t",
        "\t",
        "\t",
        "\t0.00",
        "",
    ]
    package = tmp_path / "package"
    source = tmp_path / "variant.txt"
    source.write_text("\n".join([*lines[:header], *six, *lines[note:]]), encoding="utf-8")
    write_package(ingest(source), package)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "state-capital"]
    assert resource["juesuan"]["columns"] == [
        "opening",
        "income",
        "total",
        "basic",
        "project",
        "closing",
    ]
    assert _facts(package) - _facts(HUANGPI) == Counter(
        {
            ("state_capital", "201", "opening", "0.00"): 1,
            ("state_capital", "201", "closing", "0.00"): 1,
        }
    )
    assert not validate_package(package, with_frictionless=False).errors


def _labels(package: Path) -> dict[tuple[str, str], str]:
    return {(f.table, f.row): f.row_label for f in facts(package)}


def _replace_block(lines: list[str], old: list[str], new: list[str]) -> list[str]:
    for index in range(len(lines) - len(old) + 1):
        if lines[index : index + len(old)] == old:
            return [*lines[:index], *new, *lines[index + len(old) :]]
    raise AssertionError(f"block not found: {old}")


def test_wrapped_labels_are_given_back_to_their_rows(tmp_path: Path) -> None:
    lines = source_of(QIAOKOU).read_text(encoding="utf-8").split("\n")
    # 表2: the 款 label wrapped onto the line before its code and the line after.
    lines = _replace_block(
        lines,
        ["21208", "国有土地使用权出让收入及对应", "", "专项债务收入安排的支出", "599.90 599.90"],
        ["国有土地使用权出让收入及对应", "21208 599.90 599.90", "专项债务收入安排的支出"],
    )
    # 表6: a wrapped piece lands after the third panel's label on the same printed row.
    lines = _replace_block(
        lines,
        ["30110", "职工基本医疗保险", "", "缴费", "0.8130208 取暖费 31021 文物和陈列品购置"],
        ["30110 职工基本医疗保险 0.8130208 取暖费 31021 文物和陈列品购置", "缴费"],
    )
    source = tmp_path / "variant.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    package = write_package(ingest(source), tmp_path / "package")
    assert _facts(package) == _facts(QIAOKOU)
    assert _labels(package) == _labels(QIAOKOU)


def test_a_category_printed_with_its_name_of_another_year(tmp_path: Path) -> None:
    # 215 was 资源勘探信息等支出 until 2021: a 2021 document in the 2024 template.
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    renamed = [line.replace("资源勘探工业信息等支出", "资源勘探信息等支出") for line in lines]
    assert renamed != lines
    assert _ingest(tmp_path, renamed) == _facts(HUANGPI)


def test_the_edition_that_reads_the_document_is_taken(tmp_path: Path) -> None:
    # 2019 tables numbered the 2024 way: the numbers point at 2024, the rows at 2019.
    lines = source_of(QIAOKOU).read_text(encoding="utf-8").split("\n")
    renumbered = [re.sub(r"（表 (\d)）", lambda m: f"公开0{m.group(1)}表", line) for line in lines]
    assert renumbered != lines
    source = tmp_path / "renumbered.txt"
    source.write_text("\n".join(renumbered), encoding="utf-8")
    disclosure = ingest(source)
    assert disclosure.outline.edition.id == "2019"
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(QIAOKOU)


def test_dashes_in_blank_cells(tmp_path: Path) -> None:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("2024年度收入支出决算总表"))
    end = next(i for i, line in enumerate(lines) if line.startswith("第三部分"))
    dashed = [
        *lines[:start],
        *("\t—" if line == "\t" else line for line in lines[start:end]),
        *lines[end:],
    ]
    assert dashed != lines
    assert _ingest(tmp_path / "cells", dashed) == _facts(HUANGPI)
    flow = source_of(QIAOKOU).read_text(encoding="utf-8").split("\n")
    flow = [
        line.replace("三、上级补助收入 3 三、国防支出 30", "三、上级补助收入 3 - 三、国防支出 30 -")
        for line in flow
    ]
    assert _ingest(tmp_path / "flow", flow) == _facts(QIAOKOU)


def test_whole_numbers_in_value_cells(tmp_path: Path) -> None:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    whole = [{"\t14.00": "\t14", "\t40.00": "\t40"}.get(line, line) for line in lines]
    assert whole != lines
    assert _ingest(tmp_path, whole) == _facts(HUANGPI)


def _reprinted(row: Callable[[list[str]], list[str]]) -> list[str]:
    """Seed 000 with each printed table row (its cells) written out by ``row``."""
    from juesuan.ingest.grid import text_grids

    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("2024年度收入支出决算总表"))
    end = next(i for i, line in enumerate(lines) if line.startswith("第三部分"))
    grids = text_grids(lines[start:end])
    starts = {cells[0].line: [c.text for c in cells] for g in grids for cells in g.rows}
    inside = {n for g in grids for n in range(g.first_line, g.last_line + 1)}
    rows = []
    for number, text in enumerate(lines[start:end], start=1):
        if number in starts:
            rows += row(starts[number])
        elif number not in inside and text.strip():
            rows.append(text)
    return [*lines[:start], *rows, *lines[end:]]


def _read(tmp_path: Path, lines: list[str]) -> Disclosure:
    source = tmp_path / "reprinted.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    return ingest(source)


def test_tab_separated_rows_copied_from_a_web_page(tmp_path: Path) -> None:
    disclosure = _read(tmp_path, _reprinted(lambda cells: ["\t".join(cells)]))
    assert disclosure.layout == "rows"
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(HUANGPI)


def test_the_2024_seed_as_pdf_text_flow(tmp_path: Path) -> None:
    """Blank cells lost: the rules place every amount, and where they cannot (the
    三公 row's 0.13s could be 因公出国 or 公务接待), what the narrative states decides."""
    disclosure = _read(tmp_path, _reprinted(lambda cells: [" ".join(c for c in cells if c), ""]))
    assert disclosure.layout == "flow"
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(HUANGPI)
    (three_public,) = [i for i in disclosure.inferences if i.table == "three_public"]
    assert "narrative" in three_public.rules
