"""The catalogs: DCAT-AP JSON-LD, schema.org in each page, and a sitemap of every page."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from click.testing import CliRunner
from pyld import jsonld

from juesuan.cli import main
from juesuan.site import catalog, urls
from juesuan.site.build import BuildReport
from juesuan.site.corpus import load, package_folders
from juesuan.site.mkdocs_site import config
from tests.seeds import FIXTURES, HUANGPI

# DCAT-AP 3.0, mandatory properties (section "Catalog", "Dataset", "Distribution").
MANDATORY = {
    "dcat:Catalog": ("dct:title", "dct:description", "dct:publisher", "dcat:dataset"),
    "dcat:Dataset": ("dct:title", "dct:description"),
    "dcat:Distribution": ("dcat:accessURL",),
}
BASE = "https://example.org/juesuan/"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def _no_network(url: str, options: Any = None) -> Any:
    raise AssertionError(f"the JSON-LD asked for a remote document: {url}")


def _expand(document: dict[str, Any], base: str) -> list[dict[str, Any]]:
    return jsonld.expand(document, {"base": base, "documentLoader": _no_network})


def _catalog(built_site: BuildReport) -> dict[str, Any]:
    return json.loads((built_site.site / "catalog.jsonld").read_text(encoding="utf-8"))


def _nodes(data: Any) -> list[dict[str, Any]]:
    """Every node with an @type in the (compact) document, depth first."""
    found, stack = [], [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "@type" in item:
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_the_catalog_has_what_dcat_ap_requires(built_site: BuildReport) -> None:
    data = _catalog(built_site)
    nodes = _nodes(data)
    for kind, required in MANDATORY.items():
        of_kind = [n for n in nodes if n["@type"] == kind]
        assert of_kind, kind
        for node in of_kind:
            missing = [p for p in required if not node.get(p)]
            assert not missing, (kind, node.get("@id"), missing)
    datasets = data["dcat:dataset"]
    assert len(datasets) == len(package_folders(FIXTURES)) + 1  # and the table of all amounts
    for folder in package_folders(FIXTURES):
        d = load(folder)
        (dataset,) = [x for x in datasets if x["dct:identifier"] == d.name]
        assert dataset["dct:spatial"]["dct:identifier"] == d.meta["region_code"]
        assert dataset["dct:temporal"]["dcat:startDate"] == f"{d.year}-01-01"
        assert dataset["dct:license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert dataset["dct:publisher"]["foaf:name"]["@value"] == d.unit
        assert dataset["dct:created"] and dataset["dct:modified"]
        kinds = {x["dcat:mediaType"].rsplit("/", 2)[-1] for x in dataset["dcat:distribution"]}
        assert {
            "csv",
            "json",
            "zip",
            "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        } <= kinds


def test_every_distribution_is_a_file_of_the_site(built_site: BuildReport) -> None:
    for node in _nodes(_catalog(built_site)):
        if node["@type"] == "dcat:Distribution":
            path = urlsplit(node["dcat:downloadURL"]).path
            assert (built_site.site / path).is_file(), path
            assert node["dcat:accessURL"] == node["dcat:downloadURL"]


def test_the_catalog_is_json_ld_that_expands_offline(built_site: BuildReport) -> None:
    expanded = _expand(_catalog(built_site), BASE + "catalog.jsonld")
    (root,) = expanded
    assert root["@type"] == [DCAT + "Catalog"]
    assert root["@id"] == BASE + "catalog.jsonld"
    datasets = root[DCAT + "dataset"]
    for dataset in datasets:
        assert dataset["@type"] == [DCAT + "Dataset"]
        assert dataset[DCT + "title"][0]["@language"] == "zh"
        for distribution in dataset[DCAT + "distribution"]:
            (url,) = distribution[DCAT + "downloadURL"]
            assert url["@id"].startswith(BASE)  # relative IRIs resolve against the file
    dated = [d for d in datasets if DCT + "created" in d]
    assert dated and dated[0][DCT + "created"][0]["@type"] == XSD_DATE
    quads = jsonld.to_rdf(_catalog(built_site), {"base": BASE, "documentLoader": _no_network})
    assert quads


def test_with_a_site_address_every_address_is_absolute() -> None:
    d = load(HUANGPI)
    entry = catalog.entry(d)
    data = catalog.dcat([entry], BASE)
    urls_in = [n["dcat:downloadURL"] for n in _nodes(data) if n["@type"] == "dcat:Distribution"]
    assert urls_in and all(
        u.startswith(BASE + "units/") or u.startswith(BASE + "downloads/") for u in urls_in
    )
    page = catalog.schema_org(entry, BASE)
    assert page["url"] == BASE + f"units/{d.slug}/{d.year}/"
    assert catalog.citation(entry, BASE).endswith(f". {BASE}units/{d.slug}/{d.year}/")
    assert config(Path("docs"), Path("site"), BASE)["site_url"] == BASE
    assert "site_url" not in config(Path("docs"), Path("site"))


def _published(tmp_path: Path, day: str) -> catalog.Entry:
    """The catalog entry of a copy of the Huangpi seed whose unit.json gives ``day``."""
    folder = tmp_path / HUANGPI.parent.name / HUANGPI.name
    shutil.copytree(HUANGPI, folder)
    unit = json.loads((HUANGPI.parent / "unit.json").read_text(encoding="utf-8"))
    unit.setdefault("years", {}).setdefault(HUANGPI.name, {})["published"] = day
    (folder.parent / "unit.json").write_text(json.dumps(unit, ensure_ascii=False), "utf-8")
    return catalog.entry(load(folder))


def test_dcat_says_when_the_unit_published_the_disclosure(tmp_path: Path) -> None:
    entry = _published(tmp_path, "2025-09-01")
    assert entry.published == "2025-09-01"
    data = catalog.dcat([entry], BASE)
    (dataset, facts) = data["dcat:dataset"]
    assert dataset["dct:issued"] == "2025-09-01"
    assert "dct:issued" not in facts
    (source,) = [x for x in dataset["dcat:distribution"] if x["dct:title"]["@value"] == "原文"]
    assert source["dct:issued"] == "2025-09-01"
    others = [x for x in dataset["dcat:distribution"] if x is not source]
    assert others and not any("dct:issued" in x for x in others)
    (root,) = _expand(data, BASE + "catalog.jsonld")
    expanded = root[DCAT + "dataset"][0]
    assert expanded[DCT + "issued"] == [{"@type": XSD_DATE, "@value": "2025-09-01"}]


def test_schema_org_says_when_the_unit_published_the_disclosure(tmp_path: Path) -> None:
    entry = _published(tmp_path, "2025-09-01")
    page = entry.page
    block = str(catalog.script(catalog.schema_org(entry), where="test"))
    parser = _Scripts()
    parser.feed(block)
    data = json.loads(parser.blocks[0])
    assert data["datePublished"] == "2025-09-01"
    (source,) = [x for x in data["distribution"] if x["name"] == "原文"]
    assert source["datePublished"] == "2025-09-01"
    (expanded,) = _expand(data, BASE + page)
    assert expanded[SCHEMA + "datePublished"] == [{"@value": "2025-09-01"}]
    assert expanded[SCHEMA + "name"] == [{"@value": entry.title}]


def test_without_a_publication_date_neither_catalog_invents_one() -> None:
    entry = catalog.entry(load(HUANGPI))
    assert entry.published is None
    (dataset, _) = catalog.dcat([entry])["dcat:dataset"]
    assert "dct:issued" not in dataset
    assert "datePublished" not in catalog.schema_org(entry)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("https://example.org", "https://example.org/"), ("http://x.cn/a/b/", "http://x.cn/a/b/")],
)
def test_a_site_address_ends_with_a_slash(given: str, expected: str) -> None:
    assert urls.site_address(given) == expected


@pytest.mark.parametrize(
    "bad", ["example.org", "javascript:alert(1)", "https://x.org/?q=1", "ftp://x"]
)
def test_the_build_refuses_a_site_address_that_is_no_web_address(bad: str) -> None:
    with pytest.raises(ValueError):
        urls.site_address(bad)
    result = CliRunner().invoke(main, ["build", "--site-url", bad])
    assert result.exit_code == 2 and "--site-url" in result.output


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open = tag == "script" and ("type", "application/ld+json") in attrs
        if self._open:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.blocks[-1] += data


def test_each_disclosure_page_carries_a_schema_org_dataset(built_site: BuildReport) -> None:
    for folder in package_folders(FIXTURES):
        d = load(folder)
        page = f"units/{d.slug}/{d.year}/"
        parser = _Scripts()
        parser.feed((built_site.site / page / "index.html").read_text(encoding="utf-8"))
        (block,) = parser.blocks
        data = json.loads(block)
        assert data["@type"] == "Dataset"
        assert data["name"] == d.title
        assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert data["spatialCoverage"]["identifier"] == d.meta["region_code"]
        assert data["temporalCoverage"] == str(d.year)
        downloads = data["distribution"]
        assert {x["encodingFormat"] for x in downloads} >= {"text/csv", "application/json"}
        for item in downloads:
            assert item["@type"] == "DataDownload"
            target = urlsplit(urljoin(BASE + page, item["contentUrl"])).path
            assert (built_site.site / target.removeprefix("/juesuan/")).is_file(), target
        (expanded,) = _expand(data, BASE + page)
        assert expanded["@type"] == [SCHEMA + "Dataset"]
        assert expanded[SCHEMA + "url"] == [{"@value": "./"}]


def test_the_sitemap_lists_every_page(built_site: BuildReport) -> None:
    site = built_site.site
    listed = set(re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text()))
    pages = {
        "./" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if "pagefind" not in p.parts
    }
    assert listed == pages
    assert len(pages) == built_site.pages


def test_a_table_printed_without_its_number_is_listed_without_one(
    shanghai_site: BuildReport,
) -> None:
    data = _catalog(shanghai_site)
    (dataset, _facts) = data["dcat:dataset"]
    titles = [x["dct:title"]["@value"] for x in dataset["dcat:distribution"]]
    tables = [t for t in titles if t.endswith(("（CSV）", "（JSON）"))]
    assert len(tables) == 18 and not [t for t in tables if t.startswith("公开")], tables
    assert "国有资本经营预算财政拨款收入支出决算表（CSV）" in " ".join(tables)
