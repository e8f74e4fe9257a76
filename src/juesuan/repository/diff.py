"""``juesuan diff``: what changed in packages' facts against a git revision.

A reviewer of a pull request should see that 282.91 became 282.92 in 公开02表
row 201, not that a CSV line changed. The package as it was at the revision is
taken out of git into a temporary folder and both are read with
:func:`juesuan.package.facts.facts`, so the comparison is the facts view analysts use.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from juesuan.package import trust
from juesuan.package.facts import Fact, facts
from juesuan.paths import shown
from juesuan.text import escape


class GitError(Exception):
    """git is missing, or the folder is not in a repository, or the revision unknown."""


@dataclass(frozen=True)
class Change:
    """One fact added, removed or changed."""

    kind: str
    """added, removed or changed."""
    table_title: str
    row: str
    row_label: str
    column_label: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class PackageDiff:
    """What changed in one package folder."""

    folder: Path
    status: str
    """new, removed, changed or unchanged."""
    changes: tuple[Change, ...]
    notes: tuple[str, ...]
    """Metadata worth a reviewer's eye: a replaced source, a hand_edited flag."""
    facts_after: int


def compare(before: Iterable[Fact], after: Iterable[Fact]) -> list[Change]:
    """Facts added, removed and changed, keyed by (table, row, column)."""
    old = {(f.table, f.row, f.column): f for f in before}
    new = {(f.table, f.row, f.column): f for f in after}
    changes = []
    for key, fact in new.items():
        was = old.get(key)
        if was is None:
            changes.append(_change("added", fact, None, fact.value))
        elif was.value != fact.value:
            changes.append(_change("changed", fact, was.value, fact.value))
    for key, fact in old.items():
        if key not in new:
            changes.append(_change("removed", fact, fact.value, None))
    return changes


def _change(kind: str, fact: Fact, before: str | None, after: str | None) -> Change:
    return Change(
        kind, fact.table_title, fact.row, fact.row_label, fact.column_label, before, after
    )


def _names(output: bytes) -> list[str]:
    """Paths git printed with -z: NUL-separated, never quoted, UTF-8."""
    return [name for name in output.decode("utf-8", "surrogateescape").split("\0") if name]


def _git(top: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=top, capture_output=True, check=False)
    except FileNotFoundError as error:
        raise GitError("git is not installed") from error
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def repository_top(path: Path) -> Path:
    """The top folder of the git work tree holding ``path``."""
    start = path if path.is_dir() else path.parent
    while not start.exists():
        start = start.parent
    return Path(_git(start, "rev-parse", "--show-toplevel").decode().strip())


@contextmanager
def package_at(top: Path, rev: str, folder: Path) -> Iterator[Path | None]:
    """The package ``folder`` as it was at ``rev``, in a temporary folder (None if absent)."""
    relative = folder.resolve().relative_to(top.resolve()).as_posix()
    _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    listed = _names(_git(top, "ls-tree", "-r", "-z", "--name-only", rev, "--", relative))
    if f"{relative}/datapackage.json" not in listed:
        yield None
        return
    archive = _git(top, "archive", "--format=tar", rev, "--", relative)
    with tempfile.TemporaryDirectory(prefix="juesuan-diff-") as scratch:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(scratch, filter="data")
        yield Path(scratch) / relative


def changed_packages(root: Path, rev: str) -> list[Path]:
    """Package folders under ``root`` whose files differ from ``rev`` (or are new)."""
    top = repository_top(root)
    relative = root.resolve().relative_to(top.resolve()).as_posix()
    names = _names(_git(top, "diff", "-z", "--name-only", "--no-renames", rev, "--", relative))
    names += _names(_git(top, "ls-files", "-z", "--others", "--exclude-standard", "--", relative))
    folders = set()
    for name in names:
        parts = Path(name).relative_to(relative).parts
        if len(parts) >= 3 and parts[1].isdigit():
            folders.add(top / relative / parts[0] / parts[1])
    return sorted(folders)


