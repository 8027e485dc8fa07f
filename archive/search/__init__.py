"""One search API for the command line and the app: query, filters, facets, snippets,
suggestions, similar cases. One job per module:

    results      the request and the response (hits, snippets, facet counts)
    query_text   the text people type, cut to the limits; field names rewritten
    matching     text -> matches (parsed, expanded, matched by the engine, ranked, ordered)
    facets       facets as arrays: filter masks and disjunctive counts
    state        one open index state and what is kept per state
    snippets     passages around the matched words
    suggest      "did you mean"
    similar      similar cases
    archive      Archive: the reads, over the current index state
    opening      open_archive: the folders, the index brought up to date, an Archive

Example::

    >>> archive = open_archive(Path("cases"), Path(".archive"))
    >>> response = archive.search(SearchRequest("kebocoran data", filters={"outcome": ["recovered"]}))
    >>> response.total, [h.id for h in response.hits], response.facets["tactics"][0]

Facet counts are disjunctive: the counts of a facet ignore that facet's own selection, so
ticking "apology" does not make the other tactics' counts drop to zero.
"""

from archive.fields import TAXONOMY_FACETS
from archive.search.archive import Archive
from archive.search.opening import open_archive, update_archive
from archive.search.results import (
    SORTS,
    CaseView,
    Coverage,
    FacetCounts,
    FacetValue,
    Hit,
    SearchRequest,
    SearchResponse,
    Snippet,
)

__all__ = [
    "SORTS", "TAXONOMY_FACETS", "Archive", "CaseView", "Coverage", "FacetCounts", "FacetValue",
    "Hit", "SearchRequest", "SearchResponse", "Snippet", "open_archive", "update_archive",
]  # fmt: skip
