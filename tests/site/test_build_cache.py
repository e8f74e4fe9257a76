"""A build with the cache gives the site a clean build gives, byte for byte.

Three synthetic disclosures (tests/synthetic.py) are built with a cache, then
one is changed and built again; the result is compared file by file with a
clean build (no cache) of the same tree. Entries damaged in the cache are
found and rebuilt, never published; deleting the cache changes nothing; what
the latest build did not use is pruned.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.cli import command_table, main
from juesuan.site import build as site_build
from juesuan.site import records, search, search_cache
from juesuan.site.build import BuildReport, build_site
from juesuan.site.build_cache import Store, read_blob
from juesuan.site.catalog import Entry
from juesuan.site.provenance import Dates
from juesuan.site.summary import Summary
from tests.synthetic import generate


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and the sha256 of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build(packages: Path, out: Path, cache: Path | None) -> BuildReport:
    return build_site(packages, out, jobs=1, commands=command_table(), cache=cache)


def entries(cache: Path, area: str) -> set[str]:
    return {p.name for p in (cache / "site" / area).glob("??/*")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    packages = tmp_path_factory.mktemp("corpus") / "packages"
    generate(packages, 3)
    return packages


def change_one(packages: Path) -> Path:
    """Reword one disclosure's title: its page, its unit's page and the catalogs change."""
    folder = sorted(packages.glob("*/*/datapackage.json"))[0]
    text = folder.read_text(encoding="utf-8")
    assert '"title": "' in text
    folder.write_text(text.replace('"title": "', '"title": "改 ', 1), encoding="utf-8")
    return folder.parent


@pytest.fixture(scope="module")
def cached(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(packages, cache, out) after a cold build with the cache."""
    root = tmp_path_factory.mktemp("cached")
    packages = root / "packages"
    shutil.copytree(corpus, packages)
    cold = build(packages, root / "out", root / "cache")
    assert cold.cache_hits == {}
    assert cold.cache_misses["disclosures"] == 3
    return packages, root / "cache", root / "out"


def test_a_rebuild_with_nothing_changed_leaves_the_site_as_it_is(
    cached: tuple[Path, Path, Path],
) -> None:
    packages, cache, out = cached
    before = snapshot(out)
    again = build(packages, out, cache)
    assert again.up_to_date
    assert again.cache_hits == again.cache_misses == {}
    assert snapshot(out) == before


