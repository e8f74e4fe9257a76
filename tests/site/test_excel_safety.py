"""The CSVs meant for Excel run no formula a contributed label carries."""

from __future__ import annotations

from juesuan.site.downloads import inert


def test_formula_cells_are_made_text_and_amounts_stay_numbers() -> None:
    rows = [
        ["row", "label", "amount"],
        ["a", '=HYPERLINK("http://x","y")', "-12.00"],
        ["b", "+cmd|' /C calc'!A0", "282.91"],
        ["c", "@SUM(1+1)", ""],
        ["d", "-负数说明", "0.00"],
        ["e", "\tTAB", "1,234.50"],
        ["f", "一般公共服务支出", "-0.50"],
    ]
    safe = [[inert(cell) for cell in row] for row in rows]
    assert [row[1] for row in safe[1:]] == [
        '\'=HYPERLINK("http://x","y")',
        "'+cmd|' /C calc'!A0",
        "'@SUM(1+1)",
        "'-负数说明",
        "'\tTAB",
        "一般公共服务支出",
    ]
    assert [row[2] for row in safe[1:]] == [row[2] for row in rows[1:]]
    assert safe[0] == rows[0]
