"""The static site: pages generated from the data packages, built with MkDocs Material.

Page generators produce theme-independent :class:`~juesuan.site.pages.Page` values
(a title and blocks of escaped HTML); :mod:`juesuan.site.mkdocs_site` is the only
module that knows MkDocs, so another generator can replace it.
"""
