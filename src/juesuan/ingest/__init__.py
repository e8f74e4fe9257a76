"""Ingest: read a source document into an in-memory disclosure.

The stages of reading, in order: :mod:`.readers` turn a PDF, workbook or text
file into a :class:`~juesuan.ingest.source.Document` of lines; :mod:`.outline`
finds its tables and narrative parts; :mod:`.layouts`, :mod:`.labels`,
:mod:`.placement` and :mod:`.given` read each table's rows and amounts;
:mod:`.glossary` and :mod:`.narrative` the text. :mod:`.pipeline` runs them all
and gives a :class:`~juesuan.ingest.pipeline.Disclosure`; :mod:`.report` prints
the summary to check it against the paper. Ingest imports the taxonomy and
nothing of the stages after it.
"""

from juesuan.ingest.pipeline import ingest

__all__ = ["ingest"]
