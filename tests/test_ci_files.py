"""The workflows, the pull request template and the contributor docs name real things.

A CONTRIBUTING page that names a command or an option that does not exist is
worse than none: every ``juesuan …`` they show must parse with the CLI.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from juesuan.cli import main
from juesuan.paths import CHECKOUT
from tests.seeds import HUANGPI

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
        if arg == "--":  # the end of the options: what follows is data
            break
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


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_script_expands_an_expression(path: Path) -> None:
    # ${{ }} in a script is pasted into the shell before it runs: a folder name or
    # a title from a pull request would run as code. Values reach scripts via env.
    for step in _steps(yaml.safe_load(path.read_text(encoding="utf-8"))):
        assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


HOSTILE = ("a$(touch${IFS}pwned)", "b `touch pwned2` c", "d\ne;touch pwned3")
"""Unit folder names that run code when a shell reads them as script."""

_STUB = """#!{python}
# juesuan diff runs for real (on this checkout's datapackage/, as an installed
# juesuan would); the other commands record what they were given.
import json, os, sys
if sys.argv[1] == "diff":
    sys.argv[0:2] = ["juesuan", "diff", "--root", "datapackage"]
    from juesuan.cli import main
    main()
with open(os.environ["JUESUAN_CALLS"], "a", encoding="utf-8", errors="surrogateescape") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
"""


def _changed_package_steps() -> list[dict]:
    workflow = yaml.safe_load((CHECKOUT / ".github/workflows/pull-request.yml").read_text("utf-8"))
    return [
        step
        for step in _steps(workflow)
        if step.get("id") == "changed"
        or "steps.changed" in str(step.get("if", ""))
        or "juesuan diff" in step.get("run", "")
    ]


def _run_steps(repo: Path, tmp_path: Path) -> tuple[list[list[str]], str, str, list[str]]:
    """Run the changed-package steps as the runner does.

    (calls of the commands, step outputs, job summary, the steps that failed).
    """
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": ":".join(sys.path),
        "BASE": "HEAD",
        "RUNNER_TEMP": str(tmp_path / "runner"),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "JUESUAN_CALLS": str(tmp_path / "calls"),
    }
    (tmp_path / "runner").mkdir()
    for name in ("output", "summary", "calls"):
        (tmp_path / name).write_text("", encoding="utf-8")
    stub = repo / ".venv" / "bin" / "juesuan"
    stub.parent.mkdir(parents=True)
    stub.write_text(_STUB.format(python=sys.executable), encoding="utf-8")
    stub.chmod(0o755)
    steps = _changed_package_steps()
    assert len(steps) >= 4
    failed = []
    for step in steps:
        # As the runner would, paste step outputs in first (there should be none).
        outputs = dict(
            line.split("=", 1)
            for line in (tmp_path / "output").read_text(encoding="utf-8").splitlines()
        )
        run = re.sub(
            r"\$\{\{\s*steps\.\w+\.outputs\.(\w+)\s*\}\}",
            lambda m, outputs=outputs: outputs.get(m.group(1), ""),
            step["run"],
        )
        script = tmp_path / "step.sh"
        script.write_text(run, encoding="utf-8")
        # What the runner does with a run: step on Linux: bash -e on a script file.
        done = subprocess.run(["bash", "-e", str(script)], cwd=repo, env=env, capture_output=True)
        if done.returncode != 0:
            failed.append(f"{step['name']}: {done.stderr.decode(errors='replace')}")
    calls = [
        json.loads(line)
        for line in (tmp_path / "calls").read_text("utf-8", "surrogateescape").splitlines()
    ]
    output = (tmp_path / "output").read_text(encoding="utf-8")
    return calls, output, (tmp_path / "summary").read_text(encoding="utf-8"), failed


def _git_repo(path: Path) -> Path:
    identity = ["-c", "user.name=juesuan tests", "-c", "user.email=tests@example.invalid"]
    shutil.copytree(HUANGPI, path / "datapackage" / "hp" / "2024")
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *identity, *args], cwd=path, check=True, capture_output=True)
    return path


def test_the_changed_package_steps_take_hostile_folder_names_as_data(tmp_path: Path) -> None:
    repo = _git_repo(tmp_path / "repo")
    for name in HOSTILE:
        shutil.copytree(HUANGPI, repo / "datapackage" / name / "2024")
    calls, output, summary, failed = _run_steps(repo, tmp_path)
    assert not list(tmp_path.rglob("pwned*"))
    assert failed == []
    assert "any=true" in output.splitlines()
    folders = sorted(f"datapackage/{name}/2024" for name in HOSTILE)
    # Each command got every folder, whole, as one argument after --.
    assert [call[: call.index("--")] for call in calls] == [
        ["check-sources", "--format", "github"],
        ["validate", "--format", "markdown"],
        ["validate", "--format", "github"],
    ]
    assert all(sorted(call[call.index("--") + 1 :]) == folders for call in calls)
    assert "a$(touch$\\{IFS\\}pwned)" in summary  # the job summary shows it, inert


def test_with_no_changed_package_the_steps_run_nothing(tmp_path: Path) -> None:
    calls, output, _summary, failed = _run_steps(_git_repo(tmp_path / "repo"), tmp_path)
    assert failed == []
    assert "any=false" in output.splitlines()
    assert calls == []
