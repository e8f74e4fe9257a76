"""The site's catalog for portals and search engines: DCAT-AP and schema.org JSON-LD.

``catalog.jsonld`` is a DCAT-AP 3 ``dcat:Catalog`` with a ``dcat:Dataset`` per
disclosure (and one for the table of all amounts), each with a
``dcat:Distribution`` per file. Each disclosure page embeds a schema.org
``Dataset``. Both carry their ``@context`` inline: nothing refers to a context
elsewhere, so a JSON-LD processor needs no network and the site loads nothing
from another host. Without ``--site-url`` every address is relative, which
JSON-LD resolves against the file it is read from; with it, absolute.
``catalog.json`` is the older list of the same files, kept for harvesters
that read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from juesuan.site import urls
from juesuan.site.corpus import Disclosure
from juesuan.site.downloads import source_name, table_json
from juesuan.site.html import Markup
from juesuan.site.provenance import year_span
from juesuan.text import json_text

SITE_TITLE = "部门决算公开数据"
PUBLISHER = "部门决算公开数据（juesuan）"
FACTS = urls.DOWNLOADS
"""The downloads page, where the table of all amounts is."""
FACT_FILES = ("facts.csv", "facts.parquet")

MEDIA = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "parquet": "application/vnd.apache.parquet",
    "pdf": "application/pdf",
    "html": "text/html",
    "xls": "application/vnd.ms-excel",
}
FILE_TYPES = {
    "csv": "CSV",
    "json": "JSON",
    "xlsx": "XLSX",
    "zip": "ZIP",
    "parquet": "PARQUET",
    "pdf": "PDF",
    "html": "HTML",
    "xls": "XLS",
}
"""Suffix → the EU file-type authority's code (dct:format, as DCAT-AP recommends)."""
IANA = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
CHINESE = "http://publications.europa.eu/resource/authority/language/ZHO"

DCAT_CONTEXT: dict[str, Any] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat:dataset": {"@container": "@set"},
    "dcat:distribution": {"@container": "@set"},
    "dcat:keyword": {"@container": "@set"},
    "dcat:accessURL": {"@type": "@id"},
    "dcat:downloadURL": {"@type": "@id"},
    "dcat:landingPage": {"@type": "@id"},
    "dcat:mediaType": {"@type": "@id"},
    "dct:format": {"@type": "@id"},
    "dct:license": {"@type": "@id"},
    "dct:language": {"@type": "@id"},
    "dct:source": {"@type": "@id"},
    "dct:conformsTo": {"@type": "@id"},
    "foaf:homepage": {"@type": "@id"},
    "dct:issued": {"@type": "xsd:date"},
    "dct:created": {"@type": "xsd:date"},
    "dct:modified": {"@type": "xsd:date"},
    "dcat:startDate": {"@type": "xsd:date"},
    "dcat:endDate": {"@type": "xsd:date"},
}
"""The catalog's context, inline: DCAT-AP's prefixes and which values are IRIs or dates."""

SCHEMA_CONTEXT = {"@vocab": "https://schema.org/"}
"""schema.org terms without a remote context: the same IRIs ``https://schema.org`` gives."""


@dataclass(frozen=True)
class Table:
    """One table of a disclosure, as the catalog lists it."""

    id: str
    number: str | None
    """The number as printed; None when the document prints none."""
    title: str
    csv: str
    """The package CSV, relative to the package."""
    json: bool
    """Whether the site has its JSON (in hierarchy order)."""

    @property
    def named(self) -> str:
        """Number and title as the document prints them."""
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Entry:
    """What the catalog says of one disclosure: made in the worker, small to send back."""

    name: str
    stem: str
    slug: str
    year: int
    title: str
    description: str
    unit: str
    parent: str | None
    region: str
    region_code: str | None
    edition: str
    keywords: tuple[str, ...]
    status: str | None
    source_url: str | None
    published: str | None
    """The day the unit published the document (公开日期), ISO."""
    added: str | None
    changed: str | None
    licence: str | None
    licence_title: str | None
    licence_url: str | None
    tables: tuple[Table, ...]
    source: tuple[str, str] | None
    """(file name in download/, suffix) of the readable copy of the source."""
    facts: int = 0
    """Amounts in the table of all amounts; -1 when the facts view could not be read."""

    @property
    def page(self) -> str:
        """The disclosure's page, site-root relative."""
        return urls.disclosure(self.slug, self.year)


