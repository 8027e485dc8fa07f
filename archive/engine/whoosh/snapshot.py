"""``archive.engine.base.Snapshot`` over a Whoosh index: one searcher, held open."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
from whoosh.index import Index


class WhooshSnapshot:
    def __init__(self, ix: Index):
        self.searcher = ix.searcher()
        self.reader = self.searcher.reader()
        self.schema = self.searcher.schema
        self.size = self.reader.doc_count_all()

    def live_docs(self) -> np.ndarray:
        return np.fromiter(self.reader.all_doc_ids(), dtype=np.int64)

    def column(self, field: str) -> Mapping[int, Any]:
        return self.reader.column_reader(field)

    def postings(self, field: str) -> Iterator[tuple[str, np.ndarray]]:
        for term in self.reader.lexicon(field):
            docs = np.fromiter(self.reader.postings(field, term).all_ids(), dtype=np.int64)
            yield (term.decode("utf-8") if isinstance(term, bytes) else term), docs

    def stored(self, doc: int) -> Mapping[str, Any]:
        return self.searcher.stored_fields(doc)

    def document(self, case_id: str) -> Mapping[str, Any] | None:
        return self.searcher.document(id=case_id)

    def doc_frequency(self, field: str, word: str) -> int:
        return self.reader.doc_frequency(field, word)

    def more_like(self, doc: int, field: str, top: int, terms: int) -> list[tuple[int, float]]:
        # Narratives are neither stored per field nor vectored: their key terms come from the
        # stored plain text, analysed as the field analyses it.
        text = self.stored(doc).get("plain") or ""
        if not text.strip():
            return []
        found = self.searcher.more_like(doc, field, text=text, top=top, numterms=terms)
        return [(hit.docnum, hit.score) for hit in found]

    def up_to_date(self) -> bool:
        return self.searcher.up_to_date()

    def close(self) -> None:
        self.searcher.close()
