"""``juesuan new``: a unit's folder and unit.json, with slugs and metadata checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from juesuan.cli import main
from juesuan.repository.unitmeta import load_unit, slug_problem

NAME = "武汉市硚口区大数据中心"
SLUG = "wuhan-qiaokou-dashujuzhongxin"


def new(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["new", *args, "--out", str(root)])


def test_new_unit_gets_its_folder_and_metadata(tmp_path: Path) -> None:
    result = new(
        tmp_path,
        SLUG,
        "2019",
        "--name",
        NAME,
        "--region-code",
        "420104",
        "--parent",
        "武汉市硚口区人民政府",
        "--source-url",
        "https://www.qiaokou.gov.cn/2019/juesuan.pdf",
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / SLUG / "2019" / "source").is_dir()
    assert f"juesuan ingest {tmp_path / SLUG / '2019'}/source/" in result.output
    data = json.loads((tmp_path / SLUG / "unit.json").read_text(encoding="utf-8"))
    assert data == {
        "name": NAME,
        "region_code": "420104",
        "parent": "武汉市硚口区人民政府",
        "years": {"2019": {"source_url": "https://www.qiaokou.gov.cn/2019/juesuan.pdf"}},
    }


def test_a_known_unit_gets_a_new_year(tmp_path: Path) -> None:
    assert new(tmp_path, SLUG, "2019", "--name", NAME, "--region-code", "420104").exit_code == 0
    result = new(tmp_path, SLUG, "2020", "--source-url", "https://example.gov.cn/2020.pdf")
    assert result.exit_code == 0, result.output
    info = load_unit(tmp_path / SLUG)
    assert info is not None
    assert sorted(info.years) == ["2019", "2020"]
    assert info.package_meta(2020) == {
        "region_code": "420104",
        "source_url": "https://example.gov.cn/2020.pdf",
    }


@pytest.mark.parametrize(
    ("slug", "problem"),
    [
        ("../evil", "has a / or \\"),
        ("..", "has .. or starts with a dot"),
        ("a..b", "has .. or starts with a dot"),
        ("wuhan/qiaokou", "has a / or \\"),
        ("Wuhan-Qiaokou", "has capitals"),
        ("武汉硚口", "not ASCII"),
        ("wuhan--qiaokou", "single hyphens"),
        ("wuhan-", "single hyphens"),
        ("a" * 81, "at most 80"),
    ],
)
def test_bad_slugs_are_refused_before_anything_is_written(
    tmp_path: Path, slug: str, problem: str
) -> None:
    result = new(tmp_path, slug, "2019", "--name", NAME, "--region-code", "420104")
    assert result.exit_code == 2
    assert problem in result.output
    assert list(tmp_path.iterdir()) == []


def test_slug_rules() -> None:
    assert slug_problem(SLUG) is None
    assert slug_problem("wuhan-huangpi-dashujuzhongxin-benji") is None
    assert slug_problem("") == "it is empty"


def test_duplicate_unit_under_another_slug(tmp_path: Path) -> None:
    assert new(tmp_path, SLUG, "2019", "--name", NAME, "--region-code", "420104").exit_code == 0
    result = new(tmp_path, "qiaokou-dsj", "2020", "--name", f" {NAME} ", "--region-code", "420104")
    assert result.exit_code == 1
    assert f"duplicate unit: {NAME} is already {tmp_path / SLUG}" in result.output
    assert f"juesuan new {SLUG} YEAR" in result.output
    assert not (tmp_path / "qiaokou-dsj").exists()


def test_duplicate_unit_year(tmp_path: Path) -> None:
    assert new(tmp_path, SLUG, "2019", "--name", NAME, "--region-code", "420104").exit_code == 0
    result = new(tmp_path, SLUG, "2019")
    assert result.exit_code == 1
    assert f"{SLUG} 2019 already exists" in result.output


def test_another_name_for_a_known_slug(tmp_path: Path) -> None:
    assert new(tmp_path, SLUG, "2019", "--name", NAME, "--region-code", "420104").exit_code == 0
    result = new(tmp_path, SLUG, "2020", "--name", "武汉市江岸区大数据中心")
    assert result.exit_code == 1
    assert "--name '武汉市江岸区大数据中心' differs from unit.json's" in result.output


def test_a_new_unit_needs_name_and_region_code(tmp_path: Path) -> None:
    result = new(tmp_path, SLUG, "2019", "--name", NAME)
    assert result.exit_code == 1
    assert "new unit: --region-code needed" in result.output
    assert not (tmp_path / SLUG).exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--region-code", "4201", "is not a 行政区划代码"),
        ("--source-url", "qiaokou.gov.cn/x.pdf", "is not a web address"),
    ],
)
def test_bad_metadata(tmp_path: Path, option: str, value: str, message: str) -> None:
    args = {"--name": NAME, "--region-code": "420104", option: value}
    result = new(tmp_path, SLUG, "2019", *[x for pair in args.items() for x in pair])
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / SLUG).exists()


def test_year_out_of_range(tmp_path: Path) -> None:
    result = new(tmp_path, SLUG, "1899", "--name", NAME, "--region-code", "420104")
    assert result.exit_code == 2


def test_unit_json_that_breaks_the_rules_is_named(tmp_path: Path) -> None:
    (tmp_path / SLUG).mkdir()
    (tmp_path / SLUG / "unit.json").write_text(
        json.dumps({"name": NAME, "region_code": "420104", "homepage": "x"}), encoding="utf-8"
    )
    result = new(tmp_path, SLUG, "2019")
    assert result.exit_code == 1
    assert f"{tmp_path / SLUG / 'unit.json'}: homepage: Extra inputs are not permitted" in (
        result.output
    )


@pytest.mark.parametrize("published", ["2025-13-01", "去年九月", "2025/09/01"])
def test_a_publication_date_that_is_no_date_is_named(tmp_path: Path, published: str) -> None:
    (tmp_path / SLUG).mkdir()
    unit = {"name": NAME, "region_code": "420104", "years": {"2019": {"published": published}}}
    (tmp_path / SLUG / "unit.json").write_text(json.dumps(unit), encoding="utf-8")
    result = new(tmp_path, SLUG, "2020")
    assert result.exit_code == 1
    assert f"{tmp_path / SLUG / 'unit.json'}: years.2019.published:" in result.output


def test_the_publication_day_goes_into_unit_json(tmp_path: Path) -> None:
    args = ("--name", NAME, "--region-code", "420104", "--published", "2020-09-01")
    result = new(tmp_path, SLUG, "2019", *args)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / SLUG / "unit.json").read_text(encoding="utf-8"))
    assert data["years"] == {"2019": {"published": "2020-09-01"}}
    info = load_unit(tmp_path / SLUG)
    assert info is not None and info.package_meta(2019)["published"] == "2020-09-01"


@pytest.mark.parametrize("published", ["2020-02-30", "20200901", "2020/09/01", "去年九月"])
def test_a_publication_day_that_is_no_day_is_refused(tmp_path: Path, published: str) -> None:
    args = ("--name", NAME, "--region-code", "420104", "--published", published)
    result = new(tmp_path, SLUG, "2019", *args)
    assert result.exit_code == 1
    assert f"{tmp_path / SLUG / 'unit.json'}: publication date {published!r} is not a day" in (
        result.output
    )
    assert "YYYY-MM-DD" in result.output
    assert not (tmp_path / SLUG).exists()


def test_a_new_year_keeps_the_days_of_the_others(tmp_path: Path) -> None:
    args = ("--name", NAME, "--region-code", "420104", "--published", "2020-09-01")
    assert new(tmp_path, SLUG, "2019", *args).exit_code == 0
    result = new(tmp_path, SLUG, "2020")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / SLUG / "unit.json").read_text(encoding="utf-8"))
    assert data["years"] == {"2019": {"published": "2020-09-01"}, "2020": {}}
