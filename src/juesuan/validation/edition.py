"""A package read in another edition than the one in force in its year says so."""

from __future__ import annotations

from juesuan.taxonomy import edition_in_force
from juesuan.validation.findings import Finding
from juesuan.validation.loaded import LoadedPackage


def check_edition(package: LoadedPackage) -> list[Finding]:
    """A warning when the package's edition is not the one in force in its year."""
    in_force = edition_in_force(package.year)
    if package.edition.id == in_force.id:
        return []
    note = (package.descriptor.get("juesuan") or {}).get("edition_note") or ""
    reason = f": {note}" if isinstance(note, str) and note else ""
    return [
        Finding(
            "edition/years",
            "warning",
            f"the package is read in the {package.edition.id} edition, but the "
            f"{in_force.id} edition is in force for {package.year}{reason}",
            f"本公开按 {package.edition.id} 版式读取，而 {package.year} 年适用 "
            f"{in_force.id} 版式{reason}",
            expected=in_force.id,
            found=package.edition.id,
            file=str(package.folder / "datapackage.json"),
        )
    ]
