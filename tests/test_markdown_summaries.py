"""The Markdown a pull request's job summary gets keeps what the pull request wrote inert.

``juesuan diff --format markdown`` and ``juesuan validate --format markdown`` print
folder names, table titles, row labels and messages that come with a contribution.
Rendered (as GitHub renders the summary: CommonMark with tables), none may end a
table row, start a block, open a link or become HTML.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from juesuan.repository.diff import Change, PackageDiff
from juesuan.repository.diff import render_markdown as diff_markdown
from juesuan.text import escape
from juesuan.validation.findings import Finding, PackageReport
from juesuan.validation.render import render_markdown as validation_markdown

LABEL = "x|y <script>alert(1)</script> `a` *b* _c_ [d](javascript:e)\n# f\r\n1. g"


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.cells_per_row: list[int] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.cells_per_row.append(0)
        elif tag in ("td", "th"):
            self.cells_per_row[-1] += 1

    def handle_data(self, data: str) -> None:
        self.text += data


def _rendered(markdown: str) -> _Html:
    html = _Html()
    html.feed(MarkdownIt("commonmark").enable("table").render(markdown))
    return html


def _same_structure(render: object, hostile: str, plain: str) -> _Html:
    """Render with the hostile text and with plain text: the same elements, in order."""
    assert callable(render)
    html, control = _rendered(render(hostile)), _rendered(render(plain))
    assert html.tags == control.tags
    assert html.cells_per_row == control.cells_per_row
    return html


SEEN = "x|y <script>alert(1)</script> `a` *b* _c_ [d](javascript:e) # f 1. g"
"""LABEL as a reader sees it: every character, on one line."""


def test_escape_inline_keeps_text_on_its_line_and_inert() -> None:
    assert escape("x|y <script>", inline=True) == "x\\|y \\<script\\>"
    assert escape("`a`", inline=True) == "\\`a\\`"
    assert escape("a\nb\r\nc\u2028d", inline=True) == "a b c d"
    assert escape("1. a", inline=True) == "1\\. a"
    assert escape("1) a", inline=True) == "1\\) a"
    assert escape("282.91", inline=True) == "282.91"  # an amount, not a list marker
    # Without inline, the escaping packages' narrative was written with, unchanged.
    assert escape("282.91") == "282\\.91"
    assert escape("a\nb") == "a\nb"


def _diffs(text: str) -> list[PackageDiff]:
    folder = Path(f"datapackage/{text}/2024")
    change = Change("changed", text, "201", text, text, "1.00", "2.00")
    added = Change("added", text, "1", text, text, None, "1")
    return [
        PackageDiff(folder, "changed", (change,), (f"source replaced: {text}",), 1),
        PackageDiff(folder, "new", (added,), (), 1),
    ]


def test_diff_markdown_escapes_folders_titles_labels_and_notes() -> None:
    html = _same_structure(lambda text: diff_markdown(_diffs(text), "HEAD"), LABEL, "plain")
    assert html.cells_per_row and set(html.cells_per_row) == {6}
    assert html.text.count(SEEN) == 7  # two headings, a note, a table line, three cells


def _report(text: str) -> list[PackageReport]:
    finding = Finding(
        "basic-expenditure-hierarchy",
        "error",
        f"row {text}",
        f"行 {text}",
        table=text,
        row="201",
        column=text,
        line=12,
    )
    return [PackageReport("p", [finding], amounts=1, covered=1)]


def test_validation_markdown_escapes_labels_in_places_and_messages() -> None:
    html = _same_structure(lambda text: validation_markdown(_report(text)), LABEL, "plain")
    assert set(html.cells_per_row) == {4}
    assert f"行 {SEEN}" in html.text
    assert f"{SEEN} 201 {SEEN}" in html.text
