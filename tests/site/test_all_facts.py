"""facts.csv and facts.parquet hold every package's facts view, with the documented types."""

from __future__ import annotations

import csv
import html
import json
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from juesuan.package.facts import facts
from juesuan.paths import CHECKOUT
from juesuan.site.allfacts import AMOUNT_TYPE, COLUMNS, HEADER, amount, write_all, write_part
from juesuan.site.build import BuildReport
from juesuan.site.corpus import load, package_folders
from juesuan.site.page_downloads import DUCKDB_EXAMPLE, PANDAS_EXAMPLE, downloads_page
from tests.seeds import FIXTURES, HUANGPI

VIEW = ("table", "table_title", "row", "row_label", "column", "column_label", "value")
"""The facts view's columns (juesuan facts)."""


def _expected() -> Counter[tuple[str, ...]]:
    """(package, the facts view's columns…) of every fact of every package."""
    found: Counter[tuple[str, ...]] = Counter()
    for folder in package_folders(FIXTURES):
        name = load(folder).name
        found.update((name, *(getattr(f, c) for c in VIEW)) for f in facts(folder))
    return found


def _downloads(built_site: BuildReport) -> Path:
    return built_site.site / "downloads"


def test_facts_csv_holds_exactly_every_package_facts_view(built_site: BuildReport) -> None:
    with (_downloads(built_site) / "facts.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == HEADER
    assert Counter(tuple(r[c] for c in ("package", *VIEW)) for r in rows) == _expected()
    huangpi = [r for r in rows if r["unit"] == "武汉市黄陂区大数据中心（本级）"]
    assert {(r["region"], r["region_code"], r["year"], r["edition"]) for r in huangpi} == {
        ("武汉市黄陂区", "420116", "2024", "2024")
    }
    row = next(r for r in huangpi if r["table"] == "income" and r["row"] == "2013750")
    assert (row["code"], row["source_line"], row["source_location"]) == ("2013750", "365", "")


def _csv_amount(value: object) -> str:
    """A Parquet amount (six decimals) as facts.csv writes it: two decimals, or all it has."""
    return f"{amount(str(value))}"


def test_facts_parquet_holds_the_same_rows_with_the_documented_types(
    built_site: BuildReport,
) -> None:
    table = pq.read_table(_downloads(built_site) / "facts.parquet")
    types = {"int32": pa.int32(), AMOUNT_TYPE: pa.decimal128(22, 6), "string": pa.string()}
    assert [(f.name, f.type) for f in table.schema] == [
        (name, types[kind]) for name, kind, _meaning in COLUMNS
    ]
    rows = table.to_pylist()
    # A blank is null in Parquet (the three_public row prints no label).
    view = Counter(tuple(r[c] or "" for c in ("package", *VIEW)) for r in rows)
    assert view == _expected()
    assert any(r["row_label"] is None for r in rows)
    for r in rows:
        assert r["amount"] == amount(r["value"])
        assert isinstance(r["year"], int)
        assert r["code"] is None or r["code"] == r["row"]
    with (_downloads(built_site) / "facts.csv").open(encoding="utf-8", newline="") as handle:
        written = [
            tuple(None if v == "" else v for v in row) for row in list(csv.reader(handle))[1:]
        ]
    as_text = [
        tuple(
            None if r[c] is None else _csv_amount(r[c]) if c == "amount" else f"{r[c]}"
            for c in HEADER
        )
        for r in rows
    ]  # the same rows, in the same order, in both files (amounts as the CSV writes them)
    assert as_text == written


def test_duckdb_reads_both_files_with_the_documented_types(
    built_site: BuildReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_downloads(built_site))
    described = duckdb.sql("DESCRIBE SELECT * FROM 'facts.parquet'").fetchall()
    types = {row[0]: row[1] for row in described}
    assert types["value"] == "VARCHAR" and types["amount"] == "DECIMAL(22,6)"
    assert types["year"] == "INTEGER" and types["source_line"] == "INTEGER"
    count = duckdb.sql("SELECT count(*) FROM read_csv('facts.csv', all_varchar = true)").fetchall()
    assert count == [(sum(_expected().values()),)]


def test_the_duckdb_example_on_the_page_runs_and_gives_each_expenditure_total(
    built_site: BuildReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (_downloads(built_site) / "index.html").read_text(encoding="utf-8")
    assert html.escape(DUCKDB_EXAMPLE) in page
    assert html.escape(PANDAS_EXAMPLE) in page
    monkeypatch.chdir(_downloads(built_site))
    result = duckdb.sql(DUCKDB_EXAMPLE).fetchall()
    expected = sorted(
        (load(folder).unit, load(folder).year, Decimal(f.value))
        for folder in package_folders(FIXTURES)
        for f in facts(folder)
        if (f.table, f.row, f.column) == ("expenditure", "total", "total")
    )
    assert result == expected and len(result) == 2


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("282.91", Decimal("282.91")),
        ("0.00", Decimal("0.00")),
        ("-0.5", Decimal("-0.50")),
        ("12", Decimal("12.00")),
        ("1,234.50", Decimal("1234.50")),
        ("1.234", Decimal("1.234")),
        ("123.456789", Decimal("123.456789")),  # 1,234,567.89 元
        ("1.2345678", None),
        ("abc", None),
        ("NaN", None),
        ("1e20", None),
    ],
)
def test_amount_is_the_printed_value_when_it_fits_six_decimals(
    printed: str, expected: Decimal | None
) -> None:
    assert amount(printed) == expected


def test_the_readme_documents_every_column() -> None:
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The site") :].split("\n## ", 1)[0]
    for name, _kind, _meaning in COLUMNS:
        assert f"`{name}`" in section, name


def test_a_package_whose_facts_cannot_be_read_is_named_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / HUANGPI.parent.name / HUANGPI.name
    shutil.copytree(HUANGPI, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["resources"][0]["title"]  # the facts view needs every table's title
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    d = load(folder)
    assert write_part(d, tmp_path / "staging") == -1
    assert write_all(tmp_path / "staging", [folder], tmp_path / "out") == 0
    assert pq.read_table(tmp_path / "out" / "facts.parquet").num_rows == 0
    page = "".join(str(b) for b in downloads_page(0, 1, (d.name,)).blocks)
    assert f"未收入其中：{d.name}" in page
