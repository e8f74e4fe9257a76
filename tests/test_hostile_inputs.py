"""Malformed input gets a clear error naming the file, never a traceback.

Each case is made at test time: a text whose UTF-8 byte-order mark is followed
by GBK bytes, an OLE header followed by garbage, package metadata of the wrong
shape, NaN in an amount cell, a unit.json that is a list, a region code with a
newline; then byte-level mutants of the seed printed as xlsx, xls and PDF, and
random text, with a fixed budget.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juesuan.cli import main
from juesuan.errors import SourceError
from juesuan.ingest.pipeline import ingest
from tests.disclosure_files import ruled_pdf, xls_workbook, xlsx_workbook
from tests.seeds import HUANGPI, source_of

UNIT = "wuhan-huangpi-dashujuzhongxin-benji"


def _invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    # Every outcome is a deliberate exit, never an exception escaping.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bom.txt", b"\xef\xbb\xbf\xc4\xe3\xba\xc3 2024\xc4\xea", "byte-order mark"),
        ("ole.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"garbage" * 40, "not a readable .xls"),
        ("truncated.xlsx", b"PK\x03\x04" + b"\x00" * 40, "workbook"),
        ("empty.pdf", b"%PDF-1.4\n%%EOF\n", "PDF"),
    ],
)
def test_malformed_sources_are_named_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    result = _invoke("ingest", "--out", str(tmp_path / "out"), str(source))
    assert result.exit_code == 1
    assert f"error: {source}" in result.output
    assert message in result.output


@pytest.fixture
def package(tmp_path: Path) -> Path:
    root = tmp_path / "datapackage"
    shutil.copytree(HUANGPI.parent, root / UNIT)
    return root / UNIT / "2024"


def test_package_metadata_of_the_wrong_shape(package: Path) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["juesuan"] = "x"
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    result = _invoke("validate", str(package))
    assert result.exit_code == 1
    assert "juesuan: 'x' is not of type 'object'" in result.output


def test_nan_in_an_amount_cell(package: Path, tmp_path: Path) -> None:
    csv = package / "data" / "summary.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("282.91", "NaN", 1), "utf-8")
    result = _invoke("validate", str(package))
    assert result.exit_code == 1
    assert "package/not-an-amount" in result.output
    built = _invoke(
        "build",
        "--packages",
        str(package.parent.parent),
        "--out",
        str(tmp_path / "s"),
        "--no-search",
    )
    assert built.exit_code == 0, built.output


def test_a_unit_json_that_is_a_list(package: Path) -> None:
    (package.parent / "unit.json").write_text("[]", encoding="utf-8")
    (source,) = (package / "source").iterdir()
    result = _invoke("ingest", "--out", str(package.parent.parent), str(source))
    assert result.exit_code == 1
    assert "unit.json" in result.output and "valid dictionary" in result.output


def test_a_region_code_with_a_newline(tmp_path: Path) -> None:
    result = _invoke(
        "new",
        "wuhan-mouju",
        "2024",
        "--name",
        "武汉市某局",
        "--region-code",
        "420104\n",
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 1
    assert "is not a 行政区划代码" in result.output


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("printed")
    seed = source_of(HUANGPI)
    return {
        ".xlsx": xlsx_workbook(seed, folder / "seed.xlsx").read_bytes(),
        ".xls": xls_workbook(seed, folder / "seed.xls").read_bytes(),
        ".pdf": ruled_pdf(seed, folder / "seed.pdf").read_bytes(),
    }


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".pdf"])
def test_byte_mutants_are_read_or_refused(
    tmp_path: Path, printed: dict[str, bytes], suffix: str
) -> None:
    rng = random.Random(f"mutants{suffix}")
    original = printed[suffix]
    for index in range(12):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            data[position : position + rng.randint(1, 16)] = rng.randbytes(rng.randint(0, 16))
        source = tmp_path / f"mutant{index}{suffix}"
        source.write_bytes(bytes(data))
        try:
            ingest(source)
        except SourceError as error:
            assert str(source) in str(error)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_random_text_is_read_or_refused(tmp_path: Path, text: str) -> None:
    seed = source_of(HUANGPI).read_text(encoding="utf-8")
    source = tmp_path / "random.txt"
    # Random text alone, and spliced into the tables part of a real document.
    for content in (text, seed.replace("2024年度收入决算表", text + "2024年度收入决算表", 1)):
        source.write_text(content, encoding="utf-8")
        try:
            ingest(source)
        except SourceError as error:
            assert str(source) in str(error)
