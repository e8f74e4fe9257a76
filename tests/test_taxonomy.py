"""Meta-tests of the taxonomy: every edition loads and is consistent with the code lists."""

from __future__ import annotations

import csv
import itertools
import re
import shutil
from pathlib import Path

import pytest
import yaml

from juesuan.paths import SCHEMAS
from juesuan.taxonomy import Edition, Table, editions, load_edition
from juesuan.taxonomy.loader import EDITIONS, TaxonomyError

CODELISTS = SCHEMAS / "codelists"
EXPECTED_TABLES = {"2024": 9, "2019": 8}
TABLE_ORDER = {
    "2024": [
        "summary",
        "income",
        "expenditure",
        "fiscal_summary",
        "general_budget_expenditure",
        "basic_expenditure",
        "gov_fund",
        "state_capital",
        "three_public",
    ],
    "2019": [
        "summary",
        "income",
        "expenditure",
        "fiscal_summary",
        "general_budget_expenditure",
        "basic_expenditure",
        "three_public",
        "gov_fund",
    ],
}
ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LEVELS = {
    "function": {3: "类", 5: "款", 7: "项"},
    "economic": {3: "类", 5: "款"},
}


def _codelist(name: str) -> list[dict[str, str]]:
    with (CODELISTS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _years(edition: Edition) -> range:
    return range(edition.first_year, (edition.last_year or edition.first_year) + 1)


def _valid(entry: dict[str, str], year: int) -> bool:
    first, last = entry["first_year"], entry["last_year"]
    return (not first or int(first) <= year) and (not last or year <= int(last))


def _name_in(codelist: list[dict[str, str]], code: str, year: int) -> str | None:
    names = [e["name"] for e in codelist if e["code"] == code and _valid(e, year)]
    assert len(names) <= 1, f"code {code} has {len(names)} entries valid in {year}"
    return names[0] if names else None


EDITION_IDS = sorted(path.name for path in EDITIONS.iterdir() if path.is_dir())


@pytest.fixture(params=EDITION_IDS)
def edition(request: pytest.FixtureRequest) -> Edition:
    """Each edition in turn (loaded inside the test, so a broken file fails, not errors)."""
    return editions()[request.param]


def _tables() -> list[tuple[Edition, Table]]:
    return [(e, t) for e in editions().values() for t in e.tables.values()]


def test_both_editions_load() -> None:
    assert set(EDITION_IDS) == set(EXPECTED_TABLES)
    assert set(editions()) == set(EXPECTED_TABLES)


@pytest.mark.parametrize(("edition_id", "count"), sorted(EXPECTED_TABLES.items()))
def test_table_count(edition_id: str, count: int) -> None:
    edition = editions()[edition_id]
    assert len(edition.tables) == count
    assert len(edition.table_order) == count
    assert list(edition.table_order) == TABLE_ORDER[edition_id]
    for table_id, table in edition.tables.items():
        assert table.id == table_id


def test_no_state_capital_in_2019() -> None:
    edition = editions()["2019"]
    assert "state_capital" not in edition.tables
    for rule in edition.rules:
        assert all("state_capital" not in ref for ref in (*rule.left, *rule.right)), rule.id
    for table in edition.tables.values():
        assert all("state_capital" not in column.id for column in table.columns), table.id
        assert all("state_capital" not in row.id for row in table.rows), table.id


def test_line_numbers_contiguous() -> None:
    checked = 0
    for edition, table in _tables():
        if not table.has_lines:
            continue
        where = f"{edition.id}/{table.id}"
        lines = [row.line for row in table.rows]
        assert None not in lines, f"{where}: a row without 行次"
        assert len(lines) == len(set(lines)), f"{where}: duplicate 行次"
        assert sorted(lines) == list(range(1, len(lines) + 1)), f"{where}: 行次 not 1..N"
        checked += 1
    assert checked == 2 * len(EDITION_IDS)


def test_ledger_tables_have_lines() -> None:
    for edition, table in _tables():
        if table.id in {"summary", "fiscal_summary"}:
            assert table.layout == "ledger"
            assert table.has_lines, f"{edition.id}/{table.id}"


def test_placeholders_have_no_label() -> None:
    for edition, table in _tables():
        for row in table.rows:
            if row.placeholder:
                assert row.label == "", f"{edition.id}/{table.id}/{row.id}"
            assert row.label == row.label.strip(), f"{edition.id}/{table.id}/{row.id}"


def test_cross_rule_refs_resolve(edition: Edition) -> None:
    for rule in edition.rules:
        refs = (*rule.left, *rule.right)
        uses_code = any("{code}" in ref for ref in refs)
        assert uses_code == (rule.each is not None), f"{rule.id}: 'each' and '{{code}}' disagree"
        for ref in refs:
            parts = ref.removeprefix("-").split(":")
            assert len(parts) == 3, f"{rule.id}: {ref}"
            table_id, row_id, column_id = parts
            assert table_id in edition.tables, f"{rule.id}: unknown table in {ref}"
            table = edition.tables[table_id]
            assert column_id in {c.id for c in table.columns}, f"{rule.id}: unknown column in {ref}"
            fixed = {r.id for r in table.rows}
            if row_id == "{code}":
                coded = any(r.code for r in table.rows)
                assert table.layout == "classified" or coded, f"{rule.id}: {ref} has no code rows"
                if rule.each == "function_code":
                    assert table.layout == "classified", f"{rule.id}: {ref} has no 款/项 rows"
            elif row_id == "total":
                assert table.layout == "classified" or "total" in fixed, f"{rule.id}: {ref}"
            else:
                assert row_id in fixed, f"{rule.id}: unknown row in {ref}"


def test_rule_ids_unique_and_kebab(edition: Edition) -> None:
    ids = [rule.id for rule in edition.rules]
    ids += [rule.id for table in edition.tables.values() for rule in table.rules]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for rule_id in ids:
        assert KEBAB.match(rule_id), rule_id


def test_rules_state_their_formula(edition: Edition) -> None:
    rules = [*edition.rules, *(r for t in edition.tables.values() for r in t.rules)]
    for rule in rules:
        assert "=" in rule.description or "≥" in rule.description, rule.id


def test_ledger_codes_in_function_codelist(edition: Edition) -> None:
    codelist = _codelist("function")
    checked = 0
    for table in edition.tables.values():
        if table.layout != "ledger":
            continue
        for row in table.rows:
            if row.code is None:
                continue
            for year in _years(edition):
                name = _name_in(codelist, row.code, year)
                assert name is not None, f"{edition.id}/{table.id}: {row.code} not in function.csv"
                assert ORDINAL.sub("", row.label) == name, (
                    f"{edition.id}/{table.id}: {row.code} is '{row.label}', code list says '{name}'"
                )
            checked += 1
    assert checked > 0


def test_economic_rows_in_economic_codelist(edition: Edition) -> None:
    codelist = _codelist("economic")
    table = edition.tables["basic_expenditure"]
    coded = [row for row in table.rows if row.code is not None]
    assert coded
    for row in coded:
        assert row.id == row.code
        for year in _years(edition):
            name = _name_in(codelist, row.code, year)
            assert name is not None, f"{edition.id}: {row.code} not in economic.csv"
            assert ORDINAL.sub("", row.label) == name, (
                f"{edition.id}: {row.code} {row.label}/{name}"
            )


@pytest.mark.parametrize("name", ["function", "economic"])
def test_codelist_keys_unique(name: str) -> None:
    entries = _codelist(name)
    assert entries
    keys = [(e["code"], e["first_year"]) for e in entries]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


@pytest.mark.parametrize("name", ["function", "economic"])
def test_codelist_entries_well_formed(name: str) -> None:
    entries = _codelist(name)
    assert list(entries[0]) == [
        "code",
        "name",
        "level",
        "parent",
        "first_year",
        "last_year",
        "status",
        "source",
    ]
    by_code: dict[str, list[dict[str, str]]] = {}
    for entry in entries:
        code = entry["code"]
        assert code.isdigit(), code
        assert LEVELS[name].get(len(code)) == entry["level"], f"{code}: level {entry['level']}"
        assert entry["name"] == entry["name"].strip() and entry["name"], code
        assert entry["source"], code
        assert entry["status"] in ("official", "attested"), code
        assert entry["parent"] == ({5: code[:3], 7: code[:5]}.get(len(code), "")), code
        for key in ("first_year", "last_year"):
            assert entry[key] == "" or entry[key].isdigit(), f"{code}: {key} {entry[key]}"
        if entry["first_year"] and entry["last_year"]:
            assert int(entry["first_year"]) <= int(entry["last_year"]), code
        by_code.setdefault(code, []).append(entry)
    for code, versions in by_code.items():
        versions.sort(key=lambda e: int(e["first_year"] or 0))
        for older, newer in itertools.pairwise(versions):
            assert older["last_year"] and newer["first_year"], f"{code}: open-ended overlap"
            assert int(older["last_year"]) + 1 == int(newer["first_year"]), f"{code}: gap/overlap"


def test_renamed_function_class() -> None:
    codelist = _codelist("function")
    assert _name_in(codelist, "215", 2019) == "资源勘探信息等支出"
    assert _name_in(codelist, "215", 2024) == "资源勘探工业信息等支出"


def _copy_edition(tmp_path: Path, edition_id: str) -> Path:
    folder = tmp_path / edition_id
    shutil.copytree(EDITIONS / edition_id, folder)
    return folder


def test_copy_loads(tmp_path: Path) -> None:
    folder = _copy_edition(tmp_path, "2024")
    assert load_edition(folder) == editions()["2024"]


def test_unknown_key_in_row_rejected(tmp_path: Path) -> None:
    folder = _copy_edition(tmp_path, "2024")
    path = folder / "summary.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rows"][0]["lable"] = data["rows"][0].pop("label")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TaxonomyError, match="lable"):
        load_edition(folder)


