"""Whether a JSON instance is valid, by a predicate compiled once from its JSON Schema.

jsonschema walks the schema afresh for every value, which made checking each
table's JSON most of a package's validation. The generated table schemas use a
few keywords; :func:`compile_schema` turns them into plain predicates that say
only valid or not, with jsonschema's meaning of each keyword (draft 2020-12, no
format assertion). An invalid instance still goes to jsonschema, so every finding
and its message are its own. A schema with any other keyword is not compiled.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "default"})
"""Keywords that say nothing about validity (no ``$ref`` resolves against ``$id`` here)."""


class _Unsupported(Exception):
    """A keyword, or a form of one, that this compiler does not implement."""


def compile_schema(schema: Any) -> Predicate | None:
    """A predicate true exactly when jsonschema finds no error; None if the schema is beyond it.

    The predicate takes what :func:`json.loads` gives: dicts, lists, strings,
    ints, floats, booleans and None, never subclasses of them.
    """
    try:
        return _compile(schema)
    except _Unsupported:
        return None


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


_EXACT: dict[str, tuple[type, ...]] = {
    "array": (list,),
    "boolean": (bool,),
    "integer": (int,),
    "null": (type(None),),
    "number": (int, float),
    "object": (dict,),
    "string": (str,),
}
"""The classes json.loads gives for each type (never a subclass; bool is no integer here)."""
_NUMBERS = frozenset(_EXACT["number"])


def _compile(schema: Any) -> Predicate:
    if not isinstance(schema, dict):
        raise _Unsupported
    if set(schema) - _ANNOTATIONS - set(_KEYWORDS) - _OBJECT:
        raise _Unsupported
    checks = [_KEYWORDS[key](schema[key], schema) for key in _KEYWORDS if key in schema]
    if _OBJECT.intersection(schema):
        checks.append(_object(schema))
    return _all(checks)


def _all(checks: list[Predicate]) -> Predicate:
    """The conjunction, nested as plain calls (a generator per value costs more than a check)."""
    if not checks:
        return lambda value: True
    first, *rest = checks
    if not rest:
        return first
    others = _all(rest)
    return lambda value: first(value) and others(value)


def _type(kind: Any, schema: dict[str, Any]) -> Predicate:
    kinds = [kind] if isinstance(kind, str) else kind
    if not isinstance(kinds, list) or not all(k in _EXACT for k in kinds):
        raise _Unsupported
    exact = frozenset(t for k in kinds for t in _EXACT[k])
    if "integer" in kinds and "number" not in kinds:
        # jsonschema takes 2.0 for an integer.
        return lambda value: type(value) in exact or (type(value) is float and value.is_integer())
    return lambda value: type(value) in exact


def _enum(values: Any, schema: dict[str, Any]) -> Predicate:
    # Only strings: jsonschema compares a string to anything by ==, so membership is exact.
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _Unsupported
    allowed = frozenset(values)
    return lambda value: type(value) is str and value in allowed


def _pattern(pattern: Any, schema: dict[str, Any]) -> Predicate:
    if not isinstance(pattern, str):
        raise _Unsupported
    search = re.compile(pattern).search
    return lambda value: type(value) is not str or search(value) is not None


def _minimum(minimum: Any, schema: dict[str, Any]) -> Predicate:
    if not _is_number(minimum):
        raise _Unsupported
    # As jsonschema has it: not below, so NaN passes.
    return lambda value: type(value) not in _NUMBERS or not value < minimum


def _any_of(subschemas: Any, schema: dict[str, Any]) -> Predicate:
    if not isinstance(subschemas, list) or not subschemas:
        raise _Unsupported
    tests = [_compile(s) for s in subschemas]
    return lambda value: any(test(value) for test in tests)


def _items(subschema: Any, schema: dict[str, Any]) -> Predicate:
    test = _compile(subschema)
    return lambda value: type(value) is not list or all(map(test, value))


_OBJECT = frozenset({"properties", "required", "additionalProperties"})


def _object(schema: dict[str, Any]) -> Predicate:
    """``properties``, ``required`` and ``additionalProperties`` as one pass over an object."""
    properties = schema.get("properties", {})
    names = schema.get("required", [])
    allowed = schema.get("additionalProperties", True)
    if not isinstance(properties, dict) or not isinstance(names, list):
        raise _Unsupported
    if not all(isinstance(n, str) for n in names) or allowed not in (True, False):
        raise _Unsupported
    if allowed is False and "patternProperties" in schema:
        raise _Unsupported
    tests = {name: _compile(sub) for name, sub in properties.items()}
    needed = tuple(names)
    known = frozenset(properties) if allowed is False else None

    def check(value: Any) -> bool:
        if type(value) is not dict:
            return True
        for name in needed:
            if name not in value:
                return False
        if known is not None and not known.issuperset(value):
            return False
        for name, item in value.items():
            test = tests.get(name)
            if test is not None and not test(item):
                return False
        return True

    return check


_KEYWORDS: dict[str, Callable[[Any, dict[str, Any]], Predicate]] = {
    "type": _type,
    "enum": _enum,
    "pattern": _pattern,
    "minimum": _minimum,
    "anyOf": _any_of,
    "items": _items,
}
