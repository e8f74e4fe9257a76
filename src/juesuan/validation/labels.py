"""A cell named as the paper names it: the table's title and number, the row, the column.

Findings are read by finance officers, who know 公开06表 and “人员经费合计”, not
``basic_expenditure personnel_total amount``. Every Chinese message and the
site's list of findings name cells through these functions, from the labels
the package and the definition print.
"""

from __future__ import annotations

from collections.abc import Mapping

from juesuan.taxonomy import Table
from juesuan.text import normalise

KEY_COLUMNS = {"code": "科目编码", "label": "科目名称", "line": "行次"}
"""The key columns, by the name a reader knows them under."""


def table_name(table: Table, title: str | None = None, number: str | None = None) -> str:
    """《title》（number）: the title as printed, the number only when printed and not in it.

    Without a printed title, the definition's title and number.
    """
    if not title:
        return f"《{table.title}》（{table.number}）"
    if number and normalise(number) not in normalise(title):
        return f"《{title}》（{number}）"
    return f"《{title}》"


def row_name(table: Table, row_id: str, record: Mapping[str, str] | None = None) -> str:
    """The row as printed: its code and label (301 工资福利支出), else its 行次, else its id."""
    record = record or {}
    code = (record.get("code") or "").strip()
    label = (record.get("label") or "").strip()
    line = (record.get("line") or "").strip()
    if not (code or label):
        try:
            row = table.row(row_id)
        except KeyError:
            row = None
        if row is not None:
            code, label = row.code or "", row.label
            line = line or (str(row.line) if row.line else "")
    if table.layout == "ledger" or (code and code in label):
        code = ""  # a ledger prints its codes in words (一、一般公共服务支出)
    words = " ".join(p for p in (code, label) if p)
    if words:
        return words
    return f"第 {line} 行" if line else row_id


def column_name(table: Table, column_id: str) -> str:
    """The column as printed, group first (决算数合计); the key columns by their names."""
    if column_id in KEY_COLUMNS:
        return KEY_COLUMNS[column_id]
    return table.printed_label(column_id)


def cell_name(
    table: Table,
    row_id: str | None,
    column_id: str | None,
    *,
    title: str | None = None,
    number: str | None = None,
    record: Mapping[str, str] | None = None,
) -> str:
    """《table》“row”行“column”栏, as much of it as is known."""
    words = [table_name(table, title, number)]
    if row_id:
        words.append(f"“{row_name(table, row_id, record)}”行")
    if column_id:
        words.append(f"“{column_name(table, column_id)}”栏")
    return "".join(words)
