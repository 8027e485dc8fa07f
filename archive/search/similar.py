"""Similar cases: the cases that share crisis types, tactics, sector and names with a case,
and whose narrative reads alike (its key words, Bo1-weighted as Whoosh's ``more_like``)."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from archive.engine import query as aq
from archive.engine.analysis import analyze
from archive.index import NARRATIVE_FIELD
from archive.search.results import Hit, hit_from

if TYPE_CHECKING:
    from archive.search.state import State

# What a shared value is worth, per facet; the narrative's likeness is worth up to 3.
WEIGHTS: Mapping[str, float] = {
    "crisis_types": 3.0,
    "tactics": 1.0,
    "family": 0.5,
    "sector": 1.0,
    "people": 2.0,
    "organizations": 1.5,
    "subject_kind": 0.5,
}
REASON_FACETS = ("crisis_types", "tactics", "sector", "people", "organizations")
NARRATIVE_WEIGHT = 3.0


def similar_cases(state: State, docnum: int, limit: int) -> list[Hit]:
    """The ``limit`` cases closest to ``docnum``, each with the values it shares (reasons)."""
    scores: dict[int, float] = {}
    reasons: dict[int, list[str]] = {}
    for facet, weight in WEIGHTS.items():
        info = state.facets[facet]
        for i in info.values_of(docnum):
            value = info.values[i]
            for d in info.postings[i].tolist():
                if d == docnum:
                    continue
                scores[d] = scores.get(d, 0.0) + weight
                if facet in REASON_FACETS:
                    reasons.setdefault(d, []).append(value)
    alike = more_like(state, docnum, top=20, terms=15)
    best = max((score for _, score in alike), default=0.0) or 1.0
    for d, score in alike:
        scores[d] = scores.get(d, 0.0) + NARRATIVE_WEIGHT * score / best
    top = sorted(scores.items(), key=lambda ds: (-ds[1], state.id_of[ds[0]]))[:limit]
    hits = []
    for d, s in top:
        hit = hit_from(state.engine.stored(d), s)
        hit.reasons = reasons.get(d, [])
        hits.append(hit)
    return hits


def more_like(state: State, docnum: int, top: int, terms: int) -> list[tuple[int, float]]:
    """Documents whose narrative reads most like that of ``docnum``, with a score, best
    first: the narrative's ``terms`` key words (Bo1 weights) ORed, in the narrative field of
    its language."""
    stored = state.engine.stored(docnum)
    field_name = NARRATIVE_FIELD[json.loads(stored["summary"])["language"]]
    counts = Counter(analyze(field_name, stored.get("plain") or ""))
    total = max(1, len(state.live_docs))
    weights = {}
    for word, tf in counts.items():
        df = state.engine.doc_frequency(field_name, word)
        if df:
            f = df / total
            weights[word] = tf * math.log2((1 + f) / f) + math.log2(1 + f)
    key = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:terms]
    if not key:
        return []
    best = key[0][1]
    q = aq.Or(tuple(aq.Term(field_name, w, boost=wt / best) for w, wt in key))
    docs, scores = state.engine.match(q)
    order = [i for i in np.lexsort((docs, -scores)).tolist() if docs[i] != docnum][:top]
    return [(int(docs[i]), float(scores[i])) for i in order]
