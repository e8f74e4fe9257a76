"""A table printed inside a chapter stays a table from the source to the page."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from juesuan.ingest.pipeline import ingest
from juesuan.package.write import write_package
from juesuan.site.corpus import load
from juesuan.site.narrative import chapter_html, table_rows, to_html
from juesuan.site.page_disclosure import disclosure_page
from tests.disclosure_files import docx_document, html_page
from tests.seeds import HUANGPI, source_of

HOSTILE = "<script>alert(1)</script> a | b"


def _hostile_seed(tmp_path: Path) -> Path:
    """The seed with hostile text in a header cell of its 重点工作 table."""
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    lines[lines.index("\t重要事项")] = f"\t{HOSTILE}"
    source = tmp_path / "hostile.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    return source


@pytest.mark.parametrize("kind", ["text", "html", "docx"])
def test_a_narrative_table_reaches_the_page_as_a_table(tmp_path: Path, kind: str) -> None:
    source = _hostile_seed(tmp_path)
    if kind == "html":
        source = html_page(source, tmp_path / "hostile.html")
    elif kind == "docx":
        source = docx_document(source, tmp_path / "hostile.docx")
    folder = write_package(ingest(source), tmp_path / "package")
    markdown = (folder / "narrative" / "key_work.md").read_text(encoding="utf-8")
    head = r"| 序号 | \<script\>alert(1)\</script\> a \| b | 工作内容及目标 | 完成情况 |"
    assert head + "\n| --- | --- | --- | --- |\n| 1 | " in markdown
    # The package's narrative.csv keeps every cell a paragraph, as the narrative
    # numbers have always been read from it.
    with (folder / "narrative.csv").open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle) if row["part"] == "key_work"]
    assert HOSTILE in texts and "序号" in texts
    blocks = disclosure_page(load(folder)).blocks
    page = "".join(str(block) for block in blocks)
    at = next(i for i, b in enumerate(blocks) if getattr(b, "anchor", None) == "n-key-work")
    chapter = str(blocks[at + 1])
    table = chapter.split('<table class="js-grid">', 1)[1].split("</table>", 1)[0]
    assert "<th>序号</th>" in table
    assert "<th>&lt;script&gt;alert(1)&lt;/script&gt; a | b</th>" in table
    assert "<script>alert" not in page
    assert "<td>完成</td>" in chapter


def test_only_the_pipe_tables_ingest_writes_become_tables() -> None:
    written = "| a | b |\n| --- | --- |\n| 1 | \\<b\\> \\| c |"
    assert table_rows(written) == [["a", "b"], ["1", "\\<b\\> \\| c"]]
    html = str(chapter_html(f"# t\n\n段落\n\n{written}\n\n后记"))
    assert html.count("<table") == 1 and "<td>&lt;b&gt; | c</td>" in html
    assert html.index("段落") < html.index("<table") < html.index("后记")
    # What the source says is escaped: its pipes never make a table.
    assert table_rows("\\| a \\| b \\|\n\\|---\\|---\\|") is None
    assert "<table" not in str(chapter_html("| a | b |\n|---|---|\n| 1 | 2 |"))
    assert "<table" not in str(to_html(written))
