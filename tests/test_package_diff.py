"""``juesuan diff``: a corrected number shows as before → after against git HEAD."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from juesuan.cli import main
from juesuan.package.facts import Fact
from juesuan.repository.diff import compare
from tests.seeds import HUANGPI

GIT_IDENTITY = ["-c", "user.name=juesuan tests", "-c", "user.email=tests@example.invalid"]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *GIT_IDENTITY, *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose HEAD holds the 黄陂 seed package."""
    git(tmp_path, "init", "-q")
    shutil.copytree(HUANGPI, tmp_path / "datapackage" / "hp" / "2024")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "seed")
    return tmp_path


def diff(repo: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["diff", "--root", str(repo / "datapackage"), *args])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_compare_facts() -> None:
    def fact(row: str, value: str) -> Fact:
        return Fact("income", "收入决算表", row, row, "total", "本年收入合计", value)

    changes = compare(
        [fact("201", "1.00"), fact("202", "2.00")], [fact("201", "1.50"), fact("203", "3.00")]
    )
    assert [(c.kind, c.row, c.before, c.after) for c in changes] == [
        ("changed", "201", "1.00", "1.50"),
        ("added", "203", None, "3.00"),
        ("removed", "202", "2.00", None),
    ]


def test_a_corrected_amount(repo: Path) -> None:
    package = repo / "datapackage" / "hp" / "2024"
    edit(
        package / "data" / "income.csv",
        "201,201,一般公共服务支出,282.91",
        "201,201,一般公共服务支出,282.19",
    )
    result = diff(repo)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "  changed 2024年度收入决算表 · 201 一般公共服务支出 · 本年收入合计: 282.91 → 282.19"
    ]
    assert "1 fact changed, 0 added, 0 removed (against HEAD)" in result.output
    assert diff(repo, "--exit-code").exit_code == 1


def test_markdown_for_the_pull_request(repo: Path) -> None:
    package = repo / "datapackage" / "hp" / "2024"
    edit(
        package / "data" / "income.csv",
        "201,201,一般公共服务支出,282.91",
        "201,201,一般公共服务支出,282.19",
    )
    markdown = diff(repo, "--format", "markdown").output
    assert (
        "| changed | 2024年度收入决算表 | 201 一般公共服务支出 | 本年收入合计 | 282.91 | 282.19 |"
        in (markdown)
    )


def test_a_new_package_and_the_names_of_changed_ones(repo: Path) -> None:
    shutil.copytree(repo / "datapackage" / "hp", repo / "datapackage" / "hp2")
    names = diff(repo, "--name-only")
    assert names.output.strip().endswith("datapackage/hp2/2024")
    result = diff(repo)
    assert "hp2/2024: new package, 71 facts (against HEAD)" in result.output
    assert "  2024年度收入决算表: 8 facts" in result.output


def test_nothing_changed(repo: Path) -> None:
    assert diff(repo).output == "no package changed\n"
    assert diff(repo, "--exit-code").exit_code == 0


def test_outside_a_repository(tmp_path: Path) -> None:
    shutil.copytree(HUANGPI, tmp_path / "pkg")
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "pkg")])
    assert result.exit_code == 2
    assert "not a git repository" in result.output


def test_names_end_with_nul_with_z(repo: Path) -> None:
    # Any name git can hold, a newline or a $( ) in it, comes out whole.
    for name in ("a\nb", "c$(touch pwned) d"):
        shutil.copytree(repo / "datapackage" / "hp", repo / "datapackage" / name)
    result = CliRunner().invoke(
        main, ["diff", "--root", str(repo / "datapackage"), "--name-only", "-z"]
    )
    assert result.exit_code == 0, result.output
    listed = result.stdout_bytes.split(b"\0")
    assert listed[-1] == b""  # every name ends with NUL, the last one too
    names = sorted(Path(os.fsdecode(name)).parts[-2] for name in listed[:-1])
    assert names == ["a\nb", "c$(touch pwned) d"]
    assert diff(repo, "-z").exit_code == 2  # -z goes with --name-only
