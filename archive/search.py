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
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import highlight, qparser
from whoosh import query as wq
from whoosh.index import Index

from archive.entities import Entity
from archive.errors import CaseNotFoundError
from archive.index import (
    DEFAULT_CASES_DIR,
    DEFAULT_INDEX_DIR,
    FACETS,
    NARRATIVE_FIELD,
    IndexReport,
    IndexUnusable,
    case_from_stored,
    current_generation,
    english_analyzer,
    indonesian_analyzer,
    is_stale,
    open_current,
    plain_analyzer,
    update_index,
)
from archive.model import Case
from archive.taxonomy import Taxonomy, load_taxonomy

SORTS = ("relevance", "date", "date-asc", "title")
# Facets whose values are taxonomy ids -> their section in taxonomy.yaml.
TAXONOMY_FACETS = {
    "crisis_types": "crisis_types",
    "tactics": "tactics",
    "outcome": "outcomes",
    "sector": "sectors",
    "family": "families",
}
DEFAULT_FIELDS = [
    "title_en",
    "title_id",
    "subject",
    "narrative_en",
    "narrative_id",
    "terms_en",
    "terms_id",
    "entities_text",
]
# Names people type before a colon -> the fields they mean.
FIELD_ALIASES: dict[str, list[str]] = {
    "title": ["title_en", "title_id"],
    "subject": ["subject"],
    "text": ["narrative_en", "narrative_id"],
    "narrative": ["narrative_en", "narrative_id"],
    "entity": ["entities_text"],
    "person": ["entities_text"],
    "org": ["entities_text"],
    "organization": ["entities_text"],
    "place": ["entities_text"],
    "crisis": ["crisis_types"],
    "crisis_type": ["crisis_types"],
    "crisis_types": ["crisis_types"],
    "type": ["crisis_types"],
    "tactic": ["tactics"],
    "tactics": ["tactics"],
    "family": ["family"],
    "outcome": ["outcome"],
    "sector": ["sector"],
    "country": ["countries"],
    "countries": ["countries"],
    "kind": ["subject_kind"],
    "subject_kind": ["subject_kind"],
    "language": ["language"],
    "lang": ["language"],
    "year": ["year"],
    "status": ["status"],
}
_FIELD_RE = re.compile(r'(?<![\w"])([A-Za-z_]+):("[^"]*"|\[[^\]]*\]|[^\s()"]+)')
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


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


@dataclass
class SearchResponse:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    notice: str | None = None  # e.g. the query syntax could not be read

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


class _Snapshot:
    """One searcher and the per-document arrays derived from it, for one index state."""

    def __init__(self, ix: Index, generation: str):
        self.ix = ix
        self.generation = generation
        self.searcher = ix.searcher()
        reader = self.searcher.reader()
        self.live_docs = list(reader.all_doc_ids())
        self.live = _mask(self.live_docs)
        ids = reader.column_reader("id")
        dates = reader.column_reader("date_sort")
        titles = reader.column_reader("title_sort")
        self.id_of = {d: ids[d] for d in self.live_docs}
        self.docnum_of = {v: k for k, v in self.id_of.items()}
        self.date_of = {d: dates[d] for d in self.live_docs}
        self.title_of = {d: titles[d] for d in self.live_docs}
        self.facet_masks: dict[str, dict[str, int]] = {}
        for name in FACETS:
            values: dict[str, int] = {}
            for term in reader.lexicon(name):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                docs = reader.postings(name, term).all_ids()
                values[value] = _mask(docs) & self.live
            self.facet_masks[name] = {v: m for v, m in values.items() if m}
        self.coverage: Coverage | None = None  # computed once per index state
        self.cases: list[Case] | None = None
        self.snippets: OrderedDict[tuple[str | None, int], list[Snippet]] = OrderedDict()
        self.matches: OrderedDict[str, tuple[list[int], int, wq.Query | None, str | None]] = (
            OrderedDict()
        )

    def key(self) -> tuple[str, int]:
        return self.generation, id(self.searcher)

    def close(self) -> None:
        self.searcher.close()


def _mask(docnums) -> int:
    m = 0
    for d in docnums:
        m |= 1 << d
    return m


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


