"""The seed packages the tests use: copies under tests/fixtures/, not datapackage/.

The units committed to datapackage/ can be added, corrected or removed without
a test changing. The copies are checked against their own sources
(tests/test_fixtures.py): when the package format changes, ingest them again.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "datapackage"
HUANGPI = FIXTURES / "wuhan-huangpi-dashujuzhongxin-benji" / "2024"
QIAOKOU = FIXTURES / "wuhan-qiaokou-dashujuzhongxin" / "2019"
SEED_PACKAGES = (HUANGPI, QIAOKOU)


def source_of(package: Path) -> Path:
    """The source document kept inside a package."""
    (source,) = (package / "source").iterdir()
    return source
