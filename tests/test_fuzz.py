"""The fuzzer of scripts/fuzz.py on a CI budget: no traceback, no hang, no silent loss.

The same generator as ``python -m scripts.fuzz`` with a fixed seed and 300 text
and 60 binary inputs (under a minute in one process), a Hypothesis property over
the text mutations, and checks that the fuzzer's own detectors see what they
are there to see.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scripts.fuzz import (
    TEXT_OPS,
    TEXT_WEIGHTS,
    Case,
    Mutation,
    Seeds,
    fuzz,
    lines,
    make_seeds,
    mutate_text,
    run_case,
)


@cache
def _seeds() -> Seeds:
    return make_seeds(Path(tempfile.gettempdir()), binaries=False)


def _run(text: str, **options: float) -> object:
    case = Case("text:test", 0, ".txt", text.encode("utf-8", errors="surrogatepass"), [])
    with tempfile.TemporaryDirectory() as scratch:
        return run_case(case, Path(scratch), **options)


def test_a_fixed_budget_of_mutants_is_read_or_refused() -> None:
    summary = fuzz(300, 60, seed=2024, frictionless_every=60)
    report = "\n".join(lines(summary))
    assert len(summary.outcomes) == 360
    assert {o.kind for o in summary.outcomes} >= {"text:cells", "text:flow", "xlsx-xml"}
    assert summary.of("traceback") == [], report
    assert summary.of("hang") == [], report
    assert summary.losses == [], report
    # The mutants reach the tables: many are read to the end and checked.
    assert len(summary.of("ok")) > 60, report


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    base=st.sampled_from(sorted(TEXT_WEIGHTS)),
    mutations=st.lists(st.sampled_from([m for m, _weight in TEXT_OPS]), min_size=1, max_size=4),
    rng=st.randoms(use_true_random=False),
)
def test_text_mutations_are_read_or_refused(
    base: str, mutations: list[Mutation], rng: object
) -> None:
    text, ops = mutate_text(_seeds().texts[base], mutations, rng)  # type: ignore[arg-type]
    outcome = _run(text)
    assert outcome.cls in ("ok", "refused"), (ops, outcome)
    assert outcome.lost == {}, (ops, outcome)


@pytest.mark.parametrize("base", sorted(TEXT_WEIGHTS))
def test_each_seed_is_read_with_nothing_lost_or_invented(base: str) -> None:
    outcome = _run(_seeds().texts[base])
    assert (outcome.cls, outcome.lost, outcome.invented) == ("ok", {}, {}), outcome
    assert outcome.printed > 50
    assert outcome.span == "headings"


def test_a_fact_dropped_is_a_silent_loss(monkeypatch: pytest.MonkeyPatch) -> None:
    from juesuan.package import facts as module

    every: Callable = module.facts
    monkeypatch.setattr(module, "facts", lambda folder: list(every(folder))[1:])
    outcome = _run(_seeds().texts["cells"])
    assert outcome.cls == "ok"
    assert sum(outcome.lost.values()) == 1


def test_an_input_over_the_cpu_limit_is_a_hang() -> None:
    outcome = _run(_seeds().texts["flow"], limit=0.01)
    assert outcome.cls == "hang"
    assert outcome.signature.startswith("ingest Hang @ juesuan/")


def test_a_crash_behind_the_safety_net_is_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from juesuan.ingest import pipeline

    def broken(*_args: object) -> None:
        raise KeyError("row")

    monkeypatch.setattr(pipeline, "_in_edition", broken)
    outcome = _run(_seeds().texts["cells"])
    assert outcome.cls == "traceback"
    assert outcome.net
    assert outcome.signature == (
        "ingest KeyError @ juesuan/ingest/pipeline.py:_disclosure in tests/test_fuzz.py:broken"
    )
