"""The glossary, the code pages and the site's frame, as a Chinese reader expects them."""

from __future__ import annotations

import re
from pathlib import Path

from juesuan.site.build import BuildReport
from juesuan.site.linkcheck import pages
from juesuan.site.summary import pinyin_key

HUANGPI_PAGE = Path("units") / "wuhan-huangpi-dashujuzhongxin-benji" / "2024" / "index.html"


def _read(site: BuildReport, path: str | Path) -> str:
    return (site.site / path).read_text(encoding="utf-8")


def test_the_glossary_lists_terms_in_pinyin_order_and_headings_as_headings(
    built_site: BuildReport,
) -> None:
    html = _read(built_site, "glossary/index.html")
    assert "未给出解释" not in html
    own, *sections = html.split("<h2 ")
    terms = re.findall(r'<dt id="[^"]+"><a href="[^"]+">([^<]+)</a></dt>', own)
    assert len(terms) >= 15 and terms == sorted(terms, key=pinyin_key)
    assert terms[:2] == ["国有资本经营预算财政拨款收入", "基本支出"]
    assert "其他专用名词" not in html  # a heading with nothing under it explains nothing
    (section,) = sections
    assert section.split(">", 1)[1].startswith("本部门使用的支出功能分类科目(到项级)")
    under = re.findall(r'<dt id="[^"]+"><a href="[^"]+">([^<]+)</a></dt>', section)
    assert "一般公共服务(类)网信事务(款)事业运行(项)" in under
    assert "一般公共服务(类)统计信息事务(款)事业运行(项)" in under
    assert not (built_site.site / "glossary" / "qi-ta-zhuan-yong-ming-ci-30be96").exists()


def test_the_disclosure_glossary_links_terms_and_entries_not_headings(
    built_site: BuildReport,
) -> None:
    html = _read(built_site, HUANGPI_PAGE)
    glossary = html.split('<dl class="js-glossary">', 1)[1].split("</dl>", 1)[0]
    heading = re.search(r"<dt[^>]*>（十八）其他专用名词(.*?)</dt>", glossary)
    assert heading and "各单位表述" not in heading.group(1)
    entry = re.search(r'<dd class="js-subitem"[^>]*>1\. <strong>一般公共服务.*?</dd>', glossary)
    assert entry and "各单位表述" in entry.group(0)


def test_code_pages_name_the_class_and_item_above_the_code(built_site: BuildReport) -> None:
    network = _read(built_site, "codes/function/2013750/index.html")
    statistics = _read(built_site, "codes/function/2010550/index.html")
    assert "<title>2013750 事业运行（一般公共服务支出 › 网信事务） - " in network
    assert "<title>2010550 事业运行（一般公共服务支出 › 统计信息事务） - " in statistics
    chain = re.search(r'<p class="js-chain">(.*?)</p>', network).group(1)
    assert re.sub(r"<[^>]+>", "", chain) == (
        "类 201 一般公共服务支出 › 款 20137 网信事务 › 项 2013750 事业运行"
    )
    assert '<a href="../20137/">20137 网信事务</a>' in chain


def test_the_frame_speaks_chinese_and_says_where_a_page_stands(built_site: BuildReport) -> None:
    for page in pages(built_site.site):
        text = page.read_text(encoding="utf-8")
        assert "Permanent link" not in text, page
    missing = _read(built_site, "404.html")
    assert "Not found" not in missing and "<h1>404 - 页面不存在</h1>" in missing
    assert "<title>部门决算公开数据</title>" in _read(built_site, "index.html")
    html = _read(built_site, HUANGPI_PAGE)
    trail = re.search(r'<nav class="js-trail"[^>]*>(.*?)</nav>', html).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', trail) == [
        ("../../../", "首页"),
        ("../../", "单位"),
        ("../", "武汉市黄陂区大数据中心（本级）"),
    ]
    assert "nth-child(2) > .md-nav__link" in html  # 单位, the page's section, marked
