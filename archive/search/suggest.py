""" "Did you mean": each word of a query found in no field is replaced by the closest word of
the archive (edit distance 1, then 2, same first letter; on a tie, the one more cases use)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from archive.engine.analysis import analyze, analyzer
from archive.fields import TEXT_FIELD_NAMES
from archive.search.query_text import suggestable_words

if TYPE_CHECKING:
    from archive.search.state import State


def suggest(state: State, text: str) -> str | None:
    """The query with its unknown words replaced, or None when every word is known."""
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
        if not tokens or known(state, word):
            continue
        best = closest_word(state, tokens[0])
        if best:
            out = re.sub(rf"\b{re.escape(word)}\b", best, out)
            changed = True
    return out if changed else None


def closest_word(state: State, word: str) -> str | None:
    """The word of the archive at the smallest edit distance (1, then 2) that starts with the
    same letter; on a tie, the one more cases use."""
    # Whoosh's ReaderCorrector ranks by frequency only, so "secrit" became "security".
    vocabulary, by_initial = state.vocabulary()
    candidates = by_initial.get(word[:1], [])
    for maxdist in (1, 2):
        found = process.extract(
            word, candidates, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
        )
        options = [w for w, _, _ in found if w != word and known(state, w)]
        if options:
            return max(options, key=lambda w: (vocabulary[w], w))
    return None


def known(state: State, word: str) -> bool:
    """Does any text field of the index hold the word (as that field analyses it)?"""
    for fname in TEXT_FIELD_NAMES:
        for token in analyze(fname, word):
            if state.engine.doc_frequency(fname, token):
                return True
    return False
