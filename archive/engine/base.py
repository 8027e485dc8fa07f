"""The interface to a search engine: ``Engine``, how indexes are created, opened and
written; ``Snapshot``, what the search stage reads from one index state; ``Writer``, how the
index stage adds, replaces and deletes case documents.

A case document is a dict: text fields (archive/fields.py) as text, which the engine
analyses with ``archive.engine.analysis``; facet fields as lists of values; the stored
fields (id, path, content_hash, body, plain, summary, case_json) and the sort keys
(date_sort, title_sort) as strings.

Example::

    >>> snap = load().snapshot(ix)           # any implementation of Snapshot
    >>> ids = snap.column("id")              # docnum -> case id
    >>> dict(snap.postings("tactics"))["apology"]   # the docnums of cases with that tactic
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from archive.engine.query import Query

# The stored fields of a case document, which every engine keeps and returns as they were.
STORED_FIELDS = ("id", "path", "content_hash", "body", "plain", "summary", "case_json")


class Snapshot(Protocol):
    """One state of the index, as the search stage reads it (documents are numbered 0..size-1;
    a deleted one is not live)."""

    size: int  # documents numbered, live or not

    def live_docs(self) -> np.ndarray:
        """The live documents' numbers, ascending (int64)."""
        ...

    def column(self, field: str) -> Mapping[int, Any]:
        """A stored per-document value (id, sort keys), by document number."""
        ...

    def postings(self, field: str) -> Iterator[tuple[str, np.ndarray]]:
        """Each value of a facet field with the numbers of the documents holding it."""
        ...

    def stored(self, doc: int) -> Mapping[str, Any]:
        """The stored fields of one document."""
        ...

    def document(self, case_id: str) -> Mapping[str, Any] | None:
        """The stored fields of the live document of a case, or None."""
        ...

    def doc_frequency(self, field: str, word: str) -> int:
        """How many documents hold an (analysed) word in a field."""
        ...

    def words(self, field: str, prefix: str) -> Iterator[str]:
        """The index words of a field that start with ``prefix``, in sorted order."""
        ...

    def match(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """Every live document the query matches (patterns already expanded), ascending,
        with its score (BM25 or BM25F with the query's boosts)."""
        ...

    def up_to_date(self) -> bool:
        """False once the index on disk has moved on from this state."""
        ...

    def close(self) -> None: ...


class Writer(Protocol):
    """One writing session on an index; readers see nothing of it before ``commit``."""

    def add(self, doc: dict[str, Any]) -> None:
        """Add a case document (a build: no document with its id exists yet)."""
        ...

    def replace(self, doc: dict[str, Any]) -> None:
        """Add a case document in place of the one with the same id, if any."""
        ...

    def delete(self, case_id: str) -> None: ...

    def commit(self) -> None: ...

    def cancel(self) -> None:
        """Drop everything written in this session."""
        ...


class Engine(Protocol):
    """An engine's index operations (the ``store`` module of its package)."""

    def create(self, folder: Path) -> Any:
        """A new, empty index in ``folder`` (which exists and is empty)."""
        ...

    def open_index(self, folder: Path) -> Any:
        """The index in ``folder``; any exception means its files cannot be used."""
        ...

    def bulk_writer(self, ix: Any, workers: int) -> Writer:
        """A writer for a whole build."""
        ...

    def writer(self, ix: Any, index_dir: Path, timeout: float) -> Writer:
        """A writer for an update; IndexLockedError when another writer holds the index."""
        ...

    def snapshot(self, ix: Any) -> Snapshot:
        """The index's latest committed state, held open until closed."""
        ...

    def close(self, ix: Any) -> None: ...
