"""``juesuan check-sources``: every committed package is what its source gives.

Each package is ingested again from the source it keeps, into a temporary
folder, and compared file by file with the committed one. A difference in a
table is reported as facts (row, column, committed value, value from the source)
at the CSV line that holds it, so CI can annotate the file. Packages marked
``hand_edited`` (numbers typed from paper, or a misprint corrected by hand) are
skipped, and the output says so.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juesuan.errors import SourceError
from juesuan.package import trust

_IGNORED_KEYS = (("juesuan", "generator"),)
"""Descriptor keys that may differ: the version that wrote the package."""


@dataclass(frozen=True)
class Problem:
    """One way a package differs from its source, at a file and line."""

    file: Path
    message: str
    line: int | None = None


_YEAR = re.compile(r"^\d{4}$")


@dataclass
class Outcome:
    """The check of one package folder."""

    folder: Path
    status: str
    """matches, skipped or differs."""
    problems: list[Problem] = field(default_factory=list)
    note: str = ""


def package_folders(root: Path) -> list[Path]:
    """Every <unit>/<year> folder under ``root``, scaffolded or ingested.

    A folder holding a package under another name (``<unit>/abc/``) is listed
    too, so that it is reported rather than skipped.
    """
    years = {p for p in root.glob("*/*") if p.is_dir() and _YEAR.fullmatch(p.name)}
    return sorted(years | set(trust.package_folders(root)[1]))


def check_package(folder: Path) -> Outcome:
    """Re-ingest ``folder``'s source and compare; the root is two levels up."""
    descriptor_file = folder / "datapackage.json"
    if not _YEAR.fullmatch(folder.name):
        message = (
            f"a package in {folder.name}/, which is no year: packages live in "
            "<unit>/<year>/, and this one is neither checked nor published"
        )
        return Outcome(folder, "differs", [Problem(descriptor_file, message)])
    if not descriptor_file.exists():
        return _not_ingested(folder)
    untrusted = trust.problems(folder)
    if untrusted:
        found = [Problem(folder / p.path, str(p)) for p in untrusted]
        return Outcome(folder, "differs", found)
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    meta = descriptor.get("juesuan", {})
    # Only a real true skips the comparison: "false" or 1 is a hand-edited flag
    # that is not there.
    if meta.get("hand_edited") is True:
        return Outcome(folder, "skipped", note="hand_edited: not compared with its source")
    source_path = meta.get("source", {}).get("path")
    source = folder / source_path if source_path else None
    if source is None or trust.unsafe_reference(folder, source_path) is not None:
        return Outcome(
            folder,
            "differs",
            [
                Problem(
                    descriptor_file,
                    f"source missing: datapackage.json names {source_path}, which is not in "
                    "the package; put the document back, or set juesuan.hand_edited to true "
                    "if the numbers were typed by hand",
                )
            ],
        )
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if digest != meta["source"].get("sha256"):
        return Outcome(
            folder,
            "differs",
            [
                Problem(
                    source,
                    f"the source changed since the package was written (sha256 {digest[:12]}…, "
                    f"package says {str(meta['source'].get('sha256'))[:12]}…): run "
                    f"juesuan ingest {source}",
                )
            ],
        )
    return _compare_with_source(folder, source)


def _not_ingested(folder: Path) -> Outcome:
    sources = [p for p in (folder / "source").glob("*") if not p.name.startswith(".")]
    if sources:
        message = f"not ingested yet: run juesuan ingest {sources[0]}"
        return Outcome(folder, "differs", [Problem(sources[0], message)])
    message = (
        "no source and no package: copy the document into source/ and run juesuan ingest "
        "(or remove the folder)"
    )
    return Outcome(folder, "differs", [Problem(folder, message)])


def _compare_with_source(folder: Path, source: Path) -> Outcome:
    from juesuan.ingest.pipeline import ingest
    from juesuan.package.write import write_package
    from juesuan.repository.targets import assign

    root = folder.parent.parent
    try:
        disclosure = ingest(source)
        expected = assign(disclosure, root)
    except SourceError as error:
        return Outcome(folder, "differs", [Problem(source, str(error), error.line)])
    if expected.resolve() != folder.resolve():
        message = f"the source gives the package {expected}, not {folder}"
        return Outcome(folder, "differs", [Problem(source, message)])
    with tempfile.TemporaryDirectory(prefix="juesuan-check-") as scratch:
        fresh = write_package(disclosure, Path(scratch) / folder.parent.name / folder.name)
        problems = compare_trees(folder, fresh)
    return Outcome(folder, "differs" if problems else "matches", problems)


