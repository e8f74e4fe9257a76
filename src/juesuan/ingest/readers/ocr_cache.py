"""Words OCR read on a page image, kept by content: the same picture is read once.

The key is the sha256 of the image's pixels and size, the engine's version, the
language and the settings it was read with; an entry lives in
``<cache>/ocr/<key[:2]>/<key>.json``, written beside and renamed in, so a killed
run leaves no half entry. An entry that does not parse as words is ignored (and
read again); deleting the folder costs time, nothing else. Re-ingesting a
committed scan (every CI run does) then costs no OCR.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from juesuan import folders
from juesuan.paths import CACHE

FORMAT = "juesuan-ocr-words/1"
"""Changes when a kept entry would be read otherwise."""
FOLDER: Path | None = CACHE / "ocr"
"""Where entries live (relative to the working directory); None reads every page afresh."""


@dataclass
class Counts:
    """Pages found in the cache, read afresh, and entries found unreadable."""

    hits: int = 0
    misses: int = 0
    ignored: int = 0


counts = Counts()


def key(image: Any, settings: str) -> str:
    """The key of the words read on a Pillow ``image`` with ``settings`` (engine included)."""
    digest = hashlib.sha256(f"{FORMAT}\0{settings}\0{image.mode}\0{image.size}\0".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


def cached(
    image: Any, settings: str, read: Callable[[Any], list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """What ``read(image)`` gives, from the cache when the same picture was read before."""
    if FOLDER is None:
        counts.misses += 1
        return read(image)
    name = key(image, settings)
    path = FOLDER / name[:2] / f"{name}.json"
    stored = _load(path)
    if stored is not None:
        counts.hits += 1
        return stored
    counts.misses += 1
    words = read(image)
    _store(path, words)
    return words


def _load(path: Path) -> list[dict[str, Any]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        counts.ignored += 1
        return None
    words = data.get("words") if isinstance(data, dict) else None
    if data.get("format") != FORMAT or not isinstance(words, list) or not all(map(_word, words)):
        counts.ignored += 1
        return None
    return words


_FIELDS = {"text": str, "left": int, "top": int, "right": int, "bottom": int, "confidence": float}


def _word(entry: object) -> bool:
    """Whether ``entry`` is a word as stored: exactly the fields, of their types."""
    if not isinstance(entry, dict) or set(entry) != set(_FIELDS):
        return False
    return all(
        isinstance(entry[name], kind)
        or (kind is float and isinstance(entry[name], int) and not isinstance(entry[name], bool))
        for name, kind in _FIELDS.items()
    ) and not any(isinstance(entry[name], bool) for name in _FIELDS)


def _store(path: Path, words: list[dict[str, Any]]) -> None:
    data = {"format": FORMAT, "words": words}
    folders.write_beside(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def as_entries(words: list[Any]) -> list[dict[str, Any]]:
    """Dataclass words as the cache stores them."""
    return [asdict(word) for word in words]
