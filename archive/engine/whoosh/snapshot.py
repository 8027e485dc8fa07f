"""``archive.engine.base.Snapshot`` over a Whoosh index: one searcher, held open."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
from whoosh.index import Index

from archive.engine import query as aq
from archive.engine.whoosh.matching import Matcher


class WhooshSnapshot:
    """One state of a Whoosh index; document numbers are Whoosh's own."""

    name = "whoosh"

    def __init__(self, ix: Index):
        self.searcher = ix.searcher()
        self.reader = self.searcher.reader()
        self.schema = self.searcher.schema
        self.size = self.reader.doc_count_all()
        self._matcher: Matcher | None = None

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
        if field not in self.schema:
            return 0
        return self.reader.doc_frequency(field, word)

    def words(self, field: str, prefix: str) -> Iterator[str]:
        if field not in self.schema:
            return
        for word in self.reader.expand_prefix(field, prefix):
            yield word.decode("utf-8") if isinstance(word, bytes) else word

    def match(self, q: aq.Query) -> tuple[np.ndarray, np.ndarray]:
        if self._matcher is None:
            live = np.zeros(self.size, dtype=bool)
            live[self.live_docs()] = True
            self._matcher = Matcher(self.searcher, live)
        return self._matcher.run(q)

    def warm(self, fields: list[str]) -> None:
        self.match(aq.NOTHING)
        assert self._matcher is not None
        self._matcher.warm(fields)

    def clear(self) -> None:
        if self._matcher is not None:
            self._matcher.clear()

    def up_to_date(self) -> bool:
        return self.searcher.up_to_date()

    def close(self) -> None:
        self.searcher.close()
