"""`juesuan validate`: bad packages give located errors, never a traceback; reports render."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from juesuan.cli import main
from juesuan.paths import SCHEMAS
from juesuan.validation import validate_package
from tests.seeds import HUANGPI, QIAOKOU, SEED_PACKAGES


def _copy(tmp_path: Path, package: Path = HUANGPI) -> Path:
    target = tmp_path / package.parent.name / package.name
    shutil.copytree(package, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def wrong_header(folder: Path) -> None:
    _edit(folder / "data/income.csv", "row,code,label,total", "row,code,label,sum")


def not_a_number(folder: Path) -> None:
    _edit(folder / "data/expenditure.csv", "167.56", "167,56x")


def duplicate_code(folder: Path) -> None:
    path = folder / "data/income.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[-1]]), encoding="utf-8")


def unknown_code(folder: Path) -> None:
    _edit(folder / "data/expenditure.csv", "2013750,2013750,事业运行", "2013799,2013799,事业运行")


def renamed_code(folder: Path) -> None:
    _edit(folder / "data/expenditure.csv", "20137,20137,网信事务", "20137,20137,网络信息事务")


def missing_resource(folder: Path) -> None:
    (folder / "data/gov_fund.csv").unlink()


def malformed_descriptor(folder: Path) -> None:
    _edit(folder / "datapackage.json", '"resources": [', '"resources": [[')


CASES: dict[str, tuple[Callable[[Path], None], str, str | None]] = {
    # breakage → (rule expected, file the finding points into)
    "wrong header": (wrong_header, "frictionless/incorrect-label", "data/income.csv"),
    "not a number": (not_a_number, "frictionless/type-error", "data/expenditure.csv"),
    "duplicate code": (duplicate_code, "frictionless/primary-key", "data/income.csv"),
    "unknown code": (unknown_code, "code/unknown", "source/"),
    "renamed code": (renamed_code, "code/name", "source/"),
    "missing resource": (missing_resource, "frictionless/scheme-error", None),
    "malformed datapackage.json": (malformed_descriptor, "package/unreadable", "datapackage.json"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_package_gives_a_located_error(tmp_path: Path, case: str) -> None:
    breakage, rule, file = CASES[case]
    folder = _copy(tmp_path)
    breakage(folder)
    report = validate_package(folder)
    matching = [f for f in report.errors if f.rule == rule]
    assert matching, [(f.rule, f.message) for f in report.errors]
    if file is not None:
        assert any(file in (f.file or "") for f in matching), [f.file for f in matching]
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert rule in result.output


def test_unknown_code_names_the_code_and_the_list(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    unknown_code(folder)
    (finding,) = [f for f in validate_package(folder).errors if f.rule == "code/unknown"]
    assert "2013799" in finding.message and "2024" in finding.message
    assert finding.line == 461  # the source line of 2013750 in 公开03表


def test_renamed_code_names_both_spellings(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    renamed_code(folder)
    (finding,) = [f for f in validate_package(folder).errors if f.rule == "code/name"]
    assert "网络信息事务" in finding.message_zh and "网信事务" in finding.message_zh


def test_changed_amount_is_an_error_beyond_tolerance(tmp_path: Path) -> None:
    folder = _copy(tmp_path, QIAOKOU)
    _edit(folder / "data/expenditure.csv", "791.79", "791.89")
    errors = validate_package(folder).errors
    hit = [f for f in errors if f.rule == "expenditure-by-kind" and f.row == "total"]
    assert hit and hit[0].difference == "-0.10" and hit[0].tolerance == "0.015"


def test_exit_status_and_formats(tmp_path: Path) -> None:
    # The two seed packages, copied: units added to datapackage/ change nothing here.
    root = tmp_path / "datapackage"
    for seed in SEED_PACKAGES:
        shutil.copytree(seed, root / seed.parent.name / seed.name)
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(root)]).exit_code == 0
    assert runner.invoke(main, ["validate", str(tmp_path / "nothing")]).exit_code == 2
    result = runner.invoke(main, ["validate", "--format", "json", str(root)])
    report = json.loads(result.output)
    schema = json.loads((SCHEMAS / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    assert report["errors"] == 0 and report["warnings"] == 3
    github = runner.invoke(main, ["validate", "--format", "github", str(root)])
    lines = github.output.splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"::warning file={root}/") for line in lines)
    assert ",line=934," in lines[0]
    markdown = runner.invoke(main, ["validate", "--format", "markdown", str(root)]).output
    assert "| 提示 | `basic-expenditure-hierarchy` |" in markdown


def test_the_narrative_checks_reach_most_statements(seed_package: Path) -> None:
    from juesuan.validation.loaded import load_package
    from juesuan.validation.narrative import matches

    found = {statement.id for statement, *_ in matches(load_package(seed_package))}
    assert len(found) >= 15, found
    assert {
        "narrative-grand-total",
        "narrative-basic-share",
        "narrative-personnel",
        "narrative-three-public-total" if "2024" in str(seed_package) else "narrative-gov-fund",
    } <= found


def test_a_narrative_number_the_tables_contradict_is_quoted(tmp_path: Path) -> None:
    folder = _copy(tmp_path, QIAOKOU)
    _edit(folder / "narrative.csv", "项目支出 791.79 万元", "项目支出 791.97 万元")
    found = [f for f in validate_package(folder).warnings if f.rule.startswith("narr")]
    assert {f.rule for f in found} == {"narrative-project-share"}
    (amount,) = [f for f in found if f.expected == "791.79"]
    assert amount.found == "791.97" and amount.line == 683
    assert "项目支出791.97万元" in amount.message_zh


def test_a_category_stated_in_the_narrative_is_checked_by_its_name(tmp_path: Path) -> None:
    folder = _copy(tmp_path, QIAOKOU)
    _edit(
        folder / "narrative.csv",
        "资源勘探信息等(类)支出 191.89 万元",
        "资源勘探信息等(类)支出 191.98 万元",
    )
    found = [f for f in validate_package(folder).warnings if f.rule == "narrative-class-structure"]
    amount = [f for f in found if f.expected == "191.89"]
    assert amount and amount[0].found == "191.98"
    assert (amount[0].table, amount[0].row, amount[0].column) == (
        "general_budget_expenditure",
        "215",
        "total",
    )


def test_chinese_messages_name_cells_by_their_printed_labels(tmp_path: Path) -> None:
    findings = validate_package(HUANGPI).findings
    by_rule = {f.rule: f for f in findings}
    total = by_rule["basic-expenditure-equals-general-budget-basic"].message_zh
    assert "《2024年度一般公共预算财政拨款基本支出决算明细表》（公开06表）" in total
    assert "“人员经费合计”行“决算数”栏为 167.57，应为 167.56" in total
    for finding in findings:
        ids = [p for p in (finding.table, finding.row, finding.column) if p and not p.isdigit()]
        assert not [p for p in ids if p in finding.message_zh], finding.message_zh
    folder = _copy(tmp_path)
    unknown_code(folder)
    _edit(folder / "data/income.csv", "282.91", "2x82.91")
    found = validate_package(folder).errors
    (code,) = [f for f in found if f.rule == "code/unknown"]
    assert code.message_zh.startswith("《2024年度支出决算表》（公开03表）“2013799 ")
    assert "其他年度的科目表也没有这个编码" in code.message_zh
    text = next(f for f in found if f.rule == "package/not-an-amount")
    assert "《2024年度收入决算表》（公开02表）“合计”行“本年收入合计”栏为“2x82.91”" in (
        text.message_zh
    )


def test_a_table_printed_without_a_number_is_named_by_its_title(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    descriptor = folder / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in data["resources"]:
        (resource.get("juesuan") or {}).pop("number", None)
    descriptor.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    findings = validate_package(folder).findings
    named = [f.message_zh for f in findings if f.rule == "basic-expenditure-hierarchy"]
    assert named and "《2024年度一般公共预算财政拨款基本支出决算明细表》“301" in named[0]
    assert not [f for f in findings if f.rule == "package/metadata"]
