"""Where a disclosure comes from, on its page: publisher, source page, dates, file, licence."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from juesuan.site.build import BuildReport
from juesuan.site.corpus import load
from juesuan.site.html import el, external_link, external_url
from juesuan.site.linkcheck import outbound, third_party
from juesuan.site.page_disclosure import disclosure_page
from juesuan.site.provenance import Dates, commit_dates, location_pages, pdf_pages
from tests.seeds import FIXTURES, HUANGPI, QIAOKOU

LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def _copy(seed: Path, root: Path) -> Path:
    """A copy of a seed package (and its unit.json) under ``root``."""
    folder = root / seed.parent.name / seed.name
    shutil.copytree(seed, folder)
    shutil.copy(seed.parent / "unit.json", folder.parent / "unit.json")
    return folder


def _edit(path: Path, change: dict) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, value in change.items():
        target = data
        *parents, last = key.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[last] = value
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _page_html(folder: Path) -> str:
    page = disclosure_page(load(folder))
    return "".join(str(block) for block in page.blocks)


def test_the_page_names_the_source_page_and_the_parent_from_the_package(tmp_path: Path) -> None:
    folder = _copy(HUANGPI, tmp_path)
    _edit(
        folder / "datapackage.json",
        {
            "juesuan.source_url": "https://www.huangpi.gov.cn/zfxxgk/2024/t1.html",
            "juesuan.parent": "武汉市黄陂区人民政府",
        },
    )
    html = _page_html(folder)
    assert (
        '<a href="https://www.huangpi.gov.cn/zfxxgk/2024/t1.html" '
        'rel="external noopener noreferrer nofollow">'
    ) in html
    assert "（主管部门：武汉市黄陂区人民政府）" in html
    assert f'<a href="{LICENCE}" rel="external noopener noreferrer license">' in html


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ({"juesuan.published": "2025-09-01"}, "2025-09-01"),
        ({"juesuan.published": "2025-02-30"}, "未登记"),
        ({"juesuan.published": "<script>alert(1)</script>"}, "未登记"),
    ],
)
def test_the_page_gives_the_publication_date(tmp_path: Path, given: dict, shown: str) -> None:
    folder = _copy(HUANGPI, tmp_path)
    _edit(folder / "datapackage.json", given)
    html = _page_html(folder)
    row = html.split("<dt>公开日期</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert shown in row and "script" not in row


def test_unit_json_gives_what_the_package_lacks(tmp_path: Path) -> None:
    folder = _copy(QIAOKOU, tmp_path)
    _edit(
        folder.parent / "unit.json",
        {
            "parent": "武汉市硚口区政务服务和大数据管理局",
            "years.2019.source_url": "http://www.qiaokou.gov.cn/a?b=1&c=2",
            "years.2019.published": "2020-09-10",
        },
    )
    html = _page_html(folder)
    assert "2020-09-10" in html
    assert 'href="http://www.qiaokou.gov.cn/a?b=1&amp;c=2"' in html
    assert "（主管部门：武汉市硚口区政务服务和大数据管理局）" in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        'https://x.cn/"onmouseover=alert(1)',
        "//cdn.x/y",
        "ftp://x.cn/",
        "data:text/html,x",
    ],
)
def test_a_source_page_that_is_no_web_address_is_not_linked(tmp_path: Path, url: str) -> None:
    folder = _copy(HUANGPI, tmp_path)
    _edit(folder / "datapackage.json", {"juesuan.source_url": url})
    html = _page_html(folder)
    assert "未登记" in html
    assert "alert" not in html and "cdn.x" not in html
    assert external_url(url) is None


def test_an_external_address_goes_only_into_a_link() -> None:
    url = external_url("https://example.org/a")
    assert url is not None
    assert external_link(url, "x") == (
        '<a href="https://example.org/a" rel="external noopener noreferrer">x</a>'
    )
    with pytest.raises(ValueError):
        el("img", {"src": url})


def test_links_out_are_allowed_and_loads_from_another_host_are_not(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="https://a.org/" rel="external noopener">a</a>'
        '<a href="https://b.org/">b</a>'
        '<link rel="stylesheet" href="https://c.org/x.css">'
        '<img src="https://d.org/x.png">',
        encoding="utf-8",
    )
    assert [link.url for link in outbound(tmp_path)] == ["https://a.org/"]
    assert [link.url for link in third_party(tmp_path)] == [
        "https://b.org/",
        "https://c.org/x.css",
        "https://d.org/x.png",
    ]


def test_the_built_pages_link_out_only_to_the_licence(built_site: BuildReport) -> None:
    # The seeds register no source page: the licence, on each page and in every footer.
    assert {link.url for link in outbound(built_site.site)} == {LICENCE}
    for folder in (HUANGPI, QIAOKOU):
        d = load(folder)
        html = (built_site.site / "units" / d.slug / str(d.year) / "index.html").read_text()
        footer = html.split('class="md-copyright"', 1)[1]
        assert "数据许可：" in footer and LICENCE in footer and "引用格式" in footer


def test_the_page_shows_the_commit_dates_the_source_file_and_a_citation(
    built_site: BuildReport,
) -> None:
    dates = commit_dates(FIXTURES, [HUANGPI, QIAOKOU])
    for folder in (HUANGPI, QIAOKOU):
        d = load(folder)
        html = (built_site.site / "units" / d.slug / str(d.year) / "index.html").read_text()
        added = dates[folder].added
        assert added and f"<dd>{added} 收录" in html
        assert f'href="download/{d.stem}-source.html"' in html
        assert f'href="package/{d.meta["source"]["path"]}"' in html
        assert f"{d.unit}. {d.title}[DB/OL]. 部门决算公开数据, {dates[folder].changed}." in html


def _git(folder: Path, *args: str, day: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if day:
        env |= {"GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00"}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def test_commit_dates_are_the_first_and_last_commits_of_each_package(tmp_path: Path) -> None:
    root = tmp_path / "packages"
    huangpi, qiaokou = _copy(HUANGPI, root), _copy(QIAOKOU, root)
    _git(root, "init", "-q")
    _git(root, "add", huangpi.parent.name, day="2025-01-02")
    _git(root, "commit", "-q", "-m", "a", day="2025-01-02")
    _git(root, "add", ".", day="2025-02-03")
    _git(root, "commit", "-q", "-m", "b", day="2025-02-03")
    (huangpi / "notes.csv").write_text("table,source_line,text\n", encoding="utf-8")
    (huangpi.parent / "unit.json").write_text("{}", encoding="utf-8")  # not the package
    _git(root, "commit", "-q", "-am", "c", day="2025-03-04")
    assert commit_dates(root, [huangpi, qiaokou]) == {
        huangpi: Dates("2025-01-02", "2025-03-04"),
        qiaokou: Dates("2025-02-03", "2025-02-03"),
    }


def test_a_folder_outside_git_has_no_dates_and_the_page_says_so(tmp_path: Path) -> None:
    folder = _copy(HUANGPI, tmp_path)
    assert commit_dates(tmp_path, [folder]) == {}
    assert "—（尚未提交到仓库）" in _page_html(folder)


def _pdf(path: Path, pages: int) -> Path:
    document = canvas.Canvas(str(path))
    for number in range(pages):
        document.drawString(72, 720, f"page {number + 1}")
        document.showPage()
    document.save()
    return path


def test_a_pdf_source_gives_its_page_count(tmp_path: Path) -> None:
    assert pdf_pages(_pdf(tmp_path / "a.pdf", 3)) == 3
    broken = tmp_path / "b.pdf"
    broken.write_bytes(b"%PDF-1.4\n garbage")
    assert pdf_pages(broken) is None


def test_a_pdf_source_that_cannot_be_read_counts_the_pages_locations_name(tmp_path: Path) -> None:
    folder = _copy(HUANGPI, tmp_path)
    source = folder / "source" / "document.pdf"
    source.write_bytes(b"%PDF-1.4\n not really")
    for old in (folder / "source").glob("*.txt"):
        old.unlink()
    (folder / "locations.csv").write_text(
        'source_line,location\n1,"page 2, line 1"\n9,"page 11, line 4"\n', encoding="utf-8"
    )
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "source-locations", "path": "locations.csv"})
    descriptor["juesuan"]["source"]["path"] = "source/document.pdf"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert location_pages(folder, descriptor) == 11
    assert load(folder).provenance.source.pages == 11  # type: ignore[union-attr]
    assert "原文 PDF（11 页）" in _page_html(folder)


def test_a_package_name_that_is_no_file_name_does_not_name_the_downloads(tmp_path: Path) -> None:
    folder = _copy(HUANGPI, tmp_path)
    _edit(folder / "datapackage.json", {"name": "../../../evil"})
    d = load(folder)
    assert d.stem == f"{d.slug}-{d.year}"
