"""Run every check on a package and merge the findings into one report."""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.package import trust
from juesuan.validation.arithmetic import check_arithmetic, coverage, equations
from juesuan.validation.codes import check_codes
from juesuan.validation.edition import check_edition
from juesuan.validation.fast_check import check_fast
from juesuan.validation.findings import Finding, PackageReport
from juesuan.validation.frictionless_check import check_frictionless
from juesuan.validation.json_resources import check_json
from juesuan.validation.loaded import LoadedPackage, PackageUnreadable, load_package
from juesuan.validation.metadata import check_metadata
from juesuan.validation.narrative import check_narrative
from juesuan.validation.notes import check_notes
from juesuan.validation.tables import check_tables


@dataclass
class Timing:
    """Seconds spent in each part of a validation, for the benchmark."""

    frictionless: float = 0.0
    """The schema pass: frictionless itself, or the fast pass that gives its findings."""
    rules: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)


def validate_package(
    folder: Path,
    *,
    with_frictionless: bool = True,
    reference: bool = False,
    timing: Timing | None = None,
) -> PackageReport:
    """Every finding about the package in ``folder``; never raises for a bad package.

    frictionless's findings come from the fast pass (:mod:`.fast_check`), or from
    frictionless itself with ``reference``; ``with_frictionless=False`` skips both.
    """
    try:
        return _validate(folder, with_frictionless, reference, timing)
    except Exception as error:  # whatever a malformed package makes a check raise
        report = PackageReport(str(folder))
        detail = str(error).splitlines()[0][:200] if str(error) else ""
        report.findings.append(
            Finding(
                "package/unreadable",
                "error",
                f"the package cannot be checked ({type(error).__name__}: {detail})",
                f"数据包无法校验（{type(error).__name__}：{detail}）",
                file=str(folder / "datapackage.json"),
            )
        )
        return report


def _validate(
    folder: Path, with_frictionless: bool, reference: bool, timing: Timing | None
) -> PackageReport:
    report = PackageReport(str(folder))
    report.findings += _untrusted(folder)
    if report.findings:
        return report  # nothing the package names is read before it is trusted
    report.findings += _metadata(folder)
    if report.findings:
        return report  # the checks below read these fields
    start = time.perf_counter()
    if with_frictionless:
        if (folder / "datapackage.json").exists():
            check = check_frictionless if reference else check_fast
            report.findings += check(folder)
        if timing is not None:
            timing.frictionless = time.perf_counter() - start
    start = time.perf_counter()
    try:
        package = load_package(folder)
    except PackageUnreadable as error:
        report.findings.append(
            Finding(
                "package/unreadable",
                "error",
                error.message,
                f"数据包无法读取：{error.message}",
                file=error.file,
                line=error.line,
            )
        )
        return report
    report.findings += check_json(package)
    report.findings += _not_amounts(package)
    eqs = equations(package)
    report.findings += check_arithmetic(package, eqs)
    report.findings += check_edition(package)
    report.findings += check_tables(package)
    report.findings += check_codes(package)
    report.findings += check_narrative(package)
    report.findings += check_notes(package)
    report.findings = [_located(package, finding) for finding in report.findings]
    report.amounts = len(package.values)
    report.covered, report.uncovered = coverage(package, eqs)
    if timing is not None:
        timing.rules = time.perf_counter() - start
    return report


def package_folders(root: Path) -> tuple[list[Path], list[Path]]:
    """(package folders ``<unit>/<year>`` under ``root``, other folders holding one)."""
    return trust.package_folders(root)


def stray_report(folder: Path) -> PackageReport:
    """The report on a package found in a folder that is no ``<unit>/<year>``."""
    report = PackageReport(str(folder))
    report.findings.append(
        Finding(
            "package/folder",
            "error",
            f"a package in {folder.name}/, which is no year: packages live in "
            "<unit>/<year>/; this one is neither checked nor published",
            f"数据包位于 {folder.name}/，不是年度文件夹（应为 <单位>/<年度>/），不予校验和发布",
            file=str(folder / "datapackage.json"),
        )
    )
    return report


def _located(package: LoadedPackage, finding: Finding) -> Finding:
    """The finding with the page (or sheet) its source line stands on, when known."""
    if finding.line is None or finding.location or not package.source_file:
        return finding
    if finding.file != str(package.folder / package.source_file):
        return finding
    where = package.locations.get(finding.line)
    return dataclasses.replace(finding, location=where) if where else finding


def _metadata(folder: Path) -> list[Finding]:
    """Errors for the descriptor's own fields; none when it is no JSON (reported later)."""
    path = folder / "datapackage.json"
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return check_metadata(descriptor, str(path))


def _untrusted(folder: Path) -> list[Finding]:
    """Errors for the paths the package names or holds that are not to be trusted.

    ``package/unsafe-path`` for a path that leads out of the package, a symlink or
    a device; ``package/too-large`` for a file or package past a limit.
    """
    findings = []
    for problem in trust.problems(folder):
        if problem.rule == "too-large":
            rule = "package/too-large"
            file = folder / problem.path if problem.path else folder
            zh = f"{problem.path or '数据包'} 超出限制（{problem.reason}），不予读取和发布"
        else:
            rule = "package/unsafe-path"
            file = folder / "datapackage.json"
            zh = f"{problem.path} 不可信（{problem.reason}），不予读取和发布"
        findings.append(
            Finding(
                rule,
                "error",
                f"{problem}; it is neither read nor published",
                zh,
                file=str(file),
            )
        )
    return findings


def _not_amounts(package: LoadedPackage) -> list[Finding]:
    """Value cells that hold no finite amount (NaN and Infinity pass as numbers elsewhere)."""
    findings = []
    for table, row, column, text in package.not_amounts:
        file, line = package.locate(table, row)
        findings.append(
            Finding(
                "package/not-an-amount",
                "error",
                f"{table} row {row} column {column} holds {text!r}, which is no amount",
                f"{package.cell_name(table, row, column)}为“{text}”，不是金额",
                table=table,
                row=row,
                column=column,
                found=text,
                file=file,
                line=line,
            )
        )
    return findings
