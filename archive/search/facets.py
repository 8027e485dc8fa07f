"""Facets as numpy arrays: per value, its documents (bitsets for facets with few values,
flat pairs for those with many), the masks of a request's filters, and disjunctive counts
(a facet's counts ignore that facet's own selection, so ticking "apology" does not make
the other tactics' counts drop to zero)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from archive.fields import FACET_NAMES
from archive.search.results import FacetCounts, SearchRequest

if TYPE_CHECKING:
    from archive.search.state import State


class FacetIndex:
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
        if values and len(values) * words(size) * 8 <= self.BITSET_BYTES:
            dense = np.zeros((len(values), words(size) * 64), dtype=bool)
            dense[self.entry_val, self.entry_doc] = True
            self.bits = pack(dense)

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


def words(size: int) -> int:
    """How many 64-bit words hold ``size`` bits (at least one)."""
    return max(1, -(-size // 64))


def pack(dense: np.ndarray) -> np.ndarray:
    """Rows of booleans (a multiple of 64 wide) -> rows of uint64 words."""
    return np.packbits(dense, axis=1, bitorder="little").view(np.uint64)


def filter_masks(state: State, request: SearchRequest) -> dict[str, np.ndarray]:
    """facet -> mask of documents passing that facet's selection (OR within the facet)."""
    groups: dict[str, np.ndarray] = {}
    for facet, values in request.filters.items():
        values = [v for v in values if v not in (None, "")]
        if facet not in state.facets or not values:
            continue
        groups[facet] = state.facets[facet].mask(values, state.size)
    if request.year_from is not None or request.year_to is not None:
        lo = request.year_from if request.year_from is not None else -10_000
        hi = request.year_to if request.year_to is not None else 10_000
        years = state.facets["year"]
        inside = [y for y in years.values if y.isdigit() and lo <= int(y) <= hi]
        m = years.mask(inside, state.size)
        groups["year"] = groups["year"] & m if "year" in groups else m
    return groups


def facet_counts(
    state: State, matched: np.ndarray, groups: dict[str, np.ndarray], request: SearchRequest
) -> FacetCounts:
    """Disjunctive counts: a facet's counts ignore that facet's own selection."""
    bases: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}

    def base_without(facet: str | None) -> tuple[np.ndarray, np.ndarray]:
        if facet not in bases:
            m = matched
            for other, gm in groups.items():
                if other != facet:
                    m = m & gm
            padded = np.zeros(words(len(m)) * 64, dtype=bool)
            padded[: len(m)] = m
            bases[facet] = (m, pack(padded[None, :])[0])
        return bases[facet]

    counts = {
        name: state.facets[name].counts(*base_without(name if name in groups else None))
        for name in FACET_NAMES
    }
    selected = {name: {str(v) for v in request.filters.get(name, ())} for name in FACET_NAMES}
    return FacetCounts(state.facets, counts, selected, request.facet_limit)
