"""The search API on the real cases: relevance, facets, snippets, suggestions, similar cases."""

from __future__ import annotations

import dataclasses
import itertools
import shutil

import pytest
from whoosh import query as wq

from archive.engine import ENGINES
from archive.engine.parse import _parser
from archive.errors import CaseNotFoundError
from archive.index import FACETS, facet_values, markdown_to_plain
from archive.loader import load_cases
from archive.search import Archive, SearchRequest, open_archive, update_archive
from archive.search.query_text import parse, rewrite_fields
from archive.taxonomy import load_taxonomy

from .conftest import CASES, FIXTURES, SOURCE_CASES

pytestmark = pytest.mark.engines(*ENGINES)  # the search and index tests run on both

TARGET = "target-2013-card-data-breach"
SNAPCHAT = "snapchat-2013-username-phone-leak"
DOWNEY = "robert-downey-jr-addiction-comeback"
LUX = "lux-accc-2012-unfair-sales"


def ids(archive: Archive, query: str, **kw) -> list[str]:
    return [h.id for h in archive.search(SearchRequest(query, per_page=50, **kw)).hits]


def test_indonesian_query_finds_the_english_data_breach_cases(archive: Archive):
    found = ids(archive, "kebocoran data")
    assert {TARGET, SNAPCHAT} <= set(found)
    assert DOWNEY not in found and LUX not in found


def test_english_query_finds_the_indonesian_case(archive: Archive):
    assert "bank-sentosa-2021-kebocoran" in ids(archive, "data breach")


def test_indonesian_stemming(archive: Archive):
    # the narrative says "dijual" (was sold); "menjual" (to sell) shares the stem "jual"
    assert ids(archive, "menjual forum") == ["bank-sentosa-2021-kebocoran"]


def test_secret_service_puts_target_first(archive: Archive):
    assert ids(archive, "Secret Service")[0] == TARGET


def test_alias_and_entity_name_find_their_case(archive: Archive):
    assert ids(archive, "ACCC")[0] == LUX  # alias of a curated organisation
    assert LUX in ids(archive, '"Australian Competition and Consumer Commission"')
    assert ids(archive, "NordOil") == ["nordic-1982-oil-spill"]  # alias only, not in the text
    assert ids(archive, "Steinhafel")[0] == TARGET


def test_and_by_default_or_not_phrases_and_fields(archive: Archive):
    assert set(ids(archive, "Target Snapchat")) <= {TARGET, SNAPCHAT}
    either = set(ids(archive, "Steinhafel OR Gibson"))
    assert {TARGET, SNAPCHAT} <= either
    assert SNAPCHAT not in ids(archive, "data NOT Gibson")
    assert set(ids(archive, "outcome:not-recovered")) == {"nordic-1982-oil-spill", LUX}
    assert ids(archive, "country:no") == ["nordic-1982-oil-spill"]
    assert set(ids(archive, "tactic:rehabilitation")) == {DOWNEY}
    assert ids(archive, 'title:"exploding kettles"') == ["acme-2019-product-recall"]
    assert ids(archive, '"kettles exploding"') == []  # a phrase keeps its word order


@pytest.mark.parametrize(
    "query", ['title:"unclosed', "AND OR NOT", "((((", "tactic:", "*", "year:[2010 TO"]
)
def test_unreadable_queries_never_raise(archive: Archive, query: str):
    response = archive.search(SearchRequest(query))
    assert response.total >= 0


def test_syntax_fallback_says_so(archive: Archive, monkeypatch):
    from whoosh import qparser

    real_parse = qparser.QueryParser.parse
    calls = {"n": 0}

    def failing_once(self, text, *a, **k):
        calls["n"] += 1
        if calls["n"] == 1:
            raise qparser.QueryParserError("cannot read")
        return real_parse(self, text, *a, **k)

    monkeypatch.setattr(qparser.QueryParser, "parse", failing_once)
    response = archive.search(SearchRequest("Gibson AND (security"))
    assert response.notice == (
        "The query syntax could not be read; searched for the words Gibson security instead."
    )
    assert SNAPCHAT in [h.id for h in response.hits]


