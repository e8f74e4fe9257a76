"""A contributor whose folders and file names are Chinese, with spaces, gets through.

new → ingest → diff → check-sources → validate → build, in a git repository
whose own path is Chinese too: git's quoted paths and URLs with spaces used to
break diff and the site.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from juesuan.cli import main
from tests.seeds import HUANGPI, source_of

UNIT = "wuhan-huangpi-dashujuzhongxin-benji"
SOURCE = "黄陂 大数据中心 2024年度 决算.txt"


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def _git(top: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=top, check=True, capture_output=True)


def test_chinese_names_with_spaces_through_the_whole_path(tmp_path: Path) -> None:
    top = tmp_path / "决算 仓库"
    packages = top / "datapackage"
    packages.mkdir(parents=True)
    _git(top, "init", "-q")
    _git(top, "config", "user.email", "test@example.org")
    _git(top, "config", "user.name", "测试 贡献者")
    _git(top, "commit", "-q", "--allow-empty", "-m", "开始")
    _run(
        "new",
        UNIT,
        "2024",
        "--name",
        "武汉市黄陂区大数据中心（本级）",
        "--region-code",
        "420116",
        "--out",
        str(packages),
    )
    source = packages / UNIT / "2024" / "source" / SOURCE
    shutil.copy(source_of(HUANGPI), source)
    _run("ingest", "--out", str(packages), str(source))
    changed = _run("diff", "--root", str(packages))
    assert f"{UNIT}/2024: new package, 71 facts" in changed
    _git(top, "add", "-A")
    _git(top, "commit", "-q", "-m", "黄陂 2024")
    assert "no package changed" in _run("diff", "--root", str(packages))
    assert "matches its source" in _run("check-sources", "--root", str(packages))
    _run("validate", str(packages))
    site = tmp_path / "网站 输出"
    _run("build", "--packages", str(packages), "--out", str(site), "--no-search")
    page = next(site.glob(f"**/{UNIT}/2024/index.html")).read_text(encoding="utf-8")
    assert "黄陂%20大数据中心%202024年度%20决算.txt" in page
    (served,) = site.glob(f"**/source/{SOURCE}")
    assert served.read_bytes() == source.read_bytes()
