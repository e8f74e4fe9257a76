"""Descriptor fields, years, encodings and empty PDFs: each wrong one named, none let through."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from juesuan.cli import main
from juesuan.errors import SourceError
from juesuan.ingest.pipeline import ingest
from juesuan.package.facts import facts
from juesuan.package.write import write_package
from juesuan.repository.check_sources import check_package
from tests.seeds import HUANGPI, source_of

UNIT = "wuhan-huangpi-dashujuzhongxin-benji"


def _invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def package(tmp_path: Path) -> Path:
    shutil.copytree(HUANGPI.parent, tmp_path / "datapackage" / UNIT)
    return tmp_path / "datapackage" / UNIT / "2024"


def _edit(package: Path, change) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def test_hand_edited_as_a_string_is_an_error_and_skips_no_check(package: Path) -> None:
    _edit(package, lambda d: d["juesuan"].update(hand_edited="false"))
    result = _invoke("validate", "--format", "json", str(package))
    assert result.exit_code == 1
    (finding,) = json.loads(result.output)["packages"][0]["findings"]
    assert finding["rule"] == "package/metadata"
    assert finding["message"] == "juesuan.hand_edited: 'false' is not of type 'boolean'"
    # Only the JSON value true marks a package as typed by hand.
    assert check_package(package).status != "skipped"


def test_a_mistyped_key_and_a_number_of_the_wrong_type_are_named(package: Path) -> None:
    def change(descriptor: dict) -> None:
        descriptor["juesuan"]["hand-edited"] = True
        descriptor["resources"][0]["juesuan"]["number"] = 1

    _edit(package, change)
    result = _invoke("validate", "--format", "json", str(package))
    findings = json.loads(result.output)["packages"][0]["findings"]
    where = sorted(f["found"] for f in findings if f["rule"] == "package/metadata")
    assert where == ["juesuan", "resources.0.juesuan.number"]
    messages = " ".join(f["message"] for f in findings)
    assert "'hand-edited' was unexpected" in messages


def test_a_package_for_year_9999_is_an_error(package: Path) -> None:
    _edit(package, lambda d: d["juesuan"].update(year=9999))
    result = _invoke("validate", "--format", "json", str(package))
    messages = [f["message"] for f in json.loads(result.output)["packages"][0]["findings"]]
    assert "juesuan.year: 9999 is greater than the maximum of 2100" in messages
    assert any(m.startswith("juesuan.year: 9999 is in the future") for m in messages)


def test_a_document_for_year_9999_is_refused(tmp_path: Path) -> None:
    text = source_of(HUANGPI).read_text(encoding="utf-8").replace("2024年", "9999年")
    source = tmp_path / "far.txt"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        ingest(source)
    assert caught.value.message.startswith("the document is for 9999: 9999 is in the future")
    assert caught.value.line is not None


def test_big5_text_is_named_not_read_as_garbage(tmp_path: Path) -> None:
    source = tmp_path / "big5.txt"
    source.write_bytes("2024年度部門決算\n收入支出決算總表\n收入\t支出\n".encode("big5"))
    with pytest.raises(SourceError) as caught:
        ingest(source)
    assert "the text is Big5 (traditional characters), not GBK" in caught.value.message


def test_utf16_text_gives_the_same_facts(tmp_path: Path) -> None:
    source = tmp_path / "utf16.txt"
    source.write_bytes(source_of(HUANGPI).read_text(encoding="utf-8").encode("utf-16"))
    disclosure = ingest(source)
    assert disclosure.document.encoding == "utf-16"
    read = list(facts(write_package(disclosure, tmp_path / "a" / "2024")))
    plain = list(facts(write_package(ingest(source_of(HUANGPI)), tmp_path / "b" / "2024")))
    assert read == plain


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF with these objects (1 0 obj …), a cross-reference table and a trailer."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_pdf_without_pages_says_so(tmp_path: Path) -> None:
    source = tmp_path / "nothing.pdf"
    source.write_bytes(
        _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    )
    with pytest.raises(SourceError) as caught:
        ingest(source)
    assert caught.value.message == "the PDF has no pages"


def test_a_table_json_breaking_its_schema_is_named(package: Path) -> None:
    path = package / "data" / "summary.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[0]["unexpected"] = 1
    rows[1]["line"] = "one"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    result = _invoke("validate", "--format", "json", str(package))
    findings = json.loads(result.output)["packages"][0]["findings"]
    messages = sorted(f["message"] for f in findings if f["rule"] == "package/json-schema")
    assert messages == [
        "summary.json $[0]: Additional properties are not allowed ('unexpected' was unexpected)",
        "summary.json $[1].line: 'one' is not of type 'integer', 'null'",
    ]
    assert any(f["rule"] == "package/json-stale" for f in findings)
