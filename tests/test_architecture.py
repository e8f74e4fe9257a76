"""The import direction ARCHITECTURE.md describes, checked on the source itself.

Every module under src/juesuan is parsed (imports inside functions included)
and the graph of juesuan imports is reduced to the pipeline stages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from juesuan.paths import CHECKOUT

SOURCE = CHECKOUT / "src" / "juesuan"
STAGES = ("taxonomy", "ingest", "package", "validation", "site", "repository", "cli")
SHARED = {
    "juesuan",
    "juesuan.errors",
    "juesuan.folders",
    "juesuan.jobs",
    "juesuan.limits",
    "juesuan.paths",
    "juesuan.text",
    "juesuan.units",
    "juesuan.years",
}
"""The top-level modules every stage may use; they import no stage."""

ALLOWED = {
    "taxonomy": set(),
    "ingest": {"taxonomy"},
    "package": {"taxonomy", "ingest"},
    "validation": {"package", "taxonomy"},
    "site": {"package", "validation", "taxonomy"},
    "repository": {"taxonomy", "ingest", "package", "validation", "site"},
    "cli": {"taxonomy", "ingest", "package", "validation", "site", "repository"},
}
"""The stages each stage may import, as ARCHITECTURE.md lists them."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _sources() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def _imported(module: str, path: Path) -> set[str]:
    """The juesuan modules ``module`` imports, wherever the import statement stands."""
    modules = _sources()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # from juesuan.site import urls: the module urls, not the package.
                child = f"{base}.{alias.name}"
                found.add(child if child in modules else base)
    return {name for name in found if name == "juesuan" or name.startswith("juesuan.")}


@cache
def import_graph() -> dict[str, frozenset[str]]:
    """Every module of juesuan and the juesuan modules it imports."""
    return {module: frozenset(_imported(module, path)) for module, path in _sources().items()}


def stage_of(module: str) -> str | None:
    """The stage a module belongs to (juesuan.ingest.readers.pdf: ingest), if any."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def stage_edges(graph: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """Stage → the other stages its modules import."""
    edges: dict[str, set[str]] = {stage: set() for stage in STAGES}
    for module, targets in graph.items():
        source = stage_of(module)
        for target in targets:
            into = stage_of(target)
            if source and into and into != source:
                edges[source].add(into)
    return edges


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle of ``edges`` as the nodes along it (first repeated last), or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def _offending(stage: str, forbidden: set[str]) -> list[str]:
    return sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if stage_of(module) == stage
        for target in targets
        if stage_of(target) in forbidden
    )


def test_the_graph_is_read_from_the_source() -> None:
    graph = import_graph()
    assert "juesuan.ingest.pipeline" in graph
    assert "juesuan.taxonomy.rules" in graph["juesuan.ingest.pipeline"]
    # An import inside a function counts: cli's commands import lazily.
    assert "juesuan.ingest.batch" in graph["juesuan.cli"]
    edges = stage_edges(graph)
    assert "taxonomy" in edges["ingest"]
    assert "site" in edges["cli"]


def test_validation_and_the_site_import_neither_ingest_nor_what_is_above_them() -> None:
    for stage in ("validation", "site"):
        assert _offending(stage, {"ingest", "repository", "cli"}) == []


def test_the_taxonomy_imports_no_later_stage() -> None:
    later = {"ingest", "package", "validation", "site", "repository", "cli"}
    assert _offending("taxonomy", later) == []


def test_only_package_write_takes_ingest() -> None:
    readers = [
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if stage_of(module) == "package" and module != "juesuan.package.write"
        for target in targets
        if stage_of(target) == "ingest"
    ]
    assert readers == []


def test_each_stage_imports_only_the_stages_it_may() -> None:
    edges = stage_edges(import_graph())
    assert {stage: edges[stage] - ALLOWED[stage] for stage in STAGES} == {
        stage: set() for stage in STAGES
    }


def test_the_shared_modules_import_no_stage() -> None:
    graph = import_graph()
    top_level = {module for module in graph if stage_of(module) is None}
    assert top_level == SHARED
    for module in SHARED:
        assert {stage_of(t) for t in graph[module]} <= {None}, module


def test_there_is_no_import_cycle_between_stages() -> None:
    assert find_cycle(stage_edges(import_graph())) is None


def test_a_cycle_is_found_when_there_is_one() -> None:
    assert find_cycle({"site": {"validation"}, "validation": {"taxonomy"}}) is None
    cycle = find_cycle({"cli": {"site"}, "site": {"validation", "cli"}, "validation": set()})
    assert cycle == ["cli", "site", "cli"]
