"""Give wrapped label pieces back to the row they belong to, by the code lists' names.

Flowed PDF text puts a long label's pieces wherever the page had them: on the
line before the row's code, after its amounts, even between the pieces of a
neighbouring row's label (three panels side by side). Each piece is a token, so
for a window of neighbouring coded rows whose labels are not their codes' names,
every way of sharing their pieces out (each row keeping its pieces in reading
order) is tried; the one way that gives every row in the window its name exactly
is taken. Anything less certain stays as printed, for validation to report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import product

from juesuan.ingest.layouts import RawRow
from juesuan.ingest.tokens import Token
from juesuan.text import normalise

_WINDOW = 3
_MAX_PIECES = 8

Names = Callable[[str], Iterable[str]]


def repair_labels(rows: list[RawRow], names: Names) -> None:
    """Reassign label pieces among neighbouring coded rows of one table, in place."""
    for start in range(len(rows) - 1):
        window = rows[start : start + _WINDOW]
        if all(_is_name(row.fragments, row.id, names) for row in window):
            continue
        pieces = sorted((p for row in window for p in row.fragments), key=lambda t: t.line)
        if not pieces or len(pieces) > _MAX_PIECES:
            continue
        solutions = []
        for owners in product(range(len(window)), repeat=len(pieces)):
            shares = [
                [p for p, o in zip(pieces, owners, strict=True) if o == i]
                for i in range(len(window))
            ]
            if all(
                _is_name(share, row.id, names) for share, row in zip(shares, window, strict=True)
            ):
                solutions.append(shares)
                if len(solutions) > 1:
                    break
        if len(solutions) == 1:
            for row, share in zip(window, solutions[0], strict=True):
                row.fragments = share
                row.label = "".join(p.text for p in share)


def _is_name(pieces: list[Token], code: str, names: Names) -> bool:
    label = normalise("".join(p.text for p in pieces))
    return any(label == normalise(name) for name in names(code))
