"""Run a juesuan command and kill -9 it at its Nth file-system step inside a package write.

``python -m tests.killing N ARGS…`` runs ``juesuan ARGS…``; the steps counted are
the calls of pathlib, shutil and tempfile that create, write, rename or remove
files while :func:`juesuan.package.write.write_atomically` runs. N = 0 kills
nothing and prints the steps, one per line, to standard error.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType
from typing import Any

STEPS = {"rename", "replace", "rmtree", "mkdtemp", "copyfile", "write_text", "mkdir", "open"}
MODULES = ("pathlib", "shutil", "tempfile")


def main() -> None:
    """Run the command under a profiler that counts steps and kills at the chosen one."""
    kill_at = int(sys.argv[1])
    taken: list[str] = []
    writing = False

    def profile(frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal writing
        if event != "call":
            return
        name = frame.f_code.co_name
        writing = writing or name == "write_atomically"
        if not writing or name not in STEPS:
            return
        if frame.f_globals.get("__name__") not in MODULES:
            return
        taken.append(f"{frame.f_globals['__name__']}.{name}")
        if len(taken) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    from juesuan.cli import main as juesuan

    sys.setprofile(profile)
    try:
        juesuan(sys.argv[2:], standalone_mode=False)
    finally:
        sys.setprofile(None)
        print("\n".join(taken), file=sys.stderr)


if __name__ == "__main__":
    main()
