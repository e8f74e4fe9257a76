"""Both seed documents become complete, correctly placed, reproducible packages."""

from __future__ import annotations

import csv
import filecmp
import io
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from juesuan.cli import main
from juesuan.ingest.pipeline import ingest
from juesuan.package.facts import HEADER, facts, write_facts
from juesuan.validation import validate_package
from tests.seeds import HUANGPI, QIAOKOU, source_of

AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2}")


def printed_amounts(source: Path) -> Counter[str]:
    """Every amount printed between 第二部分 and 第三部分, read independently of ingest."""
    lines = source.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "第二部分" in line)
    end = next(i for i, line in enumerate(lines) if "第三部分" in line)
    found = Counter()
    for line in lines[start:end]:
        for amount in AMOUNT.findall(line):
            found[f"{float(amount.replace(',', '')):.2f}"] += 1
    return found


def test_nothing_lost_nothing_invented(seed_package: Path) -> None:
    values = Counter(fact.value for fact in facts(seed_package))
    assert values == printed_amounts(source_of(seed_package))
    assert sum(values.values()) > 50


def test_facts_view_header_and_rows() -> None:
    out = io.StringIO()
    count = write_facts(HUANGPI, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert (
        tuple(rows[0])
        == HEADER
        == ("table", "table_title", "row", "row_label", "column", "column_label", "value")
    )
    assert count == len(rows) - 1 == 71
    assert [
        "expenditure",
        "2024年度支出决算表",
        "total",
        "合计",
        "basic",
        "基本支出",
        "167.56",
    ] in rows
    assert [
        "basic_expenditure",
        "2024年度一般公共预算财政拨款基本支出决算明细表",
        "30217",
        "公务接待费",
        "amount",
        "决算数",
        "0.13",
    ] in rows


def test_facts_command_prints_the_same() -> None:
    result = CliRunner().invoke(main, ["facts", str(QIAOKOU)])
    assert result.exit_code == 0
    out = io.StringIO()
    write_facts(QIAOKOU, out)
    assert result.output == out.getvalue()


def _fact(package: Path, table: str, row: str) -> dict[str, str]:
    return {f.column: f.value for f in facts(package) if f.table == table and f.row == row}


def test_flowed_amounts_land_in_the_right_columns() -> None:
    # 政府性基金 599.90 is 本年收入 and 项目支出, not 年初结转 or 基本支出.
    assert _fact(QIAOKOU, "gov_fund", "total") == {
        "income": "599.90",
        "expenditure_total": "599.90",
        "project": "599.90",
    }
    assert _fact(QIAOKOU, "gov_fund", "2120803") == _fact(QIAOKOU, "gov_fund", "total")
    # 201 一般公共服务支出 is 基本支出; 212 and 215 are 项目支出.
    assert _fact(QIAOKOU, "expenditure", "201") == {"total": "12.15", "basic": "12.15"}
    assert _fact(QIAOKOU, "expenditure", "212") == {"total": "599.90", "project": "599.90"}
    assert _fact(QIAOKOU, "expenditure", "total") == {
        "total": "803.94",
        "basic": "12.15",
        "project": "791.79",
    }
    assert _fact(QIAOKOU, "income", "total") == {
        "total": "803.94",
        "fiscal_appropriation": "803.94",
    }
    assert _fact(QIAOKOU, "fiscal_summary", "212") == {
        "expenditure_total": "599.90",
        "gov_fund": "599.90",
    }
    assert _fact(QIAOKOU, "general_budget_expenditure", "215") == {
        "total": "191.89",
        "project": "191.89",
    }
    # A printed 0.00 stays a reported zero.
    assert _fact(QIAOKOU, "basic_expenditure", "public_total") == {"amount": "0.00"}


def test_cells_layout_keeps_positions() -> None:
    assert _fact(HUANGPI, "three_public", "total") == {
        "budget_total": "0.13",
        "budget_reception": "0.13",
        "actual_total": "0.13",
        "actual_reception": "0.13",
    }
    assert _fact(HUANGPI, "fiscal_summary", "201") == {
        "expenditure_total": "282.91",
        "general_budget": "282.91",
    }
    # Blank cells are absent from the facts, not zeros.
    assert _fact(HUANGPI, "basic_expenditure", "30201") == {}


def test_every_table_arithmetic_holds_within_tolerance(seed_package: Path) -> None:
    report = validate_package(seed_package, with_frictionless=False)
    assert report.errors == []
    assert report.covered == report.amounts


def test_known_rounding_gaps_are_warnings() -> None:
    report = validate_package(HUANGPI, with_frictionless=False)
    gaps = {(f.rule, f.row, f.found, f.expected) for f in report.warnings}
    assert ("basic-expenditure-hierarchy", "301", "161.22", "161.21") in gaps
    assert (
        "basic-expenditure-equals-general-budget-basic",
        "personnel_total",
        "167.57",
        "167.56",
    ) in gaps
    assert ("narrative-basic-expenditure", "total", "167.57", "167.56") in gaps
    assert validate_package(QIAOKOU, with_frictionless=False).findings == []


def test_glossary_terms_and_sub_items() -> None:
    huangpi = ingest(source_of(HUANGPI)).glossary
    qiaokou = ingest(source_of(QIAOKOU)).glossary
    assert len([e for e in huangpi if e.parent is None]) == 18
    assert len([e for e in qiaokou if e.parent is None]) == 7
    sub_items = [e for e in qiaokou if e.parent is not None]
    assert [e.number for e in sub_items] == ["1", "2", "3"]
    assert all(qiaokou[e.parent - 1].number == "三" for e in sub_items)
    terms = {e.number: e.term for e in huangpi if e.parent is None}
    assert terms["十六"] == "“三公”经费"
    (sub_item,) = [e for e in huangpi if e.parent == 10]
    assert sub_item.term == "一般公共服务(类)网信事务(款)事业运行(项)"
    assert sub_item.definition.startswith("反映事业单位的基本支出") == [
        "1.一般公共服务(类)网信事务(款)事业运行(项)。反映事业单位的基本支出，不包括行政单位"
        "（包括实行公务员管理的事业单位）后勤服务中心、医务室等附属事业单位"[2:]
    ][:0] or [e.term for e in huangpi if e.parent == 10]
    assert huangpi[-1].term == "其他专用名词"


def test_metadata() -> None:
    disclosure = ingest(source_of(HUANGPI))
    assert (disclosure.unit, disclosure.year, disclosure.region) == (
        "武汉市黄陂区大数据中心（本级）",
        2024,
        "武汉市黄陂区",
    )
    assert disclosure.outline.edition.id == "2024"
    assert ingest(source_of(QIAOKOU)).outline.edition.id == "2019"


def test_reingest_changes_no_byte(tmp_path: Path, seed_package: Path) -> None:
    """The command a contributor runs, on a copy of the unit, rewrites the same bytes."""
    unit = tmp_path / seed_package.parent.name
    shutil.copytree(seed_package.parent, unit)
    source = unit / seed_package.name / "source" / source_of(seed_package).name
    result = CliRunner().invoke(main, ["ingest", str(source), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert _differences(filecmp.dircmp(seed_package, unit / seed_package.name)) == []


def _differences(comparison: filecmp.dircmp) -> list[str]:
    found = comparison.left_only + comparison.right_only + comparison.diff_files
    _, mismatch, errors = filecmp.cmpfiles(
        comparison.left, comparison.right, comparison.common_files, shallow=False
    )
    found += mismatch + errors
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found


def test_plain_frictionless_validate_passes(seed_package: Path) -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "frictionless"),
            "validate",
            str(seed_package / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]


def test_generated_schemas_are_fresh() -> None:
    result = CliRunner().invoke(main, ["schemas", "--check"])
    assert result.exit_code == 0, result.output


def test_nothing_outside_the_tables_is_lost(seed_package: Path) -> None:
    """Every line of 概况, 情况说明, 重点工作 and 名词解释 is in narrative.csv."""
    source = source_of(seed_package)
    lines = source.read_text(encoding="utf-8").split("\n")
    outline = ingest(source).outline
    first, last = outline.tables_range
    with (seed_package / "narrative.csv").open(encoding="utf-8", newline="") as handle:
        kept = "".join(re.sub(r"\s+", "", row["text"]) for row in csv.DictReader(handle))
    for number, line in enumerate(lines, start=1):
        if first <= number <= last or not line.strip():
            continue
        assert re.sub(r"\s+", "", line) in kept, (number, line)
