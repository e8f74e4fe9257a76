"""downloads/facts/ holds facts.csv's rows, partitioned by year and region in Hive layout."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from juesuan.site.allfacts import (
    HEADER,
    PARTITION_COLUMNS,
    PARTITIONED,
    amount,
    write_partitioned,
)
from juesuan.site.build import BuildReport


def _as_text(query: str) -> Counter[tuple[str, ...]]:
    """Every row of the query, each column as text, a null as the empty string.

    The amount as facts.csv writes it: two decimals, or as many as it has.
    """
    columns = ", ".join(f"coalesce(CAST(\"{name}\" AS VARCHAR), '')" for name in HEADER)
    at = HEADER.index("amount")
    return Counter(
        (*row[:at], f"{amount(row[at])}" if row[at] else "", *row[at + 1 :])
        for row in duckdb.sql(f"SELECT {columns} FROM {query}").fetchall()
    )


def _hive(folder: Path) -> str:
    return f"read_parquet('{folder.as_posix()}/**/*.parquet', hive_partitioning = true)"


def test_duckdb_reads_back_exactly_the_rows_of_facts_csv(built_site: BuildReport) -> None:
    downloads = built_site.site / "downloads"
    with (downloads / "facts.csv").open(encoding="utf-8", newline="") as handle:
        expected = Counter(tuple(row) for row in list(csv.reader(handle))[1:])
    assert expected
    assert _as_text(_hive(downloads / PARTITIONED)) == expected


def test_each_partition_holds_only_its_year_and_region(built_site: BuildReport) -> None:
    folder = built_site.site / "downloads" / PARTITIONED
    files = sorted(folder.glob("year=*/region=*/part-0.parquet"))
    assert files and sorted(folder.rglob("*.parquet")) == files
    for file in files:
        year = int(file.parent.parent.name.removeprefix("year="))
        region = unquote(file.parent.name.removeprefix("region="))
        table = pq.read_table(file)
        assert not set(PARTITION_COLUMNS) & set(table.column_names)  # they are the folders
        whole = pq.read_table(built_site.site / "downloads" / "facts.parquet")
        mask = [
            y == year and r == region
            for y, r in zip(
                whole.column("year").to_pylist(), whole.column("region").to_pylist(), strict=True
            )
        ]
        assert table.num_rows == sum(mask)


def test_blank_and_awkward_regions_survive_the_folder_names(tmp_path: Path) -> None:
    regions = ["武汉市 江岸区", "a/b=c%", None, "武汉市 江岸区"]
    source = tmp_path / "facts.parquet"
    pq.write_table(
        pa.table(
            {
                "year": pa.array([2024, 2019, 2024, 2024], pa.int32()),
                "region": regions,
                "value": ["1", "2", "3", "4"],
            }
        ),
        source,
    )
    write_partitioned(source, tmp_path / "facts")
    found = duckdb.sql(
        f"SELECT value, region, year FROM {_hive(tmp_path / 'facts')} ORDER BY value"
    ).fetchall()
    assert found == [
        ("1", "武汉市 江岸区", 2024),
        ("2", "a/b=c%", 2019),
        ("3", None, 2024),
        ("4", "武汉市 江岸区", 2024),
    ]
    # the rows of one partition keep their order
    (file,) = (tmp_path / "facts").glob("year=2024/region=%E6*/part-0.parquet")
    assert pq.read_table(file).column("value").to_pylist() == ["1", "4"]
