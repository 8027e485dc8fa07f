"""The Whoosh engine's matcher: evaluates the archive's query tree (``archive.engine.query``)
over whole posting lists with numpy.

Whoosh scores a query one document at a time in Python (matcher trees, one ``score()`` call
per posting and field); at 10,000 cases a common word costs tens of milliseconds. The
archive needs every match of a query anyway (facet counts, and pages and filter changes
without searching again), so here each term's posting list is read a block at a time into
arrays, BM25F is computed for all its documents at once, and AND, OR and NOT become sorted
array operations; phrases intersect their words' documents, then compare word positions
of those documents only. The scores are Whoosh's own BM25F (same idf, field lengths,
weights and boosts), so the ranking is the same as Whoosh's. Phrases with slop are run by
Whoosh and merged in.

This module reads Whoosh's W3 codec blocks directly (private attributes, checked with
``hasattr`` and falling back to the public one-posting-at-a-time API).

Example::

    >>> docs, scores = Matcher(searcher, live).run(query)   # every match, with its score
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from archive.engine import query as aq

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults
_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
_POSITION_STRIDE = 1 << 32  # document * stride + word position: one sortable key

Result = tuple[np.ndarray, np.ndarray]  # sorted unique docnums, their scores


class Matcher:
    """Evaluates queries against one searcher; caches field lengths and posting lists."""

    POSTINGS_CACHE = 4096  # (field, term) posting lists kept as arrays

    def __init__(self, searcher: Searcher, live: np.ndarray):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.live = live  # bool per docnum
        self.size = len(live)
        self._lengths: dict[str, np.ndarray] = {}
        self._postings: OrderedDict[tuple[str, str], Result] = OrderedDict()

    def run(self, q: aq.Query) -> Result:
        docs, scores = self._eval(q)
        keep = self.live[docs]
        return docs[keep], scores[keep]

    # -- evaluation ----------------------------------------------------------------------

    def _eval(self, q: aq.Query) -> Result:
        if isinstance(q, aq.Nothing):
            return _EMPTY
        if isinstance(q, aq.Term):
            return self._term(q)
        if isinstance(q, aq.Phrase):
            if q.slop == 1 and self._has_positions(q.field):
                return self._phrase(q)
            return self._by_whoosh(q)
        if isinstance(q, aq.Every):
            docs = np.flatnonzero(self.live).astype(np.int64)
            return docs, np.zeros(len(docs)) + q.boost
        if isinstance(q, aq.Not):
            return self._complement(self._eval(q.query)[0])
        if isinstance(q, aq.And):
            return _scaled(self._and(q.parts), q.boost)
        if isinstance(q, aq.Or):
            if q.expansion:  # not cached: one broad prefix would push every common word out
                parts = [self._term(t, cache=len(q.parts) == 1) for t in q.parts]
            else:
                parts = [self._eval(s) for s in q.parts]
            return _scaled(_union(parts), q.boost)
        if isinstance(q, aq.AndNot | aq.Require | aq.AndMaybe):
            return self._binary(q)
        raise TypeError(f"expand patterns before matching: {q!r}")

    def _binary(self, q: aq.AndNot | aq.Require | aq.AndMaybe) -> Result:
        """a without b's documents; a where b matches too (a's score); a, plus b's score."""
        docs, scores = self._eval(q.a)
        other_docs, other = self._eval(q.b)
        if isinstance(q, aq.AndNot):
            keep = ~np.isin(docs, other_docs, assume_unique=True)
            return docs[keep], scores[keep]
        if isinstance(q, aq.Require):
            keep = np.isin(docs, other_docs, assume_unique=True)
            return docs[keep], scores[keep]
        _, i, j = np.intersect1d(docs, other_docs, assume_unique=True, return_indices=True)
        scores = scores.copy()
        scores[i] += other[j]
        return docs, scores

    def _and(self, subqueries) -> Result:
        positive = [s for s in subqueries if not isinstance(s, aq.Not)]
        negative = [s.query for s in subqueries if isinstance(s, aq.Not)]
        if not positive:
            docs, scores = self._complement(np.zeros(0, dtype=np.int64))
            scores = scores - 1.0
        else:
            docs, scores = self._and_results([self._eval(s) for s in positive])
        for q in negative:
            keep = ~np.isin(docs, self._eval(q)[0], assume_unique=True)
            docs, scores = docs[keep], scores[keep] + 1.0  # Whoosh scores "not b" 1.0
        return docs, scores

    def _complement(self, docs: np.ndarray) -> Result:
        mask = self.live.copy()
        mask[docs] = False
        out = np.flatnonzero(mask).astype(np.int64)
        return out, np.ones(len(out))  # as Whoosh's inverse matcher

    def _term(self, q: aq.Term, cache: bool = True) -> Result:
        field = q.field
        if field not in self.schema:
            return _EMPTY
        text = q.text
        docs, weights = self._posting_arrays(field, text, cache)
        if not len(docs):
            return _EMPTY
        if not self.schema[field].scorable:
            return docs, weights * q.boost
        idf = self.searcher.idf(field, text)
        avgfl = self.searcher.avg_field_length(field) or 1
        lengths = self._field_lengths(field)[docs]
        scores = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))
        return docs, scores * q.boost

    def _phrase(self, q: aq.Phrase) -> Result:
        """Documents where the words occur next to each other, scored as the sum of the
        words' BM25F (Whoosh scores a phrase by its own weighting; the order differs little)."""
        words = list(q.words)
        if len(words) == 1:
            return self._term(aq.Term(q.field, words[0], boost=q.boost))
        terms = [self._term(aq.Term(q.field, w, boost=q.boost)) for w in words]
        if any(not len(docs) for docs, _ in terms):
            return _EMPTY
        docs, scores = self._and_results(terms)
        starts = None  # (document, position of the first word) as one int64
        among = docs
        for i, word in enumerate(words):
            pdocs, positions = self._positions(q.field, word, among)
            keys = pdocs * _POSITION_STRIDE + (positions - i)
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            if not len(starts):
                return _EMPTY
            among = np.unique(starts // _POSITION_STRIDE)  # only these can still match
        found = np.unique(starts // _POSITION_STRIDE)
        keep = np.isin(docs, found, assume_unique=True)
        return docs[keep], scores[keep]

    def _and_results(self, parts: list[Result]) -> Result:
        parts = sorted(parts, key=lambda r: len(r[0]))
        docs, scores = parts[0]
        for other_docs, other_scores in parts[1:]:
            docs, i, j = np.intersect1d(docs, other_docs, assume_unique=True, return_indices=True)
            scores = scores[i] + other_scores[j]
        return docs, scores

    def _has_positions(self, field: str) -> bool:
        return field in self.schema and self.schema[field].format.supports("positions")

    def _positions(self, field: str, text, among: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Occurrences of a term in the documents ``among`` (sorted): (document, position)."""
        fmt = self.schema[field].format
        docs: list[int] = []
        positions: list[int] = []
        for subreader, offset in self.reader.leaf_readers():
            if (field, text) not in subreader:
                continue
            matcher = _leaf(subreader.postings(field, text))
            blocks = hasattr(matcher, "_read_values")
            while matcher.is_active():
                if not blocks:  # another codec: one posting at a time
                    if np.isin(matcher.id() + offset, among):
                        where = fmt.decode_positions(matcher.value())
                        docs += [matcher.id() + offset] * len(where)
                        positions += where
                    matcher.next()
                    continue
                matcher._read_ids()
                ids = np.asarray(matcher._ids[matcher._i :], dtype=np.int64) + offset
                wanted = np.flatnonzero(np.isin(ids, among, assume_unique=True))
                if len(wanted):
                    matcher._read_values()
                    values = matcher._values[matcher._i :]
                    for i in wanted.tolist():
                        where = fmt.decode_positions(values[i])
                        docs += [int(ids[i])] * len(where)
                        positions += where
                matcher._next_block()
        return np.asarray(docs, dtype=np.int64), np.asarray(positions, dtype=np.int64)

    def _by_whoosh(self, q: aq.Phrase) -> Result:
        """Phrases with slop, or in a field without positions: Whoosh's own."""
        if q.field not in self.schema:
            return _EMPTY
        phrase = wq.Phrase(q.field, list(q.words), slop=q.slop, boost=q.boost)
        results = self.searcher.search(phrase, limit=None)
        pairs = sorted(results.items())
        docs = np.fromiter((d for d, _ in pairs), dtype=np.int64, count=len(pairs))
        scores = np.fromiter((s for _, s in pairs), dtype=np.float64, count=len(pairs))
        return docs, scores

    # -- index data as arrays ------------------------------------------------------------

    def _posting_arrays(self, field: str, text, cache: bool = True) -> Result:
        key = (field, text)
        cached = self._postings.get(key)
        if cached is not None:
            self._postings.move_to_end(key)
            return cached
        ids, weights = [], []
        for subreader, offset in self.reader.leaf_readers():
            if (field, text) not in subreader:
                continue
            block_ids, block_weights = _read_all(subreader.postings(field, text))
            ids.append(block_ids + offset)
            weights.append(block_weights)
        result = (np.concatenate(ids), np.concatenate(weights)) if ids else _EMPTY
        if not cache:
            return result
        self._postings[key] = result
        if len(self._postings) > self.POSTINGS_CACHE:
            self._postings.popitem(last=False)
        return result

    def _field_lengths(self, field: str) -> np.ndarray:
        if field not in self._lengths:
            lengths = np.zeros(self.size, dtype=np.float64)
            for subreader, offset in self.reader.leaf_readers():
                for d in range(subreader.doc_count_all()):
                    lengths[offset + d] = subreader.doc_field_length(d, field, 1)
            self._lengths[field] = lengths
        return self._lengths[field]

    def clear(self) -> None:
        """Forget the posting lists read so far (the benchmark's cold queries)."""
        self._postings.clear()

    def warm(self, fields) -> None:
        """Read the field lengths now (at open) rather than on the first query."""
        for field in fields:
            if self.schema[field].scorable:
                self._field_lengths(field)


def _leaf(matcher):
    """The codec's own matcher under Whoosh's deleted-documents filter (deleted documents
    are dropped afterwards by the live mask, so reading them is harmless)."""
    while not hasattr(matcher, "_read_ids") and hasattr(matcher, "child"):
        matcher = matcher.child
    return matcher


def _read_all(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Every (docnum, weight) of a leaf posting list, a block at a time where possible."""
    matcher = _leaf(matcher)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if all(hasattr(matcher, n) for n in ("_read_data", "_next_block", "_byteids", "_data")):
        # Whoosh's W3 codec: a block holds (id deltas, weights, values); decode the ids
        # with one cumulative sum instead of a Python generator.
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            deltas, block_weights = matcher._data[0], matcher._data[1]
            block_ids = np.cumsum(np.asarray(deltas, dtype=np.int64))
            if block_weights is None:
                block_w = np.ones(len(block_ids))
            elif isinstance(block_weights, float):
                block_w = np.full(len(block_ids), block_weights)
            else:
                block_w = np.asarray(block_weights, dtype=np.float64)
            start = matcher._i
            ids.append(block_ids[start:])
            weights.append(block_w[start:])
            matcher._next_block()
    else:
        one_ids, one_weights = [], []
        while matcher.is_active():
            one_ids.append(matcher.id())
            one_weights.append(matcher.weight())
            matcher.next()
        ids.append(np.asarray(one_ids, dtype=np.int64))
        weights.append(np.asarray(one_weights, dtype=np.float64))
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(ids), np.concatenate(weights)


def _union(parts: list[Result]) -> Result:
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    unique, inverse = np.unique(docs, return_inverse=True)
    return unique, np.bincount(inverse, weights=scores, minlength=len(unique))


def _scaled(result: Result, boost: float) -> Result:
    return result if boost == 1.0 else (result[0], result[1] * boost)
