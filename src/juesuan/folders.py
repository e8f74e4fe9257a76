"""Folders replaced whole: filled beside the target, swapped in by two renames.

A package and the built site are folders that readers (a reviewer, a static
server, the next command) must see either as they were or as they are after a
successful write, never half-written. The new folder is filled beside the
target and put in place by renames; a process killed at any instant (kill -9,
a full disk, a power cut) leaves the target complete, and leftovers beside it
that :func:`recover` mends the next time:

- ``.<name>.building-<pid>-…``: the folder process ``<pid>`` was filling;
- ``.<name>.old-<pid>``: the previous folder, retired between the two renames;
- ``.<name>.spare``: a retired folder kept on purpose (``swap_in(..., keep=True)``),
  whose folders the next write reuses (:func:`reuse_spare`): making and removing
  thousands of folders costs more than the files in them.

Shared by ``package.write`` and ``site.build``, which know nothing of each other.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def replace(
    target: Path,
    fill: Callable[[Path], None],
    said: Callable[[str], None] | None = None,
    *,
    what: str = "write",
) -> Path:
    """Have ``fill`` write a folder beside ``target``, then put it at ``target``.

    What was at ``target`` is replaced only once ``fill`` has succeeded, so a
    failure leaves it as it was and nothing half-written behind. Leftovers of
    an interrupted ``what`` are mended first; ``said`` hears what was mended.
    The lock is held throughout: writers of one target take turns.
    """
    refuse_unreplaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target):
        for note in recover(target, what=what):
            if said is not None:
                said(note)
        staging = building(target)
        try:
            fill(staging)
            swap_in(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return target


def refuse_unreplaceable(target: Path) -> None:
    """Refuse a target that is a file or a symlink: only a real folder is replaced."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise NotADirectoryError(f"{target} is not a folder: it is not replaced")


def building(target: Path) -> Path:
    """A new empty folder beside ``target`` to fill, named for this process."""
    prefix = f".{target.name}.building-{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))


def swap_in(staging: Path, target: Path, *, keep: bool = False) -> None:
    """Put the filled ``staging`` folder at ``target``; remove what was there.

    Two renames: at every instant ``target`` is the old folder or the new one,
    except between them, where the old one waits beside it for :func:`recover`.
    ``keep``: the old folder becomes the spare, for :func:`reuse_spare`, rather than removed.
    """
    refuse_unreplaceable(target)
    if not target.exists():
        staging.rename(target)
        return
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
    if retired.exists():
        shutil.rmtree(retired)
    target.rename(retired)
    # Killed here, the next write finds the old folder beside and puts it back.
    staging.rename(target)
    spare = _spare(target)
    if keep and not spare.exists() and not spare.is_symlink():
        retired.rename(spare)
        return
    shutil.rmtree(retired)


def _spare(target: Path) -> Path:
    return target.with_name(f".{target.name}.spare")


def reuse_spare(target: Path) -> Path | None:
    """The spare beside ``target`` emptied of files, as a folder to fill; None without one.

    Its folders stay (empty), to be filled again or removed by
    :func:`remove_empty_folders`; it is renamed as :func:`building`'s folders are
    first, so a write killed while it empties it leaves what :func:`recover` removes.
    """
    spare = _spare(target)
    if spare.is_symlink() or not spare.is_dir():
        return None
    folder = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.building-{os.getpid()}-", dir=target.parent)
    )
    folder.rmdir()
    spare.rename(folder)
    for top, _dirs, names in os.walk(folder):
        for name in names:
            os.unlink(os.path.join(top, name))  # noqa: PTH108, PTH118 (once per file of a site)
    return folder


def keep_as_spare(folder: Path, target: Path) -> None:
    """Keep ``folder`` as the spare of ``target``; remove it when there is one already."""
    spare = _spare(target)
    if spare.exists() or spare.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        folder.rename(spare)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def remove_empty_folders(root: Path) -> None:
    """Remove every folder under ``root`` left empty (deepest first); ``root`` stays."""
    removed: set[str] = set()
    for top, dirs, names in os.walk(root, topdown=False):
        # ``dirs`` was listed before its members were walked: those removed since count as gone.
        if names or top == str(root):
            continue
        if all(os.path.join(top, name) in removed for name in dirs):  # noqa: PTH118
            os.rmdir(top)  # noqa: PTH106 (once per folder)
            removed.add(top)


def recover(target: Path, *, what: str = "write") -> list[str]:
    """Mend what an interrupted ``what`` left beside ``target``; say what was done.

    Killed between the two renames, the folder is only in its retired copy,
    which goes back; other retired copies and the building folders of dead
    processes are removed. The building folder of a process still running (a
    build in progress beside this one) is left alone.
    """
    notes = []
    retired, staging = _leftovers(target)
    if retired and not target.exists() and not target.is_symlink():
        # Only one at a time under the lock; should there be more, the last retired.
        newest = max(retired, key=lambda path: path.stat().st_ctime_ns)
        newest.rename(target)
        retired.remove(newest)
        notes.append(f"restored {target} from {newest.name}, left by an interrupted {what}")
    for old in retired:
        shutil.rmtree(old)
        notes.append(f"removed {old}, left by an interrupted {what}")
    for folder in staging:
        pid = _pid(target, folder)
        if pid is not None and _running(pid):
            notes.append(f"left {folder} alone: process {pid} is still writing it")
            continue
        shutil.rmtree(folder)
        notes.append(f"removed {folder}, a staging folder of an interrupted {what}")
    return notes


def _leftovers(target: Path) -> tuple[list[Path], list[Path]]:
    """(retired copies, staging folders) beside ``target``, each sorted by name."""
    retired: list[Path] = []
    staging: list[Path] = []
    if not target.parent.is_dir():
        return retired, staging
    prefix = f".{target.name}."
    for entry in sorted(target.parent.iterdir()):
        if not entry.name.startswith(prefix) or entry.is_symlink() or not entry.is_dir():
            continue
        rest = entry.name[len(prefix) :]
        if rest == "spare":
            continue  # kept on purpose: neither a retired copy nor a write's leftover
        # ".old" alone is what writes before the pid was in the name left.
        (retired if rest == "old" or rest.startswith("old-") else staging).append(entry)
    return retired, staging


def _pid(target: Path, folder: Path) -> int | None:
    """The process a building folder is named for, if its name says one."""
    match = re.fullmatch(rf"\.{re.escape(target.name)}\.building-(\d{{1,10}})(?:-.*)?", folder.name)
    return int(match.group(1)) if match else None


def _running(pid: int) -> bool:
    """Whether another process with this id is alive (this one's own is a leftover)."""
    if pid == os.getpid() or os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, and another user's
    except (OverflowError, OSError):
        return False
    return True


@contextmanager
def locked(target: Path) -> Iterator[None]:
    """One mender or swapper of ``target`` at a time (an advisory lock on its parent).

    The lock is on the folder that holds ``target``, so nothing is left beside it.
    A process that forks workers should not hold it while they run: a worker
    outliving a killed parent would keep it.
    """
    try:
        import fcntl
    except ImportError:  # no advisory locks here: writes are not mended concurrently
        yield
        return
    handle = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def write_beside(path: Path, data: bytes, *, prefix: str = ".", suffix: str = ".tmp") -> bool:
    """Put ``data`` at ``path`` by a file written beside it and renamed in; whether it was.

    For caches: a reader sees a whole entry or none, and an entry that cannot be
    written (a full disk, a read-only folder) is skipped, which costs time only.
    ``prefix`` and ``suffix`` name the file written beside, so a pruner can tell
    whose it is.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    except OSError:
        return False
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)
        return False
    return True
