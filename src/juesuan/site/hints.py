"""What the search index is told about a unit's page and a disclosure's page.

A unit's page comes first for its name (its title weighs most); a disclosure is
found by its unit and year, and every result shows unit, year and 万元.
"""

from __future__ import annotations

from juesuan.site.corpus import Disclosure
from juesuan.site.pages import Search
from juesuan.site.summary import Summary

UNIT_WEIGHT = 10.0
"""Pagefind's largest weight (a title otherwise weighs 7): the unit's name and the
year in a unit's or a disclosure's title outweigh the pages that only mention them."""


def unit_hints(latest: Summary) -> Search:
    """A unit's page, found by any part of its name."""
    return Search(
        kind="单位",
        weight=UNIT_WEIGHT,
        meta=(("地区", latest.region),) if latest.region else (),
        names=(latest.unit,),
    )


def disclosure_hints(d: Disclosure) -> Search:
    """A disclosure's page, found by its unit and year."""
    year = str(d.year)
    return Search(
        kind="决算",
        weight=UNIT_WEIGHT,
        meta=(("单位", d.unit), ("年度", year), ("金额单位", "万元")),
        names=(d.unit,),
        words=(year,),
    )
