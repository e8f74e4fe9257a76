"""Validation of packages: frictionless, the declared arithmetic, code lists, narrative.

``validate_package`` runs every check on one package folder and returns a
:class:`PackageReport`; renderers in :mod:`juesuan.validation.render` print it.
"""

from juesuan.validation.findings import Finding, PackageReport
from juesuan.validation.run import validate_package

__all__ = ["Finding", "PackageReport", "validate_package"]
