"""``juesuan template``: a blank package to type a printed disclosure into by hand."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from juesuan.cli import main
from juesuan.package import write as package_module
from juesuan.package.facts import facts
from juesuan.package.read import read_descriptor
from juesuan.repository.template import template as write_blank
from juesuan.taxonomy import editions
from juesuan.taxonomy.schemas import table_schema
from juesuan.validation import validate_package
from tests.seeds import HUANGPI

SLUG = "wuhan-huangpi-dashujuzhongxin-benji"
NAME = "武汉市黄陂区大数据中心（本级）"


def template(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["template", *args, "--out", str(root)])


def write_template(root: Path, year: str = "2024", edition: str = "2024") -> Path:
    result = template(root, SLUG, year, "--edition", edition, "--name", NAME)
    assert result.exit_code == 0, result.output
    return root / SLUG / year


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def type_seed_amounts(folder: Path, seed: Path) -> None:
    """Type the seed's amounts into the template, as a volunteer would from its paper."""
    edition = editions()[read_descriptor(seed)["juesuan"]["edition"]]
    for csv_file in sorted((seed / "data").glob("*.csv")):
        table = edition.tables[csv_file.stem]
        columns = [c.id for c in table.columns]
        header, rows = read_csv(folder / "data" / csv_file.name)
        by_id = {row["row"]: row for row in rows}
        for printed in read_csv(csv_file)[1]:
            row = by_id.get(printed["row"])
            if row is None:
                # A code row of a classified table: typed below the 合计 row.
                row = {name: printed.get(name, "") for name in header if name not in columns}
                row["source_line"] = ""
                rows.append(row)
                by_id[row["row"]] = row
            row.update({c: printed[c] for c in columns})
        write_csv(folder / "data" / csv_file.name, header, rows)


@pytest.mark.parametrize("edition_id", sorted(editions()))
def test_each_edition_template_is_a_valid_blank_package(tmp_path: Path, edition_id: str) -> None:
    folder = write_template(tmp_path, edition_id, edition_id)
    report = validate_package(folder)
    assert report.errors == [], report.errors
    assert report.amounts == 0

    descriptor = read_descriptor(folder)
    meta = descriptor["juesuan"]
    assert meta["hand_edited"] is True
    assert (meta["edition"], meta["year"]) == (edition_id, int(edition_id))
    assert (meta["unit"], meta["region"]) == (NAME, "武汉市黄陂区")
    assert "source" not in meta and "sources" not in descriptor
    assert not (folder / "source").exists()
    edition = editions()[edition_id]
    tables = [r["juesuan"]["table"] for r in descriptor["resources"] if "juesuan" in r]
    assert tables == list(edition.table_order)
    for table_id in edition.table_order:
        table = edition.tables[table_id]
        header, rows = read_csv(folder / "data" / f"{table_id}.csv")
        assert header == [f["name"] for f in table_schema(table)["fields"]]
        assert all(not row[c.id] and not row["source_line"] for row in rows for c in table.columns)
        if table.layout == "classified":
            assert [(r["row"], r["label"]) for r in rows] == [("total", "合计")]
        else:
            assert [r["row"] for r in rows] == [r.id for r in table.rows]
            assert [r["label"] for r in rows] == [r.label for r in table.rows]
        records = json.loads((folder / "data" / f"{table_id}.json").read_text(encoding="utf-8"))
        assert [r["row"] for r in records] == [r["row"] for r in rows]
    for name in ("glossary.csv", "notes.csv", "narrative.csv"):
        assert len(read_csv(folder / name)[1]) == 0
    assert read_csv(folder / "codelists" / "function.csv")[1]


def test_typing_the_seed_amounts_gives_the_seed_facts(tmp_path: Path) -> None:
    folder = write_template(tmp_path)
    type_seed_amounts(folder, HUANGPI)
    assert sorted(facts(folder), key=repr) == sorted(facts(HUANGPI), key=repr)
    result = CliRunner().invoke(main, ["sync", str(folder)])  # the JSON follows the CSVs
    assert result.exit_code == 0 and "summary.json" in result.output
    report = validate_package(folder)
    assert report.errors == [], report.errors
    assert report.amounts == validate_package(HUANGPI, with_frictionless=False).amounts


