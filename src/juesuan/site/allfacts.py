"""Every amount of every disclosure in one table: ``facts.csv`` and ``facts.parquet``.

Each package's rows are its facts view (:func:`juesuan.package.facts.facts`,
what ``juesuan facts`` prints), in the same order, with the disclosure's unit,
region, year and edition in front and the row's code, source line and place in
the original after. ``value`` is the amount exactly as the package prints it (a
string: nothing is lost or rounded); ``amount`` is the same number as
``decimal(22,6)``, empty when the printed value is no amount with at most six
decimals (an amount printed in 元 to the fen has six decimals of 万元); the
CSV writes it with two decimals, or all it has. A blank cell of the CSV (a row
with no code, a text source's place) is null in the Parquet file, as DuckDB and pandas read the CSV.

Workers write one part per package; the main process joins the parts in
package order, so the files do not depend on which worker ran first.

The same rows are also written partitioned by year and region in Hive layout,
``facts/year=2024/region=<region>/part-0.parquet`` (the region percent-encoded,
as Hive, Spark, Trino and DuckDB read it; a blank one is
``__HIVE_DEFAULT_PARTITION__``), for engines that read only the partitions a
query names::

    SELECT year, region, sum(amount)
    FROM read_parquet('facts/**/*.parquet', hive_partitioning = true)
    WHERE year = 2024 GROUP BY ALL;

Spark reads the folder with ``spark.read.parquet("facts/")`` and Trino (Hive
connector) as an external table ``WITH (partitioned_by = ARRAY['year',
'region'])`` whose partition columns come last; the files themselves hold the
other columns only. Within each file the rows keep the package order.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.package.facts import facts
from juesuan.package.read import parse_amount
from juesuan.site.corpus import Disclosure
from juesuan.taxonomy.tolerance import PRINTED_DECIMALS, SHIFTS

_SCALE = PRINTED_DECIMALS - min(SHIFTS.values())
"""Decimals of 万元 an amount may have: 6, for one printed in 元 to the fen."""
_DIGITS = 16
"""Digits before the decimal point (below 10^16 万元)."""
AMOUNT_TYPE = f"decimal({_DIGITS + _SCALE},{_SCALE})"

COLUMNS = (
    ("package", "string", "数据包名称（单位目录-年度）"),
    ("unit", "string", "单位名称，按原文"),
    ("region", "string", "所属地区"),
    ("region_code", "string", "行政区划代码（6 位）"),
    ("year", "int32", "决算年度"),
    ("edition", "string", "表样版式（2024、2019…）"),
    ("table", "string", "表标识（summary、income…）"),
    ("table_title", "string", "表名，按原文"),
    ("row", "string", "行标识：科目编码、total 或模板行标识"),
    ("code", "string", "科目编码；非科目行为空"),
    ("row_label", "string", "行名称，按原文"),
    ("column", "string", "栏标识（total、basic…）"),
    ("column_label", "string", "栏名称"),
    ("value", "string", "金额，按数据包原样（文本）"),
    ("amount", AMOUNT_TYPE, f"金额（万元）；原样不是 {_SCALE} 位以内小数的数时为空"),
    ("source_line", "int32", "原文行号"),
    ("source_location", "string", "原件中的位置（PDF 页与行）；文本原文为空"),
)
"""(name, type in facts.parquet, meaning) of each column, in order."""
HEADER = tuple(name for name, _type, _meaning in COLUMNS)
PARTS = "facts"
"""Folder of the per-package parts in the build's staging area."""
_CENT = Decimal("0.01")
_LIMIT = Decimal(10) ** _DIGITS


def amount(value: str) -> Decimal | None:
    """The printed value as an AMOUNT_TYPE, or None when it is not exactly one.

    Written with two decimals, or as many as it has (up to six): 282.91, 123.456789.
    """
    number = parse_amount(value)
    if number is None or abs(number) >= _LIMIT:
        return None
    exponent = number.normalize().as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -_SCALE:
        return None
    return number.quantize(_CENT) if exponent >= -2 else number.normalize()


