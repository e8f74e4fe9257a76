"""``juesuan corpus``: every document of a folder read, its amounts counted both ways."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from juesuan.cli import main
from tests.seeds import HUANGPI, source_of
from tests.test_province_layouts import shanghai_reprint


def _corpus(folder: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["corpus", str(folder)])
    return result.exit_code, result.output.splitlines()


def test_every_document_read_and_complete(tmp_path: Path) -> None:
    shutil.copy(source_of(HUANGPI), tmp_path / "hubei.txt")
    lines = source_of(HUANGPI).read_text(encoding="utf-8").split("\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "shanghai.txt").write_text("\n".join(shanghai_reprint(lines)), "utf-8")
    (tmp_path / "notes.md").write_text("not a source", encoding="utf-8")
    code, output = _corpus(tmp_path)
    assert code == 0, output
    hubei = next(line for line in output if line.startswith("hubei.txt:"))
    assert "2024 edition, 2024, 武汉市黄陂区大数据中心（本级）" in hubei
    assert "tables 9 of 9" in hubei and "amounts printed 71, placed 71" in hubei
    shanghai = next(line for line in output if line.startswith("shanghai.txt:"))
    assert "2024/shanghai edition" in shanghai and "amounts printed 71, placed 71" in shanghai
    summary = "corpus: 2 documents, 2 complete, 0 refused, 0 with amounts lost or invented"
    assert output[-1] == summary


def test_a_refused_document_and_a_lost_amount_fail(tmp_path: Path) -> None:
    text = source_of(HUANGPI).read_text(encoding="utf-8")
    (tmp_path / "broken.txt").write_text(text.replace("收入支出决算总表", "收支表"), "utf-8")
    # An amount above a table's 栏次 numbering belongs to no row: refused, not dropped.
    stray = text.replace("2024年度收入决算表\n", "2024年度收入决算表\n999.99\n", 1)
    (tmp_path / "stray.txt").write_text(stray, encoding="utf-8")
    shutil.copy(source_of(HUANGPI), tmp_path / "good.txt")
    code, output = _corpus(tmp_path)
    assert code == 1
    # Its first table's title unknown, the table's rows must not pass for 概况 text.
    broken = next(line for line in output if line.startswith("broken.txt: refused after"))
    assert "table amounts before the first table title found" in broken
    refusal = next(line for line in output if line.startswith("stray.txt:"))
    assert "[公开02表] amount 999.99 stands in the table's header" in refusal
    summary = "corpus: 3 documents, 1 complete, 2 refused, 0 with amounts lost or invented"
    assert output[-1] == summary
