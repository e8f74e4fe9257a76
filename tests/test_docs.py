"""The reference pages are generated from what runs, and are current."""

from __future__ import annotations

import re

from click.testing import CliRunner

from juesuan.cli import main
from juesuan.cli.reference import DOCS
from juesuan.paths import CHECKOUT
from juesuan.taxonomy import editions
from juesuan.taxonomy.statements import statements
from juesuan.validation.registry import FIXED_RULES, fixed_rule, rule_name


def test_reference_pages_are_current() -> None:
    result = CliRunner().invoke(main, ["docs", "--check"])
    assert result.exit_code == 0, result.output


def test_every_rule_is_documented_with_a_description() -> None:
    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    ids = [rule.id for e in editions().values() for t in e.tables.values() for rule in t.rules]
    ids += [rule.id for e in editions().values() for rule in e.rules]
    ids += [s.id for s in statements()]
    ids += [f"{r.id}<type>" if r.family else r.id for r in FIXED_RULES]
    for rule_id in ids:
        assert f"`{rule_id}`" in page, rule_id
    descriptions = [rule.description for e in editions().values() for rule in e.rules]
    assert all(d.strip() for d in descriptions)
    for rule in FIXED_RULES:
        assert rule.name_zh.strip() and rule.name_en.strip() and rule.description.strip()
        assert f"| {rule.name_zh} |" in page, rule.id


_RULE_ID = re.compile(r'"((?:code|table|package|notes|edition|narrative|frictionless)/[a-z-]*)')


def test_every_fixed_rule_a_check_emits_is_in_the_registry() -> None:
    emitted = {
        match.group(1)
        for path in (CHECKOUT / "src" / "juesuan" / "validation").glob("*.py")
        if path.name != "registry.py"
        for match in _RULE_ID.finditer(path.read_text(encoding="utf-8"))
    }
    assert "code/unknown" in emitted and "frictionless/" in emitted
    assert {rule_id for rule_id in emitted if fixed_rule(rule_id) is None} == set()


def test_every_rule_has_a_chinese_name() -> None:
    ids = [rule.id for e in editions().values() for t in e.tables.values() for rule in t.rules]
    ids += [rule.id for e in editions().values() for rule in e.rules]
    ids += [s.id for s in statements()] + [r.id for r in FIXED_RULES if not r.family]
    for rule_id in ids:
        name = rule_name(rule_id)
        assert name != rule_id and re.search(r"[\u4e00-\u9fff]", name), rule_id
    assert rule_name("frictionless/type-error").startswith("数据包格式错误")


def test_every_command_is_in_the_cli_reference() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"## juesuan {name}" in page, name
