"""Issue #8: the insights numbers agree with counts made directly from the case files
(read here with PyYAML alone, not through the archive's loader or model)."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from archive.insights import (
    crisis_types_over_time,
    family_outcome_matrix,
    response_times_by_outcome,
    tactic_outcome_matrix,
)
from archive.loader import load_cases

from .conftest import CASES, ROOT, front_matter


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    return [front_matter(p) for p in sorted(CASES.iterdir()) if p.suffix in (".md", ".yaml")]


@pytest.fixture(scope="module")
def cases():
    return [lc.case for lc in load_cases([CASES]).cases]


def test_tactic_outcome_matrix_matches_a_direct_count(raw, cases):
    direct = Counter((t, r["outcome"]) for r in raw for t in set(r["tactics"]))
    matrix = tactic_outcome_matrix(cases)
    assert matrix.total_cases == len(raw)
    seen = 0
    for row in matrix.rows:
        for outcome in matrix.outcomes:
            cell = matrix.cell(row.key, outcome)
            assert cell.count == direct[(row.key, outcome)], (row.key, outcome)
            assert cell.filters == {"tactics": [row.key], "outcome": [outcome]}
            seen += cell.count
        with_tactic = [r for r in raw if row.key in r["tactics"]]
        assert row.cases == len(with_tactic)
        decided = [r for r in with_tactic if r["outcome"] != "ongoing"]
        assert row.decided == len(decided)
        assert row.recovered == sum(r["outcome"] == "recovered" for r in with_tactic)
        if decided:
            assert row.share_recovered == row.recovered / len(decided)
    assert seen == sum(direct.values())  # every (case, tactic) pair is in one cell
    assert [r.cases for r in matrix.rows] == sorted((r.cases for r in matrix.rows), reverse=True)


def test_family_outcome_matrix_matches_a_direct_count(raw, cases):
    taxonomy = yaml.safe_load((ROOT / "archive" / "taxonomy.yaml").read_text(encoding="utf-8"))
    family_of = {t: v.get("family") for t, v in taxonomy["tactics"].items()}
    direct = Counter(
        (f, r["outcome"]) for r in raw for f in {family_of[t] for t in r["tactics"]} if f
    )
    matrix = family_outcome_matrix(cases)
    assert {r.key for r in matrix.rows} <= {"deny", "diminish", "rebuild", "bolster"}
    for (family, outcome), count in direct.items():
        assert matrix.cell(family, outcome).count == count
        assert matrix.cell(family, outcome).filters == {"family": [family], "outcome": [outcome]}


def test_crisis_types_over_time_matches_a_direct_count(raw, cases):
    periods = crisis_types_over_time(cases, years_per_period=5)
    for period in periods:
        inside = [r for r in raw if period.start <= int(str(r["crisis_date"])[:4]) <= period.end]
        assert period.counts == dict(Counter(t for r in inside for t in set(r["crisis_types"])))
        assert period.end - period.start == 4
    assert sum(sum(p.counts.values()) for p in periods) == sum(
        len(set(r["crisis_types"])) for r in raw
    )


def test_response_times_by_outcome(raw, cases):
    timings = response_times_by_outcome(cases)
    by_outcome = Counter(r["outcome"] for r in raw)
    for t in timings:
        assert len(t.days) + t.without == by_outcome[t.outcome]
        assert t.days == sorted(t.days) and all(d >= 0 for d in t.days)
    # Target: first statement on day 22 (press release of 2013-12-19 after 2013-11-27).
    partly = next(
        t for t in timings if (t.outcome, t.measure) == ("partially-recovered", "first_statement")
    )
    assert 22 in partly.days
    assert crisis_types_over_time([]) == []