def entry(d: Disclosure, facts: int = 0) -> Entry:
    """The catalog entry of disclosure ``d`` (``facts``: its amounts in the facts table)."""
    p = d.provenance
    keywords = d.descriptor.get("keywords")
    return Entry(
        d.name,
        d.stem,
        d.slug,
        d.year,
        d.title,
        str(d.descriptor.get("description") or ""),
        d.unit,
        p.parent,
        d.region,
        str(d.meta["region_code"]) if d.meta.get("region_code") else None,
        d.edition.id,
        tuple(str(k) for k in keywords) if isinstance(keywords, list) else (),
        d.validation.status,
        p.source_url,
        p.published.isoformat() if p.published else None,
        p.dates.added,
        p.dates.changed,
        p.licence.name if p.licence else None,
        p.licence.title if p.licence else None,
        p.licence.url if p.licence else None,
        tuple(
            Table(
                v.id,
                v.printed_number,
                v.title,
                str(v.resource["path"]),
                table_json(d, v) is not None,
            )
            for v in d.tables
        ),
        (source_name(d, p.source), p.source.view_suffix.lstrip(".")) if p.source else None,
        facts,
    )


class Locator:
    """Addresses of the site's files: absolute under ``site_url``, else relative."""

    def __init__(self, site_url: str | None, document: str = "") -> None:
        self.site_url = site_url
        self.document = document
        """Where the JSON-LD is read from (site-root relative): relative links start there."""

    def __call__(self, target: str) -> str:
        """The address of ``target`` (site-root relative)."""
        if self.site_url:
            return self.site_url + target
        return urls.relative(self.document, target)


def _zh(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "zh"}


@dataclass(frozen=True)
class File:
    """One file of a disclosure's dataset, as both catalogs list it."""

    title: str
    url: str
    suffix: str
    issued: str | None = None
    """The day its publisher issued it: the unit's, for the source."""


@dataclass(frozen=True)
class Description:
    """What both catalogs say of a disclosure: DCAT and schema.org each render it."""

    id: str
    identifier: str
    title: str
    description: str
    page: str
    keywords: tuple[str, ...]
    unit: str
    parent: str | None
    region: str
    region_code: str | None
    year: int
    published: str | None
    added: str | None
    changed: str | None
    licence: str | None
    """The licence's address."""
    licence_name: str | None
    """The licence's name, for a reader given no address (schema.org takes text)."""
    source_url: str | None
    files: tuple[File, ...]


def describe(e: Entry, at: Locator) -> Description:
    """The description of ``e``, its addresses as ``at`` gives them."""
    return Description(
        at(e.page) + "#dataset",
        e.name,
        e.title,
        e.description or e.title,
        at(e.page),
        e.keywords,
        e.unit,
        e.parent,
        e.region,
        e.region_code,
        e.year,
        e.published,
        e.added,
        e.changed,
        e.licence_url,
        e.licence,
        e.source_url,
        tuple(File(f.title, at(f.url), f.suffix, f.issued) for f in _files(e)),
    )


_TERMS: tuple[tuple[str, str, str, bool], ...] = (
    # (field of Description, DCAT-AP term, schema.org term, language-tagged in DCAT)
    ("identifier", "dct:identifier", "identifier", False),
    ("title", "dct:title", "name", True),
    ("description", "dct:description", "description", True),
    ("page", "dcat:landingPage", "url", False),
    ("published", "dct:issued", "datePublished", False),
    ("added", "dct:created", "dateCreated", False),
    ("changed", "dct:modified", "dateModified", False),
    ("licence", "dct:license", "license", False),
    ("source_url", "dct:source", "isBasedOn", False),
)
"""The plain values, each under its term in either vocabulary; absent ones are left out."""