def test_filters_or_within_and_across_facets(archive: Archive):
    both = ids(archive, "", filters={"outcome": ["not-recovered", "ongoing"]})
    assert set(both) == {"nordic-1982-oil-spill", LUX, "bank-sentosa-2021-kebocoran"}
    narrowed = ids(
        archive, "", filters={"outcome": ["not-recovered", "ongoing"], "countries": ["AU"]}
    )
    assert narrowed == [LUX]
    assert set(ids(archive, "", year_from=2013, year_to=2013)) == {SNAPCHAT, TARGET}
    assert ids(archive, "", year_to=1990) == ["nordic-1982-oil-spill"]


def _brute_force(request: SearchRequest, matching_ids: set[str]) -> dict[str, dict[str, int]]:
    """Count facet values over loaded case files, ignoring each facet's own selection."""
    tax = load_taxonomy()
    loaded = load_cases([*SOURCE_CASES, FIXTURES / "good"]).cases
    counts: dict[str, dict[str, int]] = {}
    rows = []
    for lc in loaded:
        if lc.case.id not in matching_ids:
            continue
        values = facet_values(lc.case, [], tax)
        rows.append(values)
    for facet in (
        "crisis_types",
        "tactics",
        "family",
        "outcome",
        "sector",
        "countries",
        "year",
        "language",
    ):
        counts[facet] = {}
        for values in rows:
            ok = all(
                set(values[other]) & set(sel)
                for other, sel in request.filters.items()
                if other != facet and sel
            )
            if ok:
                for v in values[facet]:
                    counts[facet][v] = counts[facet].get(v, 0) + 1
    return counts


@pytest.mark.parametrize(
    "query,filters",
    [
        ("", {}),
        ("data", {}),
        ("", {"outcome": ["recovered"]}),
        ("", {"tactics": ["apology", "recall"], "outcome": ["recovered", "partially-recovered"]}),
        ("kebocoran data", {"crisis_types": ["data-breach"], "countries": ["US"]}),
    ],
)
def test_facet_counts_match_a_brute_force_count(archive: Archive, query: str, filters: dict):
    request = SearchRequest(query, filters=filters, per_page=100)
    response = archive.search(request)
    matching = {h.id for h in archive.all_matches(SearchRequest(query))}
    expected = _brute_force(request, matching)
    for facet, values in expected.items():
        got = {v.value: v.count for v in response.facets[facet] if v.count}
        assert got == values, facet
    # and the total is the intersection of every facet's selection
    assert response.total == len(archive.all_matches(request))


def test_disjunctive_counts_keep_other_values_of_a_selected_facet(archive: Archive):
    response = archive.search(SearchRequest("", filters={"outcome": ["recovered"]}))
    outcome_counts = {v.value: v.count for v in response.facets["outcome"]}
    assert outcome_counts["not-recovered"] == 2  # still shown although not selected
    assert [v.selected for v in response.facets["outcome"] if v.value == "recovered"] == [True]


def test_snippets_are_plain_text_with_offsets(archive: Archive):
    response = archive.search(SearchRequest("Secret Service"))
    snippet = response.hits[0].snippets[0]
    marked = [snippet.text[s:e] for s, e in snippet.matches]
    assert marked and {m.lower() for m in marked} <= {"secret", "service"}
    assert "<" not in snippet.text and "##" not in snippet.text


def test_cross_language_match_highlights_the_label_in_the_narrative(archive: Archive):
    hit = next(h for h in archive.search(SearchRequest("kebocoran data")).hits if h.id == TARGET)
    words = {hit_snip.text[s:e].lower() for hit_snip in hit.snippets for s, e in hit_snip.matches}
    assert words & {"data", "breach"}


def test_sort_and_pages(archive: Archive):
    by_date = ids(archive, "", sort="date")
    years = [archive.get(i).case.crisis_day for i in by_date]
    assert years == sorted(years, reverse=True)
    by_title = [
        h.title.casefold()
        for h in archive.search(SearchRequest("", sort="title", per_page=50)).hits
    ]
    assert by_title == sorted(by_title)
    pages = [
        [h.id for h in archive.search(SearchRequest("", sort="date", page=p, per_page=3)).hits]
        for p in (1, 2, 3)
    ]
    assert list(itertools.chain(*pages)) == by_date
    assert archive.search(SearchRequest("", per_page=3)).pages == 3


