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
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, cast

T = TypeVar("T")


class RecordError(ValueError):
    """Stored data that does not fit the type it is read as."""


def dump(value: Any) -> Any:
    """``value`` (dataclasses, tuples, str, int, bool, None) as JSON-ready lists and scalars."""
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, tuple | list):
        return [dump(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [dump(getattr(value, name)) for name in _names(type(value))]
    raise RecordError(f"cannot store a {type(value).__name__}")


def load(kind: type[T], data: Any) -> T:
    """The ``kind`` value ``data`` (from :func:`dump`) stands for."""
    hint: Any = kind
    return cast("T", _reader(hint)(data))


Reader = Callable[[Any], Any]


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


@cache
def _reader(hint: Any) -> Reader:
    """A function reading data of type ``hint``: worked out once per type, not per value."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _union(tuple(_reader(option) for option in typing.get_args(hint)), hint)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(_reader(args[0]), hint)
        return _fixed(tuple(_reader(a) for a in args), hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        names = tuple(f.name for f in dataclasses.fields(hint))
        return _record(hint, names, tuple(_reader(hints[n]) for n in names))
    if hint is type(None):
        return _scalar(type(None))
    if hint in (str, int, bool):
        return _scalar(hint)
    raise RecordError(f"cannot read a {hint}")


def _scalar(kind: type) -> Reader:
    def read(data: Any) -> Any:
        # bool is an int to Python, not to a record.
        if type(data) is not kind:
            raise RecordError(f"expected {kind.__name__}, got {data!r}")
        return data

    return read


def _union(options: tuple[Reader, ...], hint: Any) -> Reader:
    def read(data: Any) -> Any:
        for option in options:
            try:
                return option(data)
            except RecordError:
                continue
        raise RecordError(f"{data!r} is none of {hint}")

    return read


def _sequence(item: Reader, hint: Any) -> Reader:
    def read(data: Any) -> Any:
        if type(data) is not list:
            raise RecordError(f"expected a list for {hint}, got {data!r}")
        return tuple(map(item, data))

    return read


def _fixed(items: tuple[Reader, ...], hint: Any) -> Reader:
    def read(data: Any) -> Any:
        if type(data) is not list or len(data) != len(items):
            raise RecordError(f"expected {len(items)} items for {hint}, got {data!r}")
        return tuple(reader(value) for reader, value in zip(items, data, strict=True))

    return read


def _record(kind: type, names: tuple[str, ...], fields: tuple[Reader, ...]) -> Reader:
    def read(data: Any) -> Any:
        if type(data) is not list or len(data) != len(fields):
            raise RecordError(f"expected {len(fields)} fields for {kind.__name__}")
        return kind(**{n: r(v) for n, r, v in zip(names, fields, data, strict=True)})

    return read
