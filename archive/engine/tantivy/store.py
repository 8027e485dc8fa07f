"""Writing a tantivy index: the schema from archive/fields.py, creating and opening indexes,
and writers that add, replace and delete case documents (``archive.engine.base.Writer``).

Text fields hold the shared analysers' words separated by spaces, split again by tantivy's
"whitespace" tokenizer; facet values are "raw" terms, one per value; the stored fields
travel as one JSON value; the id and the sort keys are fast columns.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import tantivy

from archive.engine.analysis import analyze
from archive.engine.base import STORED_FIELDS
from archive.engine.tantivy.snapshot import TantivySnapshot
from archive.errors import IndexLockedError
from archive.fields import FACET_NAMES, TEXT_FIELD_NAMES

COLUMNS = ("id", "content_hash", "date_sort", "title_sort")
HEAP = 64 << 20  # bytes of the writer's buffer per thread


def build_schema() -> tantivy.Schema:
    """The tantivy schema of case documents: sort columns, text and facet fields, stored JSON."""
    sb = tantivy.SchemaBuilder()
    for name in COLUMNS:
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in TEXT_FIELD_NAMES:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in FACET_NAMES:
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    sb.add_bytes_field("stored", stored=True, indexed=False)
    return sb.build()


def analysed(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with its text fields replaced by their words, space-separated (the part
    of indexing done in Python; a bulk build spreads it over processes)."""
    out = dict(doc)
    for name in TEXT_FIELD_NAMES:
        if doc.get(name):
            out[name] = " ".join(analyze(name, doc[name]))
    return out


def to_document(doc: dict[str, Any]) -> tantivy.Document:
    """A tantivy document from an analysed case document (``analysed``)."""
    out = tantivy.Document()
    for name in COLUMNS:
        out.add_text(name, doc.get(name, ""))
    for name in TEXT_FIELD_NAMES:
        if doc.get(name):
            out.add_text(name, doc[name])
    for name in FACET_NAMES:
        for value in doc.get(name) or ():
            out.add_text(name, value)
    stored = {k: doc.get(k, "") for k in STORED_FIELDS}
    out.add_bytes("stored", json.dumps(stored, ensure_ascii=False).encode("utf-8"))
    return out


class TantivyWriter:
    """One writing session; nothing is visible to readers before ``commit``. With a pool,
    added documents are analysed in batches by its processes."""

    BATCH = 256

    def __init__(self, writer: tantivy.IndexWriter, pool: ProcessPoolExecutor | None = None):
        self._writer = writer
        self._pool = pool
        self._pending: list[dict[str, Any]] = []

    def add(self, doc: dict[str, Any]) -> None:
        if self._pool is None:
            self._writer.add_document(to_document(analysed(doc)))
            return
        self._pending.append(doc)
        if len(self._pending) >= self.BATCH * 4:
            self._flush()

    def _flush(self) -> None:
        assert self._pool is not None
        for doc in self._pool.map(analysed, self._pending, chunksize=self.BATCH // 4):
            self._writer.add_document(to_document(doc))
        self._pending = []

    def replace(self, doc: dict[str, Any]) -> None:
        # A delete applies to the documents added before it: the new version stays.
        self._writer.delete_documents_by_term("id", doc["id"])
        self._writer.add_document(to_document(analysed(doc)))

    def delete(self, case_id: str) -> None:
        self._writer.delete_documents_by_term("id", case_id)

    def commit(self) -> None:
        try:
            if self._pending:
                self._flush()
            self._writer.commit()
            self._writer.wait_merging_threads()  # and release the index's writer lock
        finally:
            self._close_pool()

    def cancel(self) -> None:
        self._pending = []
        self._close_pool()
        self._writer.rollback()
        self._writer.wait_merging_threads()

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


@dataclass
class TantivyIndex:
    """An open index and its folder (tantivy's object does not say where it lives)."""

    index: tantivy.Index
    folder: Path


SUBFOLDER = "tantivy"  # tantivy's own meta.json would clash with the generation's


def create(folder: Path) -> TantivyIndex:
    """A new, empty index in a ``tantivy`` subfolder of ``folder`` (which must not exist yet)."""
    path = Path(folder) / SUBFOLDER
    path.mkdir()
    return TantivyIndex(tantivy.Index(build_schema(), path=str(path), reuse=False), path)


def open_index(folder: Path) -> TantivyIndex:
    """The index in ``folder``, searched once to be sure its files can be read."""
    path = Path(folder) / SUBFOLDER
    if not (path / "meta.json").is_file():
        raise FileNotFoundError(f"no tantivy index in {folder}")
    ix = tantivy.Index.open(str(path))
    ix.searcher().search(tantivy.Query.all_query(), limit=1)
    return TantivyIndex(ix, path)


def bulk_writer(ix: TantivyIndex, workers: int) -> TantivyWriter:
    """A writer for a whole build: with workers, the analysis runs in that many forked
    processes (forked before tantivy's writer threads start) and tantivy indexes with as
    many threads."""
    threads = max(1, workers)
    pool = None
    if workers > 1:
        pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"))
        list(pool.map(int, range(workers)))  # fork now, while this process has one thread
    return TantivyWriter(ix.index.writer(heap_size=HEAP * threads, num_threads=threads), pool)


def writer(ix: TantivyIndex, index_dir: Path, timeout: float) -> TantivyWriter:
    """A writer for an update; IndexLockedError when another writer holds the index."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return TantivyWriter(ix.index.writer(heap_size=HEAP, num_threads=1))
        except ValueError as exc:
            if "LockBusy" not in str(exc) or time.monotonic() >= deadline:
                if "LockBusy" in str(exc):
                    raise IndexLockedError(index_dir, timeout) from None
                raise
            time.sleep(0.1)


def snapshot(ix: TantivyIndex) -> TantivySnapshot:
    """The index's latest committed state, held open until closed."""
    ix.index.reload()
    return TantivySnapshot(ix.index, ix.folder)


def close(ix: TantivyIndex) -> None:
    """Let go of the index (tantivy closes its files when the object goes)."""
    del ix  # tantivy closes an index's files when the object goes
