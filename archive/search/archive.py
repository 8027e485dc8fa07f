"""``Archive``: the searchable archive, read through one open index state at a time. It
only reads: building and updating the index is ``archive.index``'s, and ``open_archive``
(``archive.search.opening``) brings the index up to date before handing an Archive out."""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from archive import engine as engines
from archive.errors import CaseNotFoundError
from archive.fields import TAXONOMY_FACETS
from archive.index import (
    IndexUnusable,
    case_from_stored,
    current_generation,
    open_current,
)
from archive.search import matching
from archive.search.facets import facet_counts, filter_masks
from archive.search.results import (
    CaseView,
    Coverage,
    Hit,
    SearchRequest,
    SearchResponse,
    WordScores,
    hit_from,
)
from archive.search.similar import similar_cases
from archive.search.snippets import Snippets
from archive.search.state import Matches, State
from archive.search.suggest import suggest
from archive.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:  # searching never builds a Case (pydantic) unless one is read
    from archive.index.cases import IndexReport
    from archive.model import Case


T = TypeVar("T")

CORRECT_BELOW = 2  # a query finding this many cases or fewer may be corrected ...
CORRECT_GAIN = 5  # ... when the corrected spelling finds this many times as many


class Archive:
    """The searchable archive: an open index plus the case directory it is built from."""

    MATCH_CACHE = 64  # text queries whose matches are kept for filter and page changes
    SIMILAR_CACHE = 512  # cases' similar cases: the case page asks on every rerun
    KEPT = 64  # values ``kept`` per index state

    def __init__(
        self,
        cases_dir: Path,
        index_dir: Path,
        taxonomy: Taxonomy | None = None,
        engine: str | None = None,
        rebuild: Callable[[], IndexReport] | None = None,
    ):
        """``rebuild``: what to do when the index cannot be opened (missing, damaged,
        outdated); ``open_archive`` passes a full build. Without it, IndexUnusable."""
        self.cases_dir = Path(cases_dir)
        self.index_dir = Path(index_dir)
        self.taxonomy = taxonomy or load_taxonomy()
        self.engine_name = engines.chosen(engine)  # ARCHIVE_ENGINE, else Whoosh
        self.rebuild = rebuild
        # (monotonic time, cases folder mtime) of the last full freshness check (opening.py)
        self.freshness_checked: tuple[float, int | None] | None = None
        self.last_report: IndexReport | None = None
        self._lock = threading.RLock()
        self._snap: State | None = None
        self._snippets = Snippets(self.taxonomy)

    def _snapshot(self) -> State:
        """The current index state, opened again once the index on disk moved on."""
        with self._lock:
            gen = current_generation(self.index_dir)
            gen_name = gen.name if gen else ""
            snap = self._snap
            if snap is not None and snap.generation == gen_name and snap.engine.up_to_date():
                return snap
            try:
                ix, _, path = open_current(self.index_dir, self.taxonomy, self.engine_name)
            except IndexUnusable:
                if self.rebuild is None:
                    raise
                self.last_report = self.rebuild()
                ix, _, path = open_current(self.index_dir, self.taxonomy, self.engine_name)
            if snap is not None:
                snap.close()
            self._snap = State(ix.snapshot(), path.name, path)
            return self._snap

    def close(self) -> None:
        with self._lock:
            if self._snap:
                self._snap.close()
                self._snap = None

    # -- search ----------------------------------------------------------------------------

    def warm(self) -> None:
        """Do now what the first searches of a process would do: open the index state,
        analyse every taxonomy term's words for snippets, set up the parser and the
        stemmers (a server calls this before its first visitor)."""
        self._snapshot()
        self._snippets.prepare()
        self.search(SearchRequest("krisis kebocoran data apology recall", per_page=10))

    def search(self, request: SearchRequest) -> SearchResponse:
        """One page of hits with facet counts and a "did you mean". With ``request.correct``,
        a query that finds nothing, or at most CORRECT_BELOW cases while its corrected
        spelling finds CORRECT_GAIN times as many, is run corrected; ``corrected`` names it."""
        response = self._search(request)
        full = response.total - response.near  # near matches do not count against a fix
        if not request.correct or not response.suggestion or full > CORRECT_BELOW:
            return response
        fixed = self._search(replace(request, query=response.suggestion, correct=False))
        fixed_full = fixed.total - fixed.near
        if fixed_full > 0 and fixed_full >= CORRECT_GAIN * full:
            return replace(fixed, request=request, suggestion=None, corrected=fixed.searched)
        return response

    def _search(self, request: SearchRequest) -> SearchResponse:
        with self._lock:
            snap = self._snapshot()
            found = self._match(snap, request.query)
            groups = filter_masks(snap, request)
            total_mask = found.mask
            for m in groups.values():
                total_mask = total_mask & m
            facets = facet_counts(snap, found.mask, groups, request)
            order, scores = matching.ordered(snap, found, total_mask, request.sort)
            per_page, page = max(0, request.per_page), max(1, request.page)
            window = slice((page - 1) * per_page, page * per_page)  # per_page 0: counts only
            visible = [
                (int(d), float(sc)) for d, sc in zip(order[window], scores[window], strict=True)
            ]
            stored = {d: snap.engine.stored(d) for d, _ in visible}
            hits = [hit_from(stored[d], sc, found.missing.get(d)) for d, sc in visible]
            if found.query is not None:
                self._snippets.add(snap, stored, hits, found.query, found.text)
            if not found.suggested:
                found.suggestion, found.suggested = suggest(snap, found.text), True
            total = int(np.count_nonzero(total_mask))
            near = 0 if found.near is None else int(np.count_nonzero(total_mask & found.near))
            return SearchResponse(
                request, total, hits, facets, found.suggestion, found.notice, found.text,
                near=near, notices=tuple(found.notices),
            )  # fmt: skip

    def all_matches(self, request: SearchRequest) -> list[Hit]:
        """Every hit of the search (all pages), without snippets: for exports."""
        with self._lock:
            snap = self._snapshot()
            found = self._match(snap, request.query)
            mask = found.mask
            for m in filter_masks(snap, request).values():
                mask = mask & m
            order, scores = matching.ordered(snap, found, mask, request.sort)
            return [
                hit_from(snap.engine.stored(int(d)), float(sc), found.missing.get(int(d)))
                for d, sc in zip(order, scores, strict=True)
            ]

    def _match(self, snap: State, raw: str) -> Matches:
        """The text query's matches, kept per index state for filter and page changes."""
        key = " ".join(raw.split())
        cached = snap.matches.get(key)
        if cached is not None:
            snap.matches.move_to_end(key)
            return cached
        found = matching.match_text(snap, key, self._run)
        snap.matches[key] = found
        if len(snap.matches) > self.MATCH_CACHE:
            snap.matches.popitem(last=False)
        return found

    _run = staticmethod(matching.run)

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
        with self._lock:
            snap = self._snapshot()
            docnum = snap.docnum_of.get(case_id)
            if docnum is None:
                raise CaseNotFoundError(case_id)
            kept = snap.similar.get((case_id, limit))
            if kept is None:
                kept = similar_cases(snap, docnum, limit)
                snap.similar[(case_id, limit)] = kept
                if len(snap.similar) > self.SIMILAR_CACHE:
                    snap.similar.popitem(last=False)
            return [replace(hit, reasons=list(hit.reasons)) for hit in kept]

    def kept(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, computed once per index state and ``key`` (the last KEPT keys are
        kept): for what depends only on the cases and the key, asked again on every rerun of
        a page. The value is shared: callers must not change it."""
        with self._lock:
            snap = self._snapshot()
            if key in snap.kept:
                snap.kept.move_to_end(key)
                return snap.kept[key]
            value = snap.kept[key] = compute()
            if len(snap.kept) > self.KEPT:
                snap.kept.popitem(last=False)
            return value

    def word_scores(self, words: Sequence[str], facets: Sequence[str] = ()) -> WordScores:
        """Each word's score in every live case (BM25 over every text field with the fields'
        boosts; 0 where the case lacks it) and the cases' values of the facets named."""
        with self._lock:
            snap = self._snapshot()
            return self.kept(
                ("word_scores", tuple(words), tuple(facets)),
                lambda: _word_scores(snap, words, facets, self._run),
            )

    def hits(self, ids: Sequence[str]) -> list[Hit]:
        """The summaries of the cases named, in that order (CaseNotFoundError for one not
        in the archive)."""
        with self._lock:
            snap = self._snapshot()
            missing = [i for i in ids if i not in snap.docnum_of]
            if missing:
                raise CaseNotFoundError(missing[0])
            return [hit_from(snap.engine.stored(snap.docnum_of[i]), 0.0) for i in ids]

    def coverage(self) -> Coverage:
        """Cases per value of every facet over the whole archive, and unused taxonomy ids."""
        with self._lock:
            snap = self._snapshot()
            if snap.coverage is None:
                response = self.search(SearchRequest(per_page=0))
                counts = {
                    name: {v.value: v.count for v in values}
                    for name, values in response.facets.items()
                }
                unused = {
                    facet: [tid for tid in self.taxonomy.ids(kind) if not counts[facet].get(tid)]
                    for facet, kind in TAXONOMY_FACETS.items()
                }
                snap.coverage = Coverage(response.total, counts, unused)
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


def _word_scores(
    snap: State, words: Sequence[str], facets: Sequence[str], run: matching.Runner
) -> WordScores:
    live = snap.live_docs
    column = np.full(snap.size, -1, dtype=np.int64)
    column[live] = np.arange(len(live))
    scores = np.zeros((len(words), len(live)))
    for row, word in enumerate(words):
        docs, found = run(snap, matching.word_clause(word))
        keep = snap.live[docs]
        scores[row, column[docs[keep]]] = found[keep]
    if snap.facet_columns is None:  # once per index state: the same for every situation
        snap.facet_columns = {}
        snap.live_ids = [snap.id_of[d] for d in live.tolist()]
    for name in facets:
        if name not in snap.facet_columns:
            per_case: list[list[str]] = [[] for _ in range(len(live))]
            info = snap.facets[name]
            for value, docs in zip(info.values, info.postings, strict=True):
                for c in column[docs].tolist():
                    per_case[c].append(value)
            snap.facet_columns[name] = [tuple(v) for v in per_case]
    values = {name: snap.facet_columns[name] for name in facets}
    return WordScores(snap.live_ids, scores, values)
