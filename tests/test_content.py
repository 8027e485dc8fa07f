"""The archive's content: coverage of the taxonomy and the editorial floor of every case."""

from __future__ import annotations

import pytest

from archive.breadth import measure
from archive.loader import load_cases
from archive.search import TAXONOMY_FACETS, Archive
from archive.taxonomy import load_taxonomy

from .conftest import CASES

RESULT = load_cases([CASES])
LOADED = RESULT.cases
RECENT_SINCE = 2022  # five years back from when the floor was set (2026)


def test_every_case_file_is_valid_without_warnings():
    assert RESULT.problems == [], "\n".join(str(p) for p in RESULT.problems)


def test_archive_keeps_its_breadth():
    """The floor of issue 16: 100 cases, 30 in Indonesia (15 in Indonesian), 15 people, 25
    not or partly recovered (10 not), 20 sectors, 15 countries on 5 continents, 6 decades,
    10 cases from 2022 on, and the 10 most used tactics in 10 decided cases each."""
    cases = [lc.case for lc in LOADED]
    report = measure(cases, since=RECENT_SINCE)
    assert report.short() == {}
    assert {c.subject_kind for c in cases} == {"person", "organization"}


@pytest.mark.parametrize("kind", ["crisis_types", "tactics", "outcomes"])
def test_every_taxonomy_id_is_used(kind: str):
    used: set[str] = set()
    for lc in LOADED:
        case = lc.case
        used |= {case.outcome} if kind == "outcomes" else set(getattr(case, kind))
    assert set(load_taxonomy().ids(kind)) - used == set()


@pytest.mark.parametrize("loaded", LOADED, ids=lambda lc: lc.case.id)
def test_each_case_meets_the_editorial_floor(loaded):
    case = loaded.case
    assert case.sources and all(s.publisher or s.url for s in case.sources)
    assert case.timeline and all(e.date for e in case.timeline)
    assert case.outcome_summary and len(case.outcome_summary.split()) >= 8
    assert case.lessons
    assert case.entities and any(e.aliases for e in case.entities)
    words = len(case.body.split())
    assert 250 <= words <= 800, words
    headings = (
        ("## Summary", "## Outcome") if case.language == "en" else ("## Ringkasan", "## Hasil")
    )
    assert all(h in case.body for h in headings)
    if case.status == "reviewed":
        assert any(s.quote for s in case.sources), (
            "a reviewed case quotes the source it was checked against"
        )


def test_related_ids_exist():
    ids = {lc.case.id for lc in LOADED}
    for lc in LOADED:
        assert set(lc.case.related) <= ids, lc.case.id


def test_stats_reports_no_unused_id(full_archive: Archive):
    coverage = full_archive.coverage()
    assert coverage.total == len(LOADED)
    for facet in TAXONOMY_FACETS:
        if facet != "family":
            assert coverage.unused[facet] == [], facet
