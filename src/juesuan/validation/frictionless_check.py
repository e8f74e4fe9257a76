"""The unmodified frictionless validation: schema, types, keys, foreign keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from juesuan.validation.findings import Finding


def check_frictionless(folder: Path) -> list[Finding]:
    """One finding per frictionless error of the package in ``folder``."""
    from frictionless import Package, system

    descriptor = folder / "datapackage.json"
    with system.use_context(trusted=False):
        try:
            package = Package(str(descriptor))
            report = package.validate()
        except Exception as error:  # frictionless raises its own FrictionlessException types
            return [package_error(descriptor, str(error))]
    findings = []
    for task in report.tasks:
        for task_error in task.errors:
            findings.append(finding_of(folder, task.name, task.place, task_error))
    for package_problem in report.errors:
        findings.append(finding_of(folder, None, str(descriptor), package_problem))
    return findings


def package_error(descriptor: Path, message: str) -> Finding:
    """The finding for a descriptor frictionless cannot even load (``message`` says why)."""
    return Finding(
        "frictionless/package-error",
        "error",
        message,
        f"数据包无法被 frictionless 读取：{message}",
        file=str(descriptor),
    )


def finding_of(folder: Path, resource: str | None, place: str, error: Any) -> Finding:
    """The finding for one frictionless error of ``resource`` (None: the package)."""
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    file = str(folder / place) if place and not Path(place).is_absolute() else place
    return Finding(
        rule=f"frictionless/{error.type}",
        severity="error",
        message=f"{resource or 'package'}: {error.message}",
        message_zh=f"{resource or '数据包'}：{error.title}——{error.message}",
        table=resource,
        row=str(row) if row is not None else None,
        column=field,
        found=str(cell) if cell is not None else None,
        file=file,
        line=row,
    )
