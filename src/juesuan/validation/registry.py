"""Every rule a finding can name, with its name in Chinese and in English.

The taxonomy's rules (table, cross-table) and the narrative statements carry
their own Chinese description in ``schemas/``; the checks of the package
itself have fixed ids, listed once here. ``docs/rules.md`` and the site both
read this list, and a test fails when a check emits an id it does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from juesuan.taxonomy import Edition, editions
from juesuan.taxonomy.statements import statements


@dataclass(frozen=True)
class FixedRule:
    """A check of the package with a fixed id (not a rule of the taxonomy)."""

    id: str
    severity: str
    name_zh: str
    name_en: str
    description: str
    """What the check finds, in English, for the reference page."""
    family: bool = False
    """The id is a prefix: ``frictionless/`` stands for ``frictionless/<error type>``."""


FIXED_RULES: tuple[FixedRule, ...] = (
    FixedRule(
        "code/unknown",
        "error",
        "科目编码不在当年科目表中",
        "code not in the year's list",
        "a code not in the list valid for the package's year",
    ),
    FixedRule(
        "code/name",
        "error",
        "科目名称与当年科目表不一致",
        "code printed under another name",
        "a code printed with another name than the list gives for that year; both "
        "spellings are named",
    ),
    FixedRule(
        "table/not-printed",
        "warning",
        "原文未印该表",
        "table not printed",
        "a table of the edition the document does not print (the rules that read it are "
        "not checked)",
    ),
    FixedRule(
        "table/missing",
        "error",
        "数据包缺少该表",
        "table missing",
        "a table neither in the package nor listed as not printed",
    ),
    FixedRule(
        "table/empty-with-rows",
        "error",
        "注明无数据的表有数据行",
        "empty table with rows",
        "a table the package says is printed with no data (juesuan.empty) that holds rows",
    ),
    FixedRule(
        "edition/years",
        "warning",
        "版式与年度不符",
        "edition not in force in the year",
        "the package is read in another edition than the one in force in its year (that "
        "edition did not fit the document); the reason is named",
    ),
    FixedRule(
        "notes/amount",
        "warning",
        "表注金额不见于表中",
        "note amount not in the table",
        "an amount a table's note prints that no cell of the table holds (a figure the note "
        "adds, or a row read as a note)",
    ),
    FixedRule(
        "package/not-an-amount",
        "error",
        "金额栏不是数字",
        "value cell holds no amount",
        "a value cell holding no finite amount (NaN, Infinity, text)",
    ),
    FixedRule(
        "package/unsafe-path",
        "error",
        "数据包含不可信的文件路径",
        "unsafe path",
        "a file the package names or holds that is a URL, an absolute path, outside the "
        "package, a symlink, a device or a FIFO",
    ),
    FixedRule(
        "package/too-large",
        "error",
        "数据包文件超出大小或行数限制",
        "package past a limit",
        "a file of the package, or the package, past a size or row limit "
        "([limits](limits.md)); it is neither read nor published",
    ),
    FixedRule(
        "package/folder",
        "error",
        "数据包不在“单位/年度”文件夹中",
        "package outside a unit/year folder",
        "a package in a folder that is no `<unit>/<year>`",
    ),
    FixedRule(
        "package/json-schema",
        "error",
        "表格 JSON 不符合其 JSON Schema",
        "table JSON breaks its schema",
        "a table's JSON resource that breaks its generated JSON Schema "
        "(`schemas/generated/<edition>/<table>.schema.json`)",
    ),
    FixedRule(
        "package/json-stale",
        "error",
        "表格 JSON 与 CSV 不一致",
        "table JSON differs from its CSV",
        "a table's JSON resource that says other than its CSV (after editing a CSV by hand, "
        "run `juesuan sync`)",
    ),
    FixedRule(
        "package/metadata",
        "error",
        "datapackage.json 的 juesuan 字段有误",
        "descriptor metadata",
        "a field of the descriptor's `juesuan` blocks that breaks "
        '`schemas/generated/package-metadata.schema.json` (a mistyped key, `"hand_edited": '
        '"false"`), or a year no disclosure can be for',
    ),
    FixedRule(
        "package/unreadable",
        "error",
        "数据包无法读取",
        "package unreadable",
        "a package that cannot be read or checked at all (no or malformed "
        "`datapackage.json`); the cause is named",
    ),
    FixedRule(
        "frictionless/",
        "error",
        "数据包格式错误（Frictionless 校验）",
        "Frictionless validation",
        "an error the unmodified Frictionless validation reports (schema, types, keys); "
        "the id ends in its error type, as `frictionless/type-error`",
        family=True,
    ),
)
"""The fixed rules, in the order the reference lists them."""

_BY_ID = {rule.id: rule for rule in FIXED_RULES if not rule.family}
_FAMILIES = tuple(rule for rule in FIXED_RULES if rule.family)


def fixed_rule(rule_id: str) -> FixedRule | None:
    """The fixed rule ``rule_id`` is, or belongs to; None for a taxonomy rule."""
    if rule_id in _BY_ID:
        return _BY_ID[rule_id]
    return next((f for f in _FAMILIES if rule_id.startswith(f.id)), None)


def rule_name(rule_id: str, edition: Edition | None = None) -> str:
    """The rule's Chinese name: the fixed rule's, or the taxonomy's own description.

    A rule of ``edition`` (when given) is looked up there first, then in every
    edition; an id found nowhere is returned as it is.
    """
    fixed = fixed_rule(rule_id)
    if fixed is not None:
        if fixed.family and rule_id != fixed.id:
            return f"{fixed.name_zh}：{rule_id.removeprefix(fixed.id)}"
        return fixed.name_zh
    for candidate in ([edition] if edition else []) + list(editions().values()):
        for table in candidate.tables.values():
            for rule in table.rules:
                if rule.id == rule_id:
                    return rule.description
        for cross in candidate.rules:
            if cross.id == rule_id:
                return cross.description
    for statement in statements():
        if statement.id == rule_id:
            return statement.description
    return rule_id
