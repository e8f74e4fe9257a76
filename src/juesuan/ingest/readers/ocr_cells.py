"""The cells of a scanned page's ruled tables, stacked in one picture for one reading.

Read as one block, a ruled table's columns confuse Tesseract: an amount beside
a long label comes out as a letter (6.18 as 了). Each cell's picture is cut out
inside its lines, trimmed to its ink, and the pictures are stacked one under
another, each alone on its lines: Tesseract reads them as it reads a column of
text, in one call for the page (a call per cell would cost its start-up each
time). The words are then put back where their cell stands on the page.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from juesuan.ingest.readers.ocr_grid import Ruled

_INSET = 4
"""Pixels left out inside a cell's lines: what is left of a line is no letter."""
_PAD = 24
"""White around each cell's ink in the stack: ink near an edge is read far worse."""
_GAP = 40
"""White between two cells in the stack, more than a line's spacing."""
_UNSURE = 60.0
"""Confidence under which a cell's text is read again alone: above it, a misread is rare."""
_DISAGREE = 50.0
"""The confidence a number gets when the two readings of its cell differ: doubtful."""
_DOUBTFUL = 80.0
"""Confidence under which a number is read again alone (as the arithmetic doubts it)."""
_INK = 128
"""Pixels darker than this are ink."""
_LINE_GAP = 1
"""Blank pixel rows more than this part two lines of a cell."""
_ENLARGED = 2
_PAPER = 160
"""Grey lighter than this is paper once a line is read in black and white."""
_LEGIBLE = 24
"""Pixel rows a line of print is read at, alone: smaller print is enlarged to it."""
_THINNEST = 10
"""Pixel rows (at 200 dpi) a line of text is at least high: thinner ink is a stroke."""
_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}")
_NUMBER = re.compile(r"-?[\d,]*\d(?:\.\d+)?")


Read = Callable[[Any, bool], list[Any]]
"""A Pillow picture, and whether it is one line of text → the words Tesseract reads in it."""


@dataclass(frozen=True)
class Placed:
    """Where a cell's picture was cut from the page and where it stands in the stack."""

    left: int
    top: int
    stack_top: int
    height: int
    lines: int
    """Lines of ink in the cell's picture."""
    column: tuple[int, int]
    """The table (its index on the page) and the column the cell starts in."""


