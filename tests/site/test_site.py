"""The built site as files: strict build, links, hosts, pages, sizes, catalog."""

from __future__ import annotations

import csv
import json

from juesuan.site.build import BuildReport
from juesuan.site.corpus import load, package_folders
from juesuan.site.linkcheck import broken, pages, third_party
from juesuan.taxonomy.codes import codelist
from tests.seeds import FIXTURES

MAX_PAGE = 500_000


def test_mkdocs_strict_build_has_no_warning(built_site: BuildReport) -> None:
    assert "WARNING" not in built_site.mkdocs_log
    assert built_site.disclosures == len(package_folders(FIXTURES))


def test_no_broken_internal_link(built_site: BuildReport) -> None:
    problems = broken(built_site.site)
    assert not problems, "\n".join(f"{link.page}: {link.url} ({why})" for link, why in problems)


def test_no_reference_to_another_host(built_site: BuildReport) -> None:
    found = third_party(built_site.site)
    assert not found, "\n".join(
        f"{link.page}: <{link.tag} {link.attribute}={link.url}>" for link in found
    )


def test_no_page_is_heavier_than_500_kb(built_site: BuildReport) -> None:
    heaviest = max(pages(built_site.site), key=lambda p: p.stat().st_size)
    assert heaviest.stat().st_size < MAX_PAGE, heaviest


def test_every_disclosure_unit_term_and_code_has_a_page(built_site: BuildReport) -> None:
    site = built_site.site
    for folder in package_folders(FIXTURES):
        disclosure = load(folder)
        assert (site / "units" / disclosure.slug / str(disclosure.year) / "index.html").exists()
        assert (site / "units" / disclosure.slug / "index.html").exists()
    for name in ("glossary", "codes", "codes/function", "codes/economic", "search", "contribute"):
        assert (site / name / "index.html").exists(), name
    assert (site / "codes" / "function" / "20137" / "index.html").exists()
    assert len(list((site / "glossary").glob("*/index.html"))) >= 15


def test_disclosure_page_states_source_status_and_unit(built_site: BuildReport) -> None:
    for folder in package_folders(FIXTURES):
        disclosure = load(folder)
        html = (
            built_site.site / "units" / disclosure.slug / str(disclosure.year) / "index.html"
        ).read_text(encoding="utf-8")
        assert disclosure.meta["source"]["sha256"] in html
        assert "金额单位：万元" in html
        assert "js-badge" in html
        for view in disclosure.tables:
            assert f'data-table="{view.id}"' in html


def test_catalog_lists_every_disclosure_with_existing_files(built_site: BuildReport) -> None:
    site = built_site.site
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert len(catalog["datasets"]) == len(package_folders(FIXTURES))
    for dataset in catalog["datasets"]:
        for key in ("datapackage", "zip", "xlsx"):
            assert (site / dataset[key]).exists(), dataset[key]
        for table in dataset["tables"]:
            assert (site / table["csv"]).exists() and (site / table["json"]).exists()


def test_search_index_is_built(built_site: BuildReport) -> None:
    assert (built_site.site / "pagefind" / "pagefind-ui.js").exists()
    assert list((built_site.site / "pagefind").glob("*.pf_meta"))


def test_code_lists_are_downloadable_with_status_and_source(built_site: BuildReport) -> None:
    site = built_site.site
    for kind in ("function", "economic"):
        with (site / "codes" / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert [(e.code, e.name, e.status, e.source) for e in codelist(kind)] == [
            (r["code"], r["name"], r["status"], r["source"]) for r in rows
        ]
        listed = json.loads((site / "codes" / f"{kind}.json").read_text(encoding="utf-8"))
        assert [e["code"] for e in listed] == [r["code"] for r in rows]
        page = (site / "codes" / kind / "index.html").read_text(encoding="utf-8")
        assert f'href="../{kind}.csv"' in page and f'href="../{kind}.json"' in page
    code = (site / "codes" / "function" / "20137" / "index.html").read_text(encoding="utf-8")
    assert "据决算公开收录，来源：" in code
    assert 'href="../#c201"' in code
