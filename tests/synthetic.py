"""A synthetic corpus of disclosures for benchmarks and tests of the site.

Each package copies the layout of a real seed package of its edition (its
descriptor, Table Schemas, notes) and fills the tables with plausible amounts
built bottom-up from 项 amounts in cents, so every declared sum, hierarchy and
cross-table identity holds exactly. Codes come from the code lists of the year,
names from a small vocabulary of regions and unit kinds. Deterministic per seed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.ingest.narrative import to_markdown
from juesuan.taxonomy import Edition, editions
from juesuan.taxonomy.codes import valid_codes
from juesuan.units import slug_for
from tests.seeds import HUANGPI, QIAOKOU

REGIONS = (
    "武汉市江岸区", "武汉市江汉区", "武汉市硚口区", "武汉市汉阳区", "武汉市武昌区",
    "武汉市青山区", "武汉市洪山区", "武汉市东西湖区", "武汉市蔡甸区", "武汉市江夏区",
    "武汉市黄陂区", "武汉市新洲区", "宜昌市西陵区", "宜昌市伍家岗区", "襄阳市樊城区",
    "荆州市沙市区", "黄石市下陆区", "十堰市茅箭区",
)  # fmt: skip
KINDS = (
    "大数据中心", "财政局", "教育局", "卫生健康局", "城市管理执法局", "档案馆",
    "统计局", "民政局", "司法局", "审计局", "科技和经济信息化局", "政务服务和大数据管理局",
    "住房和城市更新局", "农业农村局", "文化和旅游局", "退役军人事务局", "医疗保障局",
    "市场监督管理局", "自然资源和规划分局", "应急管理局", "网络安全和信息化中心",
)  # fmt: skip
SUBUNITS = ("", "机关服务中心", "信息中心")
PROVINCE_REGIONS = (
    "武汉市汉南区", "黄石市黄石港区", "黄石市西塞山区", "黄石市铁山区", "黄石市阳新县",
    "黄石市大冶市", "十堰市张湾区", "十堰市郧阳区", "十堰市郧西县", "十堰市竹山县",
    "十堰市竹溪县", "十堰市房县", "十堰市丹江口市", "宜昌市点军区", "宜昌市猇亭区",
    "宜昌市夷陵区", "宜昌市远安县", "宜昌市兴山县", "宜昌市秭归县", "宜昌市宜都市",
    "宜昌市当阳市", "宜昌市枝江市", "襄阳市襄城区", "襄阳市襄州区", "襄阳市南漳县",
    "襄阳市谷城县", "襄阳市保康县", "襄阳市老河口市", "襄阳市枣阳市", "襄阳市宜城市",
    "鄂州市梁子湖区", "鄂州市华容区", "鄂州市鄂城区", "荆门市东宝区", "荆门市掇刀区",
    "荆门市沙洋县", "荆门市钟祥市", "荆门市京山市", "孝感市孝南区", "孝感市孝昌县",
    "孝感市大悟县", "孝感市云梦县", "孝感市应城市", "孝感市安陆市", "孝感市汉川市",
    "荆州市荆州区", "荆州市公安县", "荆州市江陵县", "荆州市石首市", "荆州市洪湖市",
    "荆州市松滋市", "荆州市监利市", "黄冈市黄州区", "黄冈市团风县", "黄冈市红安县",
    "黄冈市罗田县", "黄冈市英山县", "黄冈市浠水县", "黄冈市蕲春县", "黄冈市黄梅县",
    "黄冈市麻城市", "黄冈市武穴市", "咸宁市咸安区", "咸宁市嘉鱼县", "咸宁市通城县",
    "咸宁市崇阳县", "咸宁市通山县", "咸宁市赤壁市", "随州市曾都区", "随州市广水市",
)  # fmt: skip
PROVINCE_KINDS = (
    "发展和改革局", "人力资源和社会保障局", "生态环境分局", "交通运输局", "水务和湖泊局",
    "商务局", "林业局", "体育局", "信访局", "机关事务服务中心", "融媒体中心",
    "人民防空办公室", "供销合作社联合社", "公共资源交易中心",
)  # fmt: skip
PROVINCE_SUBUNITS = ("综合保障中心", "培训中心")
"""More regions, kinds and subordinate centres: enough names for a province's units.

