"""The interface to a search engine: ``Snapshot``, what the search stage reads from one
index state, and ``Writer``, how the index stage adds, replaces and deletes case documents.

Example::

    >>> snap = WhooshSnapshot(ix)            # any implementation of Snapshot
    >>> ids = snap.column("id")              # docnum -> case id
    >>> dict(snap.postings("tactics"))["apology"]   # the docnums of cases with that tactic
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

import numpy as np


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

    def more_like(self, doc: int, field: str, top: int, terms: int) -> list[tuple[int, float]]:
        """Documents whose text in ``field`` is most like that of ``doc``, with a score, best
        first (none when the text is too short to yield key terms)."""
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