def _terms(d: Description, dcat: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, dcat_term, schema_term, tagged in _TERMS:
        value = getattr(d, field)
        if value:
            out[dcat_term if dcat else schema_term] = _zh(value) if dcat and tagged else value
    return out


def _files(e: Entry) -> list[File]:
    """Every file of a disclosure's dataset, site-root relative."""
    files = [
        File("整个数据包（zip）", urls.download(e.slug, e.year, f"{e.stem}.zip"), "zip"),
        File("Excel 工作簿（全部表格）", urls.download(e.slug, e.year, f"{e.stem}.xlsx"), "xlsx"),
        File("datapackage.json", urls.package_file(e.slug, e.year, "datapackage.json"), "json"),
    ]
    for t in e.tables:
        files.append(File(f"{t.named}（CSV）", urls.package_file(e.slug, e.year, t.csv), "csv"))
        if t.json:
            name = f"{t.id}.json"
            files.append(File(f"{t.named}（JSON）", urls.download(e.slug, e.year, name), "json"))
    if e.source:
        name, suffix = e.source
        files.append(File("原文", urls.download(e.slug, e.year, name), suffix, e.published))
    return files


def _distribution(
    title: str, url: str, suffix: str, licence: str | None, issued: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "dct:title": _zh(title),
        "dcat:accessURL": url,
        "dcat:downloadURL": url,
        "dcat:mediaType": IANA + MEDIA[suffix],
        "dct:format": EU_FILE_TYPE + FILE_TYPES[suffix],
    }
    if issued:
        out["dct:issued"] = issued
    if licence:
        out["dct:license"] = licence
    return out


def _agent(name: str, parent: str | None = None) -> dict[str, Any]:
    agent: dict[str, Any] = {"@type": "foaf:Agent", "foaf:name": _zh(name)}
    if parent:
        agent["org:subOrganizationOf"] = {"@type": "foaf:Agent", "foaf:name": _zh(parent)}
    return agent


def _dataset(e: Entry, at: Locator) -> dict[str, Any]:
    d = describe(e, at)
    start, end = year_span(d.year)
    dataset: dict[str, Any] = {"@id": d.id, "@type": "dcat:Dataset", **_terms(d, dcat=True)}
    dataset["dct:publisher"] = _agent(d.unit, d.parent)
    dataset["dcat:keyword"] = [_zh(k) for k in d.keywords]
    dataset["dct:language"] = CHINESE
    dataset["dct:temporal"] = {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": start,
        "dcat:endDate": end,
    }
    if d.region or d.region_code:
        place: dict[str, Any] = {"@type": "dct:Location"}
        if d.region_code:
            place["dct:identifier"] = d.region_code
        if d.region:
            place["skos:prefLabel"] = _zh(d.region)
        dataset["dct:spatial"] = place
    licence = dataset.get("dct:license")
    dataset["dcat:distribution"] = [
        _distribution(f.title, f.url, f.suffix, licence, f.issued) for f in d.files
    ]
    return dataset


def _facts_dataset(entries: Sequence[Entry], at: Locator) -> dict[str, Any]:
    years = sorted(e.year for e in entries)
    licences = {e.licence_url for e in entries if e.licence_url}
    licence = next(iter(licences)) if len(licences) == 1 else None
    dataset: dict[str, Any] = {
        "@id": at(FACTS) + "#facts",
        "@type": "dcat:Dataset",
        "dct:identifier": "facts",
        "dct:title": _zh("全部决算金额（每个金额一行）"),
        "dct:description": _zh(
            "本站每份决算的每个金额一行：单位、地区、年度、表、行、栏、金额及原文行号，"
            "CSV 与 Parquet 两种格式。金额单位：万元。"
        ),
        "dct:publisher": _agent(PUBLISHER),
        "dcat:landingPage": at(FACTS),
        "dct:language": CHINESE,
    }
    if years:
        dataset["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": year_span(years[0])[0],
            "dcat:endDate": year_span(years[-1])[1],
        }
    changed = [e.changed for e in entries if e.changed]
    if changed:
        dataset["dct:modified"] = max(changed)
    if licence:
        dataset["dct:license"] = licence
    dataset["dcat:distribution"] = [
        _distribution(name, at(FACTS + name), name.rsplit(".", 1)[1], licence)
        for name in FACT_FILES
    ]
    return dataset


def dcat(entries: Sequence[Entry], site_url: str | None = None) -> dict[str, Any]:
    """``catalog.jsonld``: the DCAT-AP catalog of every disclosure and of all amounts."""
    at = Locator(site_url)
    catalog: dict[str, Any] = {
        "@context": DCAT_CONTEXT,
        "@id": at(urls.CATALOG),
        "@type": "dcat:Catalog",
        "dct:title": _zh(SITE_TITLE),
        "dct:description": _zh(
            "政府部门每年公开的部门决算公开表、情况说明和名词解释，整理为开放数据："
            "每份决算一个数据集，附 CSV、JSON、Excel 和完整数据包。金额单位：万元。"
        ),
        "dct:publisher": _agent(PUBLISHER),
        "foaf:homepage": at(urls.HOME) if site_url else "./",
        "dct:language": CHINESE,
    }
    changed = [e.changed for e in entries if e.changed]
    if changed:
        catalog["dct:modified"] = max(changed)
    licences = {e.licence_url for e in entries if e.licence_url}
    if len(licences) == 1:
        catalog["dct:license"] = next(iter(licences))
    catalog["dcat:dataset"] = [_dataset(e, at) for e in entries] + [_facts_dataset(entries, at)]
    return catalog


def schema_org(e: Entry, site_url: str | None = None) -> dict[str, Any]:
    """The schema.org ``Dataset`` of a disclosure, for its page."""
    at = Locator(site_url, e.page)
    d = describe(e, at)
    creator: dict[str, Any] = {"@type": "GovernmentOrganization", "name": d.unit}
    if d.parent:
        creator["parentOrganization"] = {"@type": "GovernmentOrganization", "name": d.parent}
    data: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "Dataset",
        "@id": d.id,
        **_terms(d, dcat=False),
        "keywords": list(d.keywords),
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
        "creator": creator,
        "publisher": {"@type": "Organization", "name": PUBLISHER},
        "temporalCoverage": str(d.year),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": SITE_TITLE,
            "url": at(urls.CATALOG),
        },
    }
    if not d.licence and d.licence_name:
        data["license"] = d.licence_name
    if d.region or d.region_code:
        place: dict[str, Any] = {"@type": "Place"}
        if d.region:
            place["name"] = d.region
        if d.region_code:
            place["identifier"] = d.region_code
        data["spatialCoverage"] = place
    data["distribution"] = [
        {
            "@type": "DataDownload",
            "name": f.title,
            "encodingFormat": MEDIA[f.suffix],
            "contentUrl": f.url,
            **({"datePublished": f.issued} if f.issued else {}),
        }
        for f in d.files
    ]
    return data