def test_a_typing_mistake_is_an_error_at_its_csv_line(tmp_path: Path) -> None:
    folder = write_template(tmp_path)
    type_seed_amounts(folder, HUANGPI)
    summary = folder / "data" / "summary.csv"
    header, rows = read_csv(summary)
    (index,) = [i for i, r in enumerate(rows) if r["row"] == "income_total"]
    rows[index]["income"] = "282.19"  # 282.91 with two digits swapped
    write_csv(summary, header, rows)
    errors = validate_package(folder).errors
    found = [e for e in errors if e.rule == "summary-income-total"]
    assert found, errors
    assert found[0].file == str(summary)
    assert found[0].line == index + 2  # the header is line 1
    assert found[0].found == "282.19"


def test_check_sources_skips_the_template(tmp_path: Path) -> None:
    folder = write_template(tmp_path)
    result = CliRunner().invoke(main, ["check-sources", str(folder)])
    assert result.exit_code == 0, result.output
    assert "skipped, hand_edited" in result.output


def test_ingest_refuses_to_overwrite_the_template(tmp_path: Path) -> None:
    folder = write_template(tmp_path)
    (source,) = (HUANGPI / "source").iterdir()
    result = CliRunner().invoke(
        main, ["ingest", str(source), "--unit", SLUG, "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "is marked hand_edited" in result.stderr
    assert read_descriptor(folder)["juesuan"]["hand_edited"] is True


def test_a_year_that_holds_a_package_is_refused(tmp_path: Path) -> None:
    folder = write_template(tmp_path)
    (folder / "data" / "summary.csv").write_text("typed\n", encoding="utf-8")
    result = template(tmp_path, SLUG, "2024", "--edition", "2024", "--name", NAME)
    assert result.exit_code == 1
    assert f"{folder}:" in result.stderr
    assert "already holds a package" in result.stderr
    assert (folder / "data" / "summary.csv").read_text(encoding="utf-8") == "typed\n"


def test_a_registered_unit_gives_its_metadata_and_keeps_its_scan(tmp_path: Path) -> None:
    new = CliRunner().invoke(
        main,
        [
            "new",
            SLUG,
            "2024",
            "--name",
            NAME,
            "--region-code",
            "420116",
            "--source-url",
            "https://example.gov.cn/2024.pdf",
            "--out",
            str(tmp_path),
        ],
    )
    assert new.exit_code == 0, new.output
    folder = tmp_path / SLUG / "2024"
    (folder / "source" / "scan.pdf").write_bytes(b"%PDF-1.4 pictures of pages")
    result = template(tmp_path, SLUG, "2024", "--edition", "2024")
    assert result.exit_code == 0, result.output
    descriptor = read_descriptor(folder)
    assert descriptor["juesuan"]["region_code"] == "420116"
    assert descriptor["juesuan"]["source_url"] == "https://example.gov.cn/2024.pdf"
    assert descriptor["sources"][0]["path"] == "https://example.gov.cn/2024.pdf"
    assert sorted(p.name for p in (folder / "source").iterdir()) == ["scan.pdf"]
    assert validate_package(folder).errors == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "is not a registered unit"),
        (("--name", "武汉市硚口区大数据中心"), "duplicate unit"),
        (("--edition", "1999"), "unknown edition '1999'"),
    ],
)
def test_refusals_name_the_file_at_fault(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    qiaokou = (
        "wuhan-qiaokou",
        "2019",
        "--name",
        "武汉市硚口区大数据中心",
        "--region-code",
        "420104",
    )
    registered = CliRunner().invoke(main, ["new", *qiaokou, "--out", str(tmp_path)])
    assert registered.exit_code == 0, registered.output
    edition = () if "--edition" in args else ("--edition", "2024")
    result = template(tmp_path, SLUG, "2024", *edition, *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert str(tmp_path / SLUG) in result.stderr
    assert not (tmp_path / SLUG).exists()


def test_a_name_other_than_unit_json_is_refused(tmp_path: Path) -> None:
    args = [SLUG, "2023", "--name", NAME, "--region-code", "420116", "--out", str(tmp_path)]
    assert CliRunner().invoke(main, ["new", *args]).exit_code == 0
    result = template(
        tmp_path, SLUG, "2024", "--edition", "2024", "--name", "武汉市黄陂区大数据中心"
    )
    assert result.exit_code == 1
    assert f"{tmp_path / SLUG / 'unit.json'}: --name" in result.stderr
    assert "differs from unit.json's" in result.stderr
    assert not (tmp_path / SLUG / "2024").exists()


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    # Fail halfway: the tables are written, the code lists are not.
    monkeypatch.setattr(package_module, "_write_codelist", broken)
    with pytest.raises(OSError, match="disk full"):
        write_blank(tmp_path, SLUG, 2024, "2024", name=NAME)
    assert list((tmp_path / SLUG).iterdir()) == []


def test_typed_csv_needs_sync_for_its_json(tmp_path: Path) -> None:
    from juesuan.package.read import refresh_json

    folder = tmp_path / "pkg"
    shutil.copytree(HUANGPI, folder)
    csv_path = folder / "data/expenditure.csv"
    csv_path.write_text(
        csv_path.read_text(encoding="utf-8").replace("115.35", "115.36", 1), encoding="utf-8"
    )
    stale = [f for f in validate_package(folder).errors if f.rule == "package/json-stale"]
    assert [Path(f.file).name for f in stale] == ["expenditure.json"]
    assert [p.name for p in refresh_json(folder)] == ["expenditure.json"]
    assert not [f for f in validate_package(folder).errors if f.rule == "package/json-stale"]
    assert "115.36" in (folder / "data/expenditure.json").read_text(encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.json")}


@pytest.mark.parametrize("typed", ["Infinity", "NaN", "-inf", "1e999"])
def test_sync_refuses_a_value_json_cannot_hold(tmp_path: Path, typed: str) -> None:
    folder = tmp_path / "pkg"
    shutil.copytree(HUANGPI, folder)
    csv_path = folder / "data/expenditure.csv"
    income = folder / "data/income.csv"
    # Two tables typed into: one with a value JSON has no word for, one fine.
    csv_path.write_text(
        csv_path.read_text(encoding="utf-8").replace("115.35", typed, 2), encoding="utf-8"
    )
    income.write_text(
        income.read_text(encoding="utf-8").replace("282.91", "282.92", 1), encoding="utf-8"
    )
    before = _snapshot(folder)
    result = CliRunner().invoke(main, ["sync", str(folder)])
    assert result.exit_code == 1, result.output
    # Both cells named by CSV line and column; nothing of the package written.
    assert result.stderr.splitlines() == [
        f"error: {csv_path}:{line}: [expenditure] column project: {typed!r} is no finite "
        "number; its JSON is not written"
        for line in (2, 3)
    ]
    assert _snapshot(folder) == before
    assert "Infinity" not in "".join(p.read_text("utf-8") for p in folder.rglob("*.json"))


def test_sync_names_a_cell_that_is_no_number(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    shutil.copytree(HUANGPI, folder)
    csv_path = folder / "data/expenditure.csv"
    csv_path.write_text(
        csv_path.read_text(encoding="utf-8").replace(",435\n", ",4x5\n", 1), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["sync", str(folder)])
    assert result.exit_code == 1
    assert f"{csv_path}:2: [expenditure] column source_line: '4x5' is no integer" in result.stderr
    assert "could not run" not in result.stderr


def test_sync_writes_nowhere_a_package_may_not_name(tmp_path: Path) -> None:
    folder = tmp_path / "unit" / "2024"
    shutil.copytree(HUANGPI, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["juesuan"]["json"] = "../../outside.json"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    result = CliRunner().invoke(main, ["sync", str(folder)])
    assert result.exit_code == 1
    assert "../../outside.json is a path that leaves the package" in result.stderr
    assert not (tmp_path / "outside.json").exists()


def test_no_json_file_is_written_with_infinity(tmp_path: Path) -> None:
    from juesuan.text import NotFinite, json_text

    data = {"resources": [{"name": "a", "rows": [1.0, float("inf")]}]}
    with pytest.raises(NotFinite, match=r"^x\.json: resources\[0\]\.rows\[1\] is Infinity"):
        json_text(data, where="x.json")
    with pytest.raises(NotFinite, match="is NaN"):
        json_text(float("nan"), where="y.json")
    assert json_text({"a": [1.5, None]}, where="z.json") == '{"a": [1.5, null]}'
