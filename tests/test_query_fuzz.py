"""Hostile queries (issue #7): any string gets results or a clear notice, never an exception,
and the work a query can cause is bounded by the limits in ``archive.search.query_text``.

Hypothesis draws any Unicode, unbalanced quotes and brackets, field names the archive does
not know, wildcards, ranges and operators, up to 10,000 characters. No test here is timed
(machines are noisy); boundedness is checked by what was searched, and the parser's own
work is counted.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.qparser import syntax

from archive.engine import ENGINES
from archive.engine import query as engine_query
from archive.search import Archive, SearchRequest
from archive.search.query_text import (
    DEFAULT_FIELDS,
    MAX_PATTERNS,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    bounded,
    parse,
)

SYNTAX = ['"', "(", ")", "[", "]", "{", "}", "*", "?", "~", "^", ":", "\\", "-", "+", "/",
          " AND ", " OR ", " NOT ", " ANDNOT ", " ANDMAYBE ", " REQUIRE ", "title:",
          "nosuchfield:", "tactic:", "year:", "year:[1990 TO", "TO]", "*a*", "e*", "data",
          "breach", "kebocoran", "\x00", "\u200b", "\u202e", "🙂", "~2", "^9"]  # fmt: skip
pieces = st.one_of(st.sampled_from(SYNTAX), st.text(max_size=12))
QUERIES = st.one_of(
    st.text(max_size=200),
    st.lists(pieces, max_size=40).map("".join),
    # A short pattern repeated to 10,000 characters: the shape that once ran for minutes.
    st.lists(pieces, min_size=1, max_size=5).map(
        lambda p: ("".join(p) * (10_000 // (len("".join(p)) or 1)))[:10_000]
    ),
)
pytestmark = pytest.mark.engines(*ENGINES)  # hostile queries reach both engines

NOTICES = ("The query was too long; searched for its first", "; searched for the words")


@settings(
    max_examples=200,
    deadline=None,  # no timed assertions: machines are noisy
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=QUERIES)
def test_any_query_returns_results_or_a_notice(archive: Archive, text: str):
    response = archive.search(SearchRequest(text, per_page=5))
    assert 0 <= response.total and len(response.hits) <= 5
    assert len(response.searched) <= MAX_QUERY_CHARS
    assert len(response.searched.split()) <= MAX_QUERY_WORDS
    for hit in response.hits:
        for snippet in hit.snippets:
            assert all(0 <= s <= e <= len(snippet.text) for s, e in snippet.matches)
    if response.notice is not None:
        assert any(n in response.notice for n in NOTICES), response.notice
    # The same query again (cached matches) gives the same answer.
    again = archive.search(SearchRequest(text, per_page=5))
    assert (again.total, [h.id for h in again.hits]) == (
        response.total,
        [h.id for h in response.hits],
    )


def test_a_long_query_is_cut_at_a_word_boundary_with_a_notice(archive: Archive):
    text = "data breach " * 2000
    response = archive.search(SearchRequest(text))
    assert response.notice == (
        f"The query was too long; searched for its first {MAX_QUERY_CHARS:,} characters "
        f"and {MAX_QUERY_WORDS} words only."
    )
    assert response.searched == " ".join(["data", "breach"] * (MAX_QUERY_WORDS // 2))
    assert response.total == archive.search(SearchRequest("data breach")).total > 0
    assert bounded("data breach").notice is None


def test_operator_chains_are_parsed_in_linear_work(archive: Archive, monkeypatch):
    """Whoosh's own ANDNOT/ANDMAYBE/REQUIRE groups build each side twice: 2**n word queries
    for a chain of n. The archive's parser must build each word once."""
    calls = []
    original = syntax.WordNode.query

    def counted(self, p):
        calls.append(self.text)
        return original(self, p)

    monkeypatch.setattr(syntax.WordNode, "query", counted)
    for op in ("ANDNOT", "ANDMAYBE", "REQUIRE"):
        calls.clear()
        words = [f"w{i}" for i in range(14)]
        parse(f" {op} ".join(words))
        # One query per word and field searched (8 x 14); Whoosh's groups made 8 x 8,192.
        assert Counter(calls) == {w: len(DEFAULT_FIELDS) for w in words}, op


