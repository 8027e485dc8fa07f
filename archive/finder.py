"""The precedent finder: every case ranked by how close it is to a client's situation.

A consultant describes a situation in their own words ("an Indonesian e-commerce company,
customer data leaked, the ministry is asking questions") and, if they know them, its crisis
type, sector, country, kind of subject and responsibility cluster. Closeness adds up:

- the situation's words, each matched on its own (OR) with BM25 over the cases' text,
  names, taxonomy words and the bilingual vocabulary, so no single word is required; the sum
  is scaled so the closest case by words scores 1;
- each structured field given, as a graded match rather than a filter: the same crisis type
  (less for a type that often goes with it in the archive's cases), the same sector, the same country (less for the same
  continent), the same kind of subject, the same responsibility cluster (less for the next
  one: victim, accidental, preventable).

``WEIGHTS`` and ``GRADES`` hold every weight in one place; the app's page explains them from
these tables, and ``scripts/benchmark_finder.py`` measures them on the judgment set in
``tests/judgments/precedents.yaml``. Each result says why it is close, and below them,
``what_worked`` sets the tactics of the closest cases that recovered beside those that did
not, with the days to their first statement and apology by outcome.

Example::

    >>> found = find(archive, Situation("customer data leaked, ministry asking", country="ID"))
    >>> found.precedents[0].id, [r.text("en") for r in found.precedents[0].reasons]
    ('tokopedia-2020-kebocoran-data', ['Indonesia', 'matched: data, leaked, ministry'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from archive.breadth import continent_label, continent_of
from archive.errors import ArchiveError
from archive.insights import THIN_BELOW, Timing, response_times_by_outcome
from archive.search import Archive
from archive.search.query_text import plain_words
from archive.strings import t
from archive.taxonomy import Taxonomy, country_name, load_taxonomy

# How much each kind of closeness adds to a case's score (the words: up to their weight).
WEIGHTS: dict[str, float] = {
    "text": 1.0,
    "crisis_type": 1.0,
    "sector": 0.5,
    "country": 0.5,
    "subject_kind": 0.25,
    "responsibility": 0.25,
}
# The share of a field's weight a near miss earns.
GRADES: dict[str, float] = {
    "crisis_type": 0.5,  # times how often the case's type goes with the one given
    "country": 0.5,  # another country of the same continent
    "responsibility": 0.5,  # the next cluster: victim-accidental or accidental-preventable
}
FIELDS = ("crisis_type", "sector", "country", "subject_kind", "responsibility")
# The index facet each field is read from.
FACET_OF = {
    "crisis_type": "crisis_types",
    "sector": "sector",
    "country": "countries",
    "subject_kind": "subject_kind",
    "responsibility": "responsibility",
}
CLUSTERS = ("victim", "accidental", "preventable")
SUBJECT_KINDS = ("organization", "person")
MAX_WORDS = 40  # distinct words of a situation that are matched
TOP_CASES = 10  # the closest cases "what worked" reads
RECOVERED = ("recovered", "partially-recovered")
NOT_RECOVERED = ("not-recovered",)


class FinderError(ArchiveError):
    """A situation the finder cannot read: an unknown id, or nothing to match."""


@dataclass(frozen=True)
class Situation:
    """What a consultant knows of a client's situation: its words and any structured fields
    (taxonomy ids, an ISO country code, organization/person, a responsibility cluster)."""

    text: str = ""
    crisis_type: str | None = None
    sector: str | None = None
    country: str | None = None
    subject_kind: str | None = None
    responsibility: str | None = None

    def given(self) -> dict[str, str]:
        """The structured fields given, by name."""
        return {f: getattr(self, f) for f in FIELDS if getattr(self, f)}


@dataclass(frozen=True)
class Reason:
    """Why a case is close: a field it shares (``grade`` 1) or nearly shares, or the words."""

    kind: str  # a field of FIELDS, or "words"
    value: str  # the value shared (a country near miss: its continent id); the words, joined
    grade: float = 1.0

    def text(self, lang: str = "en", tax: Taxonomy | None = None) -> str:
        """The reason as the page and the command line say it."""
        tax = tax or load_taxonomy()
        if self.kind == "words":
            return t("finder_matched", lang, words=self.value)
        if self.kind == "country":
            if self.grade < 1:
                return continent_label(self.value, lang)
            return country_name(self.value, lang)
        if self.kind == "crisis_type":
            label = tax.label("crisis_types", self.value, lang)
            key = "finder_same_type" if self.grade == 1 else "finder_also_type"
            return t(key, lang, label=label)
        if self.kind == "sector":
            return t("finder_same_sector", lang, label=tax.label("sectors", self.value, lang))
        if self.kind == "subject_kind":
            return t(f"finder_kind_{self.value}", lang)
        key = "finder_same_cluster" if self.grade == 1 else "finder_near_cluster"
        return t(key, lang, label=t(f"responsibility_{self.value}", lang))


@dataclass
class Precedent:
    """One case and how close it is: its score and the reasons."""

    id: str
    title: str
    subject: str
    year: int
    outcome: str
    score: float
    reasons: list[Reason]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        tax = load_taxonomy()
        return {
            "id": self.id,
            "title": self.title,
            "outcome": self.outcome,
            "score": round(self.score, 4),
            "reasons": [r.text(lang, tax) for r in self.reasons],
        }


@dataclass
class TacticRecord:
    """One tactic among the closest cases: those that used it and recovered (fully or in
    part), and those that used it and did not."""

    tactic: str
    recovered: list[str] = field(default_factory=list)
    not_recovered: list[str] = field(default_factory=list)


@dataclass
class WhatWorked:
    """What the closest cases did, by how they ended."""

    cases: list[str]  # the closest cases read, best first
    tactics: list[TacticRecord]  # most used by the recovered first
    ongoing: list[str]  # cases still unfolding: in no column
    timings: list[Timing]  # days to the first statement and apology, by outcome
    thin_below: int = THIN_BELOW  # figures from fewer cases are marked thin

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "tactics": [
                {"tactic": r.tactic, "recovered": r.recovered, "not_recovered": r.not_recovered}
                for r in self.tactics
            ],
            "ongoing": self.ongoing,
            "response_times": [
                {
                    "outcome": tm.outcome,
                    "measure": tm.measure,
                    "median_days": tm.median,
                    "cases": len(tm.days),
                    "without": tm.without,
                    "thin": len(tm.days) < THIN_BELOW,
                }
                for tm in self.timings
            ],
            "thin_below": THIN_BELOW,
        }


@dataclass
class Finding:
    """The finder's answer: the closest cases, best first, and what the closest did."""

    situation: Situation
    words: list[str]  # the situation's words that were matched
    precedents: list[Precedent]
    what_worked: WhatWorked

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "situation": {"text": self.situation.text, **self.situation.given()},
            "words": self.words,
            "hits": [p.to_dict(lang) for p in self.precedents],
            "what_worked": self.what_worked.to_dict(),
        }


