"""Bad sources stop with an error naming file, line, table and expectation; nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.cli import main
from juesuan.errors import SourceError
from juesuan.ingest.pipeline import ingest
from juesuan.package import write as package_module
from juesuan.package.facts import facts
from juesuan.package.write import package_dir, write_package
from juesuan.repository.check_sources import check_package
from tests.seeds import HUANGPI, QIAOKOU, source_of


def _lines(package: Path) -> list[str]:
    return source_of(package).read_text(encoding="utf-8").split("\n")


def _write(tmp_path: Path, lines: list[str], name: str = "bad.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _index(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines) if text in line)


def _error(path: Path) -> SourceError:
    with pytest.raises(SourceError) as caught:
        ingest(path)
    return caught.value


def test_missing_table_is_named_in_the_summary(tmp_path: Path) -> None:
    # A unit may leave out a table: ingest goes on and says which (validation reports it).
    lines = _lines(HUANGPI)
    start = _index(lines, "2024年度政府性基金预算财政拨款收入支出决算表")
    end = _index(lines, "2024年度国有资本经营预算财政拨款支出决算表")
    source = _write(tmp_path, lines[:start] + lines[end:])
    result = CliRunner().invoke(main, ["ingest", "--out", str(tmp_path / "out"), str(source)])
    assert result.exit_code == 0, result.output
    assert "公开07表 政府性基金预算财政拨款收入支出决算表: not printed in the document" in (
        result.output
    )


def test_unknown_table_title_ends_the_table_before_and_is_kept(tmp_path: Path) -> None:
    """A title no edition has is a table of the unit's own, not rows of the one before."""
    lines = _lines(HUANGPI)
    at = _index(lines, "2024年度收入决算表")
    lines[at:at] = ["2024年度部门预算调整情况决算表", "\t调整数", "", "\t12.34", ""]
    disclosure = ingest(_write(tmp_path, lines))
    (extra,) = [part for part in disclosure.parts if part.key.startswith("extra_table_")]
    assert extra.heading == "2024年度部门预算调整情况决算表"
    assert [line for line, _text in extra.lines] == list(range(at + 1, at + 6))
    package = write_package(disclosure, tmp_path / "package")
    assert sorted(map(repr, facts(package))) == sorted(map(repr, facts(HUANGPI)))


def test_title_that_could_mean_two_tables(tmp_path: Path) -> None:
    lines = _lines(HUANGPI)
    at = _index(lines, "2024年度一般公共预算财政拨款支出决算表")
    lines[at] = "2024年度财政拨款支出决算表"
    error = _error(_write(tmp_path, lines))
    assert error.line == at + 1
    assert "unknown table title" in error.message and "it could mean" in error.message
    assert "收入支出决算总表" in (error.expected or "")


def test_truncated_table(tmp_path: Path) -> None:
    lines = _lines(QIAOKOU)
    start = _index(lines, "15 十五、商业服务业等支出")
    end = _index(lines, "注：本表反映部门本年度的总收支")
    error = _error(_write(tmp_path, lines[:start] + lines[end:]))
    assert error.table == "表1"
    assert "stops before 行次 15" in error.message
    assert error.line == _index(lines, "14 十四、资源勘探信息等支出") + 1
    assert error.expected == "行次 24 本年收入合计"


def test_garbled_amount(tmp_path: Path) -> None:
    lines = _lines(HUANGPI)
    at = _index(lines, "一般公共预算财政拨款收入") + 2
    assert lines[at] == "\t282.91"
    lines[at] = "\t282.9l"
    error = _error(_write(tmp_path, lines))
    assert (error.line, error.table) == (at + 1, "公开01表")
    assert "282.9l" in error.message and "two decimals" in (error.expected or "")


def test_garbled_amount_in_flowed_text(tmp_path: Path) -> None:
    lines = _lines(QIAOKOU)
    at = _index(lines, "201 一般公共服务支出 12.15 12.15")
    lines[at] = "201 一般公共服务支出 12.1 12.15"
    error = _error(_write(tmp_path, lines))
    assert (error.line, error.table) == (at + 1, "表2")
    assert "12.1" in error.message


def test_gbk_source_gives_the_same_facts(tmp_path: Path) -> None:
    text = source_of(QIAOKOU).read_text(encoding="utf-8")
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gbk"))
    disclosure = ingest(path)
    assert disclosure.document.encoding == "gb18030"
    written = write_package(disclosure, package_dir(tmp_path / "out", disclosure))
    assert list(facts(written)) == list(facts(QIAOKOU))


def test_full_width_digits_are_read(tmp_path: Path) -> None:
    text = source_of(QIAOKOU).read_text(encoding="utf-8")
    wide = text.replace("803.94", "８０３．９４")
    path = tmp_path / "wide.txt"
    path.write_text(wide, encoding="utf-8")
    assert list(facts(write_package(ingest(path), tmp_path / "pkg"))) == list(facts(QIAOKOU))


