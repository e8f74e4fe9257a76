"""Code lists that grow with the disclosures: unknown codes reported, learned, checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from juesuan.ingest.pipeline import ingest
from juesuan.package.write import write_package
from juesuan.repository.check_sources import check_package
from juesuan.repository.codes import check, learn
from juesuan.taxonomy import codes as codes_module
from juesuan.taxonomy.codes import FIELDS, codelist
from juesuan.validation import validate_package
from tests.seeds import HUANGPI, QIAOKOU, source_of

# 网信事务/事业运行 become 统计信息事务/行政运行 (2010501 is new), and 办公设备购置
# becomes 房屋建筑物购建 (31001 is new): the sums stay as printed.
_RENAMES = {
    "20137": ("20105", "网信事务", "统计信息事务"),
    "2013750": ("2010501", "事业运行", "行政运行"),
    "31002": ("31001", "办公设备购置", "房屋建筑物购建"),
}


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The code lists as committed, less the codes these tests learn: the lists
    may have learned them from a unit added since."""
    folder = tmp_path / "codelists"
    shutil.copytree(codes_module.CODELISTS, folder)
    learned = {"2010501", "31001"}
    for path in folder.glob("*.csv"):
        lines = path.read_text(encoding="utf-8").split("\n")
        kept = [line for line in lines if line.split(",", 1)[0] not in learned]
        path.write_text("\n".join(kept), encoding="utf-8")
    monkeypatch.setattr(codes_module, "CODELISTS", folder)
    codelist.cache_clear()
    yield folder
    codelist.cache_clear()


def _with_new_codes(tmp_path: Path) -> Path:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    renamed, pending = [], None
    for line in lines:
        code = line.removeprefix("\t")
        if line.startswith("\t") and code in _RENAMES:
            new, old_name, new_name = _RENAMES[code]
            renamed.append(f"\t{new}")
            pending = (old_name, new_name)
            continue
        if pending and line.strip():
            assert line.strip() == pending[0], line
            line = line.replace(pending[0], pending[1])
            pending = None
        renamed.append(line)
    source = tmp_path / "new-codes.txt"
    source.write_text("\n".join(renamed), encoding="utf-8")
    return source


def test_the_command_to_learn_a_code_names_the_package_as_the_reader_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Relative to the working directory: the site publishes the message, and a
    # builder's home directory is nobody's business.
    package = write_package(ingest(_with_new_codes(tmp_path)), tmp_path / "unit" / "2024")
    monkeypatch.chdir(tmp_path)
    messages = [f.message for f in validate_package(package).errors]
    assert messages and all("juesuan codes learn unit/2024" in m for m in messages)
    assert not any(str(tmp_path) in m for m in messages)


def test_unknown_codes_are_reported_then_learned(tmp_path: Path, registry: Path) -> None:
    before = {
        kind: (registry / f"{kind}.csv").read_text("utf-8") for kind in ("function", "economic")
    }
    package = write_package(ingest(_with_new_codes(tmp_path)), tmp_path / "unit" / "2024")
    errors = validate_package(package).errors
    assert {(f.rule, f.found) for f in errors} == {
        ("code/unknown", "2010501 行政运行"),
        ("code/unknown", "31001 房屋建筑物购建"),
    }
    assert all(f"juesuan codes learn {package}" in f.message for f in errors)

    added = learn([package], registry=registry)
    assert [(a.kind, a.code, a.name, a.problem) for a in added if a.problem is None] == [
        ("economic", "31001", "房屋建筑物购建", None),
        ("function", "2010501", "行政运行", None),
    ]
    for kind, line in (
        ("function", "2010501,行政运行,项,20105,2024,,attested,unit/2024"),
        ("economic", "31001,房屋建筑物购建,款,310,2024,,attested,unit/2024"),
    ):
        after = (registry / f"{kind}.csv").read_text("utf-8").split("\n")
        assert after[0] == ",".join(FIELDS)
        assert set(after) - set(before[kind].split("\n")) == {line}
    assert not validate_package(package).errors
    assert not check(registry)
    # Learning one unit's codes changes no other unit's package.
    for seed in (HUANGPI, QIAOKOU):
        assert check_package(seed).status == "matches"


def test_learning_is_idempotent_and_reports_renamings(tmp_path: Path, registry: Path) -> None:
    package = write_package(ingest(_with_new_codes(tmp_path)), tmp_path / "unit" / "2024")
    learn([package], registry=registry)
    assert learn([package], registry=registry) == []
    text = (registry / "function.csv").read_text("utf-8")
    (registry / "function.csv").write_text(
        text.replace("2010501,行政运行,项,20105,2024,", "2010501,行政运行,项,20105,2020,2021"),
        encoding="utf-8",
    )
    codelist.cache_clear()
    (left,) = learn([package], registry=registry)
    assert left.code == "2010501"
    assert "known in other years as 行政运行 (2020–2021)" in (left.problem or "")


def _registry_with(folder: Path, kind: str, rows: list[str]) -> None:
    path = folder / f"{kind}.csv"
    path.write_text(path.read_text("utf-8") + "\n".join(rows) + "\n", encoding="utf-8")
    codelist.cache_clear()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2019901,其他,项,20199,,,attested,x", "its parent 20199 is not in the"),
        ("2020150,事业运行,项,20137,,,attested,x", "parent '20137' is not the code's first digits"),
        ("20138,某事务,项,201,,,attested,x", "level '项', expected '款'"),
        ("20137,另一个名字,款,201,,,attested,x", "named '网信事务' and '另一个名字'"),
        ("20138,网信事务,款,201,,,attested,x", "'网信事务' names 20137 and 20138 under 201"),
        ("20138,某事务,款,201,,,guessed,x", "status 'guessed'"),
        ("20138,某事务,款,201,,,attested,", "no source"),
    ],
)
def test_structural_errors_are_named(registry: Path, row: str, message: str) -> None:
    assert not check(registry)
    _registry_with(registry, "function", [row])
    problems = check(registry)
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize(
    ("printed", "finding"),
    [("事业 运行", False), ("一、事业运行", False), ("事业运营", True)],
)
def test_names_compared_as_printed_but_for_spacing_and_ordinals(
    tmp_path: Path, printed: str, finding: bool
) -> None:
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    at = lines.index("\t2013750")
    name = next(i for i in range(at + 1, len(lines)) if lines[i].strip())
    assert lines[name].strip() == "事业运行"
    lines[name] = lines[name].replace("事业运行", printed)
    source = tmp_path / "renamed.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    package = write_package(ingest(source), tmp_path / "unit" / "2024")
    names = [f for f in validate_package(package).errors if f.rule == "code/name"]
    assert bool(names) is finding
    if finding:
        assert names[0].expected == "事业运行" and names[0].found == "事业运营"
