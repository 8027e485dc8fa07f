"""How broad the archive is, measured against the floor it keeps.

An archive of a handful of cases cannot carry the insights page, the precedent finder or
the briefs: a share of three cases says nothing. These measures say whether it is broad
enough (enough cases, in Indonesia and in Indonesian, about people as well as
organisations, that did not recover, across sectors, countries, continents and decades),
and whether the most used tactics each appear in enough cases with a decided outcome for
the insights page to show their shares without a "thin" mark. ``archive stats`` prints
them; a content test keeps them from falling below ``FLOOR``.

Example::

    >>> from archive.loader import load_cases
    >>> cases = [lc.case for lc in load_cases(["cases"]).cases]
    >>> report = measure(cases, since=2022)
    >>> report.values["cases"] >= FLOOR["cases"]
    True
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from archive.insights import THIN_BELOW
from archive.model import Case
from archive.taxonomy import SAFE_LOADER

DECIDED = ("recovered", "partially-recovered", "not-recovered")
TOP_TACTICS = 10  # how many of the most used tactics must each be well covered
TACTIC_FLOOR = THIN_BELOW  # decided cases each needs (below it, insights marks a share thin)

# The minimums the archive keeps (issue 16). Names are the keys of Breadth.values.
FLOOR: dict[str, int] = {
    "cases": 100,
    "indonesian": 30,
    "in_indonesian": 15,
    "people": 15,
    "not_fully_recovered": 25,
    "not_recovered": 10,
    "sectors": 20,
    "countries": 15,
    "continents": 5,
    "decades": 6,
    "recent": 10,
}

LABELS: dict[str, str] = {
    "cases": "cases",
    "indonesian": "cases in Indonesia",
    "in_indonesian": "  of them written in Indonesian",
    "people": "cases about a person",
    "not_fully_recovered": "not or only partly recovered",
    "not_recovered": "  of them not recovered",
    "sectors": "sectors",
    "countries": "countries",
    "continents": "continents",
    "decades": "decades",
    "recent": "cases from the last five years",
}


@dataclass(frozen=True)
class Breadth:
    """The breadth of a set of cases: the measures, and the continents, decades and tactics."""

    values: dict[str, int]  # measure -> its value (keys as in FLOOR)
    continents: dict[str, int]  # continent id -> cases
    decades: dict[int, int]  # 1970 -> cases
    tactics: dict[str, int]  # the most used tactics -> cases with a decided outcome
    since: int  # the first year counted as recent

    def to_dict(self) -> dict[str, object]:
        return {
            "values": self.values,
            "floor": FLOOR,
            "continents": self.continents,
            "decades": {str(d): n for d, n in self.decades.items()},
            "top_tactics_decided": self.tactics,
            "recent_since": self.since,
            "short": {k: list(v) for k, v in self.short().items()},
        }

    def short(self) -> dict[str, tuple[int, int]]:
        """Measures below the floor: name -> (value, floor); tactics as 'tactic:<id>'."""
        found = {k: (self.values[k], n) for k, n in FLOOR.items() if self.values[k] < n}
        for tid, n in self.tactics.items():
            if n < TACTIC_FLOOR:
                found[f"tactic:{tid}"] = (n, TACTIC_FLOOR)
        return found


@lru_cache(maxsize=1)
def continent_table() -> dict[str, tuple[str, dict[str, str]]]:
    """ISO 3166-1 alpha-2 code -> (continent id, its labels), from continents.yaml."""
    text = resources.files("archive").joinpath("continents.yaml").read_text(encoding="utf-8")
    table: dict[str, tuple[str, dict[str, str]]] = {}
    for cid, entry in yaml.load(text, Loader=SAFE_LOADER).items():  # noqa: S506
        for code in entry["countries"]:
            table[str(code)] = (cid, entry["label"])
    return table


def continent_label(continent: str, lang: str) -> str:
    """A continent's name in English or Indonesian (its id if the table lacks it)."""
    for cid, labels in continent_table().values():
        if cid == continent:
            return labels.get(lang, continent)
    return continent


def continent_of(code: str) -> str | None:
    """The continent id of a country code (None for a code the table lacks)."""
    found = continent_table().get(code.upper())
    return found[0] if found else None


def measure(cases: Sequence[Case], since: int | None = None) -> Breadth:
    """The archive's breadth. ``since``: the first recent year (default: five years ago)."""
    since = dt.date.today().year - 4 if since is None else since
    outcomes = Counter(c.outcome for c in cases)
    countries = {code for c in cases for code in c.countries}
    continents = Counter(
        cont for c in cases for cont in {continent_of(code) for code in c.countries} if cont
    )
    decades = Counter(c.year // 10 * 10 for c in cases)
    indonesian = [c for c in cases if "ID" in c.countries]
    values = {
        "cases": len(cases),
        "indonesian": len(indonesian),
        "in_indonesian": sum(c.language == "id" for c in indonesian),
        "people": sum(c.subject_kind == "person" for c in cases),
        "not_fully_recovered": outcomes["partially-recovered"] + outcomes["not-recovered"],
        "not_recovered": outcomes["not-recovered"],
        "sectors": len({c.sector for c in cases if c.sector}),
        "countries": len(countries),
        "continents": len(continents),
        "decades": len(decades),
        "recent": sum(c.year >= since for c in cases),
    }
    return Breadth(values, dict(continents), dict(sorted(decades.items())),
                   _top_tactics(cases), since)  # fmt: skip


def _top_tactics(cases: Sequence[Case]) -> dict[str, int]:
    """The most used tactics (ties broken by id) -> cases using them with a decided outcome."""
    used = Counter(t for c in cases for t in c.tactics)
    top = sorted(used, key=lambda t: (-used[t], t))[:TOP_TACTICS]
    decided = Counter(t for c in cases if c.outcome in DECIDED for t in set(c.tactics))
    return {t: decided[t] for t in top}
