"""The taxonomy: editions of the disclosure templates, their tables and rules.

Its modules hold everything that follows from ``schemas/`` alone: the editions
(:mod:`.loader`, :mod:`.model`), the code lists (:mod:`.codes`), the equations
the rules give (:mod:`.rules`), the tolerance of a rounded amount
(:mod:`.tolerance`), the narrative statements (:mod:`.statements`) and the
generated Table Schemas (:mod:`.schemas`). It reads no document or package.
"""

from juesuan.taxonomy.loader import (
    edition_for,
    edition_in_force,
    editions,
    load_edition,
    overlays,
    variants,
)
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
    "edition_for",
    "edition_in_force",
    "editions",
    "load_edition",
    "overlays",
    "variants",
]
