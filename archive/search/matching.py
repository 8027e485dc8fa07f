"""From query text to matches: the text cut to the query limits, parsed, its patterns
expanded into index words, matched by the engine and ranked; a query that cannot be read
or is too broad falls back to its plain words, with a notice. Then the matches in the order
a request asks for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from archive.engine import query as aq
from archive.engine.analysis import analyze
from archive.fields import BOOSTS, FACET_NAMES, TEXT_FIELD_NAMES
from archive.search import relaxed
from archive.search.query_text import QueryTooBroad, bounded, parse, plain_words, rewrite_fields
from archive.search.state import Matches
from archive.strings import message

if TYPE_CHECKING:
    from archive.search.state import State

Ranked = tuple[np.ndarray, np.ndarray]  # documents best first, their scores
Runner = Callable[["State", aq.Query], Ranked]


def run(state: State, q: aq.Query) -> Ranked:
    """Every match of the query, best first (ties by document number), with scores.
    Wildcards, prefixes and ranges become the index words they stand for first."""
    q = aq.expand(q, state.engine.words, (*TEXT_FIELD_NAMES, *FACET_NAMES))
    docs, scores = state.engine.match(q)
    order = np.lexsort((docs, -scores))
    return docs[order], scores[order]


def match_text(state: State, key: str, runner: Runner = run) -> Matches:
    """The matches of a query text (whitespace already collapsed)."""
    text, cut = bounded(key)
    notices = [cut] if cut else []
    if not text:
        docs = state.live_docs
        return Matches(docs, np.zeros(len(docs)), state.live, None, text=text, notices=notices)
    try:
        q = parse(rewrite_fields(text, FACET_NAMES))
        docs, scores = runner(state, q)
    except Exception as exc:  # any query the parser or the engine refuses
        words = list(dict.fromkeys(plain_words(text)))
        broad = isinstance(exc, QueryTooBroad) and exc.key
        why = message(exc.key, **exc.values) if broad else message("notice_syntax")
        said = " ".join(words) or message("notice_no_words")
        notices.append(message("notice_fallback", why=why, words=said))
        q = plain_words_query(words)
        docs, scores = runner(state, q)
    near = relaxed.near_matches(state, q, text, runner, len(docs))
    if near is not None:
        scores = np.concatenate((scores, relaxed.below(scores, near.scores)))
        docs = np.concatenate((docs, near.docs))
    mask = np.zeros(state.size, dtype=bool)
    mask[docs] = True
    mask &= state.live
    found = Matches(docs, scores, mask, q, text=text, notices=notices)
    if near is not None:
        found.missing = near.missing
        found.near = np.zeros(state.size, dtype=bool)
        found.near[near.docs] = True
    return found


def plain_words_query(words: list[str]) -> aq.Query:
    """Every word required in some field, with no query syntax at all."""
    clauses = [c for c in map(word_clause, words) if not isinstance(c, aq.Nothing)]
    return aq.And(tuple(clauses)) if clauses else aq.NOTHING


def word_clause(word: str) -> aq.Query:
    """One word in any text field, each field weighed by its boost (NOTHING for a stop word)."""
    alternatives = tuple(
        aq.Term(name, token, boost=BOOSTS.get(name, 1.0))
        for name in TEXT_FIELD_NAMES
        for token in analyze(name, word)
    )
    return aq.Or(alternatives) if alternatives else aq.NOTHING


def ordered(state: State, found: Matches, mask: np.ndarray, sort: str) -> Ranked:
    """Documents passing ``mask`` in the requested order, with their scores."""
    keep = mask[found.docs]
    docs, scores = found.docs[keep], found.scores[keep]
    if sort == "relevance" and found.text.strip():
        return docs, scores
    rank = state.title_rank if sort == "title" else state.date_rank
    order = np.argsort(rank[docs], kind="stable")
    if sort not in ("title", "date-asc"):  # "date", and relevance without a query
        order = order[::-1]
    return docs[order], scores[order]
