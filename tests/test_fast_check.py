"""The fast schema pass gives frictionless's findings: same error, row, field, cell, message.

Each mutation below breaks a copy of a seed package in one way frictionless
reports (or, for the clean variants, in a way it accepts); both paths must give
the same findings, in the same order. A mutation the fast pass models must be
answered by it (not handed to frictionless), so a regression to the slow path
fails here too.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from juesuan.validation.fast_check import check_fast, fast_findings
from juesuan.validation.frictionless_check import check_frictionless
from juesuan.validation.sniff import sniff
from tests.seeds import HUANGPI, QIAOKOU, SEED_PACKAGES
from tests.synthetic import generate

Mutation = Callable[[Path], None]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _cell(table: str, row: int, column: str, value: str) -> Mutation:
    """Set ``column`` of data row ``row`` (1 = first after the header) of ``table``."""

    def mutate(folder: Path) -> None:
        path = folder / table
        rows = _rows(path)
        rows[row][rows[0].index(column)] = value
        _write(path, rows)

    return mutate


def _rows_edit(table: str, edit: Callable[[list[list[str]]], None]) -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / table
        rows = _rows(path)
        edit(rows)
        _write(path, rows)

    return mutate


def _text(file: str, edit: Callable[[str], str]) -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / file
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")

    return mutate


def _bytes(file: str, edit: Callable[[bytes], bytes]) -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / file
        path.write_bytes(edit(path.read_bytes()))

    return mutate


def _remove(file: str) -> Mutation:
    return lambda folder: (folder / file).unlink()


def _descriptor(edit: Callable[[dict], None]) -> Mutation:
    def mutate(folder: Path) -> None:
        path = folder / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        edit(descriptor)
        path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")

    return mutate


def _schema(name: str, descriptor: dict) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)["schema"]


def _unique_label(descriptor: dict) -> None:
    field = next(f for f in _schema("income", descriptor)["fields"] if f["name"] == "label")
    field["constraints"] = {"unique": True}


def _minimum(descriptor: dict) -> None:
    field = next(f for f in _schema("income", descriptor)["fields"] if f["name"] == "total")
    field["constraints"] = {"minimum": 1000}


def _many_bad(rows: list[list[str]]) -> None:
    column = rows[0].index("total")
    template = rows[1]
    for index in range(1100):
        row = list(template)
        row[0], row[column] = f"r{index}", "x"
        rows.append(row)


INCOME = "data/income.csv"

# Mutations frictionless reports, each handled by the fast pass itself.
BROKEN: dict[str, Mutation] = {
    "type-error/number": _cell(INCOME, 2, "total", "abc"),
    "type-error/integer": _cell(INCOME, 2, "source_line", "1.5"),
    "type-error/space": _cell(INCOME, 3, "total", " "),
    "constraint-error/required": _cell(INCOME, 2, "row", ""),
    "constraint-error/pattern": _cell(INCOME, 2, "code", "20X"),
    "constraint-error/enum": _cell("codelists/function.csv", 1, "level", "目"),
    "constraint-error/minimum": _descriptor(_minimum),
    "unique-error": lambda f: (_descriptor(_unique_label)(f), _cell(INCOME, 3, "label", "合计")(f)),
    "primary-key/duplicate": _rows_edit(INCOME, lambda rows: rows.insert(3, list(rows[2]))),
    "primary-key/integer": _cell("glossary.csv", 2, "order", "01"),
    "foreign-key/codelist": _rows_edit("codelists/function.csv", lambda rows: rows.pop(1)),
    "foreign-key/self": _cell("glossary.csv", 2, "parent", "99"),
    "missing-label": _rows_edit(INCOME, lambda rows: [r.pop() for r in rows]),
    "extra-label": _rows_edit(INCOME, lambda rows: [r.append("x") for r in rows]),
    "blank-label": _rows_edit(INCOME, lambda rows: rows[0].__setitem__(2, "")),
    "duplicate-label": _rows_edit(INCOME, lambda rows: rows[0].__setitem__(2, "code")),
    "incorrect-label": _rows_edit(INCOME, lambda rows: rows[0].__setitem__(2, "lbl")),
    "missing-label/primary-key": _rows_edit(INCOME, lambda rows: rows[0].__setitem__(0, "id")),
    "extra-cell": _rows_edit(INCOME, lambda rows: rows[3].append("9")),
    "missing-cell": _rows_edit(INCOME, lambda rows: rows.__setitem__(3, rows[3][:-2])),
    "blank-row": _rows_edit(INCOME, lambda rows: rows.insert(3, [""] * len(rows[0]))),
    "blank-row/empty-line": _text(INCOME, lambda t: t.replace("\n", "\n\n", 2)),
    "scheme-error/table": _remove(INCOME),
    "scheme-error/markdown": _remove("narrative/overview.md"),
    "scheme-error/lookup": _remove("codelists/economic.csv"),
    "source-error": _text(INCOME, lambda t: ""),
    "package-error/json": _text("datapackage.json", lambda t: t[:-5]),
    "package-error/array": _text("datapackage.json", lambda t: "[1, 2]"),
    "error-limit": _rows_edit(INCOME, _many_bad),
    "short-first-line": _text(INCOME, lambda t: "x\n" + t),
    "number-with-comma": _text(INCOME, lambda t: t.replace(",282.91,", ',"2,82.91",', 1)),
}

# Variants frictionless accepts: the fast pass must not find anything either.
CLEAN: dict[str, Mutation] = {
    "byte-order-mark": _bytes(INCOME, lambda b: b"\xef\xbb\xbf" + b),
    "crlf": _bytes(INCOME, lambda b: b.replace(b"\n", b"\r\n")),
    "quoted-newline": _cell(INCOME, 2, "label", "一般\n公共"),
    "label-spaces": _rows_edit(INCOME, lambda rows: rows[0].__setitem__(2, " label ")),
    "header-only": _rows_edit(INCOME, lambda rows: rows.__delitem__(slice(1, None))),
    "blank-code": _cell(INCOME, 2, "code", ""),
}

# What the fast pass leaves to frictionless: it must say so, and the answer is frictionless's.
HANDED_OVER: dict[str, Mutation] = {
    "resource-name": _descriptor(lambda d: d["resources"][1].update(name="Income")),
    "resource-names-twice": _descriptor(lambda d: d["resources"][2].update(name="income")),
    "package-name": _descriptor(lambda d: d.update(name="Not A Name")),
    "licence": _descriptor(lambda d: d.update(licenses=[{"title": "x"}])),
    "primary-key-field": _descriptor(lambda d: _schema("income", d).update(primaryKey=["id"])),
    "foreign-key-field": _descriptor(
        lambda d: _schema("income", d)["foreignKeys"][0].update(fields=["nothing"])
    ),
    "missing-resource-path": _descriptor(lambda d: d["resources"][1].pop("path")),
    "tabular-package": _descriptor(lambda d: d.update(profile="tabular-data-package")),
    "encoding-error": _bytes(INCOME, lambda b: b + b"\xff\xfe,\n"),
    "field-type": _descriptor(lambda d: _schema("income", d)["fields"][3].update(type="amount")),
    "dialect": _descriptor(lambda d: d["resources"][1].update(dialect={"delimiter": ";"})),
    "header-not-first": _text("codelists/function.csv", lambda t: "a,b,c,d,e,f,g\n" + t),
}


def _copy(tmp_path: Path, seed: Path) -> Path:
    folder = tmp_path / seed.parent.name / seed.name
    shutil.copytree(seed, folder)
    return folder


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_fast_pass_reports_what_frictionless_reports(tmp_path: Path, name: str) -> None:
    folder = _copy(tmp_path, HUANGPI)
    BROKEN[name](folder)
    expected = check_frictionless(folder)
    assert expected, f"the mutation {name} must break the package"
    assert fast_findings(folder) == expected


def test_the_mutations_cover_every_error_type_frictionless_reports_here(tmp_path: Path) -> None:
    types = set()
    for name, mutate in BROKEN.items():
        folder = _copy(tmp_path / name, HUANGPI)
        mutate(folder)
        types |= {finding.rule for finding in check_frictionless(folder)}
    assert types >= {
        f"frictionless/{kind}"
        for kind in (
            "type-error",
            "constraint-error",
            "unique-error",
            "primary-key",
            "foreign-key",
            "missing-label",
            "extra-label",
            "blank-label",
            "duplicate-label",
            "incorrect-label",
            "extra-cell",
            "missing-cell",
            "blank-row",
            "scheme-error",
            "source-error",
            "package-error",
        )
    }


def test_the_error_limit_is_frictionless_s(tmp_path: Path) -> None:
    folder = _copy(tmp_path, HUANGPI)
    BROKEN["error-limit"](folder)
    findings = fast_findings(folder)
    assert findings is not None
    assert len([f for f in findings if f.table == "income"]) == 1000


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_fast_pass_accepts_what_frictionless_accepts(tmp_path: Path, name: str) -> None:
    folder = _copy(tmp_path, HUANGPI)
    CLEAN[name](folder)
    assert check_frictionless(folder) == []
    assert fast_findings(folder) == []


@pytest.mark.parametrize("name", sorted(HANDED_OVER))
def test_what_the_fast_pass_does_not_model_goes_to_frictionless(tmp_path: Path, name: str) -> None:
    folder = _copy(tmp_path, HUANGPI)
    HANDED_OVER[name](folder)
    assert fast_findings(folder) is None
    assert check_fast(folder) == check_frictionless(folder)


@pytest.mark.parametrize("seed", SEED_PACKAGES, ids=lambda p: p.parent.name)
def test_clean_seed_packages_agree(tmp_path: Path, seed: Path) -> None:
    folder = _copy(tmp_path, seed)
    assert fast_findings(folder) == check_frictionless(folder) == []


def test_clean_synthetic_packages_agree(tmp_path: Path) -> None:
    for folder in generate(tmp_path, 6, seed=7):
        assert fast_findings(folder) == check_frictionless(folder), folder


def test_a_2019_package_breaks_alike(tmp_path: Path) -> None:
    folder = _copy(tmp_path, QIAOKOU)
    _cell("data/income.csv", 2, "total", "1..2")(folder)
    _rows_edit("codelists/function.csv", lambda rows: rows.pop(1))(folder)
    expected = check_frictionless(folder)
    assert {f.rule for f in expected} == {"frictionless/type-error", "frictionless/foreign-key"}
    assert fast_findings(folder) == expected


def test_the_sniffer_is_the_standard_one() -> None:
    import csv as stdlib

    rng = random.Random(5)
    alphabet = [",", ";", "\t", "|", " ", '"', "'", "a", "1", "中", "\n", "\n", "\r\n", "."]
    for _ in range(3000):
        sample = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        try:
            want = stdlib.Sniffer().sniff(sample, ",\t;|")
        except stdlib.Error:
            with pytest.raises(stdlib.Error):
                sniff(sample)
            continue
        got = sniff(sample)
        fields = ("delimiter", "quotechar", "doublequote", "skipinitialspace")
        assert [getattr(got, f) for f in fields] == [getattr(want, f) for f in fields], sample


def test_a_failure_of_the_fast_pass_falls_back_to_frictionless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from juesuan.validation import fast_check

    folder = _copy(tmp_path, HUANGPI)
    BROKEN["type-error/number"](folder)

    def broken(*_args: object) -> None:
        raise RuntimeError("unforeseen")

    monkeypatch.setattr(fast_check, "_check", broken)
    assert check_fast(folder) == check_frictionless(folder) != []
