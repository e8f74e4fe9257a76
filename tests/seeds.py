"""The committed seed packages, for tests."""

from __future__ import annotations

from pathlib import Path

from juesuan.paths import PACKAGES

HUANGPI = PACKAGES / "wuhan-huangpi-dashujuzhongxin-benji" / "2024"
QIAOKOU = PACKAGES / "wuhan-qiaokou-dashujuzhongxin" / "2019"
SEED_PACKAGES = (HUANGPI, QIAOKOU)


def source_of(package: Path) -> Path:
    """The source document kept inside a package."""
    (source,) = (package / "source").iterdir()
    return source
