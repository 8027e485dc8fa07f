"""Near matches: a query of several words also finds the cases that hold all its words but
one, ranked below the cases that hold every word, each hit naming the word it lacks.

A query's words are the parts of its top-level AND that match text (a word, a phrase, a
pattern); its filters (``crisis:data-breach``) and exclusions stay required. A query of
``MIN_WORDS`` words or more always keeps its near matches; a query of two words only when no
case holds both (one word out of two is a loose match, worth showing only instead of
nothing).

Example::

    >>> near = near_matches(state, parse("stadium crush tear"), "stadium crush tear", run)
    >>> near.missing[docnum]
    'crush'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from archive.engine import query as aq
from archive.engine.analysis import analyze
from archive.fields import TEXT_FIELD_NAMES
from archive.search.query_text import plain_words

if TYPE_CHECKING:
    from archive.search.state import State

MIN_WORDS = 3  # from this many words on, near matches are always kept
MAX_WORDS = 8  # past this many, none are looked for (each word is a query of its own)
BELOW = 0.9  # the best near match scores this share of the weakest full match

_TEXT = frozenset(TEXT_FIELD_NAMES)


@dataclass(frozen=True)
class Near:
    """The near matches of a query: documents best first, scores, and the missing word."""

    docs: np.ndarray
    scores: np.ndarray
    missing: dict[int, str]


def words_of(q: aq.Query) -> list[int]:
    """The positions of the query's word parts, if it is an AND of at least two of them."""
    if not isinstance(q, aq.And):
        return []
    soft = [i for i, part in enumerate(q.parts) if _is_words(part)]
    return soft if 2 <= len(soft) <= MAX_WORDS else []


def _is_words(part: aq.Query) -> bool:
    if not isinstance(part, aq.Term | aq.Phrase | aq.Or | aq.Pattern):
        return False
    if isinstance(part, aq.Pattern):
        return part.field in _TEXT
    fields = {f for f, _ in aq.terms(part)}
    return bool(fields) and fields <= _TEXT


def near_matches(
    state: State,
    q: aq.Query,
    text: str,
    run: Callable[[State, aq.Query], tuple[np.ndarray, np.ndarray]],
    full: int,
) -> Near | None:
    """The documents matching every word part of ``q`` but one (and every other part), or
    None when the query keeps no near matches (``full``: how many documents match it all)."""
    soft = words_of(q)
    if not soft or (len(soft) < MIN_WORDS and full):
        return None
    assert isinstance(q, aq.And)
    hard = tuple(p for i, p in enumerate(q.parts) if i not in soft)
    held = np.zeros((len(soft), state.size), dtype=bool)
    total = np.zeros(state.size)
    for row, i in enumerate(soft):
        docs, scores = run(state, q.parts[i])
        held[row, docs] = True
        total[docs] += scores
    near = held.sum(axis=0) == len(soft) - 1
    if hard:
        docs, _ = run(state, aq.And(hard))
        allowed = np.zeros(state.size, dtype=bool)
        allowed[docs] = True
        near &= allowed
    near &= state.live
    docs = np.flatnonzero(near)
    if not len(docs):
        return None
    order = np.lexsort((docs, -total[docs]))
    docs = docs[order]
    labels = _labels(text, q, soft)
    lacking = np.argmin(held[:, docs], axis=0)  # the row of the word each one lacks
    missing = {int(d): labels[int(r)] for d, r in zip(docs, lacking, strict=True)}
    return Near(docs, total[docs], missing)


def _labels(text: str, q: aq.And, soft: list[int]) -> list[str]:
    """How to name each word part: the word as typed when the query is plain words (one part
    each), else its index word."""
    typed = [
        w for w in plain_words(text) if analyze("narrative_en", w) or analyze("narrative_id", w)
    ]
    if len(typed) == len(q.parts):
        return [typed[i] for i in soft]
    labels = []
    for i in soft:
        words = [w for _, w in aq.terms(q.parts[i])] or [getattr(q.parts[i], "text", "?")]
        labels.append(words[0])
    return labels


def below(full_scores: np.ndarray, near_scores: np.ndarray) -> np.ndarray:
    """Near matches' scores scaled under the weakest full match (order kept)."""
    if not len(full_scores) or not len(near_scores):
        return near_scores
    top = float(near_scores.max()) or 1.0
    return near_scores / top * float(full_scores.min()) * BELOW