def script(data: dict[str, Any], where: str) -> Markup:
    """``data`` as a ``<script type="application/ld+json">`` block that text cannot end.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so a unit named
    ``</script><script>…`` stays a string of the JSON and never closes the block.
    """
    text = json_text(data, where=where, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def legacy(entries: Sequence[Entry]) -> dict[str, Any]:
    """``catalog.json``: the simple list of every disclosure and its files, as before."""
    datasets = []
    for e in entries:
        datasets.append(
            {
                "name": e.name,
                "title": e.title,
                "unit": e.unit,
                "region": e.region,
                "year": e.year,
                "edition": e.edition,
                "validation": e.status,
                "page": e.page,
                "datapackage": urls.package_file(e.slug, e.year, "datapackage.json"),
                "zip": urls.download(e.slug, e.year, f"{e.stem}.zip"),
                "xlsx": urls.download(e.slug, e.year, f"{e.stem}.xlsx"),
                "tables": [
                    {
                        "table": t.id,
                        "title": t.title,
                        "csv": urls.package_file(e.slug, e.year, t.csv),
                        "json": urls.download(e.slug, e.year, f"{t.id}.json") if t.json else None,
                    }
                    for t in e.tables
                ],
            }
        )
    return {"title": SITE_TITLE, "unit_of_amounts": "万元", "datasets": datasets}


def citation(e: Entry, site_url: str | None = None) -> str:
    """How to cite the disclosure (GB/T 7714 style for a database online)."""
    where = (site_url or "") + e.page
    day = f", {e.changed}" if e.changed else ""
    return f"{e.unit}. {e.title}[DB/OL]. {SITE_TITLE}{day}. {where}"


def about_rows(
    e: Entry, source: Sequence[tuple[str, str]], site_url: str | None = None
) -> list[tuple[str, str]]:
    """The provenance as (key, value) for the workbook's 说明 sheet.

    ``source`` are the source file's rows (原文文件, sha256, 页数), as the page has them.
    """
    rows = [
        ("单位", e.unit),
        ("主管部门", e.parent or "—"),
        ("地区", f"{e.region}（{e.region_code}）" if e.region_code else e.region or "—"),
        ("年度", str(e.year)),
        ("版式", e.edition),
        ("金额单位", "万元"),
        ("原文网址", e.source_url or "未登记"),
        ("公开日期", e.published or "未登记"),
        ("收录日期", e.added or "—"),
        ("更新日期", e.changed or "—"),
        *source,
        (
            "许可",
            f"{e.licence_title}（{e.licence_url}）" if e.licence_url else e.licence_title or "—",
        ),
        ("引用", citation(e, site_url)),
        ("说明", e.description),
        ("本站页面", (site_url or "") + e.page),
    ]
    return [(k, str(v)) for k, v in rows]
