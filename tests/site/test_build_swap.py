"""A build that fails or is killed leaves the previous site whole; the next one mends.

The previous site is a copy of the session's build (both seed packages). A build
of the 黄陂 package alone is killed with SIGKILL (in a subprocess, which kills
itself on reaching the step) at each step, and between and after the renames
that swap it in. Whatever the step, ``out`` is then the complete previous site,
or (killed after the swap) the complete new one, and what the kill left beside
it is what :func:`juesuan.folders.recover` mends.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from juesuan import folders
from juesuan.cli import command_table
from juesuan.site import mkdocs_site
from juesuan.site.build import BuildReport, UnsafeOutput, build_site
from tests.seeds import FIXTURES, HUANGPI, QIAOKOU

KILLED_AT = """
import importlib, os, pathlib, shutil, signal, sys
from juesuan.cli import command_table
from juesuan.site.build import build_site

packages, out, work, step = sys.argv[1:]

def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if step == "between the renames":  # the old site retired, the new one not yet in
    rename = pathlib.Path.rename
    def rename_or_die(self, target):
        if ".building-" in self.name:
            die()
        return rename(self, target)
    pathlib.Path.rename = rename_or_die
elif step == "after the swap":  # the new site in, the old one not yet removed
    rmtree = shutil.rmtree
    def rmtree_or_die(path, *args, **kwargs):
        if ".old-" in pathlib.Path(path).name:
            die()
        return rmtree(path, *args, **kwargs)
    shutil.rmtree = rmtree_or_die
else:
    module, name = step.split(":")
    setattr(importlib.import_module(module), name, die)
build_site(
    pathlib.Path(packages),
    pathlib.Path(out),
    jobs=1,
    work=pathlib.Path(work),
    commands=command_table(),
)
"""

STEPS = {
    "disclosures": "juesuan.site.build:_disclosure",
    "cross pages": "juesuan.site.build:cross_pages",
    "mkdocs": "juesuan.site.mkdocs_site:build",
    "downloads": "juesuan.site.build:_move_downloads",
    "search index": "juesuan.site.search:index",
    "between the renames": "between the renames",
    "after the swap": "after the swap",
}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and the SHA-256 of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def previous(built_site: BuildReport, tmp_path: Path) -> Path:
    """A complete earlier site at ``tmp_path/www/site``."""
    out = tmp_path / "www" / "site"
    shutil.copytree(built_site.site, out)
    return out


@pytest.fixture(scope="module")
def one_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of packages holding 黄陂 alone: a site that differs from the previous."""
    packages = tmp_path_factory.mktemp("one") / "packages"
    shutil.copytree(HUANGPI, packages / HUANGPI.parent.name / HUANGPI.name)
    return packages


def kill_build(packages: Path, out: Path, step: str) -> None:
    """Build ``packages`` into ``out`` in a subprocess that SIGKILLs itself at ``step``."""
    work = out.parent.parent / "work"  # not a temporary folder: a kill would leave it
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AT, str(packages), str(out), str(work), step],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)},
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def beside(out: Path) -> list[str]:
    """The names in ``out``'s parent folder."""
    return sorted(path.name for path in out.parent.iterdir())


@pytest.mark.parametrize("step", STEPS)
def test_a_build_killed_at_any_step_leaves_a_whole_site(
    previous: Path, one_package: Path, step: str
) -> None:
    before = snapshot(previous)
    kill_build(one_package, previous, STEPS[step])
    left = [name for name in beside(previous) if name != "site"]
    assert left, "the kill left nothing to mend: it came too late"
    if step == "between the renames":
        assert not previous.exists()  # the old site waits beside, as .site.old-<pid>
    elif step == "after the swap":
        after = snapshot(previous)
        assert after != before
        assert not any(QIAOKOU.parent.name in path for path in after)  # the new site, whole:
        for path in ("index.html", "sitemap.xml.gz", "catalog.json", "pagefind/pagefind.js"):
            assert path in after
    else:
        assert snapshot(previous) == before
    notes = folders.recover(previous, what="build")
    assert len(notes) == len(left), notes
    assert beside(previous) == ["site"]
    if step != "after the swap":
        assert snapshot(previous) == before
    if step == "between the renames":
        assert notes[0].startswith(f"restored {previous} from .site.old-")


def test_the_next_build_mends_and_is_byte_for_byte_the_same_on_another_day(
    built_site: BuildReport, previous: Path, one_package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kill_build(one_package, previous, STEPS["between the renames"])
    assert not previous.exists()
    said: list[str] = []
    # MkDocs dates the sitemap by SOURCE_DATE_EPOCH when set: another day, here.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    build_site(FIXTURES, previous, jobs=1, progress=said.append, commands=command_table())
    notes = [line for line in said if line.startswith("note: ")]
    assert [note.split(" from ")[0] for note in notes[:1]] == [f"note: restored {previous}"]
    assert "a staging folder of an interrupted build" in notes[1]
    assert beside(previous) == ["site"]
    assert snapshot(previous) == snapshot(built_site.site)


def test_the_sitemap_carries_no_date(built_site: BuildReport) -> None:
    gz = (built_site.site / "sitemap.xml.gz").read_bytes()
    assert gz[4:8] == b"\0\0\0\0"  # the gzip header's MTIME
    assert b"lastmod" not in (built_site.site / "sitemap.xml").read_bytes()


def test_a_failed_build_leaves_the_site_and_nothing_beside(
    previous: Path, one_package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(previous)

    def fail(*_args: object, **_kwargs: object) -> str:
        raise mkdocs_site.MkDocsError("a page links nowhere")

    monkeypatch.setattr(mkdocs_site, "build", fail)
    with pytest.raises(mkdocs_site.MkDocsError):
        build_site(one_package, previous, jobs=1, with_search=False, commands=command_table())
    assert beside(previous) == ["site"]
    assert snapshot(previous) == before


def test_a_build_beside_a_live_one_leaves_its_folder(previous: Path) -> None:
    live = subprocess.Popen(["sleep", "30"])
    try:
        theirs = previous.with_name(f".site.building-{live.pid}-abc")
        theirs.mkdir()
        dead = previous.with_name(".site.building-999999999-abc")
        dead.mkdir()
        notes = folders.recover(previous, what="build")
    finally:
        live.kill()
        live.wait()
    assert theirs.is_dir() and not dead.exists()
    assert notes == [
        f"left {theirs} alone: process {live.pid} is still writing it",
        f"removed {dead}, a staging folder of an interrupted build",
    ]


def test_the_site_never_replaces_what_it_must_keep(tmp_path: Path) -> None:
    for out in (FIXTURES.parent, Path.cwd()):
        with pytest.raises(UnsafeOutput, match="would go with it"):
            build_site(FIXTURES, out, commands=command_table())
    file = tmp_path / "file"
    file.write_text("", encoding="utf-8")
    with pytest.raises(UnsafeOutput, match="is not a folder"):
        build_site(FIXTURES, file, commands=command_table())
