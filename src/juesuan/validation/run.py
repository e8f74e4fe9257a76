"""Run every check on a package and merge the findings into one report."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.package import trust
from juesuan.package.read import json_records
from juesuan.validation.arithmetic import check_arithmetic, coverage, equations
from juesuan.validation.codes import check_codes
from juesuan.validation.edition import check_edition
from juesuan.validation.findings import Finding, PackageReport
from juesuan.validation.frictionless_check import check_frictionless
from juesuan.validation.loaded import LoadedPackage, PackageUnreadable, load_package
from juesuan.validation.narrative import check_narrative
from juesuan.validation.tables import check_tables


@dataclass
class Timing:
    """Seconds spent in each part of a validation, for the benchmark."""

    frictionless: float = 0.0
    rules: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)


def validate_package(
    folder: Path, *, with_frictionless: bool = True, timing: Timing | None = None
) -> PackageReport:
    """Every finding about the package in ``folder``; never raises for a bad package."""
    try:
        return _validate(folder, with_frictionless, timing)
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


def _validate(folder: Path, with_frictionless: bool, timing: Timing | None) -> PackageReport:
    report = PackageReport(str(folder))
    report.findings += _untrusted(folder)
    if report.findings:
        return report  # nothing the package names is read before it is trusted
    start = time.perf_counter()
    if with_frictionless:
        if (folder / "datapackage.json").exists():
            report.findings += check_frictionless(folder)
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
    report.findings += _stale_json(package)
    report.findings += _not_amounts(package)
    eqs = equations(package)
    report.findings += check_arithmetic(package, eqs)
    report.findings += check_edition(package)
    report.findings += check_tables(package)
    report.findings += check_codes(package)
    report.findings += check_narrative(package)
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


def _untrusted(folder: Path) -> list[Finding]:
    """Errors for the paths the package names or holds that are not to be trusted.

    ``package/unsafe-path`` for a path that leads out of the package, a symlink or
    a device; ``package/too-large`` for a file or package past a limit.
    """
    findings = []
    for problem in trust.problems(folder):
        if problem.rule == "too-large":
            file = folder / problem.path if problem.path else folder
            zh = f"{problem.path or '数据包'} 超出限制（{problem.reason}），不予读取和发布"
        else:
            file = folder / "datapackage.json"
            zh = f"{problem.path} 不可信（{problem.reason}），不予读取和发布"
        findings.append(
            Finding(
                f"package/{problem.rule}",
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
                f"{table} {row} 行 {column} 栏为“{text}”，不是金额",
                table=table,
                row=row,
                column=column,
                found=text,
                file=file,
                line=line,
            )
        )
    return findings


def _stale_json(package: LoadedPackage) -> list[Finding]:
    """A table's JSON must say what its CSV says (a hand-edited CSV needs juesuan sync)."""
    findings = []
    for table in package.tables.values():
        json_path = (table.resource.get("juesuan") or {}).get("json")
        schema = table.resource.get("schema") or {}
        if not json_path or "fields" not in schema:
            continue
        rows = [[record.get(f["name"]) or "" for f in schema["fields"]] for record in table.rows]
        try:
            expected = json_records(schema, rows)
        except (ValueError, TypeError):
            continue  # a value of the wrong type: frictionless reports it in the CSV
        path = package.folder / json_path
        try:
            # Compared as data: the C parser is fast where the indenting encoder is not.
            if json.loads(path.read_text(encoding="utf-8")) == expected:
                continue
        except (OSError, ValueError):
            pass
        findings.append(
            Finding(
                "package/json-stale",
                "error",
                f"{path.name} does not say what its CSV says: run juesuan sync {package.folder}",
                f"{path.name} 与对应的 CSV 不一致：请运行 juesuan sync {package.folder}",
                table=table.id,
                file=str(path),
            )
        )
    return findings
