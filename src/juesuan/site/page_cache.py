"""Rendered pages kept by content: MkDocs writes a kept page instead of rendering it.

MkDocs has no incremental build. Every page is still handed to it (the sitemap
and the navigation see the whole site), but for a page whose key is kept the
hook (:mod:`juesuan.site.mkdocs_hooks`) skips Markdown and gives the theme a
template that prints the kept HTML as it is. A page's key covers all its HTML
depends on: its Markdown and blocks, where it is, the MkDocs configuration
(navigation, footer, address; not the build's own folders), the theme's files,
every installed library (MkDocs, Material, Markdown, Jinja) and juesuan's code.
The hook checks each kept page against its digest and renders the page when it
fails, so a damaged entry costs time, never a wrong page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from juesuan.paths import THEME
from juesuan.site.build_cache import Store, digest_of, libraries
from juesuan.site.mkdocs_site import blocks_folder
from juesuan.text import json_text
from juesuan.validation.cache import code_key

AREA = "pages"
FORMAT = "juesuan-site-page/1"

_BUILD_FOLDERS = ("docs_dir", "site_dir")


def environment(settings: dict[str, Any]) -> str:
    """What every page depends on besides its own files: configuration, theme, code."""
    kept = {k: v for k, v in settings.items() if k not in _BUILD_FOLDERS}
    extra = {k: v for k, v in (kept.get("extra") or {}).items() if not k.startswith("juesuan_")}
    kept["extra"] = extra
    theme = []
    for path in sorted(p for p in THEME.rglob("*") if p.is_file()):
        theme.append(path.relative_to(THEME).as_posix())
        theme.append(digest_of(path.read_bytes()))
    return digest_of(FORMAT, json_text(kept, where="mkdocs.yml"), *theme, libraries(), code_key())


def output_of(src_uri: str) -> str:
    """The HTML file MkDocs writes for a page's Markdown (directory URLs)."""
    path = Path(src_uri)
    if path.name == "index.md":
        return (path.parent / "index.html").as_posix().removeprefix("./")
    return (path.with_suffix("") / "index.html").as_posix()


def keys(docs: Path, environment_key: str) -> dict[str, str]:
    """The key of every page under ``docs`` by its Markdown path."""
    blocks = blocks_folder(docs)
    found = {}
    for path in sorted(docs.rglob("*.md")):
        src_uri = path.relative_to(docs).as_posix()
        sidecar = blocks / f"{src_uri}.json"
        held = sidecar.read_bytes() if sidecar.is_file() else b"no blocks"
        found[src_uri] = digest_of(environment_key, src_uri, path.read_bytes(), held)
    return found


def plan(store: Store, page_keys: dict[str, str], work: Path) -> Path:
    """Tell the hook which pages may be kept ones: ``work/rendered.json``, its path."""
    candidates = {}
    for src_uri, key in page_keys.items():
        path = store.blob_path(AREA, key)
        if path.is_file():
            candidates[src_uri] = str(path)
    manifest = work / "rendered.json"
    served = work / "rendered-served.json"
    served.unlink(missing_ok=True)
    manifest.write_text(
        json_text({"pages": candidates, "served": str(served)}, where=manifest.name),
        encoding="utf-8",
    )
    return manifest


def keep(store: Store, page_keys: dict[str, str], work: Path, site: Path) -> None:
    """After a build that passed: count the pages served kept, keep the ones rendered."""
    served_file = work / "rendered-served.json"
    served = (
        set(json.loads(served_file.read_text(encoding="utf-8"))) if served_file.is_file() else set()
    )
    for src_uri, key in page_keys.items():
        if src_uri in served:
            store.note(AREA, key, hit=True)
            continue
        store.note(AREA, key, hit=False)
        html = site / output_of(src_uri)
        if html.is_file():
            store.put_blob(AREA, key, html.read_bytes())