def compare_trees(committed: Path, fresh: Path) -> list[Problem]:
    """How the committed package differs from the fresh one, file by file."""
    ours = _files(committed)
    theirs = _files(fresh)
    problems = [
        Problem(committed / name, f"{name} is missing: the source gives it")
        for name in sorted(theirs - ours)
    ]
    problems += [
        Problem(committed / name, f"{name} is not part of what the source gives")
        for name in sorted(ours - theirs)
    ]
    tables_differ = False
    for name in sorted(ours & theirs):
        old, new = committed / name, fresh / name
        if old.read_bytes() == new.read_bytes():
            continue
        if name == "datapackage.json":
            problems += _descriptor_problems(old, new)
        elif name.startswith("data/"):
            tables_differ = True
        else:
            problems.append(_text_problem(old, new, name))
    if tables_differ:
        problems += _fact_problems(committed, fresh)
    return problems


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _descriptor_problems(old: Path, new: Path) -> list[Problem]:
    ours = json.loads(old.read_text(encoding="utf-8"))
    theirs = json.loads(new.read_text(encoding="utf-8"))
    for keys in _IGNORED_KEYS:
        for data in (ours, theirs):
            _drop(data, keys)
    if ours == theirs:
        return []
    where = _first_difference(ours, theirs, "")
    return [
        Problem(
            old,
            f"datapackage.json differs from what the source gives at {where or 'top level'}",
        )
    ]


def _drop(data: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys[:-1]:
        data = data.get(key, {})
    data.pop(keys[-1], None)


def _first_difference(ours: Any, theirs: Any, path: str) -> str:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(set(ours) | set(theirs)):
            if ours.get(key) != theirs.get(key):
                return _first_difference(ours.get(key), theirs.get(key), f"{path}.{key}")
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for index, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{path}[{index}]")
    return f"{path.lstrip('.')} (package: {_short(ours)}, source: {_short(theirs)})"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _text_problem(old: Path, new: Path, name: str) -> Problem:
    ours = old.read_text(encoding="utf-8").splitlines()
    theirs = new.read_text(encoding="utf-8").splitlines()
    matcher = difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False)
    for tag, i1, _i2, j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            line = ours[i1] if i1 < len(ours) else "(end of file)"
            given = theirs[j1] if j1 < len(theirs) else "(end of file)"
            message = (
                f"{name} differs from what the source gives at line {i1 + 1}: "
                f"package {_short(line)}, source {_short(given)}"
            )
            return Problem(old, message, i1 + 1)
    return Problem(old, f"{name} differs from what the source gives (line endings)")


def _fact_problems(committed: Path, fresh: Path) -> list[Problem]:
    from juesuan.package.facts import facts
    from juesuan.repository.diff import compare

    changes = compare(facts(fresh), facts(committed))
    titles = {f.table_title: f.table for f in facts(fresh)}
    problems = []
    for change in changes:
        table = titles.get(change.table_title, "")
        csv_file = committed / "data" / f"{table}.csv"
        where = f"{change.table_title} row {change.row} {change.row_label}, {change.column_label}"
        package = change.after if change.after is not None else "blank"
        source = change.before if change.before is not None else "blank"
        problems.append(
            Problem(
                csv_file,
                f"{where}: the package has {package}, the source gives {source}",
                _csv_line(csv_file, change.row),
            )
        )
    if not problems:
        for name in sorted(_files(committed) & _files(fresh)):
            if name.startswith("data/") and (
                (committed / name).read_bytes() != (fresh / name).read_bytes()
            ):
                problems.append(_text_problem(committed / name, fresh / name, name))
    return problems


def _csv_line(csv_file: Path, row_id: str) -> int | None:
    if not csv_file.exists():
        return None
    with csv_file.open(encoding="utf-8", newline="") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=2):
            if record.get("row") == row_id:
                return number
    return None
