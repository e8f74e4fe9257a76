"""Renderers of validation reports: terminal text, JSON, GitHub annotations, Markdown."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from juesuan.text import escape, json_text
from juesuan.validation.findings import Finding, PackageReport, location_zh

REPORT_SCHEMA = "https://juesuan.invalid/schemas/report.schema.json"


def _where(finding: Finding) -> str:
    cell = ":".join(p for p in (finding.table, finding.row, finding.column) if p)
    file = _relative(Path(finding.file)) if finding.file else ""
    if file and finding.location:
        place = f"{file} ({finding.location})"
    else:
        place = f"{file}:{finding.line}" if file and finding.line else file
    return " ".join(p for p in (place, f"[{cell}]" if cell else "") if p)


def render_text(reports: Sequence[PackageReport], width: int | None = None) -> str:
    """A terminal table per package: level, rule, where, what (Chinese, then English)."""
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or shutil.get_terminal_size((120, 24)).columns,
        color_system=None,
        highlight=False,
        soft_wrap=False,
    )
    for report in reports:
        console.print(
            f"{report.package}: {report.status} — {len(report.errors)} errors, "
            f"{len(report.warnings)} warnings; {report.covered}/{report.amounts} amounts "
            "covered by rules"
        )
        if report.findings or report.uncovered:
            table = Table(show_lines=True, expand=True)
            table.add_column("level", no_wrap=True)
            table.add_column("rule", overflow="fold", max_width=28)
            table.add_column("where", overflow="fold", max_width=40)
            table.add_column("finding", overflow="fold", ratio=1)
            for finding in report.findings:
                table.add_row(
                    finding.severity,
                    finding.rule,
                    _where(finding),
                    f"{finding.message_zh}\n{finding.message}",
                )
            for cell in report.uncovered:
                table.add_row("uncovered", "-", cell, "no rule reads this amount")
            console.print(table)
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    console.print(f"{len(reports)} packages: {errors} errors, {warnings} warnings")
    return buffer.getvalue()


def render_json(reports: Sequence[PackageReport]) -> str:
    """JSON following schemas/report.schema.json."""
    report = {
        "$schema": REPORT_SCHEMA,
        "packages": [r.as_dict() for r in reports],
        "errors": sum(len(r.errors) for r in reports),
        "warnings": sum(len(r.warnings) for r in reports),
    }
    return json_text(report, where="the validation report", indent=2) + "\n"


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_escape(text).replace(":", "%3A").replace(",", "%2C")


def render_github(reports: Sequence[PackageReport]) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    out = []
    for report in reports:
        for finding in report.findings:
            properties = []
            if finding.file:
                file = Path(finding.file)
                properties.append(f"file={_github_property(_relative(file))}")
            # A line of a PDF's extracted text is no line GitHub can show: say the page.
            if finding.line and not finding.location:
                properties.append(f"line={finding.line}")
            properties.append(f"title={_github_property(finding.rule)}")
            level = "error" if finding.severity == "error" else "warning"
            where = f" ({finding.location})" if finding.location else ""
            message = _github_escape(f"{finding.message_zh}\n{finding.message}{where}")
            out.append(f"::{level} {','.join(properties)}::{message}")
    return "\n".join(out) + ("\n" if out else "")


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def render_markdown(reports: Sequence[PackageReport]) -> str:
    """Markdown for the site: a table of findings per package, text escaped."""
    out = []
    for report in reports:
        status = {"valid": "✅ 通过", "warnings": "⚠️ 通过（有提示）", "errors": "❌ 有错误"}[
            report.status
        ]
        out.append(
            f"**{status}**：{len(report.errors)} 个错误，{len(report.warnings)} 个提示；"
            f"{report.covered}/{report.amounts} 个金额受勾稽规则覆盖。"
        )
        out.append("")
        if report.findings:
            out.append("| 级别 | 规则 | 位置 | 说明 |")
            out.append("| --- | --- | --- | --- |")
            for finding in report.findings:
                level = "错误" if finding.severity == "error" else "提示"
                cell = " ".join(p for p in (finding.table, finding.row, finding.column) if p)
                if finding.location:
                    line = f"（原件{location_zh(finding.location)}）"
                else:
                    line = f"（原文第 {finding.line} 行）" if finding.line else ""
                # Labels and values in the messages come with the package: escaped.
                out.append(
                    f"| {level} | `{finding.rule}` | {escape(cell, inline=True)}{line} | "
                    f"{escape(finding.message_zh, inline=True)} |"
                )
            out.append("")
    return "\n".join(out)


RENDERERS: dict[str, Callable[[Sequence[PackageReport]], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "markdown": render_markdown,
}