@dataclass(frozen=True)
class Stack:
    """The cells' pictures stacked, and where each came from."""

    image: Any
    placed: tuple[Placed, ...]

    def read(self, text: Read, digits: Read) -> list[Any]:
        """Each cell's words, from the reading that suits it, moved back onto the page.

        The stack is read as Chinese text (``text``) and for digits alone
        (``digits``, which reads amounts far better, and letters not at all). A
        cell the digit reading finds a number in takes it, in a column of numbers
        or where the text reading is a number too, when the text reading holds
        no Han character or is less sure. A cell whose two readings
        differ, or that the text reading left lines of unread, is read again
        alone; a number still in doubt keeps a low confidence, for the
        arithmetic to decide.
        """
        texts = self._by_cell(text(self.image, False))
        numbers = self._by_cell(digits(self.image, False))
        numeric = self._numeric(texts, numbers)
        moved = []
        for at, place in enumerate(self.placed):
            words, number = texts.get(at, []), numbers.get(at, [])
            if (
                _lines(words) < place.lines
                or _sure(words) < _UNSURE
                or not (_han(_joined(words)) or _NUMBER.fullmatch(_joined(number)))
            ):
                alone = self._alone(at, text)
                # The reading with all its lines and the more characters read as Han.
                words = max(
                    words,
                    alone,
                    key=lambda w: (_lines(w) >= place.lines, _han(_joined(w)), _sure(w)),
                )
            read, other = _joined(words), _joined(number)
            # Digits replace a text reading only in a column of numbers, or a number.
            if (
                _NUMBER.fullmatch(other)
                and (place.column in numeric or _NUMBER.fullmatch(read))
                and (not any(_is_han(c) for c in read) or _sure(words) < _sure(number))
            ):
                if read != other or _sure(number) < _DOUBTFUL:
                    number = self._settled(at, digits, words, number)
                words = number
            dx, dy = place.left - _PAD, place.top - place.stack_top
            moved += [
                replace(
                    w, left=w.left + dx, right=w.right + dx, top=w.top + dy, bottom=w.bottom + dy
                )
                for w in words
            ]
        return moved

    def _numeric(
        self, texts: dict[int, list[Any]], numbers: dict[int, list[Any]]
    ) -> set[tuple[int, int]]:
        """The columns of numbers: more of their cells read surely as numbers than as text.

        In such a column a cell the text reading garbles (51.32 as 2.弘) takes
        the digit reading; elsewhere a digit reading never replaces Han text.
        """
        votes: dict[tuple[int, int], int] = {}
        for at, place in enumerate(self.placed):
            words, number = texts.get(at, []), numbers.get(at, [])
            han = sum(_is_han(c) for c in _joined(words))
            if _NUMBER.fullmatch(_joined(number)) and not han and _sure(number) >= _DOUBTFUL:
                votes[place.column] = votes.get(place.column, 0) + 1
            elif han >= 2 and _sure(words) >= _DOUBTFUL:
                votes[place.column] = votes.get(place.column, 0) - 1
        return {column for column, vote in votes.items() if vote > 0}

    def _settled(self, at: int, digits: Read, words: list[Any], number: list[Any]) -> list[Any]:
        """A number the readings disagree on, read again alone.

        Readings with the same digits, one of them with its decimals (a point is
        easily missed), are that amount; two readings alike settle it; otherwise
        it stays doubtful.
        """
        alone = self._alone(at, digits)
        readings = [r for r in (number, words, alone) if _NUMBER.fullmatch(_joined(r))]
        amounts = [r for r in readings if _AMOUNT.fullmatch(_joined(r))]
        if amounts and len({_joined(r).replace(".", "").replace(",", "") for r in readings}) == 1:
            return _sure_of(max(amounts, key=_sure), max(map(_sure, readings)))
        for first, second in ((number, alone), (number, words), (words, alone)):
            if _joined(first) == _joined(second) and first in readings:
                return _sure_of(first, max(_sure(first), _sure(second)))
        # Amounts print two decimals: a reading without them is the worse one.
        chosen = max(amounts, key=_sure) if amounts else number
        doubt = min(_sure(chosen), _DISAGREE)
        return [replace(w, confidence=min(w.confidence, doubt)) for w in chosen]

    def _alone(self, at: int, read: Read) -> list[Any]:
        """The words of cell ``at`` read line by line on their own, in the stack's pixels.

        Alone, a line is read as a raw line of text: as a block, Tesseract now
        and then finds no line in a short label (决算数) at all.
        """
        import numpy as np
        from PIL import Image

        place = self.placed[at]
        ink = np.asarray(self.image)[place.stack_top : place.stack_top + place.height] < _INK
        words = []
        for first, last in _bands(ink):
            top = place.stack_top + first - _PAD
            crop = self.image.crop((0, top, self.image.width, place.stack_top + last + 1 + _PAD))
            # Alone, a line is read enlarged and in black and white: as printed,
            # Tesseract misses thin digits (11 as 1) and even whole short labels.
            scale = max(_ENLARGED, -(-_LEGIBLE // (last - first + 1)))
            crop = crop.resize((crop.width * scale, crop.height * scale), Image.Resampling.LANCZOS)
            crop = crop.point(lambda value: 255 if value > _PAPER else 0)
            # Each word stands on its band: a raw line's boxes may reach past it.
            band = (place.stack_top + first, place.stack_top + last + 1)
            words += [
                replace(
                    w, left=w.left // scale, right=w.right // scale, top=band[0], bottom=band[1]
                )
                for w in read(crop, True)
            ]
        return words

    def _by_cell(self, words: Sequence[Any]) -> dict[int, list[Any]]:
        tops = [p.stack_top for p in self.placed]
        found: dict[int, list[Any]] = {}
        for word in words:
            middle = (word.top + word.bottom) / 2
            at = bisect_right(tops, middle) - 1
            if at < 0 or middle > self.placed[at].stack_top + self.placed[at].height:
                continue  # between two cells: a speck, nothing of either
            found.setdefault(at, []).append(word)
        return found


def _lines(words: Sequence[Any]) -> int:
    """How many lines the words stand on."""
    lines = 0
    bottom = -1.0
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        if (word.top + word.bottom) / 2 > bottom:
            lines += 1
            bottom = word.bottom
    return lines


def _ink_lines(ink: Any) -> int:
    """How many lines of ink a cell's picture holds."""
    return len(_bands(ink))


def _bands(ink: Any) -> list[tuple[int, int]]:
    """The first and last pixel row of each line of ink.

    Lines are bands of inked rows parted by blank ones; a band too thin to be a
    line (a stroke of 三, a point) belongs to the band above it, or below.
    """
    import numpy as np

    rows = np.flatnonzero(ink.any(axis=1))
    if not len(rows):
        return []
    cuts = np.flatnonzero(np.diff(rows) > _LINE_GAP)
    bands = [
        [int(a), int(b)]
        for a, b in zip([rows[0], *rows[cuts + 1]], [*rows[cuts], rows[-1]], strict=True)
    ]
    merged: list[list[int]] = []
    for band in bands:
        if merged and (band[1] - band[0] < _THINNEST or merged[-1][1] - merged[-1][0] < _THINNEST):
            merged[-1][1] = band[1]
        else:
            merged.append(band)
    return [(a, b) for a, b in merged]


def _joined(words: Sequence[Any]) -> str:
    return "".join(w.text for w in sorted(words, key=lambda w: (w.top, w.left)))


def _sure_of(words: list[Any], sure: float) -> list[Any]:
    return [replace(w, confidence=max(w.confidence, sure)) for w in words]


def _sure(words: Sequence[Any]) -> float:
    """The least confidence of the words, 0 for none."""
    return min((float(w.confidence) for w in words), default=0.0)


def _han(text: str) -> int:
    return sum(map(_is_han, text))


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def stacked(pixels: Any, dark: Any, tables: Sequence[Ruled]) -> Stack | None:
    """The inked cells of ``tables`` cut from ``pixels`` (lines whitened) and stacked."""
    import numpy as np
    from PIL import Image

    crops: list[tuple[int, int, Any, int, tuple[int, int]]] = []
    for index, table in enumerate(tables):
        for top, bottom, left, right, column in _cell_boxes(table):
            ink = dark[top:bottom, left:right]
            rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
            if not len(rows):
                continue
            y0, y1 = top + int(rows[0]), top + int(rows[-1]) + 1
            x0, x1 = left + int(columns[0]), left + int(columns[-1]) + 1
            crops.append((x0, y0, pixels[y0:y1, x0:x1], _ink_lines(ink), (index, column)))
    if not crops:
        return None
    width = max(crop[2].shape[1] for crop in crops) + 2 * _PAD
    height = sum(crop[2].shape[0] + _GAP for crop in crops) + _GAP
    canvas = np.full((height, width), 255, dtype=np.uint8)
    placed = []
    y = _GAP
    for x0, y0, crop, lines, where in crops:
        canvas[y : y + crop.shape[0], _PAD : _PAD + crop.shape[1]] = crop
        placed.append(Placed(x0, y0, y, crop.shape[0], lines, where))
        y += crop.shape[0] + _GAP
    return Stack(Image.fromarray(canvas), tuple(placed))


def _cell_boxes(table: Ruled) -> list[tuple[int, int, int, int, int]]:
    """Each merged cell's inside (top, bottom, left, right, in pixels of the page), and column."""
    spans: dict[tuple[int, int], list[int]] = {}
    for (i, j), owner in table.owner.items():
        span = spans.setdefault(owner, [i, i, j, j])
        span[0], span[1] = min(span[0], i), max(span[1], i)
        span[2], span[3] = min(span[2], j), max(span[3], j)
    boxes = []
    for first, last, left, right in spans.values():
        box = (
            table.ys[first] + _INSET,
            table.ys[last + 1] - _INSET,
            table.xs[left] + _INSET,
            table.xs[right + 1] - _INSET,
            left,
        )
        if box[0] < box[1] and box[2] < box[3]:
            boxes.append(box)
    return sorted(boxes)
