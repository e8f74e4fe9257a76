"""The compiled predicate says valid exactly when jsonschema finds no error.

Instances are drawn near the edges of each keyword (bool against integer, 2.0
as an integer, NaN against a minimum, a pattern's trailing newline, an extra or
missing property) and against every generated table schema of every edition.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from juesuan.taxonomy import editions
from juesuan.taxonomy.loader import overlays
from juesuan.taxonomy.schemas import json_schema
from juesuan.validation.quick_schema import compile_schema

_TABLE_SCHEMAS = [
    json_schema(edition, table)
    for edition in [*editions().values(), *overlays().values()]
    for table in edition.tables.values()
]

_EDGE_TEXT = ["", "total", "101", "10101", "1010101", "101\n", "１０１", "1a", "a", "收入", "in"]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.sampled_from([2.0, 0.5, -1.0, 1e300]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(_EDGE_TEXT),
    st.text(max_size=4),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


def _rows(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Arrays of objects keyed mostly by the schema's own properties, with values near its edges."""
    properties = schema["items"]["properties"]
    enums = [v for p in properties.values() for v in p.get("enum", [])]
    for p in properties.values():
        enums += [v for sub in p.get("anyOf", []) for v in sub.get("enum", [])]
    values = st.one_of(_SCALARS, st.sampled_from(enums or ["total"]))
    keys = st.sampled_from([*properties, "extra"])
    row = st.dictionaries(keys, values, max_size=len(properties) + 1)
    full = st.fixed_dictionaries(dict.fromkeys(properties, values))
    return st.lists(st.one_of(row, full, _JSON), max_size=4) | _JSON


def _same(schema: dict[str, Any], instance: Any) -> None:
    valid = compile_schema(schema)
    assert valid is not None
    # As json.loads would give it: the predicate never sees other classes.
    parsed = json.loads(json.dumps(instance))
    assert valid(parsed) == Draft202012Validator(schema).is_valid(parsed), (schema, parsed)


def test_every_generated_table_schema_compiles() -> None:
    assert _TABLE_SCHEMAS
    assert all(compile_schema(schema) is not None for schema in _TABLE_SCHEMAS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_table_schemas_agree_with_jsonschema(data: st.DataObject) -> None:
    schema = data.draw(st.sampled_from(_TABLE_SCHEMAS))
    _same(schema, data.draw(_rows(schema)))


_KEYWORD_SCHEMAS: list[dict[str, Any]] = [
    {"type": "integer"},
    {"type": ["integer", "null"], "minimum": 1},
    {"type": "number"},
    {"type": ["number", "null"]},
    {"type": ["string", "null"], "pattern": r"^\d{3}(\d{2}){0,2}$"},
    {"pattern": r"^(total|\d{3}(\d{2}){0,2})$"},
    {"enum": ["in", "out"]},
    {"anyOf": [{"enum": ["total"]}, {"pattern": r"^\d{3}(\d{2})?$"}]},
    {"type": "boolean"},
    {"minimum": 0.5},
    {"items": {"type": "string"}},
    {
        "type": "object",
        "properties": {"a": {"type": "integer"}},
        "required": ["a"],
        "additionalProperties": False,
    },
    {"properties": {"a": {"type": "string"}}, "additionalProperties": True},
    {},
]


_EDGES: list[Any] = [
    *_EDGE_TEXT,
    None,
    True,
    False,
    0,
    1,
    2.0,
    0.5,
    float("nan"),
    float("inf"),
    float("-inf"),
    [],
    ["a", 1],
    {},
    {"a": 1},
    {"a": 1.0},
    {"a": True},
    {"a": 1, "b": 2},
    {"b": "x"},
]


@pytest.mark.parametrize("schema", _KEYWORD_SCHEMAS)
def test_each_keyword_at_its_edges(schema: dict[str, Any]) -> None:
    for instance in _EDGES:
        _same(schema, instance)


@settings(max_examples=400, deadline=None)
@given(schema=st.sampled_from(_KEYWORD_SCHEMAS), instance=_JSON)
def test_each_keyword_agrees_with_jsonschema(schema: dict[str, Any], instance: Any) -> None:
    _same(schema, instance)


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#/$defs/a"},
        {"format": "date"},
        {"type": "string", "maxLength": 3},
        {"enum": [1, "a"]},
        {"additionalProperties": {"type": "string"}},
        {"properties": {"a": {"type": "string"}}, "patternProperties": {"^x": {}}},
        {"type": "decimal"},
        {"items": [{"type": "string"}]},
        True,
    ],
)
def test_what_it_does_not_know_is_left_to_jsonschema(schema: Any) -> None:
    assert compile_schema(schema) is None
