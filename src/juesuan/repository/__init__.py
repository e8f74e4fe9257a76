"""The repository of packages: one folder per unit, one package per year.

:mod:`.new` registers a unit's year before its source arrives, :mod:`.template`
writes a blank package to type a printed disclosure into, :mod:`.targets`
decides which folder an ingested disclosure goes to (with :mod:`.unitmeta`,
each unit's ``unit.json``), :mod:`.check_sources` ingests every package again
and compares, :mod:`.diff` shows changed facts against a git revision. It sits
on top of ingest, package and taxonomy; the commands in :mod:`juesuan.cli` call it.
"""
