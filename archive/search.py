"""One search API for the command line and the app: query, filters, facets, snippets, suggestions.

Example::

    >>> archive = Archive.open(Path("cases"), Path(".archive"))
    >>> response = archive.search(SearchRequest("kebocoran data", filters={"outcome": ["recovered"]}))
    >>> response.total, [h.id for h in response.hits], response.facets["tactics"][0]

Facet counts are disjunctive: the counts of a facet ignore that facet's own selection, so
ticking "apology" does not make the other tactics' counts drop to zero.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from archive import engine as engines
from archive.engine import query as aq
from archive.engine.analysis import analyze, analyzer, spans
from archive.entities import Entity
from archive.errors import CaseNotFoundError
from archive.fields import BOOSTS, TAXONOMY_FACETS  # noqa: F401 (TAXONOMY_FACETS: re-exported)
from archive.index import (
    FACETS,
    NARRATIVE_FIELD,
    IndexReport,
    IndexUnusable,
    case_from_stored,
    current_generation,
    is_stale,
    open_current,
    read_vocabulary,
    update_index,
)
from archive.locations import locate
from archive.model import Case
from archive.search_query import (
    DEFAULT_FIELDS,
    QueryTooBroad,
    bounded,
    parse,
    plain_words,
    rewrite_fields,
    suggestable_words,
)
from archive.taxonomy import Taxonomy, load_taxonomy

SORTS = ("relevance", "date", "date-asc", "title")


# -- requests and responses ----------------------------------------------------------------


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    # Values listed per facet, most frequent first (selected values always); None: all.
    # Every value is counted either way: ``response.facets.count(facet, value)``.
    facet_limit: int | None = None


@dataclass(frozen=True)
class Snippet:
    """Plain text and the (start, end) offsets of the matched words in it."""

    text: str
    matches: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str = "[", after: str = "]") -> str:
        out, pos = [], 0
        for start, end in self.matches:
            out += [self.text[pos:start], before, self.text[start:end], after]
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


@dataclass
class Hit:
    id: str
    title: str
    subject: str
    subject_kind: str
    year: int
    crisis_date: str
    outcome: str
    crisis_types: list[str]
    tactics: list[str]
    sector: str | None
    countries: list[str]
    language: str
    status: str
    score: float
    snippets: list[Snippet] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # similar cases: what they share

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "snippets"}
        d["snippets"] = [
            {"text": s.text, "matches": [list(m) for m in s.matches]} for s in self.snippets
        ]
        return d


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False


class FacetCounts(Mapping[str, list[FacetValue]]):
    """facet -> its values with counts, most frequent first; lists are built when first read.

    Counts are computed for every value of every facet up front (arrays); turning them into
    sorted ``FacetValue`` lists is left to the facets a caller actually reads.
    """

    def __init__(
        self,
        facets: Mapping[str, _Facet],
        counts: Mapping[str, np.ndarray],
        selected: Mapping[str, set[str]],
        limit: int | None,
    ):
        self._facets, self._counts, self._selected, self._limit = facets, counts, selected, limit
        self._lists: dict[str, list[FacetValue]] = {}

    def count(self, facet: str, value: str) -> int:
        i = self._facets[facet].index.get(value)
        return 0 if i is None else int(self._counts[facet][i])

    def __getitem__(self, facet: str) -> list[FacetValue]:
        if facet not in self._lists:
            self._lists[facet] = self._build(facet, self._limit)
        return self._lists[facet]

    def top(self, facet: str, limit: int) -> list[FacetValue]:
        """The ``limit`` most frequent values (and the selected ones), whatever facet_limit."""
        return self._build(facet, limit)

    def _build(self, facet: str, limit: int | None) -> list[FacetValue]:
        info, counts = self._facets[facet], self._counts[facet]
        selected = self._selected.get(facet, set())
        nonzero = np.flatnonzero(counts)
        # Most frequent first, then by value (values are indexed in sorted order).
        order = nonzero[np.lexsort((nonzero, -counts[nonzero]))]
        if limit is not None:
            order = order[:limit]
        values = [
            FacetValue(info.values[i], int(counts[i]), info.values[i] in selected) for i in order
        ]
        listed = {v.value for v in values}
        extra = [FacetValue(v, self.count(facet, v), True) for v in selected - listed]
        if extra:
            values = sorted(values + extra, key=lambda v: (-v.count, v.value))
        return values

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


@dataclass
class SearchResponse:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: FacetCounts
    suggestion: str | None = None
    notice: str | None = None  # e.g. the query syntax could not be read
    searched: str = ""  # the query as searched: whitespace collapsed, cut to the limits

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // max(1, self.request.per_page)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.request.query,
            "filters": {k: list(v) for k, v in self.request.filters.items()},
            "sort": self.request.sort,
            "page": self.request.page,
            "pages": self.pages,
            "total": self.total,
            "suggestion": self.suggestion,
            "notice": self.notice,
            "searched": self.searched,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {
                name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
                for name, values in self.facets.items()
            },
        }


@dataclass
class Coverage:
    total: int
    counts: dict[str, dict[str, int]]  # facet -> value -> cases
    unused: dict[str, list[str]]  # taxonomy facet -> ids no case uses

    def to_dict(self) -> dict[str, Any]:
        return {"cases": self.total, "facets": self.counts, "unused": self.unused}


@dataclass
class CaseView:
    case: Case
    entities: list[Entity]
    path: str
    content_hash: str


# -- the open index and what is derived from it --------------------------------------------


class _Facet:
    """One facet's values and, per value, its documents (as numpy arrays, for counting).

    Counting is done one of two ways. A facet with few values keeps one bitset per value
    (64 documents per machine word): a count is a popcount of (value AND base). A facet with
    many values (organisation names) would need too many bitsets; it keeps the flat
    (document, value) pairs and counts with one gather and one bincount.
    """

    BITSET_BYTES = 8 << 20  # the most a facet's bitsets may take

    def __init__(self, values: list[str], postings: list[np.ndarray], size: int):
        self.values = values  # sorted
        self.index = {v: i for i, v in enumerate(values)}
        self.postings = postings
        lengths = [len(p) for p in postings]
        self.entry_doc = np.concatenate(postings) if postings else np.zeros(0, np.int64)
        self.entry_val = np.repeat(np.arange(len(values)), lengths)
        self.bits: np.ndarray | None = None
        if values and len(values) * _words(size) * 8 <= self.BITSET_BYTES:
            dense = np.zeros((len(values), _words(size) * 64), dtype=bool)
            dense[self.entry_val, self.entry_doc] = True
            self.bits = _pack(dense)

    def mask(self, values: Sequence[str], size: int) -> np.ndarray:
        m = np.zeros(size, dtype=bool)
        for v in values:
            i = self.index.get(str(v))
            if i is not None:
                m[self.postings[i]] = True
        return m

    def counts(self, base: np.ndarray, packed: np.ndarray) -> np.ndarray:
        """Documents per value among those where ``base`` (``packed``: as bits) is true."""
        if self.bits is not None:
            return np.bitwise_count(self.bits & packed).sum(axis=1, dtype=np.int64)
        hits = np.bincount(self.entry_val, weights=base[self.entry_doc], minlength=len(self.values))
        return hits.astype(np.int64)

    def values_of(self, docnum: int) -> list[int]:
        return sorted(set(self.entry_val[self.entry_doc == docnum].tolist()))


def _words(size: int) -> int:
    return max(1, -(-size // 64))


def _pack(dense: np.ndarray) -> np.ndarray:
    """Rows of booleans (a multiple of 64 wide) -> rows of uint64 words."""
    return np.packbits(dense, axis=1, bitorder="little").view(np.uint64)


class _Snapshot:
    """One state of the index as the engine reads it, and the per-document arrays derived
    from it."""

    def __init__(self, engine: engines.base.Snapshot, generation: str, path: Path):
        self.generation = generation
        self.path = path
        self._vocabulary: tuple[dict[str, int], dict[str, list[str]]] | None = None
        self.engine = engine
        self.size = self.engine.size
        self.live_docs = self.engine.live_docs()
        self.live = np.zeros(self.size, dtype=bool)
        self.live[self.live_docs] = True
        ids = self.engine.column("id")
        dates = self.engine.column("date_sort")
        titles = self.engine.column("title_sort")
        live = self.live_docs.tolist()
        self.id_of = {d: ids[d] for d in live}
        self.docnum_of = {v: k for k, v in self.id_of.items()}
        # Position of each document in the date and title orders (ties broken by id).
        self.date_rank = _ranks(live, lambda d: (dates[d], self.id_of[d]), self.size)
        self.title_rank = _ranks(live, lambda d: (titles[d], self.id_of[d]), self.size)
        if hasattr(engine, "warm"):  # read what the first query needs now, not on it
            engine.warm(DEFAULT_FIELDS)
        self.facets: dict[str, _Facet] = {}
        for name in FACETS:
            values, postings = [], []
            for value, docs in self.engine.postings(name):
                docs = docs[self.live[docs]]
                if len(docs):
                    values.append(value)
                    postings.append(docs)
            self.facets[name] = _Facet(values, postings, self.size)
        self.coverage: Coverage | None = None  # computed once per index state
        self.cases: list[Case] | None = None
        self.snippets: OrderedDict[tuple[str | None, int], list[Snippet]] = OrderedDict()
        self.matches: OrderedDict[str, _Matches] = OrderedDict()
        self.similar: OrderedDict[tuple[str, int], list[Hit]] = OrderedDict()

    def key(self) -> tuple[str, int]:
        return self.generation, id(self.engine)

    def vocabulary(self) -> tuple[dict[str, int], dict[str, list[str]]]:
        """The archive's words with their case counts, and the words by first letter."""
        if self._vocabulary is None:
            words = read_vocabulary(self.path)
            by_initial: dict[str, list[str]] = {}
            for w in words:
                by_initial.setdefault(w[:1], []).append(w)
            self._vocabulary = (dict(words), by_initial)
        return self._vocabulary

    def close(self) -> None:
        self.engine.close()


