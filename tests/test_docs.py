"""The reference pages are generated from what runs, and are current."""

from __future__ import annotations

from click.testing import CliRunner

from juesuan.cli import main
from juesuan.cli.reference import DOCS
from juesuan.taxonomy import editions
from juesuan.taxonomy.statements import statements


def test_reference_pages_are_current() -> None:
    result = CliRunner().invoke(main, ["docs", "--check"])
    assert result.exit_code == 0, result.output


def test_every_rule_is_documented_with_a_description() -> None:
    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    ids = [rule.id for e in editions().values() for t in e.tables.values() for rule in t.rules]
    ids += [rule.id for e in editions().values() for rule in e.rules]
    ids += [s.id for s in statements()] + ["code/unknown", "code/name", "edition/years"]
    ids += ["table/not-printed", "table/missing", "package/not-an-amount"]
    ids += ["package/unsafe-path", "package/too-large", "package/folder", "notes/amount",
            "package/metadata", "package/json-schema", "package/json-stale"]
    for rule_id in ids:
        assert f"`{rule_id}`" in page, rule_id
    descriptions = [rule.description for e in editions().values() for rule in e.rules]
    assert all(d.strip() for d in descriptions)


def test_every_command_is_in_the_cli_reference() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"## juesuan {name}" in page, name
