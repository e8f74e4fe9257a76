"""The workflows, the pull request template and the contributor docs name real things.

A CONTRIBUTING page that names a command or an option that does not exist is
worse than none: every ``juesuan …`` they show must parse with the CLI.
"""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from juesuan.cli import main
from juesuan.paths import CHECKOUT

WORKFLOWS = sorted((CHECKOUT / ".github" / "workflows").glob("*.yml"))
DOCS = [CHECKOUT / name for name in ("CONTRIBUTING.md", "site/contribute.md", "scripts/main.sh")]
_CALL = re.compile(r"juesuan ((?:[a-z][a-z-]*)(?:[ \t]+(?:\\\n\s*)?[^\s`|;&>)]+)*)")


def _runs(workflow: dict) -> list[str]:
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


def _code(text: str) -> str:
    """The code in Markdown: fenced and indented blocks and inline spans."""
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    indented = re.findall(r"^(?:    |\t)(.*)$", text, re.MULTILINE)
    inline = re.findall(r"`([^`\n]+)`", text)
    return "\n".join([*fenced, *indented, *inline])


def _calls(text: str) -> list[list[str]]:
    """Every ``juesuan COMMAND ARGS…`` in shell ``text`` (comments aside), as argument lists."""
    calls = []
    for line in text.replace("\\\n", " ").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line)
        line = re.sub(r"\$\{\{[^}]*\}\}|\"?\$[A-Z_]+\"?", "X", line)
        calls += [shlex.split(match.group(1)) for match in _CALL.finditer(line)]
    return calls


def _check_call(words: list[str], where: str) -> None:
    name, *args = words
    assert name in main.commands, f"{where}: juesuan {name} is not a command"
    command = main.commands[name]
    options = {opt for param in command.params for opt in param.opts if opt.startswith("-")}
    options |= {"--help", "-h"}
    for arg in args:
        if arg.startswith("--"):
            assert arg.split("=")[0] in options, f"{where}: juesuan {name} has no option {arg}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_call_real_commands_and_scripts(path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    runs = _runs(workflow)
    assert runs
    for run in runs:
        for words in _calls(run):
            _check_call(words, path.name)
        for script in re.findall(r"(?<![\w/.])(scripts/[\w.-]+)", run):
            assert (CHECKOUT / script).is_file(), f"{path.name} runs missing {script}"


def test_pull_requests_are_checked_and_main_is_deployed() -> None:
    by_name = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in WORKFLOWS}
    pr = by_name["pull-request.yml"]
    pages = by_name["pages.yml"]
    # PyYAML reads the key "on" as True.
    assert "pull_request" in pr[True]
    assert pages[True]["push"]["branches"] == ["main"]
    pr_runs = "\n".join(_runs(pr))
    for step in (
        "check-sources --format github",
        "validate --format github",
        "diff --rev",
        "build",
    ):
        assert f"juesuan {step}" in pr_runs
    uses = [s.get("uses", "") for job in pages["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/deploy-pages") for u in uses)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_docs_show_commands_that_parse(path) -> None:
    text = path.read_text(encoding="utf-8")
    calls = _calls(text if path.suffix != ".md" else _code(text))
    assert calls
    for words in calls:
        _check_call(words, path.name)


def test_contributing_covers_every_step_and_command() -> None:
    text = (CHECKOUT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for name in ("new", "ingest", "validate", "diff", "check-sources", "serve"):
        assert f"juesuan {name}" in text


def test_pull_request_template_has_the_checklist() -> None:
    template = (CHECKOUT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", template, re.MULTILINE)
    assert len(boxes) >= 5
    for word in (
        "juesuan new",
        "juesuan ingest",
        "juesuan validate",
        "juesuan diff",
        "hand_edited",
    ):
        assert word in template


def test_ci_runs_the_checks_that_apply_here() -> None:
    run = (CHECKOUT / ".ci" / "run").read_text(encoding="utf-8")
    main_sh = (CHECKOUT / "scripts" / "main.sh").read_text(encoding="utf-8")
    for step in ("juesuan check-sources", "juesuan validate", "juesuan build"):
        assert step in main_sh
    for step in ("scripts/main.sh", "scripts/test.sh"):
        assert step in run
