"""A table printed with no data: its title, perhaps its header, and a line saying so.

Shanghai's districts print 国有资本经营预算财政拨款收入支出决算表 this way when a
unit had no such money. The documents are the 2024 seed reprinted in their layout
(tests/test_province_layouts.py), that one table replaced by an empty form, as
text and as a ruled PDF.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from juesuan.errors import SourceError
from juesuan.ingest import ingest
from juesuan.ingest.report import report
from juesuan.package.facts import facts
from juesuan.package.write import write_package
from juesuan.taxonomy import empty
from juesuan.validation import validate_package
from tests.disclosure_files import ruled_pdf
from tests.seeds import HUANGPI, source_of
from tests.test_province_layouts import shanghai_reprint

TITLE = "国有资本经营预算财政拨款收入支出决算表"
NEXT = "财政拨款“三公”经费支出决算表"
HEADER = ["\t项目", "\t本年支出", "", "\t功能分类科目编码", "\t科目名称"]
HEADER += ["\t合计", "\t基本支出", "\t项目支出", ""]
FORMS = {
    "title-and-line": ("本表无数据", ["本表无数据"]),
    "title-and-cell": ("本表无数据", ["\t本表无数据", ""]),
    "header-and-bracketed-note": (
        "（注：本单位无此项收入和支出，故本表为空表）",
        [*HEADER, "\t（注：本单位无此项收入和支出，故本表为空表）", ""],
    ),
    "unit-has-none": (
        "本单位无国有资本经营预算财政拨款收入支出",
        ["本单位无国有资本经营预算财政拨款收入支出"],
    ),
}
"""Form → (the note as printed, the lines printed under the title and 单位：万元)."""


def reprint_with_empty(
    lines_under_title: list[str], title: str = TITLE, before: str = NEXT
) -> list[str]:
    """The Shanghai reprint of the seed, its table ``title`` (up to ``before``) printed as given."""
    lines = shanghai_reprint(source_of(HUANGPI).read_text(encoding="utf-8").split("\n"))
    start, end = lines.index(title), lines.index(before)
    return [*lines[:start], title, "单位：万元", *lines_under_title, *lines[end:]]


def _document(tmp_path: Path, form: str, kind: str) -> Path:
    text = tmp_path / f"{form}.txt"
    text.write_text("\n".join(reprint_with_empty(FORMS[form][1])), encoding="utf-8")
    return ruled_pdf(text, tmp_path / f"{form}.pdf") if kind == "pdf" else text


def _facts(package: Path) -> Counter[tuple[str, str, str, str]]:
    return Counter((f.table, f.row, f.column, f.value) for f in facts(package))


def _resource(package: Path, table: str) -> dict:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r.get("juesuan", {}).get("table") == table]
    return resource


@pytest.mark.parametrize("kind", ["text", "pdf"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_table_printed_empty_is_kept_with_its_note(tmp_path: Path, form: str, kind: str) -> None:
    note = FORMS[form][0]
    disclosure = ingest(_document(tmp_path, form, kind))
    assert disclosure.outline.missing == ()
    package = write_package(disclosure, tmp_path / "package")
    resource = _resource(package, "state_capital")
    assert resource["juesuan"]["empty"]["note"] == note
    line = resource["juesuan"]["empty"]["source_line"]
    assert line > resource["juesuan"]["title_line"]
    with (package / resource["path"]).open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["row", "code", "label"] and len(rows) == 1  # the header, no rows
    assert json.loads((package / "data" / "state_capital.json").read_text("utf-8")) == []
    with (package / "notes.csv").open(encoding="utf-8") as handle:
        notes = [(r["table"], r["text"]) for r in csv.DictReader(handle)]
    assert ("state_capital", note) in notes
    # Every other table as the seed prints it (its 国有资本经营 table has no amount either).
    assert _facts(package) == _facts(HUANGPI)
    report = validate_package(package)
    assert not report.errors, [f.message for f in report.errors]
    assert not [f for f in report.findings if f.rule.startswith(("table/", "package/"))]


def test_the_government_fund_table_printed_empty(tmp_path: Path) -> None:
    note = "本单位无政府性基金预算财政拨款收入支出"
    text = tmp_path / "gov-fund.txt"
    lines = reprint_with_empty([note], "政府性基金预算财政拨款收入支出决算表", TITLE)
    text.write_text("\n".join(lines), encoding="utf-8")
    package = write_package(ingest(text), tmp_path / "package")
    assert _resource(package, "gov_fund")["juesuan"]["empty"]["note"] == note
    assert "empty" not in _resource(package, "state_capital")["juesuan"]  # it prints its 合计
    assert _facts(package) == _facts(HUANGPI)
    assert not validate_package(package).errors


def test_the_ingest_summary_says_the_table_is_printed_empty(tmp_path: Path) -> None:
    source = _document(tmp_path, "header-and-bracketed-note", "pdf")
    disclosure = ingest(source)
    (line,) = [x for x in report(disclosure, source, tmp_path) if "国有资本经营" in x]
    assert "0 rows, 0 amounts, printed with no data: （注：本单位无此项收入和支出" in line
    assert re.search(r"\(line \d+, page \d+, line \d+\)$", line), line  # where it is printed


def test_an_empty_table_counts_as_zero_where_a_rule_reads_it(tmp_path: Path) -> None:
    package = write_package(
        ingest(_document(tmp_path, "title-and-line", "text")), tmp_path / "package"
    )
    path = package / "data" / "fiscal_summary.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    (total,) = [r for r in rows if r["row"] == "expenditure_total"]
    total["state_capital"] = "5.00"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    errors = validate_package(package).errors
    (finding,) = [f for f in errors if f.rule == "fiscal-summary-state-capital-total"]
    assert (finding.found, finding.expected, finding.difference) == ("5.00", "0", "5.00")


def test_an_empty_table_that_holds_rows_is_an_error(tmp_path: Path) -> None:
    package = write_package(
        ingest(_document(tmp_path, "title-and-line", "text")), tmp_path / "package"
    )
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource.get("juesuan", {}).get("table") == "summary":
            resource["juesuan"]["empty"] = {"note": "本表无数据", "source_line": 40}
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    (finding,) = [f for f in validate_package(package).errors if f.rule.startswith("table/")]
    assert (finding.rule, finding.table) == ("table/empty-with-rows", "summary")
    assert "本表无数据" in finding.message_zh


def test_a_wording_not_declared_is_refused_naming_the_list(tmp_path: Path) -> None:
    text = tmp_path / "undeclared.txt"
    text.write_text("\n".join(reprint_with_empty(["（本年度零发生）"])), encoding="utf-8")
    with pytest.raises(SourceError, match="no note saying it is empty") as caught:
        ingest(text)
    assert empty.EMPTY_FILE.name in str(caught.value)


def test_a_new_wording_is_a_line_of_the_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    declared = tmp_path / "empty_tables.yaml"
    listed = empty.EMPTY_FILE.read_text(encoding="utf-8")
    declared.write_text(listed + "  - 零发生\n", encoding="utf-8")
    monkeypatch.setattr(empty, "EMPTY_FILE", declared)
    empty._patterns.cache_clear()
    try:
        text = tmp_path / "declared.txt"
        text.write_text("\n".join(reprint_with_empty(["\t注：本年度零发生", ""])), encoding="utf-8")
        package = write_package(ingest(text), tmp_path / "package")
        assert _resource(package, "state_capital")["juesuan"]["empty"]["note"] == "注：本年度零发生"
    finally:
        empty._patterns.cache_clear()


@pytest.mark.parametrize(
    ("note", "says"),
    [
        ("注：本表无数据。", True),
        ("本部门 2019 年度无一般公共预算财政拨款“三公”经费支出。", True),
        ("本单位当年无政府性基金预算财政拨款收入支出。", True),
        ("注:本单位无政府性基金收支，故本表为空。", True),
        ("注：本表反映部门本年度国有资本经营预算财政拨款支出情况。", False),
        ("注：本表金额单位为万元，无特别说明的均为决算数。", False),
    ],
)
def test_which_notes_say_a_table_is_empty(note: str, says: bool) -> None:
    assert empty.says_empty(note) is says
