"""Writing a Whoosh index: create one in a folder, and writers that add, replace and
delete case documents (``archive.engine.base.Writer``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.index import LockError

from archive.engine.whoosh.schema import build_schema, whoosh_document
from archive.engine.whoosh.snapshot import WhooshSnapshot
from archive.errors import IndexLockedError


class WhooshWriter:
    """One writing session; nothing is visible to readers before ``commit``."""

    def __init__(self, writer: Any):
        self._writer = writer

    def add(self, doc: dict[str, Any]) -> None:
        self._writer.add_document(**whoosh_document(doc))

    def replace(self, doc: dict[str, Any]) -> None:
        self._writer.update_document(**whoosh_document(doc))  # by the unique "id" field

    def delete(self, case_id: str) -> None:
        self._writer.delete_by_term("id", case_id)

    def commit(self) -> None:
        self._writer.commit()

    def cancel(self) -> None:
        self._writer.cancel()


def create(folder: Path) -> index.Index:
    """A new, empty index in ``folder`` (which exists and is empty)."""
    return index.create_in(str(folder), build_schema())


def open_index(folder: Path) -> index.Index:
    """The index in ``folder``, read once to be sure its files can be read (Whoosh raises
    many kinds of errors on damaged files; the caller turns any into IndexUnusable)."""
    ix = index.open_dir(str(folder))
    with ix.reader() as reader:
        reader.doc_count()
    return ix


def bulk_writer(ix: index.Index, workers: int) -> WhooshWriter:
    """A writer for a whole build: with workers, documents are analysed and written by that
    many processes, each into its own segment (no final merge: it would undo the gain)."""
    if workers > 1:
        return WhooshWriter(ix.writer(procs=workers, multisegment=True, limitmb=256))
    return WhooshWriter(ix.writer(limitmb=256))


def writer(ix: index.Index, index_dir: Path, timeout: float) -> WhooshWriter:
    """A writer for an update; IndexLockedError when another writer holds the index."""
    try:
        return WhooshWriter(ix.writer(timeout=timeout))
    except LockError:
        raise IndexLockedError(index_dir, timeout) from None


def snapshot(ix: index.Index) -> WhooshSnapshot:
    """The index's current state, held open until closed."""
    return WhooshSnapshot(ix)


def close(ix: index.Index) -> None:
    """Close the index's files."""
    ix.close()
