"""Every amount a table prints ends up in one of its cells, or the ingest stops.

The readers recognise rows by codes, labels and 行次; a row they fail to
recognise (its code missing, its label run into the row above) could otherwise
be absorbed by its neighbour, its amounts quietly dropped. Counting the amounts
printed against the amounts placed, as multisets, catches every such loss
whatever caused it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from juesuan.errors import SourceError
from juesuan.ingest.outline import TableSpan
from juesuan.text import amounts_in


def check_accounted(
    path: Path,
    span: TableSpan,
    notes: Sequence[tuple[int, str]],
    placed: Iterable[tuple[int, Decimal]],
) -> None:
    """Raise when an amount printed in ``span``'s rows is in none of its cells.

    ``placed`` holds the (source line, amount) of every cell the table got. The
    lines from the first note on are notes, not rows: what they print is kept
    with the notes.
    """
    end = min((number for number, _text in notes), default=None)
    left = Counter(placed)
    lost: list[tuple[int, Decimal]] = []
    for number, text in span.body:
        if end is not None and number >= end:
            break
        for amount in amounts_in(text):
            if left[number, amount] > 0:
                left[number, amount] -= 1
            else:
                lost.append((number, amount))
    if lost:
        line, _amount = lost[0]
        shown = ", ".join(f"{amount} (line {number})" for number, amount in lost[:8])
        more = f" and {len(lost) - 8} more" if len(lost) > 8 else ""
        raise SourceError(
            path,
            f"{len(lost)} amount(s) printed in {span.table.title} are in none of its "
            f"cells: {shown}{more}",
            line=line,
            table=span.table.number,
            expected="every row of the table recognised by its code, label or 行次; a row "
            "whose code or label is missing or garbled cannot be told from its neighbour",
        )
