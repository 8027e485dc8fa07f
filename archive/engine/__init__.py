"""The search engine behind the archive, seen through one interface (``base``).

``base.Engine`` creates, opens and writes indexes; ``base.Writer`` is how the index stage
writes case documents; ``base.Snapshot`` is what the search stage reads from one state of
the index: the live documents, per-document sort keys, each facet's documents per value,
stored fields, index words and how many documents hold one, and every match of a query
(``query``: the archive's own query tree, parsed by ``parse``) with a score. Text analysis
(``analysis``) is shared, so every engine indexes the same words. The numpy work on top
(facet counts, sorting, pages, snippets, similar cases) is engine-neutral and stays in
``archive.search``.

Two engines: ``whoosh`` (the default; pure Python, with a numpy matcher that reads its codec)
and ``tantivy`` (Rust, through the ``tantivy`` package). One setting chooses:
``ARCHIVE_ENGINE`` or the command line's ``--engine``.

Example::

    >>> eng = load("tantivy")
    >>> ix = eng.create(folder); w = eng.bulk_writer(ix, 1); w.add(doc); w.commit()
    >>> snap = eng.snapshot(ix); snap.match(parse("breach"))
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING

from archive.errors import UnknownEngine

if TYPE_CHECKING:  # the command line reads ENGINES without loading an engine
    from archive.engine.base import Engine

ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "whoosh"


def chosen(name: str | None = None) -> str:
    """The engine to use: ``name`` if given, else ``ARCHIVE_ENGINE``, else Whoosh."""
    name = (name or os.environ.get("ARCHIVE_ENGINE") or DEFAULT_ENGINE).strip().lower()
    if name not in ENGINES:
        raise UnknownEngine(name, ENGINES)
    return name


def load(name: str | None = None) -> Engine:
    """The engine's module of index operations (imported only when chosen)."""
    return importlib.import_module(f"archive.engine.{chosen(name)}.store")  # type: ignore[return-value]
