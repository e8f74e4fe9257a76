"""Data packages: writing a disclosure as one, reading one back, listing its facts.

:mod:`.write` turns ingest's in-memory disclosure into a Frictionless package;
:mod:`.read` reads a package folder back (descriptor, rows, the JSON of its CSVs);
:mod:`.facts` lists every reported amount. Only :mod:`.write` imports ingest, and
this file imports none of them, so validation and the site can import
``juesuan.package.read`` without loading ingest.
"""
