"""MkDocs hook: put each page's HTML blocks back after Markdown has run.

The generated Markdown holds only headings (for the table of contents) and one
placeholder paragraph per block; the blocks wait in a JSON file beside the docs.
Markdown and MkDocs would otherwise parse every table through Python's
html.parser twice, which was most of the build time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

PLACEHOLDER = re.compile(r"<p>juesuan-block-(\d+)</p>")


def placeholder(index: int) -> str:
    """The Markdown paragraph that stands for block ``index``."""
    return f"juesuan-block-{index}"


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Replace the placeholders of ``page`` with its blocks."""
    folder = (config.get("extra") or {}).get("juesuan_blocks")
    if not folder:
        return html
    path = Path(folder) / f"{page.file.src_uri}.json"
    if not path.exists():
        return html
    blocks = json.loads(path.read_text(encoding="utf-8"))
    return PLACEHOLDER.sub(lambda match: blocks[int(match.group(1))], html)