@dataclass
class _Matches:
    """A text query's matching documents, best first, kept for filter and page changes."""

    docs: np.ndarray  # docnums by relevance
    scores: np.ndarray
    mask: np.ndarray  # bool per docnum
    query: aq.Query | None
    notice: str | None
    text: str  # the query as searched: whitespace collapsed, cut to the limits
    suggestion: str | None = None  # "did you mean", once per query text
    suggested: bool = False


def _ranks(docs: list[int], key, size: int) -> np.ndarray:
    rank = np.zeros(size, dtype=np.int64)
    rank[sorted(docs, key=key)] = np.arange(len(docs))
    return rank


class Archive:
    """The searchable archive: an open index plus the case directory it is built from."""

    MATCH_CACHE = 64  # text queries whose matches are kept for filter and page changes
    SNIPPET_CACHE = 2048  # (query, document) snippets kept for the same reason
    SIMILAR_CACHE = 512  # cases' similar cases: the case page asks on every rerun

    def __init__(
        self,
        cases_dir: Path,
        index_dir: Path,
        taxonomy: Taxonomy | None = None,
        engine: str | None = None,
    ):
        self.cases_dir = Path(cases_dir)
        self.index_dir = Path(index_dir)
        self.taxonomy = taxonomy or load_taxonomy()
        self.engine_name = engines.chosen(engine)  # ARCHIVE_ENGINE, else Whoosh
        self._lock = threading.RLock()
        self._snap: _Snapshot | None = None
        self._term_tokens: dict[tuple[str, str, str], tuple[set[str], set[str]]] = {}
        self.last_report: IndexReport | None = None

    @classmethod
    def open(
        cls,
        cases_dir: Path,
        index_dir: Path,
        update: str = "if-stale",
        progress=None,
        engine: str | None = None,
    ) -> Archive:
        """Open the archive, building the index if it is missing, damaged or outdated.

        ``update``: "if-stale" (cheap stat check, then an incremental update if a file
        changed), "never" (only build when unusable) or "always". ``engine``: the search
        engine (default: ``ARCHIVE_ENGINE``, else Whoosh).
        """
        archive = cls(cases_dir, index_dir, engine=engine)
        archive.ensure(update, progress)
        return archive

    def ensure(self, update: str = "if-stale", progress=None) -> IndexReport | None:
        # Runs on every app rerun: one stat per case file, no index opened here. An index
        # that is damaged or outdated is rebuilt by _snapshot() when it cannot be opened.
        report = None
        stale = update == "always" or (
            update == "if-stale" and is_stale(self.cases_dir, self.index_dir)
        )
        if stale:
            report = update_index(
                self.cases_dir,
                self.index_dir,
                progress=progress,
                taxonomy=self.taxonomy,
                engine=self.engine_name,
            )
            self.last_report = report
        self._snapshot()
        return report

    def _snapshot(self) -> _Snapshot:
        with self._lock:
            gen = current_generation(self.index_dir)
            gen_name = gen.name if gen else ""
            snap = self._snap
            if snap is not None and snap.generation == gen_name and snap.engine.up_to_date():
                return snap
            try:
                ix, _, path = open_current(self.index_dir, self.taxonomy, self.engine_name)
            except IndexUnusable:
                self.last_report = update_index(
                    self.cases_dir, self.index_dir, taxonomy=self.taxonomy, engine=self.engine_name
                )
                ix, _, path = open_current(self.index_dir, self.taxonomy, self.engine_name)
            if snap is not None:
                snap.close()
            self._snap = _Snapshot(ix.snapshot(), path.name, path)
            return self._snap

    def close(self) -> None:
        with self._lock:
            if self._snap:
                self._snap.close()
                self._snap = None

    # -- search ----------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResponse:
        with self._lock:
            snap = self._snapshot()
            found = self._match(snap, request.query)
            groups = self._filter_masks(snap, request)
            total_mask = found.mask
            for m in groups.values():
                total_mask = total_mask & m
            facets = self._facet_counts(snap, found.mask, groups, request)
            order, scores = self._order(snap, found, total_mask, request.sort, found.text)
            per_page, page = max(0, request.per_page), max(1, request.page)
            window = slice((page - 1) * per_page, page * per_page)  # per_page 0: counts only
            visible = [
                (int(d), float(sc)) for d, sc in zip(order[window], scores[window], strict=True)
            ]
            stored = {d: snap.engine.stored(d) for d, _ in visible}
            hits = [_hit_from(stored[d], sc) for d, sc in visible]
            if found.query is not None:
                self._add_snippets(snap, stored, hits, found.query, found.text)
            if not found.suggested:
                found.suggestion, found.suggested = self._suggest(snap, found.text), True
            total = int(np.count_nonzero(total_mask))
            return SearchResponse(
                request, total, hits, facets, found.suggestion, found.notice, found.text
            )

    def all_matches(self, request: SearchRequest) -> list[Hit]:
        """Every hit of the search (all pages), without snippets: for exports."""
        with self._lock:
            snap = self._snapshot()
            found = self._match(snap, request.query)
            mask = found.mask
            for m in self._filter_masks(snap, request).values():
                mask = mask & m
            order, scores = self._order(snap, found, mask, request.sort, found.text)
            return [self._hit(snap, int(d), float(sc)) for d, sc in zip(order, scores, strict=True)]

    def _match(self, snap: _Snapshot, raw: str) -> _Matches:
        """The text query's matches; the text is first cut to the query limits."""
        key = " ".join(raw.split())
        cached = snap.matches.get(key)
        if cached is not None:
            snap.matches.move_to_end(key)
            return cached
        text, notice = bounded(key)
        if not text:
            docs = snap.live_docs
            found = _Matches(docs, np.zeros(len(docs)), snap.live, None, notice, text)
        else:
            try:
                q = parse(rewrite_fields(text, FACETS))
                ranked = self._run(snap, q)
            except Exception as exc:  # any query the parser or the engine refuses
                words = list(dict.fromkeys(plain_words(text)))
                why = (
                    str(exc)
                    if isinstance(exc, QueryTooBroad)
                    else "The query syntax could not be read"
                )
                notice = " ".join(
                    n
                    for n in (
                        notice,
                        f"{why}; searched for the words {' '.join(words) or '(none)'} instead.",
                    )
                    if n
                )
                q, ranked = self._plain_words(snap, words)
            docs, scores = ranked
            mask = np.zeros(snap.size, dtype=bool)
            mask[docs] = True
            mask &= snap.live
            found = _Matches(docs, scores, mask, q, notice, text)
        snap.matches[key] = found
        if len(snap.matches) > self.MATCH_CACHE:
            snap.matches.popitem(last=False)
        return found

    def _plain_words(
        self, snap: _Snapshot, words: list[str]
    ) -> tuple[aq.Query, tuple[np.ndarray, np.ndarray]]:
        """Every word required in some field, with no query syntax at all."""
        clauses = []
        for word in words:
            alternatives = tuple(
                aq.Term(name, token, boost=BOOSTS.get(name, 1.0))
                for name in DEFAULT_FIELDS
                for token in analyze(name, word)
            )
            if alternatives:
                clauses.append(aq.Or(alternatives))
        q = aq.And(tuple(clauses)) if clauses else aq.NOTHING
        return q, self._run(snap, q)

    @staticmethod
    def _run(snap: _Snapshot, q: aq.Query) -> tuple[np.ndarray, np.ndarray]:
        """Every match of the query, best first (ties by document number), with scores.
        Wildcards, prefixes and ranges become the index words they stand for first."""
        q = aq.expand(q, snap.engine.words, (*DEFAULT_FIELDS, *FACETS))
        docs, scores = snap.engine.match(q)
        order = np.lexsort((docs, -scores))
        return docs[order], scores[order]

    def _filter_masks(self, snap: _Snapshot, request: SearchRequest) -> dict[str, np.ndarray]:
        """facet -> mask of documents passing that facet's selection (OR within the facet)."""
        groups: dict[str, np.ndarray] = {}
        for facet, values in request.filters.items():
            values = [v for v in values if v not in (None, "")]
            if facet not in snap.facets or not values:
                continue
            groups[facet] = snap.facets[facet].mask(values, snap.size)
        if request.year_from is not None or request.year_to is not None:
            lo = request.year_from if request.year_from is not None else -10_000
            hi = request.year_to if request.year_to is not None else 10_000
            years = snap.facets["year"]
            inside = [y for y in years.values if y.isdigit() and lo <= int(y) <= hi]
            m = years.mask(inside, snap.size)
            groups["year"] = groups["year"] & m if "year" in groups else m
        return groups

    @staticmethod
    def _facet_counts(
        snap: _Snapshot, matched: np.ndarray, groups: dict[str, np.ndarray], request: SearchRequest
    ) -> FacetCounts:
        """Disjunctive counts: a facet's counts ignore that facet's own selection."""
        bases: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}

        def base_without(facet: str | None) -> tuple[np.ndarray, np.ndarray]:
            if facet not in bases:
                m = matched
                for other, gm in groups.items():
                    if other != facet:
                        m = m & gm
                padded = np.zeros(_words(len(m)) * 64, dtype=bool)
                padded[: len(m)] = m
                bases[facet] = (m, _pack(padded[None, :])[0])
            return bases[facet]

        counts = {
            name: snap.facets[name].counts(*base_without(name if name in groups else None))
            for name in FACETS
        }
        selected = {name: {str(v) for v in request.filters.get(name, ())} for name in FACETS}
        return FacetCounts(snap.facets, counts, selected, request.facet_limit)

    @staticmethod
    def _order(
        snap: _Snapshot, found: _Matches, mask: np.ndarray, sort: str, query: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """Documents passing ``mask`` in the requested order, with their scores."""
        keep = mask[found.docs]
        docs, scores = found.docs[keep], found.scores[keep]
        if sort == "relevance" and query.strip():
            return docs, scores
        rank = snap.title_rank if sort == "title" else snap.date_rank
        order = np.argsort(rank[docs], kind="stable")
        if sort not in ("title", "date-asc"):  # "date", and relevance without a query
            order = order[::-1]
        return docs[order], scores[order]

    # -- hits and snippets -----------------------------------------------------------------

    def _hit(self, snap: _Snapshot, docnum: int, score: float) -> Hit:
        return _hit_from(snap.engine.stored(docnum), score)

    def _add_snippets(
        self,
        snap: _Snapshot,
        stored: dict[int, dict[str, Any]],
        hits: list[Hit],
        q: aq.Query,
        key: str,
    ) -> None:
        """Snippets for the visible hits: kept ones reused (a filter or page change shows
        mostly the same hits), the others found together, one pass per query term."""
        todo: dict[int, Hit] = {}
        for docnum, hit in zip(stored, hits, strict=True):
            kept = snap.snippets.get((key, docnum))
            if kept is not None:
                hit.snippets = kept
            else:
                todo[docnum] = hit
        if not todo:
            return
        for docnum, hit in todo.items():
            plain = stored[docnum]["plain"]
            field_name, terms = self._snippet_terms(vars(hit), q)
            found = spans(field_name, plain, terms)
            if found:
                hit.snippets = [_passage(plain, group) for group in _best_groups(found, 2)]
            else:
                cut = SNIPPET_CHARS
                lead = plain[:cut].rsplit(" ", 1)[0] if len(plain) > cut else plain
                hit.snippets = [Snippet(lead.strip())]
            snap.snippets[(key, docnum)] = hit.snippets
            if len(snap.snippets) > self.SNIPPET_CACHE:
                snap.snippets.popitem(last=False)

    def _snippet_terms(self, summary: Mapping[str, Any], q: aq.Query) -> tuple[str, set[str]]:
        """The narrative field of a hit and the terms to highlight in it."""
        lang = summary["language"]
        field_name = NARRATIVE_FIELD[lang]
        query_terms = _query_terms(q)
        terms = set(query_terms.get(field_name, ()))
        # A query that matched the case through its taxonomy words (kebocoran data ->
        # data-breach) highlights that term's label in the narrative's own language.
        q_en, q_id = query_terms.get("terms_en", set()), query_terms.get("terms_id", set())
        for kind, tid in _case_terms(summary):
            en_tokens, id_tokens = self._tokens_of_term(kind, tid, "words")
            if en_tokens & q_en or id_tokens & q_id:
                label_en, label_id = self._tokens_of_term(kind, tid, "label")
                terms |= label_en if lang == "en" else label_id
        return field_name, terms

    def _tokens_of_term(self, kind: str, tid: str, part: str) -> tuple[set[str], set[str]]:
        """Analysed tokens of a taxonomy term's label ("label") or label and synonyms ("words")."""
        key = (kind, tid, part)
        if key not in self._term_tokens:
            term = self.taxonomy.get(kind, tid)

            def tokens(lang: str) -> set[str]:
                words = term.words(lang) if part == "words" else [term.label[lang]]
                return {t.text for w in words for t in analyzer(lang)(w)}

            self._term_tokens[key] = (tokens("en"), tokens("id"))
        return self._term_tokens[key]

    def _suggest(self, snap: _Snapshot, text: str) -> str | None:
        """'did you mean': replace words found in no field with the closest indexed word."""
        if not text.strip():
            return None
        plain = analyzer("plain")
        words = suggestable_words(text)
        if not words:
            return None
        out = text
        changed = False
        for word in dict.fromkeys(words):  # each distinct word once
            tokens = [t.text for t in plain(word)]
            if not tokens or self._known(snap, word):
                continue
            best = self._closest_word(snap, tokens[0])
            if best:
                out = re.sub(rf"\b{re.escape(word)}\b", best, out)
                changed = True
        return out if changed else None

    def _closest_word(self, snap: _Snapshot, word: str) -> str | None:
        """The word of the archive at the smallest edit distance (1, then 2) that starts
        with the same letter; on a tie, the one more cases use."""
        # Whoosh's ReaderCorrector ranks by frequency only, so "secrit" became "security".
        vocabulary, by_initial = snap.vocabulary()
        candidates = by_initial.get(word[:1], [])
        for maxdist in (1, 2):
            found = process.extract(
                word, candidates, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
            )
            options = [w for w, _, _ in found if w != word and self._known(snap, w)]
            if options:
                return max(options, key=lambda w: (vocabulary[w], w))
        return None

    def _known(self, snap: _Snapshot, word: str) -> bool:
        for fname in DEFAULT_FIELDS:
            for token in analyze(fname, word):
                if snap.engine.doc_frequency(fname, token):
                    return True
        return False

    # -- single cases ----------------------------------------------------------------------

    def get(self, case_id: str) -> CaseView:
        with self._lock:
            snap = self._snapshot()
            docnum = snap.docnum_of.get(case_id)
            if docnum is None:
                guess = difflib.get_close_matches(case_id, list(snap.docnum_of), n=1)
                raise CaseNotFoundError(case_id, guess[0] if guess else None)
            stored = snap.engine.stored(docnum)
            case, entities = case_from_stored(stored)
            return CaseView(case, entities, stored["path"], stored["content_hash"])

    def ids(self) -> list[str]:
        with self._lock:
            return sorted(self._snapshot().docnum_of)

    def similar(self, case_id: str, limit: int = 5) -> list[Hit]:
        """Cases that share crisis types, tactics, sector and names, and read alike."""
        weights = {
            "crisis_types": 3.0,
            "tactics": 1.0,
            "family": 0.5,
            "sector": 1.0,
            "people": 2.0,
            "organizations": 1.5,
            "subject_kind": 0.5,
        }
        with self._lock:
            snap = self._snapshot()
            docnum = snap.docnum_of.get(case_id)
            if docnum is None:
                raise CaseNotFoundError(case_id)
            kept = snap.similar.get((case_id, limit))
            if kept is None:
                kept = self._similar(snap, docnum, limit, weights)
                snap.similar[(case_id, limit)] = kept
                if len(snap.similar) > self.SIMILAR_CACHE:
                    snap.similar.popitem(last=False)
            return [replace(hit, reasons=list(hit.reasons)) for hit in kept]

    def _similar(
        self, snap: _Snapshot, docnum: int, limit: int, weights: Mapping[str, float]
    ) -> list[Hit]:
        scores: dict[int, float] = {}
        reasons: dict[int, list[str]] = {}
        for facet, weight in weights.items():
            info = snap.facets[facet]
            for i in info.values_of(docnum):
                value = info.values[i]
                for d in info.postings[i].tolist():
                    if d == docnum:
                        continue
                    scores[d] = scores.get(d, 0.0) + weight
                    if facet in ("crisis_types", "tactics", "sector", "people", "organizations"):
                        reasons.setdefault(d, []).append(value)
        alike = _more_like(snap, docnum, top=20, terms=15)
        best = max((score for _, score in alike), default=0.0) or 1.0
        for d, score in alike:
            scores[d] = scores.get(d, 0.0) + 3.0 * score / best
        top = sorted(scores.items(), key=lambda ds: (-ds[1], snap.id_of[ds[0]]))[:limit]
        hits = []
        for d, s in top:
            hit = self._hit(snap, d, s)
            hit.reasons = reasons.get(d, [])
            hits.append(hit)
        return hits

    def coverage(self) -> Coverage:
        """Cases per value of every facet over the whole archive, and unused taxonomy ids."""
        with self._lock:
            snap = self._snapshot()
            if snap.coverage is None:
                snap.coverage = self._coverage()
            return snap.coverage

    def all_cases(self) -> list[Case]:
        """Every indexed case, read once per index state (for duplicate checks)."""
        with self._lock:
            snap = self._snapshot()
            if snap.cases is None:
                snap.cases = [
                    case_from_stored(snap.engine.stored(d))[0] for d in snap.live_docs.tolist()
                ]
            return list(snap.cases)

    def _coverage(self) -> Coverage:
        response = self.search(SearchRequest(per_page=0))
        counts = {name: {v.value: v.count for v in vals} for name, vals in response.facets.items()}
        unused = {
            facet: [tid for tid in self.taxonomy.ids(kind) if not counts[facet].get(tid)]
            for facet, kind in TAXONOMY_FACETS.items()
        }
        return Coverage(response.total, counts, unused)


def open_archive(
    cases_dir: str | Path | None = None,
    index_dir: str | Path | None = None,
    update: str = "if-stale",
    progress=None,
) -> Archive:
    """The archive in the folders ``archive.locations.locate`` finds (the one rule the
    command line and the app share), its index brought up to date as ``update`` says."""
    folders = locate(cases_dir, index_dir)
    return Archive.open(folders.cases, folders.index, update=update, progress=progress)


def _hit_from(stored: Mapping[str, Any], score: float) -> Hit:
    return Hit(**json.loads(stored["summary"]), score=round(float(score), 4))


@lru_cache(maxsize=256)
def _query_terms(q: aq.Query) -> dict[str, frozenset[str]]:
    """field -> the query's terms in it (once per query, not once per hit)."""
    by_field: dict[str, set[str]] = {}
    for fname, text in aq.terms(q):
        by_field.setdefault(fname, set()).add(text)
    return {f: frozenset(ts) for f, ts in by_field.items()}


def _more_like(snap: _Snapshot, docnum: int, top: int, terms: int) -> list[tuple[int, float]]:
    """Documents whose narrative reads most like that of ``docnum``, with a score, best
    first: the narrative's ``terms`` key words (Bo1 weights, as Whoosh's more_like) ORed,
    in the narrative field of its language."""
    stored = snap.engine.stored(docnum)
    field_name = NARRATIVE_FIELD[json.loads(stored["summary"])["language"]]
    counts = Counter(analyze(field_name, stored.get("plain") or ""))
    total = max(1, len(snap.live_docs))
    weights = {}
    for word, tf in counts.items():
        df = snap.engine.doc_frequency(field_name, word)
        if df:
            f = df / total
            weights[word] = tf * math.log2((1 + f) / f) + math.log2(1 + f)
    key = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:terms]
    if not key:
        return []
    best = key[0][1]
    q = aq.Or(tuple(aq.Term(field_name, w, boost=wt / best) for w, wt in key))
    docs, scores = snap.engine.match(q)
    order = [i for i in np.lexsort((docs, -scores)).tolist() if docs[i] != docnum][:top]
    return [(int(docs[i]), float(scores[i])) for i in order]


