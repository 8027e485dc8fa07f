"""What a search asks and answers: the request, hits with snippets, facet counts (built
lazily from count arrays), the response, and the coverage and single-case views."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from archive.choices import SORTS  # noqa: F401 (re-exported)
from archive.entities import Entity
from archive.strings import Message

if TYPE_CHECKING:
    from archive.model import Case
    from archive.search.facets import FacetIndex


@dataclass(frozen=True)
class SearchRequest:
    """What a search asks: query text, facet filters, a year range, the order and the page
    (1-based)."""

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
    # Search the "did you mean" spelling instead when the query as typed finds nothing or
    # far fewer cases (the response's ``corrected`` then says so).
    correct: bool = False


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
    """One case a search found: its summary fields (taxonomy ids, not labels), its score and
    the snippets of its text that match."""

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
    missing: list[str] = field(default_factory=list)  # a near match: the query words it lacks

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "snippets"}
        d["snippets"] = [
            {"text": s.text, "matches": [list(m) for m in s.matches]} for s in self.snippets
        ]
        return d


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, how many of the results have it, and whether it is selected."""

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
        facets: Mapping[str, FacetIndex],
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
    """What a search answers: the page of hits asked for, the total, facet counts, a "did you
    mean" suggestion and any notice."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: FacetCounts
    suggestion: str | None = None
    notice: str | None = None  # e.g. the query syntax could not be read
    searched: str = ""  # the query as searched: whitespace collapsed, cut to the limits
    corrected: str | None = None  # the corrected query that was run instead of the typed one
    near: int = 0  # of ``total``, the near matches: cases lacking one of the query's words
    notices: tuple[Message, ...] = ()  # ``notice``'s sentences, to say in another language

    def notice_in(self, lang: str) -> str | None:
        """The notice in the reader's language."""
        return " ".join(m.text(lang) for m in self.notices) or self.notice

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
            "near": self.near,
            "suggestion": self.suggestion,
            "corrected": self.corrected,
            "notice": self.notice,
            "searched": self.searched,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {
                name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
                for name, values in self.facets.items()
            },
        }


@dataclass(frozen=True)
class WordScores:
    """Every live case's score for each of some words, and its values of some facets: what
    the precedent finder weighs a situation against."""

    ids: list[str]  # the live cases, one column each
    scores: np.ndarray  # (words, cases): a word's BM25 score in the case, 0 where absent
    facets: dict[str, list[tuple[str, ...]]]  # facet -> each case's values, sorted


@dataclass
class Coverage:
    """How the whole archive covers each facet: cases per value, and taxonomy ids unused."""

    total: int
    counts: dict[str, dict[str, int]]  # facet -> value -> cases
    unused: dict[str, list[str]]  # taxonomy facet -> ids no case uses

    def to_dict(self) -> dict[str, Any]:
        return {"cases": self.total, "facets": self.counts, "unused": self.unused}


@dataclass
class CaseView:
    """One case as the index stores it, with its entities, file path and content hash."""

    case: Case
    entities: list[Entity]
    path: str
    content_hash: str


def hit_from(stored: Mapping[str, Any], score: float, missing: str | None = None) -> Hit:
    """The hit of a stored document (its ``summary`` field), the score rounded to 4 places;
    ``missing``: the query word a near match lacks."""
    hit = Hit(**json.loads(stored["summary"]), score=round(float(score), 4))
    if missing:
        hit.missing = [missing]
    return hit
