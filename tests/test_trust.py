"""Contributed packages publish nothing from outside, fetch nothing, skip no check."""

from __future__ import annotations

import json
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.cli import command_table, main
from juesuan.repository.check_sources import check_package
from juesuan.site.build import UntrustedPackage, build_site
from juesuan.validation import validate_package
from tests.seeds import HUANGPI

UNIT = "wuhan-huangpi-dashujuzhongxin-benji"


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    root = tmp_path / "datapackage"
    shutil.copytree(HUANGPI.parent.parent / UNIT, root / UNIT)
    return root


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _rewrite(folder: Path, change) -> None:
    descriptor = _descriptor(folder)
    change(descriptor)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")


def _rules(folder: Path) -> set[str]:
    return {f.rule for f in validate_package(folder).errors}


def test_a_symlink_in_a_package_is_reported_and_never_published(
    packages: Path, tmp_path: Path
) -> None:
    folder = packages / UNIT / "2024"
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-ENVIRONMENT", encoding="utf-8")
    (source,) = (folder / "source").iterdir()
    source.unlink()
    source.symlink_to(secret)
    report = validate_package(folder)
    assert [(f.rule, f.message.split(" is ")[0]) for f in report.errors] == [
        ("package/unsafe-path", f"source/{source.name}")
    ]
    assert check_package(folder).status == "differs"
    with pytest.raises(UntrustedPackage, match="a symlink"):
        build_site(packages, tmp_path / "site", commands=command_table())
    assert not any(
        "SECRET" in p.read_text("utf-8", "replace")
        for p in (tmp_path / "site").rglob("*")
        if p.is_file()
    )


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../../../../etc/passwd", "leaves the package"),
        ("/etc/passwd", "an absolute path"),
        ("data/../../x.csv", "leaves the package"),
    ],
)
def test_resource_paths_outside_the_package_are_refused(
    packages: Path, path: str, reason: str
) -> None:
    folder = packages / UNIT / "2024"
    _rewrite(folder, lambda d: d["resources"][0].update(path=path))
    errors = validate_package(folder).errors
    assert [f.rule for f in errors] == ["package/unsafe-path"]
    assert path in errors[0].message and reason in errors[0].message


def test_a_remote_resource_is_never_fetched(packages: Path, tmp_path: Path) -> None:
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"row,code\n")

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/evil.csv"
        folder = packages / UNIT / "2024"
        _rewrite(folder, lambda d: d["resources"][0].update(path=url))
        assert _rules(folder) == {"package/unsafe-path"}
        with pytest.raises(UntrustedPackage, match="a URL"):
            build_site(packages, tmp_path / "site", commands=command_table())
    finally:
        server.shutdown()
    assert requests == []


def test_a_package_outside_a_year_folder_is_reported_not_published(
    packages: Path, tmp_path: Path
) -> None:
    shutil.copytree(packages / UNIT / "2024", packages / UNIT / "abc")
    result = CliRunner().invoke(main, ["validate", str(packages)])
    assert result.exit_code == 1
    assert "package/folder" in result.output
    outcome = check_package(packages / UNIT / "abc")
    assert outcome.status == "differs"
    assert "which is no year" in outcome.problems[0].message
    build_site(packages, tmp_path / "site", commands=command_table(), with_search=False)
    assert not list((tmp_path / "site").rglob("abc"))


def test_only_a_real_true_marks_a_package_hand_edited(packages: Path) -> None:
    folder = packages / UNIT / "2024"
    _rewrite(folder, lambda d: d["juesuan"].update(hand_edited="false"))
    assert check_package(folder).status == "differs"  # compared with its source, not skipped


def test_a_fifo_in_a_package_is_reported(packages: Path) -> None:
    folder = packages / UNIT / "2024"
    os.mkfifo(folder / "data" / "pipe.csv")
    errors = validate_package(folder).errors
    assert [f.rule for f in errors] == ["package/unsafe-path"]
    assert "data/pipe.csv is a device, FIFO or socket" in errors[0].message
