"""Tables recognised by what their titles mean, not by one wording.

A province prints the national tables under titles of its own; a reprint of
the seed under such titles must give the seed's facts, and a title that could
mean two tables, or names a table no edition has, must not be taken for one.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from juesuan.errors import SourceError
from juesuan.ingest import ingest
from juesuan.ingest.report import report
from juesuan.package.facts import facts
from juesuan.package.write import write_package
from juesuan.taxonomy import edition_in_force, variants
from juesuan.taxonomy.titles import table_meaning_clashes, table_meant, title_meaning
from juesuan.validation import validate_package
from tests.disclosure_files import ruled_pdf
from tests.seeds import HUANGPI, source_of


@pytest.mark.parametrize("edition", variants(), ids=lambda e: e.key)
def test_every_table_title_of_every_edition_has_a_meaning_of_its_own(edition) -> None:
    assert table_meaning_clashes(edition) == []


@pytest.mark.parametrize(
    ("printed", "table"),
    [
        ("部门收支决算总表", "summary"),
        ("2024年度部门收入决算表", "income"),
        ("部门支出决算表", "expenditure"),
        ("财政拨款收支决算总表", "fiscal_summary"),
        ("一般公共预算财政拨款支出决算明细表", "general_budget_expenditure"),
        ("一般公共预算支出决算表", "general_budget_expenditure"),
        ("一般公共预算财政拨款基本支出决算表", "basic_expenditure"),
        ('一般公共预算财政拨款"三公"经费支出决算表', "three_public"),
        ("政府性基金预算财政拨款支出决算表", "gov_fund"),
        ("国有资本经营预算财政拨款收入支出决算表", "state_capital"),
        # Could be the 一般公共预算 or the 国有资本经营 table: neither.
        ("财政拨款支出决算表", None),
        # Tables the edition does not have are not taken for one it has.
        ("一般公共预算财政拨款项目支出决算表", None),
        ("三公经费支出表", None),
        ("机关运行经费支出决算表", None),
        # The budget's tables (部门预算) are not the accounts'.
        ("部门收支总表", None),
        ("一般公共预算支出表", None),
        # A part heading is no table.
        ("2024年度部门决算表", None),
    ],
)
def test_a_printed_title_is_read_by_its_meaning(printed: str, table: str | None) -> None:
    edition = edition_in_force(2024)
    meaning = title_meaning(printed)
    found = table_meant(edition, meaning) if meaning else None
    assert (found.id if found else None) == table


# Titles as other provinces word them, each with a way of printing the year,
# number or unit around it that the edition does not use.
_REWORDED = {
    "2024年度收入支出决算总表": "武汉市黄陂区大数据中心（本级）2024年度部门收支决算总表",
    "2024年度收入决算表": "部门收入决算表（2024年度）",
    "2024年度支出决算表": "2024年度部门支出决算表",
    "2024年度一般公共预算财政拨款支出决算表": "2024年度一般公共预算财政拨款支出决算明细表",
    "2024年度政府性基金预算财政拨款收入支出决算表": "2024年度政府性基金预算财政拨款支出决算表",
    "2024年度国有资本经营预算财政拨款支出决算表": "2024年国有资本经营预算财政拨款收入支出决算表",
}


def _reworded(tmp_path: Path, changes: dict[str, str]) -> Path:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    missing = set(changes) - set(lines)
    assert not missing, f"the seed no longer prints {missing}"
    source = tmp_path / "reworded.txt"
    source.write_text("\n".join(changes.get(line, line) for line in lines), encoding="utf-8")
    return source


def _facts(package: Path) -> Counter[tuple[str, str, str, str]]:
    return Counter((f.table, f.row, f.column, f.value) for f in facts(package))


def test_a_reprint_under_other_titles_gives_the_seed_facts(tmp_path: Path) -> None:
    disclosure = ingest(_reworded(tmp_path, _REWORDED))
    # One title is worded as an overlay prints it; the rest of the document is not.
    assert disclosure.outline.edition.key == "2024"
    assert [span.table.id for span in disclosure.outline.tables] == [
        span.table.id for span in ingest(source_of(HUANGPI)).outline.tables
    ]
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(HUANGPI)
    # The summary says which printed title was read as which table.
    text = "\n".join(report(disclosure, tmp_path / "reworded.txt", tmp_path / "package"))
    assert "收入支出决算总表 (printed '2024年度部门收支决算总表')" in text


def test_a_reprint_under_other_titles_as_a_ruled_pdf(tmp_path: Path) -> None:
    pdf = ruled_pdf(_reworded(tmp_path, _REWORDED), tmp_path / "reworded.pdf")
    assert _facts(write_package(ingest(pdf), tmp_path / "package")) == _facts(HUANGPI)


def test_a_title_that_could_mean_two_tables_is_refused_by_line(tmp_path: Path) -> None:
    source = _reworded(
        tmp_path, {"2024年度一般公共预算财政拨款支出决算表": "2024年度财政拨款支出决算表"}
    )
    with pytest.raises(SourceError) as refused:
        ingest(source)
    assert "财政拨款支出决算表" in str(refused.value)
    message = str(refused.value)
    assert "it could mean 公开05表 一般公共预算财政拨款支出决算表 or " in message
    assert " or 公开08表 国有资本经营预算财政拨款支出决算表" in message
    lines = source.read_text(encoding="utf-8").split("\n")
    assert refused.value.line == lines.index("2024年度财政拨款支出决算表") + 1


# A table the template does not ask for, printed between two of its own, with
# amounts of its own (cells layout: one cell per line, rows apart).
_EXTRA_TABLE = [
    "2024年度一般公共预算财政拨款项目支出决算表",
    "\t单位：万元",
    "",
    "\t项目名称",
    "\t金额",
    "",
    "\t数据中心运维项目",
    "\t98.76",
    "",
    "\t合计",
    "\t98.76",
    "",
]


def _with_extra_table(tmp_path: Path) -> Path:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    at = lines.index("2024年度一般公共预算财政拨款基本支出决算明细表")
    source = tmp_path / "extra.txt"
    source.write_text("\n".join([*lines[:at], *_EXTRA_TABLE, *lines[at:]]), encoding="utf-8")
    return source


def test_a_table_the_edition_lacks_is_kept_as_printed(tmp_path: Path) -> None:
    source = _with_extra_table(tmp_path)
    disclosure = ingest(source)
    package = write_package(disclosure, tmp_path / "package")
    # The edition's tables are read as in the seed; the extra one is no facts of theirs.
    assert _facts(package) == _facts(HUANGPI)
    (extra,) = [p for p in disclosure.parts if p.key.startswith("extra_table_")]
    assert extra.heading == _EXTRA_TABLE[0]
    assert (package / "narrative" / f"{extra.key}.md").is_file()
    with (package / "narrative.csv").open(encoding="utf-8") as file:
        kept = [row["text"] for row in csv.DictReader(file) if row["part"] == extra.key]
    assert "数据中心运维项目" in kept and kept.count("98.76") == 2
    text = "\n".join(report(disclosure, source, package))
    assert f"{_EXTRA_TABLE[0]} (line " in text and "not a table of the 2024 edition" in text
    assert not validate_package(package).errors


def test_a_table_the_edition_lacks_in_a_ruled_pdf(tmp_path: Path) -> None:
    pdf = ruled_pdf(_with_extra_table(tmp_path), tmp_path / "extra.pdf")
    disclosure = ingest(pdf)
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(HUANGPI)
    assert any(p.key.startswith("extra_table_") for p in disclosure.parts)


# Titles broken over two lines, as a narrow page wraps them. The second half of
# the first is a title of no table; the second half of the second is another
# table's whole title (收入支出决算总表), which must not win.
_WRAPPED = {
    "2024年度一般公共预算财政拨款基本支出决算明细表": (
        "2024年度一般公共预算财政拨款\n基本支出决算明细表"
    ),
    "2024年度财政拨款收入支出决算总表": "2024年度财政拨款\n收入支出决算总表",
}


def test_a_title_wrapped_over_two_lines_is_one_title(tmp_path: Path) -> None:
    disclosure = ingest(_reworded(tmp_path, _WRAPPED))
    assert not disclosure.outline.missing
    assert not any(p.key.startswith("extra_table_") for p in disclosure.parts)
    titles = {span.table.id: span.title for span in disclosure.outline.tables}
    assert titles["basic_expenditure"] == "2024年度一般公共预算财政拨款基本支出决算明细表"
    assert titles["fiscal_summary"] == "2024年度财政拨款收入支出决算总表"
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(HUANGPI)


def test_a_title_wrapped_over_two_lines_in_a_ruled_pdf(tmp_path: Path) -> None:
    pdf = ruled_pdf(_reworded(tmp_path, _WRAPPED), tmp_path / "wrapped.pdf")
    disclosure = ingest(pdf)
    assert not disclosure.outline.missing
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(HUANGPI)


def _parts_reprinted(tmp_path: Path, marker: str) -> Path:
    """The seed with its 第N部分 headings printed as ``marker`` (N、 or nothing)."""
    text = re.sub(
        r"^\s*第([一二三四五])部分\s+",
        lambda m: marker.replace("N", m.group(1)),
        source_of(HUANGPI).read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    source = tmp_path / "parts.txt"
    source.write_text(text, encoding="utf-8")
    assert "部分  " not in text
    return source


@pytest.mark.parametrize("marker", ["N、", ""], ids=["numbered", "bare"])
def test_parts_headed_without_di_n_bufen(tmp_path: Path, marker: str) -> None:
    seed = ingest(source_of(HUANGPI))
    disclosure = ingest(_parts_reprinted(tmp_path, marker))
    assert [(e.number, e.term) for e in disclosure.glossary] == [
        (e.number, e.term) for e in seed.glossary
    ]
    after_tables = ["explanation", "key_work", "glossary"]
    assert [p.key for p in disclosure.parts if p.key in after_tables] == after_tables
    assert _facts(write_package(disclosure, tmp_path / "package")) == _facts(HUANGPI)


def test_the_explanation_heading_worded_qingkuang_de_shuoming(tmp_path: Path) -> None:
    heading = "第三部分  武汉市黄陂区大数据中心（本级）2024年度部门决算情况说明"
    source = _reworded(tmp_path, {heading: "第三部分  2024年度部门决算情况的说明"})
    (part,) = [p for p in ingest(source).parts if p.key == "explanation"]
    assert part.heading == "2024年度部门决算情况的说明"