def test_did_you_mean(archive: Archive):
    response = archive.search(SearchRequest("Secrit Servise"))
    assert response.total == 0
    assert response.suggestion == "secret service"
    assert archive.search(SearchRequest("Secret Service")).suggestion is None


def test_similar_cases(archive: Archive):
    similar = archive.similar(TARGET, limit=3)
    assert similar[0].id in {SNAPCHAT, "bank-sentosa-2021-kebocoran"}
    assert "data-breach" in similar[0].reasons
    assert TARGET not in [h.id for h in similar]
    with pytest.raises(CaseNotFoundError) as err:
        archive.similar("no-such-case")
    assert "no-such-case" in str(err.value)


def test_get_suggests_a_close_id(archive: Archive):
    with pytest.raises(CaseNotFoundError) as err:
        archive.get("target-2013-card-data-breech")
    assert "did you mean target-2013-card-data-breach" in str(err.value)


def test_filter_change_reuses_the_text_matches(archive: Archive, monkeypatch):
    archive.search(SearchRequest("data"))
    calls = []
    original = Archive._run

    def counting(snap, q):
        calls.append(q)
        return original(snap, q)

    monkeypatch.setattr(Archive, "_run", staticmethod(counting))
    archive.search(SearchRequest("data", filters={"outcome": ["recovered"]}))
    archive.search(SearchRequest("data", page=2, per_page=1))
    assert calls == []


def test_markdown_to_plain():
    assert (
        markdown_to_plain("## Head\n\nSome **bold** [link](javascript:x) text")
        == "Head Some bold link text"
    )


def test_relevance_on_the_whole_archive(full_archive: Archive):
    """The acceptance searches, on every case in cases/ (more cases may be added)."""
    found = ids(full_archive, "kebocoran data")
    assert {TARGET, SNAPCHAT} <= set(found)
    assert DOWNEY not in found and LUX not in found
    assert ids(full_archive, "Secret Service")[0] == TARGET
    assert ids(full_archive, "ACCC")[0] == LUX


PARITY_QUERIES = [
    "data",
    "data breach",
    "kebocoran data",
    '"credit monitoring"',
    '"Secret Service" OR rehabilitation',
    "data NOT Gibson",
    "NOT breach",
    "(apology OR court) AND customers",
    "tactic:apology",
    "title:breach",
    "secur*",  # prefixes, wildcards and ranges: the index words they stand for, OR-ed
    "apolog* AND data",
    "title:*a*",
    "cust?m*",
    "year:[2010 TO 2015]",
    "re* ANDNOT breach",
    "tactic:apol* ANDMAYBE court",
    "data REQUIRE breach",
    "customers REQUIRE *",
]


@pytest.mark.engines("whoosh")
@pytest.mark.parametrize("text", PARITY_QUERIES)
def test_array_evaluation_matches_and_ranks_as_whoosh_does(full_archive: Archive, text: str):
    """The numpy evaluator must find the same documents with Whoosh's own BM25F scores."""
    snap = full_archive._snapshot()
    searcher = snap.engine.searcher
    q = _parser().parse(rewrite_fields(text, FACETS))
    # Wildcards, prefixes and ranges are compared with the OR of the words they stand for:
    # Whoosh scores them by matcher (1.0 each in small indexes, BM25F sums in large ones).
    reader = searcher.reader()
    words = q.accept(lambda n: n.simplify(reader) if isinstance(n, wq.MultiTerm) else n)
    expected = dict(searcher.search(words, limit=None).items())
    docs, scores = full_archive._run(snap, parse(rewrite_fields(text, FACETS)))
    assert expected, text  # every query of the list matches something
    assert sorted(docs.tolist()) == sorted(expected)
    assert scores.tolist() == pytest.approx([expected[d] for d in docs.tolist()])
    assert list(scores) == sorted(scores, reverse=True)


