"""A folder swapped in with ``keep`` leaves the old one as the spare, its folders reused."""

from __future__ import annotations

from pathlib import Path

from juesuan import folders


def fill(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def test_the_spare_is_the_previous_folder_emptied_of_files_with_its_folders(
    tmp_path: Path,
) -> None:
    target = tmp_path / "site"
    folders.replace(target, lambda f: fill(f, {"a/b/page.html": "one", "a/c/x.csv": "1"}))
    assert folders.reuse_spare(target) is None  # nothing kept yet
    new = folders.building(target)
    fill(new, {"a/b/page.html": "two"})
    folders.swap_in(new, target, keep=True)
    spare = tmp_path / ".site.spare"
    assert (spare / "a/c/x.csv").read_text(encoding="utf-8") == "1"
    assert (target / "a/b/page.html").read_text(encoding="utf-8") == "two"
    # recover() leaves the spare alone: it is neither a retired copy nor a leftover.
    assert folders.recover(target) == []
    assert spare.is_dir()
    reused = folders.reuse_spare(target)
    assert reused is not None and not spare.exists()
    assert ".building-" in reused.name
    assert [p for p in reused.rglob("*") if not p.is_dir()] == []
    assert (reused / "a" / "c").is_dir()
    fill(reused, {"a/b/page.html": "three"})
    folders.remove_empty_folders(reused)
    assert sorted(p.relative_to(reused).as_posix() for p in reused.rglob("*")) == [
        "a",
        "a/b",
        "a/b/page.html",
    ]
    folders.swap_in(reused, target, keep=True)
    assert (target / "a/b/page.html").read_text(encoding="utf-8") == "three"
    assert (spare / "a/b/page.html").read_text(encoding="utf-8") == "two"


def test_a_reused_folder_left_by_a_killed_write_is_removed(tmp_path: Path) -> None:
    target = tmp_path / "site"
    folders.replace(target, lambda f: fill(f, {"page.html": "one"}))
    new = folders.building(target)
    folders.swap_in(new, target, keep=True)
    reused = folders.reuse_spare(target)
    assert reused is not None
    reused.rename(reused.with_name(".site.building-999999999-x"))  # as if its process died
    notes = folders.recover(target)
    assert len(notes) == 1 and "removed" in notes[0]
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