def rows(disclosure: Disclosure) -> Iterator[tuple[str, ...]]:
    """The disclosure's facts, one tuple per amount, columns as :data:`HEADER`."""
    by_row = {
        view.id: {row.get("row", ""): row for row in reversed(view.rows)}
        for view in disclosure.tables
    }
    meta = disclosure.meta
    front = (
        disclosure.name,
        disclosure.unit,
        disclosure.region,
        str(meta.get("region_code") or ""),
        str(disclosure.year),
        disclosure.edition.id,
    )
    for fact in facts(disclosure.folder):
        row = by_row.get(fact.table, {}).get(fact.row, {})
        line = row.get("source_line") or ""
        number = amount(fact.value)
        yield (
            *front,
            fact.table,
            fact.table_title,
            fact.row,
            row.get("code") or "",
            fact.row_label,
            fact.column,
            fact.column_label,
            fact.value,
            "" if number is None else f"{number:f}",
            line if line.isdigit() else "",
            disclosure.locations.get(int(line), "") if line.isdigit() else "",
        )


def part_path(staging: Path, disclosure: Disclosure) -> Path:
    """Where a worker writes the disclosure's part."""
    return staging / PARTS / disclosure.slug / f"{disclosure.year}.csv"


def write_part(disclosure: Disclosure, staging: Path) -> int:
    """Write the disclosure's part; the number of facts (-1 when its facts cannot be read)."""
    target = part_path(staging, disclosure)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        found = list(rows(disclosure))
    except (KeyError, TypeError, ValueError, OSError, csv.Error):
        # A descriptor the facts view cannot read: validation names the fault.
        found, count = [], -1
    else:
        count = len(found)
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(found)
    return count


def _parts(staging: Path, folders: Sequence[Path]) -> Iterator[list[str]]:
    for folder in folders:
        part = staging / PARTS / folder.parent.name / f"{folder.name}.csv"
        if part.exists():
            with part.open(encoding="utf-8", newline="") as handle:
                yield from csv.reader(handle)


def write_all(staging: Path, folders: Sequence[Path], out: Path, batch: int = 100_000) -> int:
    """Join the parts (in ``folders`` order) into ``out/facts.csv`` and ``out/facts.parquet``.

    Streams: a batch of rows at a time, one Parquet row group per batch. The
    number of facts written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            pa.field(
                name,
                {"int32": pa.int32(), AMOUNT_TYPE: pa.decimal128(_DIGITS + _SCALE, _SCALE)}.get(
                    kind, pa.string()
                ),
            )
            for name, kind, _meaning in COLUMNS
        ]
    )
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    with (
        (out / "facts.csv").open("w", encoding="utf-8", newline="") as handle,
        pq.ParquetWriter(out / "facts.parquet", schema, compression="zstd") as parquet,
    ):
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        pending: list[list[str]] = []

        def flush() -> None:
            columns: list[Sequence[str]] = (
                list(zip(*pending, strict=True)) if pending else [[] for _ in HEADER]
            )
            arrays = [
                _column(column, field.type) for field, column in zip(schema, columns, strict=True)
            ]
            parquet.write_table(pa.Table.from_arrays(arrays, schema=schema))
            pending.clear()

        for row in _parts(staging, folders):
            writer.writerow(row)
            pending.append(row)
            count += 1
            if len(pending) >= batch:
                flush()
        if pending or not count:
            flush()
    write_partitioned(out / "facts.parquet", out / PARTITIONED)
    return count


PARTITIONED = "facts"
"""Folder of the downloads holding facts.parquet partitioned by year and region."""
PARTITION_COLUMNS = ("year", "region")


def write_partitioned(source: Path, target: Path) -> None:
    """``source`` (facts.parquet) again under ``target`` in Hive layout, a batch at a time."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    table = pq.ParquetFile(source)
    schema = table.schema_arrow
    partitioning = ds.partitioning(
        pa.schema([schema.field(name) for name in PARTITION_COLUMNS]), flavor="hive"
    )
    ds.write_dataset(
        table.iter_batches(),
        target,
        schema=schema,
        format="parquet",
        partitioning=partitioning,
        basename_template="part-{i}.parquet",
        use_threads=False,  # the rows keep their order, the files their names
        max_partitions=1_000_000,
        max_open_files=256,
        file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
        existing_data_behavior="delete_matching",
    )


def _column(texts: Sequence[str], kind: Any) -> Any:
    """CSV cells as Parquet values of ``kind``, parsed by Arrow a column at a time.

    A blank is null, as DuckDB reads the CSV.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pa.array(texts, type=pa.string())
    column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
    return column if kind == pa.string() else column.cast(kind)
