"""The downloads page: every amount of every disclosure, the catalogs, what each file is."""

from __future__ import annotations

from juesuan.site import urls
from juesuan.site.allfacts import AMOUNT_TYPE, COLUMNS
from juesuan.site.html import Markup, el, join
from juesuan.site.pages import Block, Heading, Page

DUCKDB_EXAMPLE = """\
-- 各单位各年度的本年支出合计（支出决算表的合计行）
SELECT unit, year, amount
FROM 'facts.parquet'
WHERE "table" = 'expenditure' AND "row" = 'total' AND "column" = 'total'
ORDER BY unit, year;
"""
"""Runs as it is in DuckDB beside the downloaded file (the tests run it)."""

PANDAS_EXAMPLE = """\
import pandas as pd

# 需要 pyarrow；读 CSV 用 pd.read_csv("facts.csv", dtype=str)
facts = pd.read_parquet("facts.parquet")
totals = facts[
    (facts["table"] == "expenditure") & (facts["row"] == "total") & (facts["column"] == "total")
]
print(totals[["unit", "year", "amount"]])
"""

FILES = (
    (
        "数据包 CSV（表格下方“CSV”）",
        "数据包的原文件，UTF-8，无 BOM。表头和行标识是稳定的英文标识（row、code、income…），"
        "各栏的中文名称、类型和说明见 datapackage.json 中该表 Table Schema 的 title 与 "
        "description；行按原文印刷顺序，row 与 source_line 可回到原文。供程序读取。",
    ),
    (
        "CSV（Excel）",
        "供直接阅读：UTF-8 带 BOM，表头为中文（多层表头以“ / ”连接，如“收入 / 金额”），"
        "收支写作收入、支出，附原文行号（PDF 原文另附页码）；科目行按合计、类、款、项排序，"
        "科目按科目表顺序；以 = + - @ 开头的文字前加单引号，Excel 不会将其当作公式。",
    ),
    ("JSON", "与数据包 CSV 同样的记录（同一 JSON Schema），按合计、类、款、项排序。"),
    (
        "Excel 工作簿",
        "说明页（出处、日期、许可、引用）、每表一页（分层表头，金额为数值，行次为整数，"
        "按类、款、项排序）、校验页（全部校验结果）、名词解释和表注。",
    ),
    ("整个数据包（zip）", "数据包文件夹原样打包，含原文与 datapackage.json。"),
    (
        "原文",
        "PDF 和电子表格原样提供；文本原文另提供 UTF-8 网页（带行号，行号即 source_line），"
        "原始字节见“原始文件”，sha256 与数据包记录一致。",
    ),
)


def _code(text: str, language: str) -> Markup:
    return el("pre", {}, el("code", {"class": f"language-{language}"}, text))


def downloads_page(facts: int, packages: int, unread: tuple[str, ...] = ()) -> Page:
    """The page of the site-wide downloads (``facts``: amounts in the facts table).

    ``unread`` are the packages whose facts could not be read (their validation
    says why); the page lists them.
    """
    page = urls.DOWNLOADS
    columns = el(
        "table",
        {"class": "js-list"},
        el(
            "thead",
            {},
            el("tr", {}, el("th", {}, "列"), el("th", {}, "类型"), el("th", {}, "含义")),
        ),
        el(
            "tbody",
            {},
            [
                el(
                    "tr",
                    {},
                    el("td", {}, el("code", {}, name)),
                    el("td", {}, kind),
                    el("td", {}, meaning),
                )
                for name, kind, meaning in COLUMNS
            ],
        ),
    )
    blocks: list[Block] = [
        Heading(1, "下载", "top"),
        Heading(2, "全部金额", "facts"),
        el(
            "p",
            {},
            f"本站 {packages} 份决算的全部 {facts} 个金额，每个金额一行：",
            el("a", {"href": "facts.csv", "download": True}, "facts.csv"),
            "（UTF-8，无 BOM）和 ",
            el("a", {"href": "facts.parquet", "download": True}, "facts.parquet"),
            "。每份数据包的行与 juesuan facts 命令的输出相同，顺序亦同，前面加上单位、地区、"
            "年度和版式，后面加上科目编码、原文行号和原文位置。金额单位：万元。",
        ),
        el(
            "p",
            {},
            "value 是数据包中原样的金额文本，不作取舍；amount 是同一金额的 "
            f"{AMOUNT_TYPE} 数值（原表以元列示的金额折算为万元后可有六位小数），"
            "原样不是六位以内小数的数时为空。Parquet 中空白为 null（与 DuckDB、pandas 读取 "
            "CSV 的结果相同），year 与 source_line 为 32 位整数。",
        ),
        columns,
        *(
            [
                el(
                    "p",
                    {"class": "js-note"},
                    "以下数据包的金额无法读出，未收入其中：",
                    "、".join(unread),
                )
            ]
            if unread
            else []
        ),
        Heading(3, "用 DuckDB 查询", "duckdb"),
        _code(DUCKDB_EXAMPLE, "sql"),
        el("p", {}, "table、row、column 是 SQL 的关键字，列名需加双引号。"),
        Heading(3, "用 pandas 读取", "pandas"),
        _code(PANDAS_EXAMPLE, "python"),
        Heading(2, "数据目录", "catalog"),
        el(
            "ul",
            {},
            el(
                "li",
                {},
                el("a", {"href": urls.relative(page, urls.CATALOG)}, "catalog.jsonld"),
                "：DCAT-AP 3 目录（JSON-LD，上下文内嵌），每份决算一个数据集，每个文件一个分发，"
                "供数据门户采集。",
            ),
            el(
                "li",
                {},
                el("a", {"href": urls.relative(page, "catalog.json")}, "catalog.json"),
                "：同样内容的简单列表（旧格式，保留供已有采集程序使用）。",
            ),
            el(
                "li",
                {},
                el("a", {"href": urls.relative(page, "sitemap.xml")}, "sitemap.xml"),
                "：全部页面。每份决算页面另嵌有 schema.org Dataset 标记。",
            ),
        ),
        Heading(2, "每份决算的下载", "per-disclosure"),
        el(
            "dl",
            {"class": "js-files"},
            [join([el("dt", {}, name), el("dd", {}, text)]) for name, text in FILES],
        ),
        Heading(2, "科目编码", "codes"),
        el(
            "p",
            {},
            "支出功能分类科目：",
            el("a", {"href": urls.relative(page, urls.codelist_file("function", "csv"))}, "CSV"),
            " · ",
            el("a", {"href": urls.relative(page, urls.codelist_file("function", "json"))}, "JSON"),
            "；支出经济分类科目：",
            el("a", {"href": urls.relative(page, urls.codelist_file("economic", "csv"))}, "CSV"),
            " · ",
            el("a", {"href": urls.relative(page, urls.codelist_file("economic", "json"))}, "JSON"),
            "。",
        ),
    ]
    return Page(
        page,
        "下载",
        tuple(blocks),
        description="全部金额（CSV、Parquet）、数据目录和各类下载文件的说明",
    )
