"""The search engine behind the archive, seen through one interface.

``base.Writer`` is how the index stage writes case documents; ``base.Snapshot`` is what the
search stage reads from one state of the index: the live documents, per-document sort keys,
each facet's documents per value, stored fields, how many documents hold a word, and
documents like a given one. The numpy work on top of it (facet
counts, sorting, pages) is engine-neutral and stays in ``archive.search``. The Whoosh
implementation is in ``archive.engine.whoosh``, with the code that reads Whoosh's codec
directly for fast matching (``archive.engine.whoosh.matching``).
"""