def test_a_wildcard_standing_for_too_many_words_gets_a_notice(archive: Archive, monkeypatch):
    monkeypatch.setattr(engine_query, "MAX_EXPANSIONS", 3)
    response = archive.search(SearchRequest("c* breach"))
    # One field's words, or all fields' together (the budget is the whole query's), pass 3.
    assert response.notice.startswith(
        ("'c*' stands for", "The query's wildcards and ranges stand for")
    )
    assert response.notice.endswith(
        " more than 3 words of the archive; searched for the words c breach instead."
    )
    assert response.total == archive.search(SearchRequest("breach")).total  # "c": a stop word
    narrow = archive.search(SearchRequest("credi* breach"))
    assert narrow.notice is None and narrow.total > 0


def test_a_wildcard_too_complex_gets_a_notice(archive: Archive):
    response = archive.search(SearchRequest("br*a*c*h*e*s customers"))
    assert response.notice.startswith("'br*a*c*h*e*")  # as the field's analyser left it
    assert response.notice.endswith(
        "is too complex a wildcard (at most 40 characters and 4 of * and ?); "
        "searched for the words br a c h e s customers instead."
    )
    assert archive.search(SearchRequest("br*a*c*h customers")).notice is None


def test_too_many_wildcards_get_a_notice(archive: Archive):
    text = " OR ".join(f"{w}*" for w in ("dat", "bre", "cus", "apo", "rec"))
    response = archive.search(SearchRequest(text))
    assert response.notice.startswith(
        f"The query has more than {MAX_PATTERNS} wildcards or ranges; searched for the words "
        "dat bre cus"
    )
    fewer = archive.search(SearchRequest(text.rsplit(" OR ", 1)[0]))
    assert fewer.notice is None and fewer.total > 0


@pytest.mark.parametrize(
    "text",
    ["*", "?", "title:", "year:[", "year:[2020 TO", '"', "(", ")", "NOT", "AND OR", "\x00",
     "\u200b", "a" * 10_000, "ANDNOT " * 5_000, "(" * 5_000, "[1990 TO " * 1_000,
     "year:[1990 TO 2000] ANDNOT " * 500],
)  # fmt: skip
def test_known_hostile_queries(archive: Archive, text: str):
    response = archive.search(SearchRequest(text))
    assert response.total >= 0
    assert len(response.searched) <= MAX_QUERY_CHARS


def test_hostile_queries_script_reports_both_runs(tmp_path):
    """scripts/hostile_queries.py (in its own process: it lifts the limits for its baseline)."""
    import json
    import subprocess
    import sys

    from .conftest import FIXTURES, ROOT

    out = tmp_path / "hostile.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "hostile_queries.py"), "--cases-dir",
         str(FIXTURES / "good"), "--index-dir", str(tmp_path / "index"), "--n", "12",
         "--timeout", "120", "--json", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())
    assert results["cases"] == 3
    for run in ("with_limits", "without_limits"):
        assert results[run]["queries"] == 12 and results[run]["errors"] == []
        assert len(results[run]["worst"]) == 5
    assert "with_limits" in done.stdout and "without_limits" in done.stdout


def test_notices_are_messages_of_the_catalogue_in_both_languages(archive: Archive):
    """A too broad wildcard's notice, in English as the command line prints it and in
    Indonesian as the app shows it, numbers grouped as each language writes them."""
    from archive.strings import message

    response = archive.search(SearchRequest("br*a*c*h*e*s*x* customers"))
    english, indonesian = response.notice, response.notice_in("id")
    assert english.startswith("'br*a*c*h*e*") and "is too complex a wildcard" in english
    assert indonesian.startswith("'br*a*c*h*e*") and "wildcard yang terlalu rumit" in indonesian
    assert indonesian.endswith("yang dicari kata-katanya saja: br a c h e s x customers.")
    assert message("broad_budget", count=1000).text("id").endswith("lebih dari 1.000 kata arsip")
    assert (
        message("broad_budget", count=1000)
        .text("en")
        .endswith("more than 1,000 words of the archive")
    )
