"""Where ``juesuan ingest`` writes a package, and the checks that keep it in its place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from juesuan.cli import main
from tests.seeds import HUANGPI, QIAOKOU, source_of

UNIT = "武汉市黄陂区大数据中心（本级）"
SLUG = "huangpi-dsjzx"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def scaffold(root: Path, year: str = "2024", slug: str = SLUG, name: str = UNIT) -> Path:
    result = run(
        "new", slug, year, "--name", name, "--region-code", "420116",
        "--parent", "武汉市黄陂区人民政府",
        "--source-url", "https://www.huangpi.gov.cn/2024/juesuan.html",
        "--out", str(root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return root / slug / year / "source"


def test_source_in_a_scaffolded_folder_takes_its_unit_and_metadata(tmp_path: Path) -> None:
    source = scaffold(tmp_path) / "决算.txt"
    shutil.copyfile(source_of(HUANGPI), source)
    result = run("ingest", str(source), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = tmp_path / SLUG / "2024"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == f"{SLUG}-2024"
    meta = descriptor["juesuan"]
    assert (meta["unit"], meta["region_code"], meta["parent"]) == (
        UNIT,
        "420116",
        "武汉市黄陂区人民政府",
    )
    assert meta["source_url"] == "https://www.huangpi.gov.cn/2024/juesuan.html"
    assert descriptor["sources"][1]["path"] == meta["source_url"]
    assert sorted(p.name for p in (folder / "source").iterdir()) == ["决算.txt"]


def test_the_summary_shows_tables_amounts_totals_and_inferences(tmp_path: Path) -> None:
    result = run("ingest", str(source_of(QIAOKOU)), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  8 of 8 tables found, 105 amounts:" in lines
    assert "    表2 收入决算表 (line 168): 10 rows, 20 amounts" in lines
    assert "      合计: 本年收入合计 803.94, 财政拨款收入 803.94" in lines
    assert "  33 rows placed by inference" in result.output
    assert (
        "    表3 row 212 城乡社区支出 (line 276): 本年支出合计 599.90, 项目支出 599.90; the only "
        "one of 15 placements that fits"
    ) in result.output


def test_unit_option_chooses_the_folder(tmp_path: Path) -> None:
    result = run("ingest", str(source_of(HUANGPI)), "--out", str(tmp_path), "--unit", "hp-dsj")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "hp-dsj" / "2024" / "datapackage.json").exists()


def test_unit_option_must_be_a_slug(tmp_path: Path) -> None:
    result = run("ingest", str(source_of(HUANGPI)), "--out", str(tmp_path), "--unit", "../x")
    assert result.exit_code == 1
    assert "--unit '../x' cannot name a unit folder: it has a / or \\" in result.output
    assert list(tmp_path.iterdir()) == []


def test_document_in_the_wrong_year_folder(tmp_path: Path) -> None:
    source = scaffold(tmp_path, year="2023") / "决算.txt"
    shutil.copyfile(source_of(HUANGPI), source)
    result = run("ingest", str(source), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert f"the document is the 2024 决算 of {UNIT} but sits in the 2023 folder" in result.output
    assert f"expected it under {tmp_path / SLUG / '2024' / 'source'}" in result.output
    assert not (tmp_path / SLUG / "2023" / "datapackage.json").exists()


def test_document_of_another_unit_in_a_unit_folder(tmp_path: Path) -> None:
    source = scaffold(tmp_path, name="武汉市黄陂区教育局") / "决算.txt"
    shutil.copyfile(source_of(HUANGPI), source)
    result = run("ingest", str(source), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert (
        f"the document is of {UNIT} but {tmp_path / SLUG / 'unit.json'} is for 武汉市黄陂区教育局"
        in (result.output)
    )


def test_duplicate_unit_under_another_slug(tmp_path: Path) -> None:
    assert run("ingest", str(source_of(HUANGPI)), "--out", str(tmp_path)).exit_code == 0
    (first,) = [p.name for p in tmp_path.iterdir()]
    result = run("ingest", str(source_of(HUANGPI)), "--out", str(tmp_path), "--unit", "hp-dsj")
    assert result.exit_code == 1
    assert f"duplicate unit: {UNIT} is already {tmp_path / first}" in result.output
    assert not (tmp_path / "hp-dsj").exists()


def test_one_source_per_package(tmp_path: Path) -> None:
    folder = scaffold(tmp_path)
    shutil.copyfile(source_of(HUANGPI), folder / "决算.txt")
    (folder / "决算.pdf").write_bytes(b"%PDF-1.4")
    result = run("ingest", str(folder / "决算.txt"), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert f"{folder} also holds 决算.pdf; expected one source document per package folder" in (
        result.output
    )


def test_hand_edited_package_is_not_overwritten(tmp_path: Path) -> None:
    assert run("ingest", str(source_of(HUANGPI)), "--out", str(tmp_path)).exit_code == 0
    (descriptor,) = tmp_path.glob("*/2024/datapackage.json")
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["juesuan"]["hand_edited"] = True
    descriptor.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = descriptor.read_bytes()
    result = run("ingest", str(source_of(HUANGPI)), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "is marked hand_edited: ingesting would overwrite the edits" in result.output
    skipped = run("ingest", str(source_of(HUANGPI)), "--out", str(tmp_path), "--skip-hand-edited")
    assert skipped.exit_code == 0
    assert "skipped" in skipped.output
    assert descriptor.read_bytes() == before


def test_the_publication_date_in_unit_json_reaches_the_package(tmp_path: Path) -> None:
    source = scaffold(tmp_path) / "决算.txt"
    shutil.copyfile(source_of(HUANGPI), source)
    unit_file = tmp_path / SLUG / "unit.json"
    unit = json.loads(unit_file.read_text(encoding="utf-8"))
    unit["years"]["2024"]["published"] = "2025-09-01"
    unit_file.write_text(json.dumps(unit, ensure_ascii=False), encoding="utf-8")
    result = run("ingest", str(source), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    descriptor = json.loads((tmp_path / SLUG / "2024" / "datapackage.json").read_text("utf-8"))
    assert descriptor["juesuan"]["published"] == "2025-09-01"
    assert run("validate", str(tmp_path / SLUG / "2024")).exit_code == 0


def test_a_package_publication_date_that_is_no_date_fails_validation(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    shutil.copytree(HUANGPI, folder)
    descriptor_file = folder / "datapackage.json"
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    descriptor["juesuan"]["published"] = "2025-02-30"
    descriptor_file.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    result = run("validate", "--no-cache", str(folder))
    assert result.exit_code == 1
    assert "juesuan.published" in result.output