Drawn on only past the names of the original vocabulary, so a corpus that fits
in it stays as it was.
"""
CITY = 1_000
"""Corpora up to this size are a city's units over one to three years; larger
ones are a province-year: one 2024 disclosure for each of that many units."""
TEMPLATES = {
    "2024": HUANGPI,
    "2019": QIAOKOU,
}
GOV_FUND_CODES = ("2120803",)
"""项 funded by the 政府性基金 budget (land-transfer spending); the rest by 一般公共预算."""
WORDING_VARIANTS = (("市级财政", "区级财政"), ("指", "是指"), ("资金", "财政资金"))

Cents = int


def _money(cents: Cents | None) -> str:
    if cents is None:
        return ""
    return f"{Decimal(cents) / 100:.2f}"


def _split(total: Cents, parts: int, rng: random.Random) -> list[Cents]:
    """``total`` cents split into ``parts`` positive pieces that add up exactly."""
    parts = min(parts, total)
    if parts <= 1:
        return [total]
    weights = [rng.uniform(0.2, 1.0) for _ in range(parts)]
    scale = sum(weights)
    pieces = [max(1, int(total * w / scale)) for w in weights]
    pieces[0] += total - sum(pieces)
    return pieces


@dataclass
class Item:
    """One 项: its amounts in cents."""

    code: str
    fiscal_basic: Cents
    fiscal_project: Cents
    other_basic: Cents
    """Non-fiscal income (事业收入 or 其他收入) spent as basic expenditure."""

    @property
    def basic(self) -> Cents:
        """基本支出: fiscal and non-fiscal."""
        return self.fiscal_basic + self.other_basic

    @property
    def total(self) -> Cents:
        """本年支出合计."""
        return self.basic + self.fiscal_project

    @property
    def fiscal(self) -> Cents:
        """财政拨款: basic and project."""
        return self.fiscal_basic + self.fiscal_project

    @property
    def gov_fund(self) -> bool:
        """Whether the 政府性基金 budget funds it."""
        return self.code in GOV_FUND_CODES


def _items(year: int, rng: random.Random) -> list[Item]:
    codes = valid_codes("function", year)
    leaves = sorted(c for c in codes if len(c) == 7)
    chosen = rng.sample(leaves, k=rng.randint(1, min(4, len(leaves))))
    items = []
    for code in sorted(chosen):
        scale = rng.choice((5_000, 30_000, 120_000, 600_000))
        gov_fund = code in GOV_FUND_CODES
        basic = 0 if gov_fund else rng.randint(scale // 4, scale * 2)
        project = rng.randint(0, scale * 3) if not gov_fund else rng.randint(scale, scale * 20)
        other = rng.randint(0, scale // 3) if not gov_fund and rng.random() < 0.25 else 0
        items.append(Item(code, basic, project, other))
    return items


def _ancestors(code: str) -> list[str]:
    return [code[:3], code[:5], code]


def _classified(
    items: list[Item], values: Callable[[Item], dict[str, Cents] | None]
) -> list[dict[str, Cents | str]]:
    """Rows of a classified table: 合计, then each 类/款/项 summed from its 项."""
    sums: dict[str, dict[str, Cents]] = defaultdict(lambda: defaultdict(int))
    present: dict[str, set[str]] = defaultdict(set)
    for item in items:
        row = values(item)
        if row is None:
            continue
        for code in ["total", *_ancestors(item.code)]:
            for column, cents in row.items():
                if cents is not None:
                    sums[code][column] += cents
                    present[code].add(column)
    order = ["total", *sorted(c for c in sums if c != "total")]
    return [
        {"row": code, **{c: sums[code][c] for c in present[code]}} for code in order if code in sums
    ]


def _economic(edition: Edition, basic: Cents, rng: random.Random) -> dict[str, Cents]:
    """公开06: the GB basic expenditure split over 款, 类 and the two group totals."""
    table = edition.tables["basic_expenditure"]
    codes = [r.code for r in table.rows if r.code and len(r.code) == 5]
    personnel_share = rng.uniform(0.7, 0.95)
    personnel = round(basic * personnel_share)
    public = basic - personnel
    wage = [c for c in codes if c.startswith("301")]
    family = [c for c in codes if c.startswith("303")]
    goods = [c for c in codes if c.startswith("302")]
    values: dict[str, Cents] = {}
    if basic <= 0:
        return values
    picks_wage = rng.sample(wage, k=min(len(wage), rng.randint(5, 10)))
    picks_family = rng.sample(family, k=1) if rng.random() < 0.4 and personnel > 100 else []
    shares = _split(personnel, len(picks_wage) + len(picks_family), rng)
    values.update(zip(picks_wage + picks_family, shares, strict=False))
    picks_goods = rng.sample(goods, k=min(len(goods), rng.randint(3, 9)))
    values.update(zip(picks_goods, _split(public, len(picks_goods), rng), strict=False))
    for group in ("301", "302", "303"):
        members = [v for c, v in values.items() if c.startswith(group)]
        values[group] = sum(members)
    values["personnel_total"] = values["301"] + values["303"]
    values["public_total"] = values["302"]
    return values


def _three_public(rng: random.Random) -> dict[str, Cents]:
    budget = {
        "abroad": rng.choice((0, 0, 0, rng.randint(100, 3000))),
        "vehicle_purchase": rng.choice((0, 0, 0, rng.randint(5000, 30000))),
        "vehicle_operation": rng.choice((0, rng.randint(500, 8000))),
        "reception": rng.randint(5, 1500),
    }
    actual = {k: int(v * rng.uniform(0.5, 1.0)) for k, v in budget.items()}
    out: dict[str, Cents] = {}
    for prefix, values in (("budget", budget), ("actual", actual)):
        for key, cents in values.items():
            out[f"{prefix}_{key}"] = cents
        out[f"{prefix}_vehicle"] = values["vehicle_purchase"] + values["vehicle_operation"]
        out[f"{prefix}_total"] = values["abroad"] + out[f"{prefix}_vehicle"] + values["reception"]
    return out


def _ledger(
    edition: Edition, table_id: str, values: dict[tuple[str, str], Cents]
) -> list[dict[str, Cents | str]]:
    table = edition.tables[table_id]
    rows = []
    for row in table.rows:
        record: dict[str, Cents | str] = {"row": row.id}
        for column in table.columns:
            if (row.id, column.id) in values:
                record[column.id] = values[(row.id, column.id)]
        rows.append(record)
    return rows


def tables(edition: Edition, year: int, rng: random.Random) -> dict[str, list[dict]]:
    """Every table of one synthetic disclosure, amounts in cents, keyed by row id."""
    items = _items(year, rng)
    gb = [i for i in items if not i.gov_fund]
    gf = [i for i in items if i.gov_fund]
    business_income = rng.random() < 0.5
    source_column = "business" if business_income else "other"
    out: dict[str, list[dict]] = {}
    out["income"] = _classified(
        items,
        lambda i: (
            {"total": i.total, "fiscal_appropriation": i.fiscal}
            | ({source_column: i.other_basic} if i.other_basic else {})
        ),
    )
    out["expenditure"] = _classified(
        items,
        lambda i: (
            {"total": i.total, "basic": i.basic, "project": i.fiscal_project}
            if i.basic
            else {"total": i.total, "project": i.fiscal_project}
        ),
    )
    out["general_budget_expenditure"] = _classified(
        gb, lambda i: {"total": i.fiscal, "basic": i.fiscal_basic, "project": i.fiscal_project}
    ) or [{"row": "total"}]
    out["gov_fund"] = _classified(
        gf,
        lambda i: {
            "income": i.fiscal,
            "expenditure_total": i.fiscal,
            "project": i.fiscal_project,
        },
    ) or [{"row": "total"}]
    if "state_capital" in edition.tables:
        out["state_capital"] = [{"row": "total"}]
    gb_total = sum(i.fiscal for i in gb)
    gf_total = sum(i.fiscal for i in gf)
    other_total = sum(i.other_basic for i in items)
    total = sum(i.total for i in items)
    classes: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        classes[item.code[:3]].append(item)
    summary: dict[tuple[str, str], Cents] = {
        ("general_budget_appropriation", "income"): gb_total,
        ("income_total", "income"): total,
        ("income_grand_total", "income"): total,
        ("expenditure_total", "expenditure"): total,
        ("expenditure_grand_total", "expenditure"): total,
    }
    if gf_total:
        summary[("gov_fund_appropriation", "income")] = gf_total
    if other_total:
        summary[(source_column, "income")] = other_total
    for code, members in classes.items():
        summary[(code, "expenditure")] = sum(i.total for i in members)
    out["summary"] = _ledger(edition, "summary", summary)
    fiscal: dict[tuple[str, str], Cents] = {
        ("general_budget_appropriation", "income"): gb_total,
        ("income_total", "income"): gb_total + gf_total,
        ("income_grand_total", "income"): gb_total + gf_total,
        ("expenditure_total", "expenditure_total"): gb_total + gf_total,
        ("expenditure_total", "general_budget"): gb_total,
        ("expenditure_grand_total", "general_budget"): gb_total,
        ("expenditure_grand_total", "expenditure_total"): gb_total + gf_total,
    }
    if gf_total:
        fiscal[("gov_fund_appropriation", "income")] = gf_total
        fiscal[("expenditure_total", "gov_fund")] = gf_total
        fiscal[("expenditure_grand_total", "gov_fund")] = gf_total
    for code, members in classes.items():
        fiscal[(code, "expenditure_total")] = sum(i.fiscal for i in members)
        general = sum(i.fiscal for i in members if not i.gov_fund)
        fund = sum(i.fiscal for i in members if i.gov_fund)
        if general:
            fiscal[(code, "general_budget")] = general
        if fund:
            fiscal[(code, "gov_fund")] = fund
    out["fiscal_summary"] = _ledger(edition, "fiscal_summary", fiscal)
    economic = _economic(edition, sum(i.fiscal_basic for i in gb), rng)
    out["basic_expenditure"] = [
        {"row": row.id, **({"amount": economic[row.id]} if row.id in economic else {})}
        for row in edition.tables["basic_expenditure"].rows
    ]
    out["three_public"] = [{"row": "total", **_three_public(rng)}]
    return out


def _csv(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _labels(edition: Edition, table_id: str, year: int) -> dict[str, tuple[str, str]]:
    """Row id → (code, label) for a table: template rows, then the year's code list."""
    table = edition.tables[table_id]
    labels = {row.id: (row.code or "", row.label) for row in table.rows}
    if table.layout == "classified":
        labels["total"] = ("", "合计")
        labels.update(
            {c: (c, e.name) for c, e in valid_codes(table.codelist or "function", year).items()}
        )
    return labels


