"""The breadth measures behind 'archive stats' and the content floor."""

from __future__ import annotations

import json
from collections import Counter

import pycountry
from click.testing import CliRunner

from archive.breadth import FLOOR, TACTIC_FLOOR, continent_of, continent_table, measure
from archive.cli import cli
from archive.loader import load_cases

from .conftest import SOURCE_CASES


def test_every_country_code_has_exactly_one_continent():
    table = continent_table()
    assert set(table) == {c.alpha_2 for c in pycountry.countries}
    assert continent_of("id") == "asia" and continent_of("BR") == "south-america"
    assert continent_of("NO") == "europe"  # not YAML's false
    assert continent_of("XX") is None


def _cases():
    return [lc.case for lc in load_cases(SOURCE_CASES).cases]


def test_measures_count_what_they_name():
    cases = _cases()
    rdj = next(c for c in cases if c.subject_kind == "person")
    moved = rdj.model_copy(update={"countries": ["BR", "ID"], "language": "id"})
    report = measure([*cases, moved], since=2013)
    values = report.values
    assert values["cases"] == len(cases) + 1
    assert values["people"] == sum(c.subject_kind == "person" for c in cases) + 1
    assert values["indonesian"] == 1 and values["in_indonesian"] == 1
    assert report.continents["south-america"] == 1 and report.continents["asia"] == 1
    assert values["continents"] == len(report.continents)
    assert values["recent"] == sum(c.year >= 2013 for c in [*cases, moved])
    assert sum(report.decades.values()) == values["cases"]
    outcomes = Counter(c.outcome for c in [*cases, moved])
    assert values["not_recovered"] == outcomes["not-recovered"]


def test_short_names_every_measure_and_tactic_below_its_floor():
    report = measure(_cases(), since=2100)
    short = report.short()
    assert short["cases"] == (report.values["cases"], FLOOR["cases"])
    assert short["recent"] == (0, FLOOR["recent"])
    assert all(k.startswith("tactic:") for k in short if k not in FLOOR)
    assert {k[len("tactic:") :] for k in short if k.startswith("tactic:")} == {
        t for t, n in report.tactics.items() if n < TACTIC_FLOOR
    }


def test_stats_prints_the_breadth_beside_the_floor(cases_dir, tmp_path):
    result = CliRunner().invoke(
        cli, ["--cases-dir", str(cases_dir), "--index-dir", str(tmp_path / "ix"), "stats"]
    )
    assert result.exit_code == 0, result.output
    assert "breadth (value, floor):" in result.output
    line = next(ln for ln in result.output.splitlines() if ln.strip().startswith("cases  "))
    assert line.split()[1] == str(len(load_cases([cases_dir]).cases))
    assert line.endswith("<- short")  # a handful of fixtures is far below 100
    assert "most used tactics" in result.output


def test_stats_json_carries_the_breadth(cases_dir, tmp_path):
    result = CliRunner().invoke(
        cli, ["--cases-dir", str(cases_dir), "--index-dir", str(tmp_path / "ix"), "stats", "--json"]
    )
    assert result.exit_code == 0, result.output
    breadth = json.loads(result.stdout)["breadth"]
    assert breadth["values"]["cases"] == len(load_cases([cases_dir]).cases)
    assert breadth["floor"] == FLOOR and "cases" in breadth["short"]