class Archive:
    """The searchable archive: an open index plus the case directory it is built from."""

    MATCH_CACHE = 64  # text queries whose matches are kept for filter and page changes
    SNIPPET_CACHE = 2048  # (query, document) snippets kept for the same reason

    def __init__(self, cases_dir: Path, index_dir: Path, taxonomy: Taxonomy | None = None):
        self.cases_dir = Path(cases_dir)
        self.index_dir = Path(index_dir)
        self.taxonomy = taxonomy or load_taxonomy()
        self._lock = threading.RLock()
        self._snap: _Snapshot | None = None
        self._term_tokens: dict[tuple[str, str, str], tuple[set[str], set[str]]] = {}
        self.last_report: IndexReport | None = None
        self._analyzers = {"en": english_analyzer(), "id": indonesian_analyzer()}

    @classmethod
    def open(
        cls,
        cases_dir: Path = DEFAULT_CASES_DIR,
        index_dir: Path = DEFAULT_INDEX_DIR,
        update: str = "if-stale",
        progress=None,
    ) -> Archive:
        """Open the archive, building the index if it is missing, damaged or outdated.

        ``update``: "if-stale" (cheap stat check, then an incremental update if a file
        changed), "never" (only build when unusable) or "always".
        """
        archive = cls(cases_dir, index_dir)
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
                self.cases_dir, self.index_dir, progress=progress, taxonomy=self.taxonomy
            )
            self.last_report = report
        self._snapshot()
        return report

    def _snapshot(self) -> _Snapshot:
        with self._lock:
            gen = current_generation(self.index_dir)
            gen_name = gen.name if gen else ""
            snap = self._snap
            if snap is not None and snap.generation == gen_name and snap.searcher.up_to_date():
                return snap
            try:
                ix, _, _ = open_current(self.index_dir, self.taxonomy)
            except IndexUnusable:
                self.last_report = update_index(
                    self.cases_dir, self.index_dir, taxonomy=self.taxonomy
                )
                ix, _, _ = open_current(self.index_dir, self.taxonomy)
                gen = current_generation(self.index_dir)
                gen_name = gen.name if gen else ""
            if snap is not None:
                snap.close()
            self._snap = _Snapshot(ix, gen_name)
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
            ranked, matched, q, notice = self._match(snap, request.query)
            groups = self._filter_masks(snap, request)
            total_mask = matched
            for m in groups.values():
                total_mask &= m
            facets = self._facet_counts(snap, matched, groups, request)
            order = self._order(snap, ranked, total_mask, request.sort, bool(request.query.strip()))
            per_page, page = max(0, request.per_page), max(1, request.page)
            visible = order[(page - 1) * per_page : page * per_page]  # per_page 0: counts only
            key = " ".join(request.query.split())
            hits = [self._hit(snap, d, s, q, key) for d, s in visible]
            suggestion = self._suggest(snap, request.query)
            return SearchResponse(request, total_mask.bit_count(), hits, facets, suggestion, notice)

    def all_matches(self, request: SearchRequest) -> list[Hit]:
        """Every hit of the search (all pages), without snippets: for exports."""
        with self._lock:
            snap = self._snapshot()
            ranked, matched, q, _ = self._match(snap, request.query)
            mask = matched
            for m in self._filter_masks(snap, request).values():
                mask &= m
            order = self._order(snap, ranked, mask, request.sort, bool(request.query.strip()))
            return [self._hit(snap, d, s, None) for d, s in order]

    def _parser(self, snap: _Snapshot) -> qparser.QueryParser:
        boosts = {"title_en": 3.0, "title_id": 3.0, "subject": 3.0, "entities_text": 2.0}
        return qparser.MultifieldParser(
            DEFAULT_FIELDS, snap.ix.schema, fieldboosts=boosts, group=qparser.AndGroup
        )

    def _match(
        self, snap: _Snapshot, text: str
    ) -> tuple[list[tuple[int, float]], int, wq.Query | None, str | None]:
        text = " ".join(text.split())
        cached = snap.matches.get(text)
        if cached is not None:
            snap.matches.move_to_end(text)
            ranked, mask, q, notice = cached
            return ranked, mask, q, notice
        notice = None
        if not text:
            ranked, mask, q = [(d, 0.0) for d in snap.live_docs], snap.live, None
        else:
            try:
                q = self._parser(snap).parse(_rewrite_fields(text))
                ranked = self._run(snap, q)
            except Exception:
                words = [w for w in _WORD_RE.findall(text) if w.upper() not in _OPERATORS]
                notice = (
                    "The query syntax could not be read; searched for the words "
                    f"{' '.join(words) or '(none)'} instead."
                )
                q, ranked = self._plain_words(snap, words)
            mask = _mask(d for d, _ in ranked) & snap.live
        snap.matches[text] = (ranked, mask, q, notice)
        if len(snap.matches) > self.MATCH_CACHE:
            snap.matches.popitem(last=False)
        return ranked, mask, q, notice

    def _plain_words(
        self, snap: _Snapshot, words: list[str]
    ) -> tuple[wq.Query, list[tuple[int, float]]]:
        """Every word required in some field, with no query syntax at all."""
        if not words:
            return wq.NullQuery, []
        schema = snap.ix.schema
        clauses = []
        for word in words:
            alternatives = [
                wq.Term(name, token.text)
                for name in DEFAULT_FIELDS
                for token in schema[name].analyzer(word)
            ]
            if alternatives:
                clauses.append(wq.Or(alternatives))
        q = wq.And(clauses) if clauses else wq.NullQuery
        return q, (self._run(snap, q) if clauses else [])

    @staticmethod
    def _run(snap: _Snapshot, q: wq.Query) -> list[tuple[int, float]]:
        results = snap.searcher.search(q, limit=None)
        return list(results.items())

    def _filter_masks(self, snap: _Snapshot, request: SearchRequest) -> dict[str, int]:
        """facet -> mask of documents passing that facet's selection (OR within the facet)."""
        groups: dict[str, int] = {}
        for facet, values in request.filters.items():
            values = [v for v in values if v not in (None, "")]
            if facet not in snap.facet_masks or not values:
                continue
            masks = snap.facet_masks[facet]
            m = 0
            for v in values:
                m |= masks.get(str(v), 0)
            groups[facet] = m
        if request.year_from is not None or request.year_to is not None:
            lo = request.year_from if request.year_from is not None else -10_000
            hi = request.year_to if request.year_to is not None else 10_000
            m = 0
            for year, ym in snap.facet_masks["year"].items():
                if year.isdigit() and lo <= int(year) <= hi:
                    m |= ym
            groups["year"] = groups.get("year", m) & m
        return groups

    def _facet_counts(
        self, snap: _Snapshot, matched: int, groups: dict[str, int], request: SearchRequest
    ) -> dict[str, list[FacetValue]]:
        facets: dict[str, list[FacetValue]] = {}
        for name in FACETS:
            base = matched
            for other, m in groups.items():
                if other != name:
                    base &= m
            selected = {str(v) for v in request.filters.get(name, ())}
            values = []
            for value, vm in snap.facet_masks[name].items():
                count = (base & vm).bit_count()
                if count or value in selected:
                    values.append(FacetValue(value, count, value in selected))
            for value in selected - {v.value for v in values}:
                values.append(FacetValue(value, 0, True))
            values.sort(key=lambda v: (-v.count, v.value))
            facets[name] = values
        return facets

    @staticmethod
    def _order(
        snap: _Snapshot, ranked: list[tuple[int, float]], mask: int, sort: str, has_query: bool
    ) -> list[tuple[int, float]]:
        kept = [(d, s) for d, s in ranked if mask >> d & 1]
        if sort == "relevance" and has_query:
            return kept
        if sort == "title":
            return sorted(kept, key=lambda ds: (snap.title_of[ds[0]], snap.id_of[ds[0]]))
        if sort == "date-asc":
            return sorted(kept, key=lambda ds: (snap.date_of[ds[0]], snap.id_of[ds[0]]))
        # "date", and relevance without a query: newest first
        return sorted(kept, key=lambda ds: (snap.date_of[ds[0]], snap.id_of[ds[0]]), reverse=True)

    # -- hits and snippets -----------------------------------------------------------------

    def _hit(
        self,
        snap: _Snapshot,
        docnum: int,
        score: float,
        q: wq.Query | None,
        query_key: str | None = None,
    ) -> Hit:
        stored = snap.searcher.stored_fields(docnum)
        case, _ = case_from_stored(stored)
        snippets: list[Snippet] = []
        if q is not None:
            # Snippets are most of a search's cost; a filter or page change reuses them.
            cache_key = (query_key, docnum)
            snippets = snap.snippets.get(cache_key) if query_key is not None else None
            if snippets is None:
                snippets = self._snippets(case, q)
                if query_key is not None:
                    snap.snippets[cache_key] = snippets
                    if len(snap.snippets) > self.SNIPPET_CACHE:
                        snap.snippets.popitem(last=False)
        return Hit(
            id=case.id,
            title=case.title,
            subject=case.subject,
            subject_kind=case.subject_kind,
            year=case.year,
            crisis_date=case.crisis_date,
            outcome=case.outcome,
            crisis_types=list(case.crisis_types),
            tactics=list(case.tactics),
            sector=case.sector,
            countries=list(case.countries),
            language=case.language,
            status=case.status,
            score=round(float(score), 4),
            snippets=snippets,
        )

    def _snippets(self, case: Case, q: wq.Query, top: int = 2) -> list[Snippet]:
        lang = case.language
        field_name = NARRATIVE_FIELD[lang]
        query_terms: dict[str, set[str]] = {}
        for fname, text in q.iter_all_terms():
            t = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            query_terms.setdefault(fname, set()).add(t)
        terms = set(query_terms.get(field_name, ()))
        # A query that matched the case through its taxonomy words (kebocoran data ->
        # data-breach) highlights that term's label in the narrative's own language.
        q_en, q_id = query_terms.get("terms_en", set()), query_terms.get("terms_id", set())
        for kind, tid in _case_terms(case):
            en_tokens, id_tokens = self._tokens_of_term(kind, tid, "words")
            if en_tokens & q_en or id_tokens & q_id:
                label_en, label_id = self._tokens_of_term(kind, tid, "label")
                terms |= label_en if lang == "en" else label_id
        plain = markdown_to_plain(case.body)
        if terms:
            fragments = highlight.highlight(
                plain,
                frozenset(terms),
                self._analyzers[lang],
                highlight.ContextFragmenter(maxchars=240, surround=70),
                _OffsetsFormatter(),
                top=top,
                scorer=_fragment_score,
                order=highlight.SCORE,  # the best fragment first
            )
            if fragments:
                return fragments
        lead = plain[:240].rsplit(" ", 1)[0] if len(plain) > 240 else plain
        return [Snippet(lead.strip())]

    def _tokens_of_term(self, kind: str, tid: str, part: str) -> tuple[set[str], set[str]]:
        """Analysed tokens of a taxonomy term's label ("label") or label and synonyms ("words")."""
        key = (kind, tid, part)
        if key not in self._term_tokens:
            term = self.taxonomy.get(kind, tid)

            def tokens(lang: str) -> set[str]:
                words = term.words(lang) if part == "words" else [term.label[lang]]
                return {t.text for w in words for t in self._analyzers[lang](w)}

            self._term_tokens[key] = (tokens("en"), tokens("id"))
        return self._term_tokens[key]

    def _suggest(self, snap: _Snapshot, text: str) -> str | None:
        """'did you mean': replace words found in no field with the closest indexed word."""
        if not text.strip():
            return None
        reader = snap.searcher.reader()
        plain = plain_analyzer()
        words = _suggestable_words(text)
        if not words:
            return None
        out = text
        changed = False
        for word in words:
            tokens = [t.text for t in plain(word)]
            if not tokens or self._known(reader, snap, word):
                continue
            best = _closest_word(reader, tokens[0])
            if best:
                out = re.sub(rf"\b{re.escape(word)}\b", best, out, count=1)
                changed = True
        return out if changed else None

    def _known(self, reader, snap: _Snapshot, word: str) -> bool:
        schema = snap.ix.schema
        for fname in DEFAULT_FIELDS:
            for token in schema[fname].analyzer(word):
                if reader.doc_frequency(fname, token.text):
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
            stored = snap.searcher.stored_fields(docnum)
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
            scores: dict[int, float] = {}
            reasons: dict[int, list[str]] = {}
            for facet, weight in weights.items():
                for value, vm in snap.facet_masks[facet].items():
                    if not vm >> docnum & 1:
                        continue
                    for d in _bits(vm & ~(1 << docnum)):
                        scores[d] = scores.get(d, 0.0) + weight
                        if facet in (
                            "crisis_types",
                            "tactics",
                            "sector",
                            "people",
                            "organizations",
                        ):
                            reasons.setdefault(d, []).append(value)
            view = self.get(case_id)
            field_name = NARRATIVE_FIELD[view.case.language]
            try:
                alike = snap.searcher.more_like(docnum, field_name, top=20, numterms=15)
                best = max((h.score for h in alike), default=0.0) or 1.0
                for h in alike:
                    scores[h.docnum] = scores.get(h.docnum, 0.0) + 3.0 * h.score / best
            except Exception:  # a narrative too short to yield key terms
                pass
            top = sorted(scores.items(), key=lambda ds: (-ds[1], snap.id_of[ds[0]]))[:limit]
            hits = []
            for d, s in top:
                hit = self._hit(snap, d, s, None)
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
                    case_from_stored(snap.searcher.stored_fields(d))[0] for d in snap.live_docs
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