def test_unknown_key_in_rule_rejected(tmp_path: Path) -> None:
    folder = _copy_edition(tmp_path, "2019")
    path = folder / "edition.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    each: function_class\n" in text
    text = text.replace("    each: function_class\n", "    eachh: function_class\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match="eachh"):
        load_edition(folder)


def test_economic_panels_list_every_class_of_the_table_once(edition: Edition) -> None:
    for table in edition.tables.values():
        if table.layout != "economic":
            continue
        listed = [c for panel in table.panels for c in panel.classes]
        classes = {row.code for row in table.rows if row.code and len(row.code) == 3}
        assert set(listed) == classes, table.id


def test_an_overlay_relabels_columns_and_keeps_the_national_label_as_an_alias() -> None:
    from juesuan.taxonomy import edition_for

    shanghai = edition_for("2024", "shanghai")
    national = editions()["2024"]
    column = shanghai.tables["general_budget_expenditure"].column("total")
    assert (column.label, column.group) == ("合计", None)
    assert "小计" in column.aliases
    assert national.tables["general_budget_expenditure"].column("total").group == "本年支出"
    assert not shanghai.tables["income"].column_numbers
    assert national.tables["income"].column_numbers
    assert shanghai.tables["income"].stub.levels == ()
    assert national.tables["income"].stub.levels == ("类", "款", "项")


def test_an_overlay_may_not_relabel_a_column_the_table_lacks() -> None:
    from juesuan.taxonomy.model import Overlay

    overlay = Overlay.model_validate(
        {
            "id": "x",
            "title": "x",
            "region": "x",
            "tables": {"income": {"columns": {"nowhere": {"label": "合计"}}}},
        }
    )
    with pytest.raises(ValueError, match="nowhere"):
        editions()["2024"].with_overlay(overlay)


def test_a_form_header_names_exactly_its_columns() -> None:
    from juesuan.taxonomy.model import ColumnOrder

    with pytest.raises(ValueError, match="exactly the columns"):
        ColumnOrder(
            id="x", description="x", header_pattern="x", columns=("a", "b"), headers={"a": ("A",)}
        )