def check(situation: Situation, tax: Taxonomy | None = None) -> None:
    """FinderError naming the field of an unknown id (with the closest known one), or a
    situation with neither words nor fields."""
    tax = tax or load_taxonomy()
    for name, kind in (("crisis_type", "crisis_types"), ("sector", "sectors")):
        value = getattr(situation, name)
        if value and not tax.has(kind, value):
            guess = tax.suggest(kind, value)
            hint = f" (did you mean {guess}?)" if guess else ""
            raise FinderError(f"{name.replace('_', ' ')}: unknown id {value!r}{hint}")
    country = situation.country
    if country and (len(country) != 2 or country_name(country.upper()) == country.upper()):
        raise FinderError(f"country: {country!r} is not an ISO 3166-1 alpha-2 code (e.g. ID)")
    for name, allowed in (("subject_kind", SUBJECT_KINDS), ("responsibility", CLUSTERS)):
        value = getattr(situation, name)
        if value and value not in allowed:
            raise FinderError(
                f"{name.replace('_', ' ')}: {value!r} is not one of {', '.join(allowed)}"
            )
    if not situation_words(situation.text) and not situation.given():
        raise FinderError("describe the situation in a few words, or give one of its fields")


def situation_words(text: str) -> list[str]:
    """The distinct words of a situation (lower case, first MAX_WORDS), query syntax ignored."""
    words = dict.fromkeys(w.lower() for w in plain_words(text) if len(w) > 1)
    return list(words)[:MAX_WORDS]


def grade(name: str, wanted: str, values: Sequence[str], related: Mapping[str, float]) -> float:
    """How well a case's values of one field meet the wanted one: 1, a near miss's grade
    (GRADES), or 0. ``related``: for a crisis type, how often each other type goes with it."""
    if not values:
        return 0.0
    if wanted in values:
        return 1.0
    if name == "country":
        region = continent_of(wanted)
        return GRADES[name] if region and any(continent_of(v) == region for v in values) else 0.0
    if name == "crisis_type":
        return GRADES[name] * max(related.get(v, 0.0) for v in values)
    if name == "responsibility" and values[0] in CLUSTERS:
        apart = abs(CLUSTERS.index(values[0]) - CLUSTERS.index(wanted))
        return GRADES[name] if apart == 1 else 0.0
    return 0.0