def _closest_word(reader, word: str) -> str | None:
    """The most frequent indexed word at the smallest edit distance (1, then 2)."""
    # Whoosh's ReaderCorrector ranks by frequency only, so "secrit" became "security".
    for maxdist in (1, 2):
        options = [w for w in reader.terms_within("spell", word, maxdist, prefix=1) if w != word]
        if options:
            return max(options, key=lambda w: (reader.frequency("spell", w), w))
    return None


def _case_terms(case: Case) -> list[tuple[str, str]]:
    pairs = [("crisis_types", t) for t in case.crisis_types]
    pairs += [("tactics", t) for t in case.tactics]
    pairs.append(("outcomes", case.outcome))
    if case.sector:
        pairs.append(("sectors", case.sector))
    return pairs


def _rewrite_fields(text: str) -> str:
    """'title:breach' -> '(title_en:breach OR title_id:breach)'; facet values normalised."""

    def repl(m: re.Match) -> str:
        name, value = m.group(1).lower(), m.group(2)
        fields = FIELD_ALIASES.get(name)
        if fields is None:
            return m.group(0)
        if fields == ["countries"]:
            value = value.upper()
        elif fields[0] in FACETS and fields[0] not in ("people", "organizations", "places"):
            value = value.lower()
        if len(fields) == 1:
            return f"{fields[0]}:{value}"
        return "(" + " OR ".join(f"{f}:{value}" for f in fields) + ")"

    return _FIELD_RE.sub(repl, text)


