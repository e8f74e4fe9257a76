"""The taxonomy: editions of the disclosure templates, their tables and rules."""

from juesuan.taxonomy.loader import editions, load_edition
from juesuan.taxonomy.model import (
    Column,
    CrossRule,
    Edition,
    HierarchyRule,
    Row,
    Side,
    SumRule,
    Table,
)

__all__ = [
    "Column",
    "CrossRule",
    "Edition",
    "HierarchyRule",
    "Row",
    "Side",
    "SumRule",
    "Table",
    "editions",
    "load_edition",
]
