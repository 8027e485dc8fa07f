"""Any query string gets results or a clear notice from the search API, never an exception.

Issue #7: hostile queries. Hypothesis draws any Unicode, unbalanced quotes and brackets,
field names the archive does not know, wildcards and operators, up to 10,000 characters.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.search import Archive, SearchRequest

SYNTAX = ['"', "(", ")", "[", "]", "{", "}", "*", "?", "~", "^", ":", "\\", "-", "+", "/",
          " AND ", " OR ", " NOT ", " ANDNOT ", "title:", "nosuchfield:", "tactic:", "year:",
          "year:[1990 TO", "TO]", "data", "breach", "kebocoran", "\x00", "\u200b", "🙂"]  # fmt: skip
pieces = st.one_of(st.sampled_from(SYNTAX), st.text(max_size=12))
queries = st.one_of(
    st.text(max_size=200),
    st.lists(pieces, max_size=40).map("".join),
    st.lists(pieces, min_size=1, max_size=5).map(
        lambda p: "".join(p) * (10_000 // (len("".join(p)) or 1))
    ),
)


@settings(
    max_examples=150,
    deadline=None,  # no timed assertions: machines are noisy
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=queries)
def test_any_query_returns_results_or_a_notice(archive: Archive, text: str):
    response = archive.search(SearchRequest(text[:10_000], per_page=5))
    assert response.total >= 0
    assert len(response.hits) <= 5
    for hit in response.hits:
        for snippet in hit.snippets:
            assert all(0 <= s <= e <= len(snippet.text) for s, e in snippet.matches)
    if response.notice is not None:
        assert "searched for the words" in response.notice
    # The same query again (cached matches) gives the same answer.
    again = archive.search(SearchRequest(text[:10_000], per_page=5))
    assert (again.total, [h.id for h in again.hits]) == (
        response.total,
        [h.id for h in response.hits],
    )