def diff_package(folder: Path, rev: str) -> PackageDiff:
    """Compare ``folder`` in the work tree with the same folder at ``rev``."""
    top = repository_top(folder)
    exists = (folder / "datapackage.json").exists()
    untrusted = trust.problems(folder) if exists else []
    if untrusted:
        # Nothing is read from a package before it is trusted (a million-row CSV
        # would stall the job before validate could name it).
        notes = tuple(f"not compared: {problem}" for problem in untrusted)
        return PackageDiff(folder, "changed", (), notes, 0)
    after = list(facts(folder)) if exists else []
    with package_at(top, rev, folder) as old_folder:
        before = list(facts(old_folder)) if old_folder else []
        notes = _notes(old_folder, folder) if old_folder and exists else ()
    if old_folder is None:
        status = "new" if exists else "unchanged"
    elif not exists:
        status = "removed"
    else:
        status = "changed"
    changes = compare(before, after)
    if status == "changed" and not changes and not notes:
        status = "unchanged"
    return PackageDiff(folder, status, tuple(changes), notes, len(after))


def _notes(old_folder: Path, folder: Path) -> tuple[str, ...]:
    old = _metadata(old_folder)
    new = _metadata(folder)
    notes = []
    if old.get("sha256") != new.get("sha256"):
        notes.append(f"source replaced: {old.get('path')} → {new.get('path')}")
    if old.get("hand_edited") != new.get("hand_edited"):
        notes.append(f"hand_edited: {old.get('hand_edited')} → {new.get('hand_edited')}")
    return tuple(notes)


def _metadata(folder: Path) -> dict[str, object]:
    meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["juesuan"]
    source = meta.get("source", {})
    return {
        "sha256": source.get("sha256"),
        "path": source.get("path"),
        "hand_edited": bool(meta.get("hand_edited")),
    }


def render_text(diffs: list[PackageDiff], rev: str) -> str:
    """Plain text, one block per package."""
    out = []
    for diff in diffs:
        out.append(f"{shown(diff.folder)}: {_headline(diff)} (against {rev})")
        out += [f"  {note}" for note in diff.notes]
        if diff.status in ("new", "removed"):
            out += [f"  {line}" for line in _per_table(diff)]
            continue
        for change in diff.changes:
            where = (
                f"{change.table_title} · {change.row} {change.row_label} · {change.column_label}"
            )
            if change.kind == "changed":
                out.append(f"  changed {where}: {change.before} → {change.after}")
            elif change.kind == "added":
                out.append(f"  added   {where}: {change.after}")
            else:
                out.append(f"  removed {where}: {change.before}")
    return "".join(f"{line}\n" for line in out) if out else "no package changed\n"


def render_markdown(diffs: list[PackageDiff], rev: str) -> str:
    """Markdown for a pull request's job summary.

    Folder names, labels and notes come with the pull request: each is escaped
    (:func:`juesuan.text.escape`), so none can end a table row, open a link or
    reach the summary as HTML.
    """
    out = [f"## Facts changed against {_md(rev)}", ""]
    if not diffs:
        out.append("No package changed.")
    for diff in diffs:
        out += [f"### {_md(shown(diff.folder))}: {_headline(diff)}", ""]
        if diff.notes:
            # The blank line ends the list: a table right under it would be taken into it.
            out += [*(f"- {_md(note)}" for note in diff.notes), ""]
        if diff.status in ("new", "removed"):
            out += [f"- {_md(line)}" for line in _per_table(diff)]
        elif diff.changes:
            out += ["| | table | row | column | before | after |", "|---|---|---|---|---:|---:|"]
            for c in diff.changes:
                cells = (
                    c.kind,
                    c.table_title,
                    f"{c.row} {c.row_label}",
                    c.column_label,
                    c.before or "",
                    c.after or "",
                )
                out.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
        out.append("")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Contributed text inside one line of Markdown."""
    return escape(text, inline=True)


def _headline(diff: PackageDiff) -> str:
    if diff.status == "new":
        return f"new package, {_facts(diff.facts_after)}"
    if diff.status == "removed":
        return f"package removed, {_facts(len(diff.changes))} gone"
    if diff.status == "unchanged":
        return "facts unchanged"
    changed = sum(c.kind == "changed" for c in diff.changes)
    added = sum(c.kind == "added" for c in diff.changes)
    removed = len(diff.changes) - changed - added
    return f"{_facts(changed)} changed, {added} added, {removed} removed"


def _facts(count: int) -> str:
    return f"{count} fact" if count == 1 else f"{count} facts"


def _per_table(diff: PackageDiff) -> list[str]:
    counts: dict[str, int] = {}
    for change in diff.changes:
        counts[change.table_title] = counts.get(change.table_title, 0) + 1
    return [f"{title}: {_facts(count)}" for title, count in counts.items()]
