"""Every amount in a table's span is read into a cell or refused: none is lost silently."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.cli import main
from juesuan.errors import SourceError
from juesuan.ingest.accounting import check_accounted
from juesuan.ingest.outline import TableSpan
from juesuan.ingest.pipeline import ingest
from juesuan.taxonomy import edition_in_force
from tests.seeds import HUANGPI, source_of

SANGONG_TITLE = "2024年度财政拨款“三公”经费支出决算表"
SANGONG_NOTE = "\t注：本表反映部门本年度财政拨款“三公”"


def _lines() -> list[str]:
    return source_of(HUANGPI).read_text(encoding="utf-8").split("\n")


def _refusal(tmp_path: Path, lines: list[str]) -> SourceError:
    path = tmp_path / "changed.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        ingest(path)
    return caught.value


def _at(lines: list[str], prefix: str, start: int = 0) -> int:
    return next(i for i in range(start, len(lines)) if lines[i].startswith(prefix))


def test_a_row_without_its_code_and_blank_cells_is_not_absorbed_by_the_total(
    tmp_path: Path,
) -> None:
    # 公开02表: the row 201 一般公共服务支出 282.91 282.91, its code and its blank
    # cells gone, used to run into 合计 above it, its two amounts dropped.
    lines = _lines()
    start = _at(lines, "\t公开02表")
    code = _at(lines, "\t201", start)
    assert lines[code + 1] == "\t一般公共服务支出"
    row = [lines[code + 1]] + [c for c in lines[code + 2 : code + 10] if c.strip()]
    changed = lines[:code] + row + lines[code + 10 :]
    error = _refusal(tmp_path, changed)
    assert error.table == "公开02表"
    # Named where the lost amounts stand: the row's own lines.
    assert error.line == code + 2
    assert "282.91" in error.message


def test_every_amount_of_a_tables_rows_must_reach_a_cell() -> None:
    # Whatever lets a row go (an unrecognised label, a row run into another), the
    # count of amounts printed against amounts placed catches it.
    table = next(t for t in edition_in_force(2024).tables.values() if t.id == "income")
    body = ((10, "\t合计"), (11, "\t282.91"), (12, "\t一般公共服务支出"), (13, "\t282.91"))
    span = TableSpan(table, table.title, table.number, 2024, 9, body)
    notes = [(14, "注：本表反映部门本年度取得的各项收入情况。12.00")]
    check_accounted(Path("x.txt"), span, notes, [(11, Decimal("282.91")), (13, Decimal("282.91"))])
    with pytest.raises(SourceError) as caught:
        check_accounted(Path("x.txt"), span, notes, [(11, Decimal("282.91"))])
    error = caught.value
    assert error.line == 13 and error.table == table.number
    assert "1 amount(s) printed in 收入决算表 are in none of its cells: 282.91 (line 13)" in (
        error.message
    )


def test_a_note_line_inside_a_table_stops_the_ingest_naming_it(tmp_path: Path) -> None:
    # A 注： line before the 2013750 row of 公开05表 used to file the row's three
    # amounts as a note, with no error and no warning.
    lines = _lines()
    row = _at(lines, "\t2013750", _at(lines, "\t公开05表"))
    lines.insert(row, "\t注：以下为补充说明")
    error = _refusal(tmp_path, lines)
    assert error.table == "公开05表"
    assert f"after the note on line {row + 1} of" in error.message
    assert "a note printed inside the table" in str(error)


def test_a_table_printed_twice_with_other_amounts_is_refused(tmp_path: Path) -> None:
    lines = _lines()
    start, note = _at(lines, SANGONG_TITLE), _at(lines, SANGONG_NOTE)
    again = [line.replace("0.13", "0.15") for line in lines[start : note + 1]]
    error = _refusal(tmp_path, lines[: note + 1] + again + lines[note + 1 :])
    assert error.table == "公开09表"
    assert "'0.15'" in error.message
    assert "the table printed a second time" in str(error)


def test_a_second_sangong_title_above_the_note_keeps_every_amount(tmp_path: Path) -> None:
    lines = _lines()
    lines.insert(_at(lines, SANGONG_NOTE), SANGONG_TITLE)
    path = tmp_path / "changed.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    disclosure = ingest(path)
    (sangong,) = [t for t in disclosure.tables if t.span.table.number == "公开09表"]
    values = [v for row in sangong.rows for v in row.values.values()]
    assert values.count("0.13") == 4
    assert any(text.startswith("注：本表反映") for _line, text in sangong.notes)


def test_an_amount_in_a_note_is_listed_by_ingest_and_checked_by_validate(
    tmp_path: Path,
) -> None:
    lines = _lines()
    note = _at(lines, SANGONG_NOTE)
    lines[note] = "\t注：其中公务接待费0.13万元，另有会议费12.50万元未列入本表。"
    source = tmp_path / "noted.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"note (line {note + 1}) prints 0.13, 12.50: kept as note text" in result.output
    result = runner.invoke(main, ["validate", str(next(out.glob("*/2024")))])
    # 0.13 is a cell of the 三公 table; 12.50 is in none of its cells.
    assert "notes/amount" in result.output
    assert "prints 12.50, which no cell" in result.output.replace("\n", " ")
    assert "prints 0.13" not in result.output
