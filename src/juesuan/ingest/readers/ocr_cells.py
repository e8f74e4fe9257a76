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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from juesuan.ingest.readers.ocr_grid import Ruled

_INSET = 4
"""Pixels left out inside a cell's lines: what is left of a line is no letter."""
_PAD = 8
"""White around each cell's ink in the stack."""
_GAP = 28
"""White between two cells in the stack, more than a line's spacing."""
_DISAGREE = 50.0
"""The confidence a number gets when the two readings of its cell differ: doubtful."""
_NUMBER = re.compile(r"-?[\d,]*\d(?:\.\d+)?")


@dataclass(frozen=True)
class Placed:
    """Where a cell's picture was cut from the page and where it stands in the stack."""

    left: int
    top: int
    stack_top: int
    height: int


@dataclass(frozen=True)
class Stack:
    """The cells' pictures stacked, and where each came from."""

    image: Any
    placed: tuple[Placed, ...]

    def on_page(self, text: Sequence[Any], digits: Sequence[Any]) -> list[Any]:
        """Each cell's words, from the reading that suits it, moved back onto the page.

        ``text`` is the stack read as Chinese text, ``digits`` read for digits alone
        (which reads amounts far better, and letters not at all). A cell the digit
        reading finds a number in takes it when the text reading holds no Han
        character or is less sure; when both read a number and differ, the
        number is doubtful whichever is kept, and the arithmetic decides.
        """
        texts, numbers = self._by_cell(text), self._by_cell(digits)
        moved = []
        for at, place in enumerate(self.placed):
            words = texts.get(at, [])
            number = numbers.get(at, [])
            read, other = _joined(words), _joined(number)
            if _NUMBER.fullmatch(other) and (
                not any(_is_han(c) for c in read) or _sure(number) > _sure(words)
            ):
                if _NUMBER.fullmatch(read) and read != other:
                    doubt = min(_sure(words), _sure(number), _DISAGREE)
                    number = [replace(w, confidence=min(w.confidence, doubt)) for w in number]
                words = number
            dx, dy = place.left - _PAD, place.top - place.stack_top
            moved += [
                replace(
                    w, left=w.left + dx, right=w.right + dx, top=w.top + dy, bottom=w.bottom + dy
                )
                for w in words
            ]
        return moved

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


def _joined(words: Sequence[Any]) -> str:
    return "".join(w.text for w in sorted(words, key=lambda w: (w.top, w.left)))


def _sure(words: Sequence[Any]) -> float:
    """The least confidence of the words, 0 for none."""
    return min((float(w.confidence) for w in words), default=0.0)


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def stacked(pixels: Any, dark: Any, tables: Sequence[Ruled]) -> Stack | None:
    """The inked cells of ``tables`` cut from ``pixels`` (lines whitened) and stacked."""
    import numpy as np
    from PIL import Image

    crops: list[tuple[int, int, Any]] = []
    for table in tables:
        for top, bottom, left, right in _cell_boxes(table):
            ink = dark[top:bottom, left:right]
            rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
            if not len(rows):
                continue
            y0, y1 = top + int(rows[0]), top + int(rows[-1]) + 1
            x0, x1 = left + int(columns[0]), left + int(columns[-1]) + 1
            crops.append((x0, y0, pixels[y0:y1, x0:x1]))
    if not crops:
        return None
    width = max(crop.shape[1] for _, _, crop in crops) + 2 * _PAD
    height = sum(crop.shape[0] + _GAP for _, _, crop in crops) + _GAP
    canvas = np.full((height, width), 255, dtype=np.uint8)
    placed = []
    y = _GAP
    for x0, y0, crop in crops:
        canvas[y : y + crop.shape[0], _PAD : _PAD + crop.shape[1]] = crop
        placed.append(Placed(x0, y0, y, crop.shape[0]))
        y += crop.shape[0] + _GAP
    return Stack(Image.fromarray(canvas), tuple(placed))


def _cell_boxes(table: Ruled) -> list[tuple[int, int, int, int]]:
    """Each merged cell's inside: top, bottom, left, right, in pixels of the page."""
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
        )
        if box[0] < box[1] and box[2] < box[3]:
            boxes.append(box)
    return sorted(boxes)
