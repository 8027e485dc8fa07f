"""One state of the index as the search stage holds it: the engine's snapshot, the
per-document arrays derived from it (ids, sort ranks, facet postings), and what is kept per
state for the reruns that follow (text matches, snippets, similar cases, coverage)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from archive import engine as engines
from archive.engine import query as aq
from archive.fields import FACET_NAMES, TEXT_FIELD_NAMES
from archive.index import read_vocabulary
from archive.search.facets import FacetIndex
from archive.search.results import Coverage, Hit, Snippet
from archive.strings import Message

if TYPE_CHECKING:  # searching never builds a Case (pydantic) unless one is read
    from archive.model import Case


class State:
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
        self.date_rank = ranks(live, lambda d: (dates[d], self.id_of[d]), self.size)
        self.title_rank = ranks(live, lambda d: (titles[d], self.id_of[d]), self.size)
        if hasattr(engine, "warm"):  # read what the first query needs now, not on it
            engine.warm(list(TEXT_FIELD_NAMES))
        self.facets: dict[str, FacetIndex] = {}
        for name in FACET_NAMES:
            values, postings = [], []
            for value, docs in self.engine.postings(name):
                docs = docs[self.live[docs]]
                if len(docs):
                    values.append(value)
                    postings.append(docs)
            self.facets[name] = FacetIndex(values, postings, self.size)
        self.coverage: Coverage | None = None  # computed once per index state
        self.cases: list[Case] | None = None
        self.snippets: OrderedDict[tuple[str | None, int], list[Snippet]] = OrderedDict()
        self.matches: OrderedDict[str, Matches] = OrderedDict()
        self.similar: OrderedDict[tuple[str, int], list[Hit]] = OrderedDict()
        self.kept: OrderedDict[Hashable, Any] = OrderedDict()  # Archive.kept
        # Each live case's values of a facet, and the live cases' ids (the finder's columns).
        self.facet_columns: dict[str, list[tuple[str, ...]]] | None = None
        self.live_ids: list[str] = []

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
class Matches:
    """A text query's matching documents, best first, kept for filter and page changes."""

    docs: np.ndarray  # docnums by relevance
    scores: np.ndarray
    mask: np.ndarray  # bool per docnum
    query: aq.Query | None
    text: str  # the query as searched: whitespace collapsed, cut to the limits
    # What the query lost to the limits, or why its plain words were searched instead.
    notices: list[Message] = field(default_factory=list)
    suggestion: str | None = None  # "did you mean", once per query text
    suggested: bool = False
    # Near matches (archive.search.relaxed): docnum -> the query word it lacks. They follow
    # the full matches in ``docs`` and are set in ``mask``, and in ``near`` too.
    missing: dict[int, str] = field(default_factory=dict)
    near: np.ndarray | None = None  # bool per docnum

    @property
    def notice(self) -> str | None:
        """The notices in English (the command line's and the JSON's), or None."""
        return " ".join(m.text("en") for m in self.notices) or None


def ranks(docs: list[int], key, size: int) -> np.ndarray:
    """docnum -> its position among ``docs`` sorted by ``key`` (0 for documents not in them)."""
    rank = np.zeros(size, dtype=np.int64)
    rank[sorted(docs, key=key)] = np.arange(len(docs))
    return rank
