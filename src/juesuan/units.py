"""Unit names: the region they sit in and a stable ASCII slug."""

from __future__ import annotations

import re

from pypinyin import lazy_pinyin

from juesuan.text import normalise, plain

_DIVISION = re.compile(r"^(.{2,8}?(?:自治区|自治州|自治县|特别行政区|省|市|地区|盟|区|县|旗))")
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "省", "市", "地区", "盟", "区", "县", "旗")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def unit_key(name: str) -> str:
    """What two printings of one unit's name share.

    Invisible and look-alike characters, spaces and bracket widths aside: 武汉市⼼理…
    with a Kangxi ⼼ is 武汉市心理….
    """
    return normalise(plain(name))


def split_region(name: str) -> tuple[str, str]:
    """(region, rest) of a unit name: 武汉市黄陂区大数据中心 → (武汉市黄陂区, 大数据中心)."""
    region, rest = "", name
    while True:
        match = _DIVISION.match(rest)
        if not match or len(match.group(1)) == len(rest):
            return region, rest
        region, rest = region + match.group(1), rest[match.end() :]


def slug_for(name: str) -> str:
    """A stable ASCII slug: pinyin of each division (suffix dropped) and of the rest."""
    region, rest = split_region(name)
    parts = []
    for division in re.findall(
        r".+?(?:特别行政区|自治区|自治州|自治县|省|市|地区|盟|区|县|旗)", region
    ):
        for suffix in _SUFFIXES:
            if division.endswith(suffix) and len(division) > len(suffix) + 1:
                division = division[: -len(suffix)]
                break
        parts.append(_pinyin(division))
    parts += [_pinyin(piece) for piece in re.split(r"[（）()\s·]+", rest) if piece]
    slug = "-".join(p for p in parts if p)
    return slug or "unit"


def _pinyin(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(text)).lower())