def _case_terms(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs = [("crisis_types", t) for t in summary["crisis_types"]]
    pairs += [("tactics", t) for t in summary["tactics"]]
    pairs.append(("outcomes", summary["outcome"]))
    if summary["sector"]:
        pairs.append(("sectors", summary["sector"]))
    return pairs


SNIPPET_CHARS = 240  # longest passage
SNIPPET_CONTEXT = 70  # characters of context around the matched words


def _best_groups(spans: list[tuple[int, int, str]], top: int) -> list[list[tuple[int, int, str]]]:
    """Matched words grouped into passages; the ``top`` best (most distinct words, then most
    matches, then earliest), best first."""
    groups: list[list[tuple[int, int, str]]] = []
    for span in spans:
        group = groups[-1] if groups else None
        if (
            group
            and span[0] - group[-1][1] <= SNIPPET_CONTEXT
            and span[1] - group[0][0] <= SNIPPET_CHARS - SNIPPET_CONTEXT
        ):
            group.append(span)
        else:
            groups.append([span])

    def score(group: list[tuple[int, int, str]]) -> tuple[int, int, int]:
        return (-len({t for _, _, t in group}), -len(group), group[0][0])

    return sorted(groups, key=score)[:top]


def _passage(text: str, group: list[tuple[int, int, str]]) -> Snippet:
    """A passage around a group of matched words, cut at word boundaries."""
    first, last = group[0][0], group[-1][1]
    room = max(0, SNIPPET_CHARS - (last - first))
    start = max(0, first - min(SNIPPET_CONTEXT, room // 2))
    end = min(len(text), last + min(SNIPPET_CONTEXT, room - (first - start)))
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else first
    if end < len(text):
        space = text.rfind(" ", last, end)
        end = space if space != -1 else last
    prefix, suffix = ("\u2026" if start > 0 else ""), ("\u2026" if end < len(text) else "")
    shift = len(prefix) - start
    return Snippet(
        prefix + text[start:end] + suffix, tuple((s + shift, e + shift) for s, e, _ in group)
    )