def test_undecodable_bytes(tmp_path: Path) -> None:
    raw = source_of(HUANGPI).read_bytes()
    cut = raw.index("第二部分".encode())
    path = tmp_path / "broken.txt"
    path.write_bytes(raw[:cut] + b"\xff\xfe\xfd" + raw[cut:])
    error = _error(path)
    assert error.line == raw[:cut].count(b"\n") + 1
    assert "neither UTF-8 nor GBK" in error.message and "broken.txt" in str(error)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    error = _error(path)
    assert "empty" in error.message and "empty.txt" in str(error)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


BAD_SOURCES = {
    "garbled": lambda lines: [line.replace("\t282.91", "\t28.2.91", 1) for line in lines],
    # The 三公 title gone, its rows would follow the previous table's notes.
    "untitled": lambda lines: [
        line
        for line in lines
        if "公开09表" not in line and "财政拨款“三公”经费支出决算表" not in line
    ],
    "empty": lambda lines: [""],
}


@pytest.mark.parametrize("kind", sorted(BAD_SOURCES))
def test_existing_package_untouched_by_a_failed_ingest(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "datapackage"
    good = _write(tmp_path, _lines(HUANGPI), "huangpi.txt")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(good), "--out", str(out)]).exit_code == 0
    before = _snapshot(out)
    bad = _write(tmp_path, BAD_SOURCES[kind](_lines(HUANGPI)), "huangpi-bad.txt")
    result = runner.invoke(main, ["ingest", str(bad), "--out", str(out)])
    assert result.exit_code == 1
    assert "huangpi-bad.txt" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(out) == before


def test_a_failure_while_writing_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disclosure = ingest(source_of(HUANGPI))
    target = package_dir(tmp_path, disclosure)
    write_package(disclosure, target)
    before = _snapshot(tmp_path)

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(package_module, "_write_notes", fail)
    with pytest.raises(OSError):
        write_package(disclosure, target)
    assert _snapshot(tmp_path) == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_an_amount_lost_from_a_flowed_row_is_refused_not_misplaced(tmp_path: Path) -> None:
    lines = _lines(QIAOKOU)
    row = _index(lines, "201 一般公共服务支出 12.15 12.15")
    lines[row] = "201 一般公共服务支出 12.15"
    with pytest.raises(SourceError) as caught:
        ingest(_write(tmp_path, lines))
    error = caught.value
    assert "no placement of these amounts makes the rules hold" in error.message
    assert "row 201 (一般公共服务支出)" in error.message
    assert error.line == row + 1


def test_rows_after_a_tables_notes_are_refused_not_kept_as_notes(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, BAD_SOURCES["untitled"](_lines(HUANGPI))))
    assert "table amounts after the note on line" in error.message
    assert error.table == "公开08表"  # the table before the 三公 rows


def test_a_write_killed_between_its_renames_is_mended_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = source_of(HUANGPI)
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(source), "--out", str(out)]).exit_code == 0
    folder = next(out.glob("*/2024"))
    before = _snapshot(folder)
    # The state a kill -9 leaves after the first rename: the package only retired,
    # and a staging folder half-filled, both named for the killed process.
    retired = folder.with_name(".2024.old-999999999")
    folder.rename(retired)
    staging = folder.parent / ".2024.building-999999999-x1y2z3"
    (staging / "data").mkdir(parents=True)
    assert not folder.exists()
    # Until it is mended, nothing counts the leftovers as packages.
    assert check_package(folder).status == "differs"
    result = runner.invoke(main, ["ingest", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"note: restored {folder} from .2024.old-999999999" in result.stderr
    assert "a staging folder of an interrupted write" in result.stderr
    assert _snapshot(folder) == before
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == []


def test_a_killed_write_that_left_both_keeps_the_package(tmp_path: Path) -> None:
    # ".2024.old", without the pid, is what writes of earlier versions left.
    out = tmp_path / "out"
    folder = write_package(ingest(source_of(HUANGPI)), out / "unit" / "2024")
    shutil.copytree(folder, folder.with_name(".2024.old"))
    notes: list[str] = []
    write_package(ingest(source_of(HUANGPI)), folder, said=notes.append)
    assert notes == [f"removed {folder.with_name('.2024.old')}, left by an interrupted write"]
    assert not folder.with_name(".2024.old").exists()


def test_a_table_in_no_unit_of_renminbi_is_refused_not_read_as_wan_yuan(tmp_path: Path) -> None:
    # 元, 千元, 亿元… are converted exactly (tests/test_printed_units.py); 美元 cannot be.
    lines = _lines(HUANGPI)
    at = _index(lines, "\t金额单位：万元")
    lines[at] = "\t金额单位：美元"
    path = _write(tmp_path, lines)
    error = _error(path)
    assert error.message == "the table's amounts are in 美元"
    assert error.path == path and error.table == "公开01表" and error.line == at + 1
    assert "converted to 万元 exactly" in (error.expected or "")
