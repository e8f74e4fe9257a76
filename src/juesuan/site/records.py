"""Frozen dataclasses to JSON and back, driven by their type hints.

What a worker returns for a disclosure (its summary and catalog entry) is kept
in the build cache as JSON, never pickled: a cache entry is data, and reading
one runs no code. The hints say what each value must be, so an entry that does
not fit is refused (:class:`RecordError`) rather than half read.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, TypeVar, cast

T = TypeVar("T")


class RecordError(ValueError):
    """Stored data that does not fit the type it is read as."""


def dump(value: Any) -> Any:
    """``value`` (dataclasses, tuples, str, int, bool, None) as JSON-ready lists and scalars."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [dump(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, tuple | list):
        return [dump(item) for item in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    raise RecordError(f"cannot store a {type(value).__name__}")


def load(kind: type[T], data: Any) -> T:
    """The ``kind`` value ``data`` (from :func:`dump`) stands for."""
    return cast("T", _load(kind, data))


@cache
def _hints(kind: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(kind)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(kind))


def _load(hint: Any, data: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            try:
                return _load(option, data)
            except RecordError:
                continue
        raise RecordError(f"{data!r} is none of {hint}")
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(data, list):
            raise RecordError(f"expected a list for {hint}, got {data!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], item) for item in data)
        if len(args) != len(data):
            raise RecordError(f"expected {len(args)} items for {hint}, got {len(data)}")
        return tuple(_load(a, item) for a, item in zip(args, data, strict=True))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        fields = _hints(hint)
        if not isinstance(data, list) or len(data) != len(fields):
            raise RecordError(f"expected {len(fields)} fields for {hint.__name__}")
        return hint(**{name: _load(h, item) for (name, h), item in zip(fields, data, strict=True)})
    if hint is type(None):
        if data is not None:
            raise RecordError(f"expected null, got {data!r}")
        return None
    if hint is bool:
        if not isinstance(data, bool):
            raise RecordError(f"expected a boolean, got {data!r}")
        return data
    if hint in (str, int):
        if not isinstance(data, hint) or isinstance(data, bool):
            raise RecordError(f"expected {hint.__name__}, got {data!r}")
        return data
    raise RecordError(f"cannot read a {hint}")
