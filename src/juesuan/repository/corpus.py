"""``juesuan corpus``: read every document of a folder and say how much of it got in.

For each document: the edition (and provincial overlay) chosen, the year and unit,
the tables found, the amounts printed in the tables section against the amounts
placed in the package (as multisets: nothing lost, nothing invented), the rules
broken, and the time taken. The packages go to a scratch folder; nothing in the
repository changes.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from juesuan.errors import SourceError
from juesuan.ingest.pipeline import Disclosure, ingest
from juesuan.ingest.readers import READERS
from juesuan.package.facts import facts
from juesuan.package.write import write_package
from juesuan.text import amounts_in
from juesuan.validation import validate_package


@dataclass
class DocumentResult:
    """What reading one document gave."""

    path: Path
    seconds: float
    error: str | None = None
    edition: str = ""
    year: int | None = None
    unit: str = ""
    tables: int = 0
    tables_expected: int = 0
    tables_with_data: int = 0
    missing: Counter[Decimal] = field(default_factory=Counter)
    """Amounts printed in the tables section that no fact holds."""
    extra: Counter[Decimal] = field(default_factory=Counter)
    """Amounts in the facts that the tables section does not print as such."""
    printed: int = 0
    placed: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)

    @property
    def complete(self) -> bool:
        """Read, and every printed amount placed once."""
        return self.error is None and not self.missing and not self.extra

    def lines(self) -> list[str]:
        """The report of this document, for a person."""
        name = self.path.name
        if self.error is not None:
            return [f"{name}: refused after {self.seconds:.2f} s: {self.error}"]
        lines = [
            f"{name}: {self.edition} edition, {self.year}, {self.unit}; "
            f"tables {self.tables} of {self.tables_expected} ({self.tables_with_data} with data); "
            f"amounts printed {self.printed}, placed {self.placed}; "
            f"{sum(self.errors.values())} errors, {sum(self.warnings.values())} warnings; "
            f"{self.seconds:.2f} s",
        ]
        if self.missing:
            lines.append(f"    lost (printed, not placed): {_amounts(self.missing)}")
        if self.extra:
            lines.append(f"    invented (placed, not printed): {_amounts(self.extra)}")
        for severity, counts in (("errors", self.errors), ("warnings", self.warnings)):
            if counts:
                rules = ", ".join(f"{rule} ×{n}" for rule, n in sorted(counts.items()))
                lines.append(f"    {severity}: {rules}")
        return lines


def documents(folder: Path) -> Iterator[Path]:
    """The source documents under ``folder``, by name (any reader's suffix)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.suffix.lower() in READERS:
            yield path


def read_corpus(folder: Path) -> Iterator[DocumentResult]:
    """Ingest every document under ``folder`` into a scratch folder, one result each."""
    with tempfile.TemporaryDirectory(prefix="juesuan-corpus-") as scratch:
        for index, path in enumerate(documents(folder)):
            yield read_one(path, Path(scratch) / str(index))


def read_one(path: Path, scratch: Path) -> DocumentResult:
    """Ingest ``path`` into ``scratch`` and compare what got in with what it prints."""
    start = time.perf_counter()
    try:
        disclosure = ingest(path)
    except SourceError as error:
        return DocumentResult(path, time.perf_counter() - start, error=str(error))
    seconds = time.perf_counter() - start
    package = write_package(disclosure, scratch / "package")
    edition = disclosure.outline.edition
    placed = Counter(Decimal(f.value) for f in facts(package))
    printed = printed_amounts(disclosure)
    report = validate_package(package)
    return DocumentResult(
        path,
        seconds,
        edition=edition.key,
        year=disclosure.year,
        unit=disclosure.unit,
        tables=len(disclosure.tables),
        tables_expected=len(edition.table_order),
        tables_with_data=sum(1 for t in disclosure.tables if any(r.values for r in t.rows)),
        missing=printed - placed,
        extra=placed - printed,
        printed=sum(printed.values()),
        placed=sum(placed.values()),
        errors=Counter(f.rule for f in report.errors),
        warnings=Counter(f.rule for f in report.warnings),
    )


def printed_amounts(disclosure: Disclosure) -> Counter[Decimal]:
    """Every two-decimal amount printed from the first table's title to the tables' end.

    Notes under the tables are left out: what they say is narrative, not a cell.
    """
    notes = {line for table in disclosure.tables for line, _text in table.notes}
    first, last = disclosure.outline.tables_range
    amounts: Counter[Decimal] = Counter()
    for number in range(first, last + 1):
        if number in notes:
            continue
        text = disclosure.document.line(number)
        amounts.update(amounts_in(text))
    return amounts


def _amounts(counts: Counter[Decimal]) -> str:
    shown = [f"{amount}×{n}" if n > 1 else str(amount) for amount, n in sorted(counts.items())]
    more = f" and {len(shown) - 12} more" if len(shown) > 12 else ""
    return ", ".join(shown[:12]) + more