@pytest.mark.engines("whoosh")
def test_array_evaluation_across_segments(cases_dir, index_dir):
    """An incremental update adds a segment; document numbers carry the segment's offset."""
    archive = open_archive(cases_dir, index_dir)
    shutil.copy2(CASES / "optus-2022-data-breach.md", cases_dir / "optus-2022-data-breach.md")
    update_archive(archive)  # the new case lands in a second segment
    snap = archive._snapshot()
    searcher = snap.engine.searcher
    assert len(searcher.reader().leaf_readers()) > 1
    for text in ("data breach", '"credit monitoring"', "Optus"):
        q = _parser().parse(rewrite_fields(text, FACETS))
        expected = dict(searcher.search(q, limit=None).items())
        docs, scores = archive._run(snap, parse(rewrite_fields(text, FACETS)))
        assert sorted(docs.tolist()) == sorted(expected)
        assert scores.tolist() == pytest.approx([expected[d] for d in docs.tolist()])
    assert archive.search(SearchRequest("Optus")).hits[0].id == "optus-2022-data-breach"
    archive.close()


def test_facet_limit_lists_the_top_values_and_counts_all(full_archive: Archive):
    request = SearchRequest("", filters={"sector": ["food"]})
    every = full_archive.search(request).facets
    limited = full_archive.search(dataclasses.replace(request, facet_limit=2)).facets
    assert len(every["organizations"]) > 2
    assert limited["organizations"] == every["organizations"][:2]
    # A selected value is always listed, even when it falls outside the top.
    rare_sector = SearchRequest("", filters={"sector": ["education"]}, facet_limit=1)
    sectors = full_archive.search(rare_sector).facets["sector"]
    assert [(v.value, v.selected) for v in sectors] == [("food", False), ("education", True)]
    rare = every["organizations"][-1]
    assert limited.count("organizations", rare.value) == rare.count > 0
    assert limited.count("organizations", "no such organisation") == 0


def test_did_you_mean_follows_the_cases_as_they_change(cases_dir, index_dir):
    """The vocabulary is kept with the index: a new case's words can be suggested at once,
    and a removed case's words no longer are."""
    from archive.index import current_generation, read_vocabulary

    archive = open_archive(cases_dir, index_dir)
    assert archive.search(SearchRequest("Ooptus")).suggestion is None
    optus = cases_dir / "optus-2022-data-breach.md"
    shutil.copy2(CASES / optus.name, optus)
    update_archive(archive)
    assert archive.search(SearchRequest("Ooptus")).suggestion == "optus"
    assert read_vocabulary(current_generation(index_dir))["optus"] == 1
    optus.unlink()
    update_archive(archive)
    assert archive.search(SearchRequest("Ooptus")).suggestion is None
    assert "optus" not in read_vocabulary(current_generation(index_dir))
    archive.close()


def test_a_misspelt_query_is_run_corrected_when_asked(archive: Archive):
    """With ``correct``, a query that finds nothing runs as its "did you mean" spelling and
    says so; names with a wrong or swapped letter find their case; the typed query stays
    the request's. Without it (the default), nothing is changed behind the asker's back."""
    as_typed = archive.search(SearchRequest("Steinhafle"))
    assert as_typed.total == 0 and as_typed.suggestion == "steinhafel"
    assert as_typed.corrected is None
    fixed = archive.search(SearchRequest("Steinhafle", correct=True))
    assert fixed.corrected == "steinhafel" and fixed.suggestion is None
    assert TARGET in [h.id for h in fixed.hits]
    assert fixed.request.query == "Steinhafle"
    assert fixed.to_dict()["corrected"] == "steinhafel"
    assert fixed.to_dict()["query"] == "Steinhafle"
    assert fixed.total == archive.search(SearchRequest("steinhafel")).total
    # Words the archive holds are never "corrected", nor is a query with no suggestion.
    found = archive.search(SearchRequest("apology", correct=True))
    assert found.corrected is None and found.total > 0
    nothing = archive.search(SearchRequest("zzqxwv", correct=True))
    assert nothing.total == 0 and nothing.corrected is None
