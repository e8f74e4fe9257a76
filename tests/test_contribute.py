"""End to end, as a contributor: scaffold, ingest a PDF and a workbook, validate, build.

This follows CONTRIBUTING.md step by step with the same commands, in a scratch
packages folder, and ends on the new units' pages of the built site.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from juesuan.cli import main
from juesuan.package.facts import facts
from juesuan.site import urls
from tests.disclosure_files import flow_pdf, ingested_facts, xlsx_workbook
from tests.seeds import HUANGPI, QIAOKOU, source_of

UNITS = {
    # slug: (year, name as printed, region code, seed the document is made from)
    "wuhan-qiaokou-dsjzx": ("2019", "武汉市硚口区大数据中心", "420104", QIAOKOU),
    "wuhan-huangpi-dsjzx-benji": ("2024", "武汉市黄陂区大数据中心（本级）", "420116", HUANGPI),
}


def juesuan(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, f"juesuan {' '.join(args)}:\n{result.output}"
    return result


def test_a_contributor_adds_two_units(tmp_path: Path) -> None:
    root = tmp_path / "datapackage"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    documents = {
        "wuhan-qiaokou-dsjzx": flow_pdf(source_of(QIAOKOU), downloads / "硚口2019决算.pdf"),
        "wuhan-huangpi-dsjzx-benji": xlsx_workbook(source_of(HUANGPI), downloads / "黄陂2024.xlsx"),
    }

    # 1. Scaffold each unit's year, 2. put the document in place and ingest it.
    sources = []
    for slug, (year, name, region, _seed) in UNITS.items():
        juesuan("new", slug, year, "--name", name, "--region-code", region, "--out", str(root))
        source = root / slug / year / "source" / documents[slug].name
        shutil.copyfile(documents[slug], source)
        sources.append(str(source))
    summary = juesuan("ingest", *sources, "--out", str(root)).output
    assert "武汉市硚口区大数据中心 2019: 2019 edition, flow layout, from pdf" in summary
    assert "武汉市黄陂区大数据中心（本级） 2024: 2024 edition, cells layout, from xlsx" in summary

    # 3. Review: the packages hold exactly the facts of the text sources.
    for slug, (year, _name, _region, seed) in UNITS.items():
        package = root / slug / year
        assert ingested_facts(package / "source" / documents[slug].name, tmp_path / "a") == (
            ingested_facts(source_of(seed), tmp_path / "b")
        )

    # 4. What CI runs: validate, reproduce from the sources, build the site.
    juesuan("validate", str(root))
    assert "matches its source" in juesuan("check-sources", "--root", str(root)).output
    site = tmp_path / "site"
    juesuan("build", "--packages", str(root), "--out", str(site), "--no-search", "--jobs", "1")

    # 5. The new units' pages show their amounts.
    for slug, (year, name, _region, _seed) in UNITS.items():
        page = site / urls.disclosure(slug, year) / "index.html"
        html = page.read_text(encoding="utf-8")
        assert name in html
        values = {fact.value for fact in facts(root / slug / year)}
        missing = {value for value in values if value not in html}
        assert not missing, f"{page} lacks {sorted(missing)}"
