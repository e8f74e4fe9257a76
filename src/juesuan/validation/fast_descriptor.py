"""The descriptor half of the fast frictionless pass: reading it and judging its metadata.

frictionless judges a descriptor against its profiles (package, resources, Table
Schemas), which costs far more than reading the tables. Its verdict does not
depend on the free text of a descriptor (titles, descriptions, keywords, the
sources' titles and paths, the package's own ``juesuan`` blocks: its profiles
only ask these to be strings, or do not know them), so the verdict is asked of
frictionless once per *skeleton*, the descriptor with that text blanked. It is
asked in parts: each resource on its own (packages of one edition share their
tables' resources), and the package with each resource replaced by a valid
stand-in of the same name, path, profile and format (all frictionless's package
checks look at). Only a descriptor frictionless accepts is handled here; any
other goes to frictionless whole.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

_FREE_TEXT = frozenset({"title", "description"})
"""Keys whose string values frictionless's profiles only require to be strings."""

_NAME = re.compile(r"^([-a-z0-9._/])+$")
"""frictionless's (v1) pattern for a package name."""


class DescriptorError(Exception):
    """The descriptor cannot be read: ``message`` is frictionless's own exception text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_descriptor(path: Path) -> dict[str, Any]:
    """The descriptor at ``path``, read as frictionless reads it.

    Raises :class:`DescriptorError` with the text frictionless's exception has
    when the file is no JSON object.
    """
    try:
        with path.open(encoding="utf-8") as handle:
            descriptor = json.loads(handle.read())
        assert isinstance(descriptor, dict)
        return descriptor
    except Exception as exception:  # frictionless turns any failure into this message
        from frictionless import FrictionlessException, errors

        note = f'cannot retrieve metadata "{path}" because "{exception}"'
        raise DescriptorError(
            str(FrictionlessException(errors.PackageError(note=note)))
        ) from exception


def accepted(descriptor: dict[str, Any]) -> bool:
    """Whether frictionless finds nothing wrong with the descriptor's metadata."""
    blanked = skeleton(descriptor)
    resources = blanked.get("resources")
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        return _accepted(_text(blanked))
    shell = {**blanked, "resources": [_stand_in(r) for r in resources]}
    return _accepted(_text(shell)) and all(_resource_accepted(_text(r)) for r in resources)


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


_KEPT = ("name", "path", "profile", "format", "mediatype", "encoding")
"""What a stand-in keeps of a resource: what the package's own checks read."""


def _stand_in(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource frictionless accepts, as the real one is to the package's checks."""
    out = {key: resource[key] for key in _KEPT if key in resource}
    if "schema" in resource:
        out["schema"] = {"fields": [{"name": "field", "type": "string"}]}
    return out


def skeleton(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The descriptor with the text frictionless's verdict does not depend on blanked."""
    out = _blank(descriptor)
    assert isinstance(out, dict)
    name = out.get("name")
    if isinstance(name, str) and _NAME.match(name):
        out["name"] = "package"
    if isinstance(out.get("juesuan"), dict):
        out["juesuan"] = {}
    keywords = out.get("keywords")
    if isinstance(keywords, list):
        out["keywords"] = ["" if isinstance(k, str) else k for k in keywords]
    sources = out.get("sources")
    if isinstance(sources, list):
        out["sources"] = [
            {k: ("" if k == "path" and isinstance(v, str) else v) for k, v in s.items()}
            if isinstance(s, dict)
            else s
            for s in sources
        ]
    resources = out.get("resources")
    if isinstance(resources, list):
        for resource in resources:
            if isinstance(resource, dict) and isinstance(resource.get("juesuan"), dict):
                resource["juesuan"] = {}
    return out


def _blank(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: ("" if k in _FREE_TEXT and isinstance(v, str) else _blank(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_blank(v) for v in value]
    return value


@lru_cache(maxsize=1024)
def _resource_accepted(text: str) -> bool:
    from frictionless import Resource, system

    with system.use_context(trusted=False):
        try:
            Resource.from_descriptor(json.loads(text)).to_descriptor(validate=True)
        except Exception:  # any complaint: frictionless itself reports it
            return False
    return True


@lru_cache(maxsize=512)
def _accepted(text: str) -> bool:
    from frictionless import Package, system

    with system.use_context(trusted=False):
        try:
            package = Package(json.loads(text))
            package.to_descriptor(validate=True)
            for resource in package.resources:
                resource.to_descriptor(validate=True)
        except Exception:  # any complaint: frictionless itself reports it
            return False
    return True