def _suggestable_words(text: str) -> list[str]:
    """Plain words of a query: no operators, no field:value, no phrases."""
    stripped = re.sub(r'"[^"]*"', " ", _FIELD_RE.sub(" ", text))
    return [
        w
        for w in _WORD_RE.findall(stripped)
        if w not in _OPERATORS and not w.isdigit() and len(w) > 2
    ]


def markdown_to_plain(body: str) -> str:
    """Markdown narrative -> plain text for snippets (headings, emphasis and link syntax removed)."""
    text = re.sub(r"^#{1,6}\s*", "", body, flags=re.M)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"^\s*[-*+>]\s+", "", text, flags=re.M)
    return re.sub(r"\s+", " ", text).strip()


def _fragment_score(fragment) -> float:
    """Whoosh's score (matches x distinct terms); on a tie the earlier passage wins."""
    score = sum(t.boost for t in fragment.matches) * (len(fragment.matched_terms) * 100 or 1)
    return score - fragment.startchar * 1e-6


class _OffsetsFormatter(highlight.Formatter):
    """Whoosh formatter that returns Snippet objects instead of marked-up strings."""

    def format(self, fragments, replace=False):  # noqa: ARG002 - Whoosh's signature
        out = []
        for fragment in fragments:
            start, end, text = fragment.startchar, fragment.endchar, fragment.text
            matches = []
            pos = start
            for t in sorted(
                fragment.matches, key=lambda t: (t.startchar, -(t.endchar - t.startchar))
            ):
                if t.startchar is None or t.startchar < pos:
                    continue
                matches.append((t.startchar - start, t.endchar - start))
                pos = t.endchar
            snippet_text = text[start:end]
            # Trim to word boundaries at the fragment's edges.
            lead = 0 if start == 0 else len(snippet_text) - len(snippet_text.lstrip())
            out.append(
                Snippet(
                    ("\u2026" if start > 0 else "")
                    + snippet_text.strip()
                    + ("\u2026" if end < len(text) else ""),
                    tuple(
                        (s - lead + (1 if start > 0 else 0), e - lead + (1 if start > 0 else 0))
                        for s, e in matches
                    ),
                )
            )
        return out

    def __call__(self, text, fragments):
        return self.format(fragments)
