"""``archive.engine.base.Snapshot`` over a tantivy index: one searcher, held open.

Tantivy numbers documents within segments (``DocAddress(segment, doc)``); the archive wants
one number per document (numpy arrays indexed by it), so each segment gets an offset. The
sort keys are read with one search ordered by their fast column; a facet's documents per
value with one term query per value.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import tantivy

from archive.engine import query as aq
from archive.fields import FACET_NAMES, TEXT_FIELD_NAMES

Occur = tantivy.Occur
TQuery = tantivy.Query


class TantivySnapshot:
    """One state of a tantivy index, its documents numbered across segments by offsets."""

    name = "tantivy"

    def __init__(self, ix: tantivy.Index, folder: Path):
        self.folder = Path(folder)
        self.schema = ix.schema
        self._meta = _stat(self.folder)
        self.searcher = ix.searcher()
        self._count = self.searcher.num_docs
        hits = self._all(order_by="id")
        segs = np.fromiter((a.segment_ord for _, a in hits), dtype=np.int64, count=len(hits))
        docs = np.fromiter((a.doc for _, a in hits), dtype=np.int64, count=len(hits))
        nseg = int(segs.max()) + 1 if len(segs) else 0
        extent = np.zeros(nseg, dtype=np.int64)
        np.maximum.at(extent, segs, docs + 1)
        self._offset = np.concatenate(([0], np.cumsum(extent)))
        self.size = int(self._offset[-1])
        numbers = self._offset[segs] + docs
        self._live = np.sort(numbers)
        self._ids = {int(n): cid for n, (cid, _) in zip(numbers.tolist(), hits, strict=True)}
        self._address = {int(n): a for n, (_, a) in zip(numbers.tolist(), hits, strict=True)}
        self._number_of = {cid: n for n, cid in self._ids.items()}

    # -- numbering -----------------------------------------------------------------------

    def _numbers(self, addresses) -> np.ndarray:
        segs = np.fromiter((a.segment_ord for a in addresses), dtype=np.int64)
        docs = np.fromiter((a.doc for a in addresses), dtype=np.int64)
        return self._offset[segs] + docs if len(segs) else np.zeros(0, dtype=np.int64)

    def _all(self, order_by: str) -> list[tuple[Any, tantivy.DocAddress]]:
        if not self._count:
            return []
        found = self.searcher.search(
            TQuery.all_query(), limit=self._count, count=False, order_by_field=order_by,
            order=tantivy.Order.Asc,
        )  # fmt: skip
        return found.hits

    # -- the Snapshot interface ----------------------------------------------------------

    def live_docs(self) -> np.ndarray:
        return self._live.copy()

    def column(self, field: str) -> Mapping[int, Any]:
        if field == "id":
            return dict(self._ids)
        hits = self._all(order_by=field)
        numbers = self._numbers([a for _, a in hits]).tolist()
        return {n: value for n, (value, _) in zip(numbers, hits, strict=True)}

    def postings(self, field: str) -> Iterator[tuple[str, np.ndarray]]:
        for value, count in sorted(self.searcher.terms_with_prefix(field, "")):
            found = self.searcher.search(
                TQuery.term_query(self.schema, field, value), limit=count, count=False
            )
            yield value, np.sort(self._numbers([a for _, a in found.hits]))

    def stored(self, doc: int) -> Mapping[str, Any]:
        raw = self.searcher.doc(self._address[doc]).to_dict()["stored"][0]
        return json.loads(raw)

    def document(self, case_id: str) -> Mapping[str, Any] | None:
        n = self._number_of.get(case_id)
        return None if n is None else self.stored(n)

    def doc_frequency(self, field: str, word: str) -> int:
        try:
            return self.searcher.doc_freq(field, word)
        except ValueError:  # not a field of the index
            return 0

    def words(self, field: str, prefix: str) -> Iterator[str]:
        try:
            found = self.searcher.terms_with_prefix(field, prefix)
        except ValueError:
            return iter(())
        return iter(sorted(w for w, _ in found))

    def match(self, q: aq.Query) -> tuple[np.ndarray, np.ndarray]:
        if not self._count or isinstance(q, aq.Nothing):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        found = self.searcher.search(self._query(q), limit=self._count, count=False).hits
        numbers = self._numbers([a for _, a in found])
        scores = np.fromiter((s for s, _ in found), dtype=np.float64, count=len(found))
        order = np.argsort(numbers, kind="stable")
        return numbers[order], scores[order]

    def up_to_date(self) -> bool:
        return _stat(self.folder) == self._meta

    def close(self) -> None:
        self.searcher = None  # type: ignore[assignment]

    # -- the query tree as tantivy's -------------------------------------------------------

    def _query(self, q: aq.Query) -> TQuery:
        if isinstance(q, aq.Term):
            if q.field in _FACETS:  # unscored in both engines: the boost is the score
                return TQuery.const_score_query(self._term(q.field, q.text), q.boost)
            return _boosted(self._term(q.field, q.text), q.boost)
        if isinstance(q, aq.Phrase):
            if len(q.words) == 1:
                return self._query(aq.Term(q.field, q.words[0], q.boost))
            phrase = TQuery.phrase_query(self.schema, q.field, list(q.words), slop=q.slop - 1)
            return _boosted(phrase, q.boost)
        if isinstance(q, aq.Every):
            return _boosted(TQuery.all_query(), q.boost)
        if isinstance(q, aq.Nothing):
            return TQuery.empty_query()
        if isinstance(q, aq.Not):
            return self._bool(
                [(Occur.Must, TQuery.all_query()), (Occur.MustNot, self._query(q.query))]
            )
        if isinstance(q, aq.And):
            return _boosted(self._and(q.parts), q.boost)
        if isinstance(q, aq.Or):
            if not q.parts:
                return TQuery.empty_query()
            return _boosted(self._bool([(Occur.Should, self._query(p)) for p in q.parts]), q.boost)
        if isinstance(q, aq.AndNot):
            return self._bool([(Occur.Must, self._query(q.a)), (Occur.MustNot, self._query(q.b))])
        if isinstance(q, aq.Require):
            zero = TQuery.const_score_query(self._query(q.b), 0.0)
            return self._bool([(Occur.Must, self._query(q.a)), (Occur.Must, zero)])
        if isinstance(q, aq.AndMaybe):
            return self._bool([(Occur.Must, self._query(q.a)), (Occur.Should, self._query(q.b))])
        raise TypeError(f"expand patterns before matching: {q!r}")

    def _and(self, parts: tuple[aq.Query, ...]) -> TQuery:
        clauses = [
            (Occur.MustNot, self._query(p.query)) if isinstance(p, aq.Not)
            else (Occur.Must, self._query(p))
            for p in parts
        ]  # fmt: skip
        if not any(occur == Occur.Must for occur, _ in clauses):
            clauses.append((Occur.Must, TQuery.all_query()))
        return self._bool(clauses)

    def _term(self, field: str, text: str) -> TQuery:
        if field not in _KNOWN:
            return TQuery.empty_query()
        return TQuery.term_query(self.schema, field, text)

    @staticmethod
    def _bool(clauses: list) -> TQuery:
        return TQuery.boolean_query(clauses)


def _boosted(q: TQuery, boost: float) -> TQuery:
    return q if boost == 1.0 else TQuery.boost_query(q, boost)


def _stat(folder: Path) -> tuple[int, int, int] | None:
    """meta.json, which tantivy replaces on each commit: its identity stands for the state."""
    try:
        st = os.stat(folder / "meta.json")
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


_FACETS = frozenset(FACET_NAMES)
_KNOWN = frozenset((*FACET_NAMES, *TEXT_FIELD_NAMES))