def _write_table(
    folder: Path, resource: dict, edition: Edition, year: int, rows: list[dict]
) -> None:
    table = edition.tables[resource["juesuan"]["table"]]
    names = [f["name"] for f in resource["schema"]["fields"]]
    values = {c.id for c in table.columns}
    labels = _labels(edition, table.id, year)
    fixed = {row.id: row for row in table.rows}
    records = []
    for row in rows:
        code, label = labels.get(str(row["row"]), ("", ""))
        template = fixed.get(str(row["row"]))
        record: dict[str, Any] = {
            "row": row["row"],
            "code": code or None,
            "label": label,
            "side": template.side if template else None,
            "line": template.line if template else None,
            "source_line": None,
        }
        for column in values:
            record[column] = _money(row.get(column)) if column in row else None
        records.append(record)
    text = _csv(
        [names, *[[("" if r.get(n) is None else r.get(n)) for n in names] for r in records]]
    )
    (folder / resource["path"]).write_text(text, encoding="utf-8")
    json_records = [
        {n: float(r[n]) if n in values and r.get(n) else r.get(n) or None for n in names}
        for r in records
    ]
    json_path = resource["juesuan"]["json"]
    (folder / json_path).write_text(
        json.dumps(json_records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _vary(text: str, rng: random.Random) -> str:
    for old, new in WORDING_VARIANTS:
        if old in text and rng.random() < 0.3:
            text = text.replace(old, new, 1)
    return text


def unit_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct unit names: a region, a kind of unit, maybe a subordinate centre."""
    pairs = [(r, k, s) for r in REGIONS for k in KINDS for s in SUBUNITS]
    rng.shuffle(pairs)
    if count > len(pairs):
        known = set(pairs)
        more = [
            (r, k, s)
            for r in REGIONS + PROVINCE_REGIONS
            for k in KINDS + PROVINCE_KINDS
            for s in SUBUNITS + PROVINCE_SUBUNITS
            if (r, k, s) not in known
        ]
        rng.shuffle(more)
        pairs += more
    if count > len(pairs):
        raise ValueError(f"{count} unit names asked for, the vocabulary gives {len(pairs)}")
    names = [f"{r}{k}{s}" for r, k, s in pairs[:count]]
    return [f"{n}（本级）" if rng.random() < 0.15 else n for n in names]


def write_disclosure(root: Path, unit: str, year: int, edition_id: str, seed: int) -> Path:
    """One synthetic package under ``root/<slug>/<year>/``."""
    rng = random.Random(seed)
    edition = editions()[edition_id]
    template = TEMPLATES[edition_id]
    descriptor = json.loads((template / "datapackage.json").read_text(encoding="utf-8"))
    slug = slug_for(unit)
    folder = root / slug / str(year)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "data").mkdir(parents=True)
    (folder / "narrative").mkdir()
    (folder / "source").mkdir()
    (folder / "codelists").mkdir()
    amounts = tables(edition, year, rng)
    region = next((r for r in REGIONS + PROVINCE_REGIONS if unit.startswith(r)), "")
    source_text = (
        f"{unit}{year}年度部门决算（合成数据，仅用于测试和基准，不是真实的政府信息）\n"
        + json.dumps(amounts, ensure_ascii=False, sort_keys=True)
        + "\n"
    )
    source = folder / "source" / "synthetic.txt"
    source.write_text(source_text, encoding="utf-8")
    resources = []
    for resource in descriptor["resources"]:
        name = resource.get("name", "")
        table_id = (resource.get("juesuan") or {}).get("table")
        if table_id:
            if table_id not in amounts:
                continue
            resource = json.loads(json.dumps(resource))
            resource["title"] = f"{year}年度{edition.tables[table_id].title}"
            if amounts[table_id]:
                # The template's table printed with no data gets rows here.
                resource["juesuan"].pop("empty", None)
            _write_table(folder, resource, edition, year, amounts[table_id])
        elif name.startswith("codelist-"):
            kind = name.removeprefix("codelist-")
            entries = sorted(valid_codes(kind, year).values(), key=lambda c: c.code)
            rows = [["code", "name", "level"], *[[c.code, c.name, c.level] for c in entries]]
            (folder / resource["path"]).write_text(_csv(rows), encoding="utf-8")
            resource = {
                **resource,
                "title": resource["title"].replace(str(descriptor["juesuan"]["year"]), str(year)),
            }
        elif name == "glossary":
            _copy_glossary(template, folder, resource["path"], rng)
        elif name == "table-notes":
            _copy_notes(template, folder, resource["path"], amounts)
        elif name == "narrative":
            _write_narrative(folder, resource["path"], unit, year, amounts)
        elif str(resource.get("path", "")).startswith("narrative/"):
            if not (folder / resource["path"]).exists():
                continue
        else:
            continue
        resources.append(resource)
    descriptor.update(
        {
            "name": f"{slug}-{year}",
            "title": f"{unit}{year}年度部门决算",
            "description": f"{unit}{year}年度部门决算（合成数据，用于测试和基准）。"
            "金额单位：万元。",
            "keywords": ["部门决算", "决算公开", str(year), region, "合成数据"],
            "sources": [
                {"title": f"{unit}{year}年度部门决算（合成）", "path": "source/synthetic.txt"}
            ],
            "resources": resources,
        }
    )
    descriptor["juesuan"] = {
        **descriptor["juesuan"],
        "unit": unit,
        "region": region,
        "year": year,
        "source": {
            "path": "source/synthetic.txt",
            "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
            "encoding": "utf-8",
            "layout": "cells",
        },
        "inferred_placements": [],
    }
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return folder


def _copy_glossary(template: Path, folder: Path, path: str, rng: random.Random) -> None:
    with (template / path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["definition"] = _vary(row["definition"], rng)
        row["source_line"] = ""
    fields = list(rows[0]) if rows else ["order", "number", "term", "definition", "parent"]
    text = _csv([fields, *[[r[f] for f in fields] for r in rows]])
    (folder / path).write_text(text, encoding="utf-8")
    lines = [
        (
            i,
            f"（{r['number']}）{r['term']}：{r['definition']}"
            if not r["parent"]
            else f"{r['number']}.{r['term']}{r['definition']}",
        )
        for i, r in enumerate(rows, start=1)
    ]
    (folder / "narrative" / "glossary.md").write_text(to_markdown("名词解释", lines), "utf-8")


def _copy_notes(template: Path, folder: Path, path: str, amounts: dict[str, list[dict]]) -> None:
    with (template / path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for r in rows if r["table"] in amounts and "无" not in r["text"]]
    text = _csv([["table", "source_line", "text"], *[[r["table"], "", r["text"]] for r in kept]])
    (folder / path).write_text(text, encoding="utf-8")


def _write_narrative(
    folder: Path, path: str, unit: str, year: int, amounts: dict[str, list[dict]]
) -> None:
    total = next(r for r in amounts["summary"] if r["row"] == "income_total").get("income", 0)
    overview = [
        (1, f"{unit}概况"),
        (2, "一、部门主要职责"),
        (3, f"{unit}负责本区域相关公共事务的管理和服务工作（合成数据）。"),
    ]
    explanation = [
        (1, "一、收入支出决算总体情况说明"),
        (2, f"{year}年度收、支总计均为{_money(total)}万元。"),
    ]
    rows = [["part", "order", "source_line", "text"]]
    for key, title, lines in (
        ("overview", "概况", overview),
        ("explanation", "部门决算情况说明", explanation),
    ):
        (folder / "narrative" / f"{key}.md").write_text(to_markdown(title, lines), "utf-8")
        rows += [[key, i, "", text] for i, (_n, text) in enumerate(lines, start=1)]
    (folder / path).write_text(_csv(rows), encoding="utf-8")


def _city_plans(names: list[str], count: int, rng: random.Random) -> list[tuple[str, int, str]]:
    """(unit, year, edition) of ``count`` disclosures: each unit with one to three years."""
    plans: list[tuple[str, int, str]] = []
    years = [("2019", 2019), ("2024", 2024), ("2024", 2025)]
    for unit in names:
        for edition_id, year in years[: rng.choice((1, 2, 2, 3))]:
            plans.append((unit, year, edition_id))
            if len(plans) == count:
                return plans
    return plans


def plan(count: int, seed: int = 2024) -> list[tuple[str, int, str]]:
    """(unit, year, edition) of the ``count`` disclosures :func:`generate` writes.

    Up to :data:`CITY` of them: units with one to three years. More: a province-year,
    ``count`` units with a 2024 disclosure each.
    """
    rng = random.Random(seed)
    names = unit_names(count, rng)
    if count <= CITY:
        return _city_plans(names, count, rng)
    return [(unit, 2024, "2024") for unit in names]


def generate(root: Path, count: int, seed: int = 2024) -> list[Path]:
    """``count`` synthetic disclosures under ``root``, as :func:`plan` lays them out."""
    return [
        write_disclosure(root, unit, year, edition_id, seed * 100_003 + index)
        for index, (unit, year, edition_id) in enumerate(plan(count, seed))
    ]
