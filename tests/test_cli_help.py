"""Every command explains itself: --help with an example, exit codes in the README."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from juesuan.cli import main
from juesuan.paths import CHECKOUT
from tests.seeds import HUANGPI, SEED_PACKAGES, source_of

COMMANDS = sorted(main.commands)
README = (CHECKOUT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert re.search(r"Example", result.output), f"juesuan {name} --help shows no example"
    assert f"juesuan {name}" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme_with_its_exit_codes(name: str) -> None:
    commands = README[README.index("## Commands") : README.index("Exit status:")]
    exit_codes = README[README.index("Exit status:") :].split("\n## ")[0]
    assert f"`juesuan {name}" in commands
    assert re.search(rf"^\| [^|]*`{name}`", exit_codes, re.MULTILINE), (
        f"README's exit status table has no row for {name}"
    )


def test_long_work_reports_progress(tmp_path) -> None:
    sources = [str(source_of(package)) for package in SEED_PACKAGES]
    result = CliRunner().invoke(main, ["ingest", *sources, "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert f"[1/2] read {sources[0]}" in result.stderr
    checked = CliRunner().invoke(main, ["check-sources", str(HUANGPI)])
    assert "[1/1] re-ingested" in checked.stderr