def scores(
    words: np.ndarray,
    facets: Mapping[str, Sequence[Sequence[str]]],
    situation: Situation,
    weights: Mapping[str, float] = WEIGHTS,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Every case's closeness (the sum below) and each given field's grade per case.

    ``words``: each situation word's BM25 score per case (rows: words); ``facets``: per
    field's facet, each case's values. The words' sum is scaled so its best case scores 1.
    """
    n = words.shape[1] if words.ndim == 2 else 0
    text = words.sum(axis=0) if n and len(words) else np.zeros(n)
    top = float(text.max()) if n else 0.0
    total = weights["text"] * (text / top if top > 0 else text)
    grades: dict[str, np.ndarray] = {}
    for name, wanted in situation.given().items():
        per_case = facets[FACET_OF[name]]
        related = affinity(wanted, per_case) if name == "crisis_type" else {}
        memo: dict[Sequence[str], float] = {}  # few distinct value sets among many cases
        for values in per_case:
            if values not in memo:
                memo[values] = grade(name, wanted, values, related)
        grades[name] = np.array([memo[v] for v in per_case], dtype=float)
        total = total + weights[name] * grades[name]
    return total, grades


def affinity(wanted: str, per_case: Sequence[Sequence[str]]) -> dict[str, float]:
    """How often each other crisis type goes with ``wanted`` in the archive: the cases having
    both over the cases of the rarer of the two (0..1). Data breaches and security flaws go
    together often; data breaches and crashes never."""
    counts: dict[str, int] = {}
    both: dict[str, int] = {}
    for types in per_case:
        for ty in types:
            counts[ty] = counts.get(ty, 0) + 1
            if wanted in types and ty != wanted:
                both[ty] = both.get(ty, 0) + 1
    mine = counts.get(wanted, 0)
    return {ty: n / min(mine, counts[ty]) for ty, n in both.items()}


def find(
    archive: Archive,
    situation: Situation,
    limit: int = 10,
    top: int = TOP_CASES,
    weights: Mapping[str, float] = WEIGHTS,
) -> Finding:
    """The ``limit`` cases closest to the situation, best first (ties by id), each with its
    reasons, and what the ``top`` closest did; kept per index state (the page asks again on
    every rerun: a pick, a language switch)."""
    check(situation, archive.taxonomy)
    key = ("finder", situation, limit, top, tuple(sorted(weights.items())))
    return archive.kept(key, lambda: _find(archive, situation, limit, top, weights))


def _find(
    archive: Archive, situation: Situation, limit: int, top: int, weights: Mapping[str, float]
) -> Finding:
    words = situation_words(situation.text)
    table = archive.word_scores(words, tuple(FACET_OF.values()))
    total, grades = scores(table.scores, table.facets, situation, weights)
    best = ranking(total, table.ids)[: max(limit, top)]
    summaries = {h.id: h for h in archive.hits([table.ids[i] for i in best[:limit]])}
    precedents = []
    for i in best[:limit]:
        hit = summaries[table.ids[i]]
        why = reasons(i, situation, grades, table, words)
        precedents.append(
            Precedent(hit.id, hit.title, hit.subject, hit.year, hit.outcome, float(total[i]), why)
        )
    closest = [table.ids[i] for i in best[:top]]
    return Finding(situation, words, precedents, what_worked(archive, closest))


def ranking(total: np.ndarray, ids: Sequence[str]) -> list[int]:
    """The cases with a score above 0, best first, ties by id."""
    scored = np.flatnonzero(total > 0)
    order = scored[np.lexsort((np.asarray([ids[i] for i in scored], dtype=str), -total[scored]))]
    return order.tolist()


def rank_ids(
    archive: Archive, situation: Situation, weights: Mapping[str, float] = WEIGHTS
) -> list[str]:
    """Every case with a score, closest first: what the judgment set is measured on."""
    check(situation, archive.taxonomy)
    table = archive.word_scores(situation_words(situation.text), tuple(FACET_OF.values()))
    total, _ = scores(table.scores, table.facets, situation, weights)
    return [table.ids[i] for i in ranking(total, table.ids)]


def reasons(i: int, situation: Situation, grades, table, words: list[str]) -> list[Reason]:
    """Why case ``i`` is close: the fields it meets, then the situation words it holds."""
    out = []
    for name, wanted in situation.given().items():
        g = float(grades[name][i])
        if g >= 1:
            out.append(Reason(name, wanted))
        elif g > 0:
            out.append(Reason(name, _near_value(name, wanted, table.facets[FACET_OF[name]], i), g))
    matched = [w for row, w in enumerate(words) if table.scores[row, i] > 0]
    if matched:
        out.append(Reason("words", ", ".join(matched[:8])))
    return out


def _near_value(name: str, wanted: str, per_case: Sequence[Sequence[str]], i: int) -> str:
    """What a near miss shares: the continent, the case's cluster, its related type."""
    if name == "country":
        return continent_of(wanted) or wanted
    if name == "responsibility":
        return per_case[i][0]
    related = affinity(wanted, per_case)
    return max(per_case[i], key=lambda v: related.get(v, 0.0))


def what_worked(archive: Archive, ids: Sequence[str]) -> WhatWorked:
    """The tactics of the given cases that recovered beside those that did not, and their
    days to the first statement and apology by outcome."""
    cases = [archive.get(i).case for i in ids]
    records: dict[str, TacticRecord] = {}
    for case in cases:
        for tactic in case.tactics:
            record = records.setdefault(tactic, TacticRecord(tactic))
            if case.outcome in RECOVERED:
                record.recovered.append(case.id)
            elif case.outcome in NOT_RECOVERED:
                record.not_recovered.append(case.id)
    tactics = sorted(
        (r for r in records.values() if r.recovered or r.not_recovered),
        key=lambda r: (-len(r.recovered), len(r.not_recovered), r.tactic),
    )
    ongoing = [c.id for c in cases if c.outcome not in RECOVERED + NOT_RECOVERED]
    timings = response_times_by_outcome(cases, archive.taxonomy)
    return WhatWorked(list(ids), tactics, ongoing, timings)
