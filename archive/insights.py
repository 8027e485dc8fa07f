"""What the archive's cases say together: tactics and strategy families against outcomes,
crisis types over time, and how fast the first statement and apology came by outcome.

Every number carries how many cases stand behind it, and every cell carries the search
filters that list those cases, so the app can link each cell to its search.

"Share recovered" is recovered / decided: cases whose outcome is still ``ongoing`` are
left out of the denominator (they have not ended), and shown apart.

Example::

    >>> m = tactic_outcome_matrix(cases)
    >>> m.cell("apology", "recovered").count, m.row("apology").share_recovered
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from archive.model import Case, response_times
from archive.taxonomy import Taxonomy, load_taxonomy

ONGOING = "ongoing"
RECOVERED = "recovered"
# Shares from fewer decided cases than this are marked as thin (read with care): with a
# hundred cases, a share of five says little.
THIN_BELOW = 10


@dataclass(frozen=True)
class Cell:
    """The cases of one row (tactic or family) with one outcome, and the search listing them."""

    row: str
    outcome: str
    count: int
    filters: dict[str, list[str]]  # the search that lists these cases


@dataclass(frozen=True)
class Row:
    """One tactic or strategy family across all outcomes: how many cases, decided, recovered."""

    key: str
    cases: int  # cases with this tactic (or family), all outcomes
    decided: int  # of them, outcome other than ongoing
    recovered: int

    @property
    def share_recovered(self) -> float | None:
        return self.recovered / self.decided if self.decided else None


@dataclass(frozen=True)
class Matrix:
    """Tactics or strategy families against outcomes; rows by most cases first, rows without
    a case left out."""

    facet: str  # the search facet of the rows: "tactics" or "family"
    outcomes: list[str]
    rows: list[Row]
    cells: dict[tuple[str, str], Cell]
    total_cases: int

    def cell(self, row: str, outcome: str) -> Cell:
        return self.cells[(row, outcome)]

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)


def _matrix(
    facet: str, keys_of, cases: Sequence[Case], tax: Taxonomy, row_ids: Iterable[str]
) -> Matrix:
    outcomes = tax.ids("outcomes")
    counts: Counter[tuple[str, str]] = Counter()
    for case in cases:
        for key in set(keys_of(case)):
            counts[(key, case.outcome)] += 1
    rows, cells = [], {}
    for key in row_ids:
        per = {o: counts[(key, o)] for o in outcomes}
        total = sum(per.values())
        if not total:
            continue
        rows.append(Row(key, total, total - per.get(ONGOING, 0), per.get(RECOVERED, 0)))
        for o in outcomes:
            cells[(key, o)] = Cell(key, o, per[o], {facet: [key], "outcome": [o]})
    rows.sort(key=lambda r: (-r.cases, r.key))
    return Matrix(facet, outcomes, rows, cells, len(cases))


def tactic_outcome_matrix(cases: Sequence[Case], taxonomy: Taxonomy | None = None) -> Matrix:
    """Cases per (tactic, outcome); a case counts once per tactic it lists."""
    tax = taxonomy or load_taxonomy()
    return _matrix("tactics", lambda c: c.tactics, cases, tax, tax.ids("tactics"))


def family_outcome_matrix(cases: Sequence[Case], taxonomy: Taxonomy | None = None) -> Matrix:
    """Cases per (strategy family, outcome); a case counts once per family its tactics use."""
    tax = taxonomy or load_taxonomy()

    def families(case: Case) -> list[str]:
        return [tax.get("tactics", t).family for t in case.tactics if tax.get("tactics", t).family]

    return _matrix("family", families, cases, tax, tax.ids("families"))


@dataclass(frozen=True)
class Period:
    """A span of years and how many cases of each crisis type began in it."""

    start: int  # first year of the period
    end: int  # last year
    counts: dict[str, int]  # crisis type -> cases

    @property
    def filters(self) -> dict[str, object]:
        return {"year_from": self.start, "year_to": self.end}


def crisis_types_over_time(
    cases: Sequence[Case], years_per_period: int = 5, taxonomy: Taxonomy | None = None
) -> list[Period]:
    """Cases per crisis type per period (5 years by default), from the first case's period
    to the last; a case counts once per crisis type it lists."""
    if not cases:
        return []
    first = min(c.year for c in cases) // years_per_period * years_per_period
    last = max(c.year for c in cases)
    periods = []
    for start in range(first, last + 1, years_per_period):
        end = start + years_per_period - 1
        counts: Counter[str] = Counter()
        for case in cases:
            if start <= case.year <= end:
                counts.update(set(case.crisis_types))
        periods.append(Period(start, end, dict(sorted(counts.items()))))
    return periods


@dataclass(frozen=True)
class Timing:
    """Days from the crisis to one kind of response, over the cases of one outcome."""

    outcome: str
    measure: str  # "first_statement" or "first_apology"
    days: list[int] = field(default_factory=list)  # one per case that has the event
    without: int = 0  # cases of this outcome with no such event recorded

    @property
    def median(self) -> float | None:
        return statistics.median(self.days) if self.days else None


def response_times_by_outcome(
    cases: Sequence[Case], taxonomy: Taxonomy | None = None
) -> list[Timing]:
    """Days to the first statement and to the first apology, per outcome."""
    tax = taxonomy or load_taxonomy()
    out = []
    times = {c.id: response_times(c) for c in cases}
    for measure in ("first_statement", "first_apology"):
        for outcome in tax.ids("outcomes"):
            mine = [times[c.id][measure] for c in cases if c.outcome == outcome]
            if not mine:
                continue
            days = sorted(d for d in mine if d is not None)
            out.append(Timing(outcome, measure, days, len(mine) - len(days)))
    return out
