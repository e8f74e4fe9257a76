"""A scanned page made straight and black on white before its lines are looked for.

A page fed through a scanner comes back turned a degree or two, on grey paper,
speckled: ruling lines then run across several rows of pixels and are missed,
and Tesseract reads specks as marks. The page's angle is the one at which its
dark pixels (ruling lines and lines of text) stack into the sharpest rows (a
projection profile); the page is turned back by it. Paper that is not white,
or speckled, is cleaned: a median filter takes the specks, and the greys are
stretched so that the paper is white and the ink black.
A page rendered from a text PDF is straight, white and clean: it is left as it
is, so what OCR read of it stays in the cache.
"""

from __future__ import annotations

from typing import Any

_LARGEST_ANGLE = 5.0
"""Degrees a page may be turned and still be set straight."""
_STEP = 0.1
"""Degrees between two angles tried."""
_STRAIGHT = 0.05
"""A page turned less than this (degrees) is straight enough."""
_SAMPLE = 60_000
"""Dark pixels the angle is measured on, at most."""
_DARK = 128
_WHITE = 245
"""Paper lighter than this (its median grey) is white."""
_SPECKS = 0.08
"""Share of a page's light pixels off the paper's grey above which it is speckled: a
page rendered from a text PDF has a few at the edges of its letters (0.01-0.03)."""
_LIGHT = 160
"""Pixels lighter than this are paper or its specks, not ink."""
_OFF = 6
"""Greys a light pixel differs from the paper by to be a speck."""
_INK_SHARE = 0.5
"""Percent of a page's pixels darker than what is taken for its black."""


def straightened(image: Any) -> Any:
    """``image`` (Pillow, greyscale) turned back by the angle its lines lean at."""
    from PIL import Image

    angle = skew(image)
    if abs(angle) < _STRAIGHT:
        return image
    return image.rotate(-angle, resample=Image.Resampling.BICUBIC, fillcolor=_paper(image))


def skew(image: Any) -> float:
    """The angle (degrees, counter-clockwise) the page is turned by: its dark rows lean so."""
    import numpy as np

    pixels = np.asarray(image)
    ys, xs = np.nonzero(pixels < _DARK)
    if len(ys) < 100:
        return 0.0
    if len(ys) > _SAMPLE:
        chosen = np.random.default_rng(0).choice(len(ys), _SAMPLE, replace=False)
        ys, xs = ys[chosen], xs[chosen]
    xs = xs - pixels.shape[1] / 2

    def sharpness(degrees: float) -> float:
        rows = np.round(ys + xs * np.tan(np.radians(degrees))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    steps = round(_LARGEST_ANGLE / _STEP)
    angles = [i * _STEP for i in range(-steps, steps + 1)]
    scores = [sharpness(a) for a in angles]
    best = max(range(len(angles)), key=lambda i: (scores[i], -abs(angles[i])))
    # Between two steps: the finer angle is where the parabola through three peaks.
    if 0 < best < len(angles) - 1:
        left, middle, right = scores[best - 1], scores[best], scores[best + 1]
        bend = left - 2 * middle + right
        if bend < 0:
            return angles[best] + _STEP * 0.5 * (left - right) / bend
    return angles[best]


def cleaned(image: Any) -> Any:
    """``image`` on white paper, specks taken out, when its paper is grey or speckled.

    The greys are stretched so that the paper is white and the darkest ink black,
    not cut at one threshold: Tesseract sets its own, and reads the edges of the
    strokes a cut would square off better (a grey, speckled page made black on white
    at Otsu's threshold read 11 of 68 lines otherwise than the clean page, stretched 4).
    """
    import numpy as np
    from PIL import Image, ImageFilter

    pixels = np.asarray(image)
    paper = _paper(image)
    off = np.abs(pixels.astype(np.int16) - paper) > _OFF
    specks = np.count_nonzero(off & (pixels > _LIGHT)) / pixels.size
    if paper >= _WHITE and specks <= _SPECKS:
        return image
    smooth = np.asarray(image.filter(ImageFilter.MedianFilter(3))).astype(np.float32)
    white = float(np.median(smooth))
    black = float(np.percentile(smooth, _INK_SHARE))
    if white - black < 1:
        return image
    stretched = (smooth - black) * (255 / (white - black))
    return Image.fromarray(np.clip(stretched, 0, 255).astype(np.uint8))


def _paper(image: Any) -> int:
    """The grey of the paper: the page's median pixel (most of a page is paper)."""
    import numpy as np

    return int(np.median(np.asarray(image)))