def test_a_site_touched_since_is_rebuilt_from_the_cache_byte_for_byte(
    cached: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    packages, cache, out = cached
    before = snapshot(out)
    page = out / "index.html"
    page.write_bytes(page.read_bytes() + b"<!-- edited -->")
    again = build(packages, out, cache)
    assert not again.up_to_date
    assert again.cache_misses == {}
    assert again.cache_hits["disclosures"] == 3
    assert again.cache_hits["cross"] == 1
    assert again.cache_hits["pages"] == again.pages
    assert again.cache_hits["search"] == 1
    assert snapshot(out) == before
    clean = build(packages, tmp_path / "clean", None)
    assert clean.cache_hits == clean.cache_misses == {}
    assert snapshot(tmp_path / "clean") == before


def test_a_rebuild_after_one_change_is_a_clean_build_of_the_tree(
    corpus: Path, cached: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _source, _cache, out = cached
    packages = tmp_path / "packages"  # the key names the folder: a copy is built cold
    shutil.copytree(corpus, packages)
    build(packages, tmp_path / "out", tmp_path / "cache")
    change_one(packages)
    rebuilt = build(packages, tmp_path / "out", tmp_path / "cache")
    assert rebuilt.cache_misses["disclosures"] == 1
    assert rebuilt.cache_hits["disclosures"] == 2
    assert rebuilt.cache_misses["cross"] == 1
    # The other disclosures' pages are kept; what names the changed one is not.
    assert 0 < rebuilt.cache_hits["pages"] < rebuilt.pages
    assert rebuilt.cache_misses["search"] == 1
    build(packages, tmp_path / "clean", None)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")
    assert snapshot(tmp_path / "out") != snapshot(out)


def test_damaged_entries_are_rebuilt_never_published(
    cached: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    packages, source_cache, out = cached
    cache = tmp_path / "cache"
    shutil.copytree(source_cache, cache)
    site = cache / "site"
    # A truncated download, a tampered page, a manifest cut short, an index file gone.
    download = next(p for p in (site / "disclosures").rglob("files/staging/**/*.xlsx"))
    download.write_bytes(download.read_bytes()[:100])
    page = next(p for p in (site / "pages").glob("??/*") if read_blob(p) is not None)
    page.write_bytes(page.read_bytes().replace(b"<body", b"<body data-x", 1))
    manifest = next(p for p in (site / "cross").rglob("manifest.json"))
    manifest.write_bytes(manifest.read_bytes()[:-20])
    bundle = next(p for p in (site / "search").rglob("files/bundle/*") if p.is_file())
    bundle.unlink()
    rebuilt = build(packages, tmp_path / "out", cache)
    assert rebuilt.cache_misses == {"disclosures": 1, "cross": 1, "pages": 1, "search": 1}
    assert snapshot(tmp_path / "out") == snapshot(out)
    # Rebuilt entries replace the damaged ones: the next build reuses everything.
    again = build(packages, tmp_path / "out", cache)
    assert again.cache_misses == {}
    assert snapshot(tmp_path / "out") == snapshot(out)


def test_a_record_that_does_not_fit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(records.RecordError):
        records.load(Summary, ["only", "three", "fields"])
    with pytest.raises(records.RecordError):
        records.load(Entry, [1] * 23)


def test_a_manifest_path_out_of_its_roots_is_refused(
    cached: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """A tampered manifest naming ../ is a missing entry, and nothing is written."""
    _packages, source_cache, _out = cached
    cache = tmp_path / "cache"
    shutil.copytree(source_cache, cache)
    from juesuan.site.build_cache import FORMAT, digest_of

    place = next((cache / "site" / "disclosures").glob("??/*"))
    manifest = json.loads((place / "manifest.json").read_text(encoding="utf-8"))
    body = json.loads(manifest["body"])
    body["files"][0][0] = "docs/../../escaped.md"
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    (place / "manifest.json").write_text(json.dumps({"body": text, "sha256": digest_of(text)}))
    assert body["format"] == FORMAT
    roots = {name: tmp_path / "into" / name for name in ("docs", "blocks", "staging")}
    store = Store(cache / "site")
    assert store.fetch_tree("disclosures", place.name, roots, lambda record: record) is None
    assert not (tmp_path / "into").exists()
    assert not (tmp_path / "escaped.md").exists()
    assert not place.exists()


def test_deleting_the_cache_changes_nothing_and_pruning_drops_stale_entries(
    cached: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    source, _cache, out = cached
    packages = tmp_path / "packages"
    shutil.copytree(source, packages)
    cache = tmp_path / "cache"
    fresh = build(packages, tmp_path / "out", cache)
    assert fresh.cache_hits == {}
    assert snapshot(tmp_path / "out") == snapshot(out)
    before = entries(cache, "disclosures")
    changed = change_one(packages)
    rebuilt = build(packages, tmp_path / "out", cache)
    after = entries(cache, "disclosures")
    # The changed package's old entry is gone, its new one is in, the others stay.
    assert len(after) == len(before) == 3
    assert len(after - before) == len(before - after) == 1
    assert rebuilt.cache_pruned >= 1 + 1 + 1  # its disclosure, the cross pages, the index
    assert len(entries(cache, "cross")) == len(entries(cache, "search")) == 1
    assert len(entries(cache, "pages")) == rebuilt.pages
    shutil.rmtree(changed)
    shutil.rmtree(cache)
    build(packages, tmp_path / "out", None)
    assert not cache.exists()


def test_build_no_cache_neither_reads_nor_writes_the_cache(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    arguments = ["build", "--packages", str(corpus), "--no-search", "--jobs", "1"]
    result = CliRunner().invoke(
        main, [*arguments, "--out", str(tmp_path / "out"), "--cache", str(cache), "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    assert not cache.exists()
    with_cache = [*arguments, "--out", str(tmp_path / "cached"), "--cache", str(cache)]
    assert CliRunner().invoke(main, with_cache).exit_code == 0
    again = CliRunner().invoke(main, with_cache)
    assert again.exit_code == 0 and "is up to date" in again.output
    assert snapshot(tmp_path / "cached") == snapshot(tmp_path / "out")


def test_one_change_indexes_only_its_shards_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In shards, a rebuild indexes again the shards holding changed pages, and no other."""
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 8)
    packages = tmp_path / "packages"
    shutil.copytree(corpus, packages)
    cold = build(packages, tmp_path / "out", tmp_path / "cache")
    bundle = tmp_path / "out" / search.BUNDLE
    merged = json.loads((bundle / search.SHARDS_FILE).read_text(encoding="utf-8"))
    shards = cold.cache_misses["search"]
    assert shards >= 4 and len(merged) == shards - 1
    for folder in merged:  # index files only: the primary's script reads them
        assert (bundle / folder / "pagefind-entry.json").is_file()
        assert not (bundle / folder / "pagefind.js").exists()
    before = search_cache.indexed_pages(tmp_path / "out")
    change_one(packages)
    rebuilt = build(packages, tmp_path / "out", tmp_path / "cache")
    after = search_cache.indexed_pages(tmp_path / "out")
    changed = {page for page in after if before.get(page) != after[page]}
    touched = {name for name, pages in search.shards(after).items() if changed & set(pages)}
    assert 0 < len(touched) < shards
    assert rebuilt.cache_misses["search"] == len(touched)
    assert rebuilt.cache_hits["search"] == shards - len(touched)
    build(packages, tmp_path / "clean", None)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "clean")


def test_the_files_digests_are_kept_in_the_builds_own_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Digests are kept only for packages inside the working directory.
    monkeypatch.chdir(tmp_path)
    shutil.copytree(corpus, tmp_path / "packages")
    build(Path("packages"), tmp_path / "out", tmp_path / "given")
    assert list((tmp_path / "given" / "digests").glob("??/*.json"))
    assert not (tmp_path / ".juesuan-cache").exists()


def folders_under(folder: Path) -> set[str]:
    """Every folder under ``folder``: a reused site must leave none a clean build lacks."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def age(folder: Path, seconds: int = 60) -> None:
    """Every file's mtime well before now: out of the racy window of a stamp taken now."""
    then = time.time_ns() - seconds * 1_000_000_000
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(then, then))


def test_a_disclosure_removed_or_added_gives_a_clean_builds_site_in_the_reused_folders(
    corpus: Path, tmp_path: Path
) -> None:
    packages, out, cache = tmp_path / "packages", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(corpus, packages)
    build(packages, out, cache)
    spare = tmp_path / ".out.spare"
    assert not spare.exists()  # no previous site to keep yet
    removed = sorted(packages.glob("*/*/datapackage.json"))[-1].parent
    held = tmp_path / "held"
    shutil.move(removed, held)
    build(packages, out, cache)
    assert spare.is_dir()  # the previous site, kept for its folders
    kept_folder = (spare / "units").stat().st_ino
    shutil.move(held, removed)
    added = build(packages, out, cache)
    assert not added.up_to_date
    assert (out / "units").stat().st_ino == kept_folder  # the spare's folders, filled again
    build(packages, tmp_path / "clean", None)
    assert snapshot(out) == snapshot(tmp_path / "clean")
    assert folders_under(out) == folders_under(tmp_path / "clean")
    shutil.rmtree(removed)
    build(packages, out, cache)
    build(packages, tmp_path / "clean-2", None)
    assert snapshot(out) == snapshot(tmp_path / "clean-2")
    assert folders_under(out) == folders_under(tmp_path / "clean-2")


def test_the_keys_of_untouched_packages_are_kept_not_hashed_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packages, out, cache = tmp_path / "packages", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(corpus, packages)
    age(packages)
    hashed: list[Path] = []
    real = site_build._key

    def counting(task: tuple[Path, Dates, str | None, Path]) -> str | None:
        hashed.append(task[0])
        return real(task)

    monkeypatch.setattr(site_build, "_key", counting)
    first = build(packages, out, cache)
    assert len(hashed) == 3
    hashed.clear()
    assert build(packages, out, cache).up_to_date
    assert hashed == []
    changed = change_one(packages)
    rebuilt = build(packages, out, cache)
    assert hashed == [changed]  # and it is hashed again while its change is racy
    assert rebuilt.cache_misses["disclosures"] == 1
    hashed.clear()
    age(changed)
    (out / "index.html").touch()
    again = build(packages, out, cache)
    assert hashed == [changed]
    assert again.cache_misses == {}
    hashed.clear()
    assert build(packages, out, cache).up_to_date
    assert hashed == []
    # Another address is another key for every package.
    build_site(
        packages, out, jobs=1, commands=command_table(), cache=cache, site_url="https://x.invalid/"
    )
    assert len(hashed) == 3
    assert first.pages == again.pages
