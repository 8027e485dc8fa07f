"""Loading and validation: real fixture files, good and bad, and the real cases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archive.loader import MAX_FILE_BYTES, load_cases, parse_case
from archive.model import case_json_schema_text

from .conftest import CASES, FIXTURES, ROOT

BAD = FIXTURES / "bad"

# file -> (line, field, words the message must contain); severity error unless noted
BAD_CASES = {
    "yaml-syntax-error.md": (8, "", "started on line 7"),
    "missing-title.md": (2, "title", "required field is missing"),
    "unknown-tactic.md": (9, "tactics[1]", "did you mean apology?"),
    "id-mismatch.md": (2, "id", "must equal the file name 'id-mismatch'"),
    "bad-month.md": (9, "crisis_date", "month must be 01-12"),
    "no-front-matter.md": (1, "", "must start with a '---' line"),
    "unclosed-front-matter.md": (1, "", "never closed"),
    "alias-bomb.yaml": (3, "e", "alias bomb"),
    "python-tag.yaml": (2, "title", "is not allowed in case files"),
    "duplicate-key.md": (5, "title", "duplicate key"),
    "empty-body.md": (13, "body", "the narrative is empty"),
    "bad-country.md": (9, "countries[1]", "'XX' is not an ISO 3166-1 alpha-2"),
    "bad-source-language.md": (12, "sources[0].language", "'xx' is not an ISO 639-1 language"),
    "invalid-utf8.md": (15, "", "not valid UTF-8"),
    "javascript-url.md": (11, "sources[0].url", "is not a web address"),
    "source-without-publisher.md": (11, "sources[0]", "needs a publisher or a url"),
    "tactics-not-a-list.md": (7, "tactics", "expected a list"),
    "bad-channel.md": (12, "timeline[1].channel", "'fax' is not allowed"),
    "Bad_Slug.md": (2, "id", "is not a slug"),
    "empty-file.md": (1, "", "the file is empty"),
    "unknown-outcome.md": (8, "outcome", "unknown outcome 'bankrupt'"),
    "bad-subject-kind.md": (5, "subject_kind", "expected 'organization' or 'person'"),
    "list-at-top.yaml": (1, "", "must be a mapping"),
    "impossible-date.md": (9, "crisis_date", "'2018-02-30': no such day in that month"),
    "tab-indent.md": (11, "", "found character '\\t' that cannot start any token"),
    "title-is-a-list.md": (3, "title", "expected text, got list"),
    "very-long-line.md": (3, "title", "at most 200 characters"),
    "outcome-is-a-number.md": (8, "outcome", "unknown outcome '3'"),
    "path-like-id.md": (2, "id", "'../../etc/passwd' is not a slug"),
    "binary.md": (2, "", "not valid UTF-8 (byte 0x80)"),
    "far-future-date.md": (9, "crisis_date", "'2999-01-01' is in the future (today is "),
    "year-before-1000.md": (9, "crisis_date", "'0999-05-01': the year must be 1000 or later"),
    "control-character.md": (3, "title", "control character U+0007 is not allowed"),
    "control-character-in-narrative.md": (15, "body", "control character U+001B is not"),
    "utf16.md": (1, "", "the file is UTF-16; save it as UTF-8"),
    "no-tactics.md": (7, "tactics", "needs at least one item"),
    "deep-nesting.md": (12, "lessons", "nested more than 50 levels deep"),
    "timeline-10000-rows.md": (6674, "timeline", "a case file may hold at most 20000"),
    "too-big.md": (1, "", "file is 532977 bytes; a case file may be at most 524288"),
}
# Accepted with a warning: file -> (line, field, words)
WARNED_CASES = {
    "unknown-key.md": (9, "lesson", "unknown key (ignored); did you mean 'lessons'?"),
    "bidi-override.md": (3, "title", "invisible bidirectional control character U+202E"),
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_file_is_reported_with_line_and_field(name: str):
    line, field, words = BAD_CASES[name]
    result = load_cases([BAD / name])
    assert result.cases == []
    matching = [
        p for p in result.errors if p.line == line and p.field == field and words in p.message
    ]
    assert matching, [str(p) for p in result.problems]
    assert str(matching[0]).startswith(f"{BAD / name}:{line}: ")


@pytest.mark.parametrize("name", sorted(WARNED_CASES))
def test_doubtful_file_is_indexed_with_a_warning(name: str):
    line, field, words = WARNED_CASES[name]
    result = load_cases([BAD / name])
    assert [lc.case.id for lc in result.cases] == [Path(name).stem]
    (warning,) = result.problems
    assert (warning.severity, warning.line, warning.field) == ("warning", line, field)
    assert words in warning.message


def test_every_bad_fixture_is_covered():
    assert {p.name for p in BAD.iterdir()} == set(BAD_CASES) | set(WARNED_CASES)
    assert len(BAD_CASES) + len(WARNED_CASES) >= 30


def test_all_problems_of_all_files_in_one_run():
    result = load_cases([BAD])
    files_with_errors = {Path(p.path).name for p in result.errors}
    assert files_with_errors == set(BAD_CASES)
    assert sorted(lc.case.id for lc in result.cases) == sorted(Path(n).stem for n in WARNED_CASES)


def test_too_big_file(tmp_path: Path):
    big = tmp_path / "big.md"
    big.write_bytes(b"---\nid: big\n---\n" + b"x" * (MAX_FILE_BYTES + 1))
    (problem,) = load_cases([big]).problems
    assert "at most" in problem.message and problem.line == 1


def test_duplicate_ids_across_files():
    result = load_cases([FIXTURES / "dup"])
    assert len(result.cases) == 1
    (problem,) = result.errors
    assert problem.field == "id" and "duplicate id 'same-id'" in problem.message


def test_yaml_11_coercions_bom_and_crlf():
    result = load_cases([FIXTURES / "good"])
    assert result.problems == []
    cases = {lc.case.id: lc.case for lc in result.cases}
    nordic = cases["nordic-1982-oil-spill"]  # BOM + CRLF file
    assert nordic.countries == ["NO"]  # Norway, not False
    assert nordic.crisis_date == "1982" and nordic.year == 1982
    assert nordic.body.startswith("## Summary")
    assert "\r" not in nordic.body
    assert cases["acme-2019-product-recall"].crisis_date == "2019-03"  # stays partial
    bank = cases["bank-sentosa-2021-kebocoran"]  # the .yaml spelling
    assert bank.language == "id" and bank.timeline[1].channel == "press-release"


def test_parse_case_reports_problem_lines_inside_lists(tmp_path: Path):
    text = (BAD / "unknown-tactic.md").read_bytes()
    case, problems = parse_case(text, Path("cases/unknown-tactic.md"))
    assert case is None
    assert [(p.line, p.field) for p in problems] == [(9, "tactics[1]")]


def test_real_cases_are_valid_and_reviewed():
    result = load_cases([CASES])
    assert result.problems == [], [str(p) for p in result.problems]
    assert len(result.cases) >= 4
    ids = {lc.case.id for lc in result.cases}
    assert {
        "target-2013-card-data-breach",
        "snapchat-2013-username-phone-leak",
        "robert-downey-jr-addiction-comeback",
        "lux-accc-2012-unfair-sales",
    } <= ids
    for lc in result.cases:
        if lc.case.id in ids:
            assert lc.case.sources


def test_related_to_a_case_outside_the_loaded_files_is_not_reported(tmp_path: Path):
    target = CASES / "target-2013-card-data-breach.md"
    alone = load_cases([target])
    assert any(p.field.startswith("related") for p in alone.warnings)
    known = load_cases([target], known_ids={p.stem for p in CASES.iterdir()})
    assert known.problems == []


def test_json_schema_file_is_in_sync():
    on_disk = (ROOT / "schema" / "case.schema.json").read_text(encoding="utf-8")
    assert on_disk == case_json_schema_text(), "run 'archive schema' to update the file"
    schema = json.loads(on_disk)
    assert "apology" in schema["properties"]["tactics"]["items"]["enum"]
    assert "body" not in schema["required"]


def test_loader_never_writes(tmp_path: Path):
    folder = tmp_path / "c"
    shutil.copytree(FIXTURES / "good", folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    load_cases([folder])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_huge_timeline_is_refused_as_too_many_values_not_as_an_alias_bomb(tmp_path):
    rows = "\n".join(f"  - {{date: 2020-01-01, event: row {i}}}" for i in range(10_000))
    text = (BAD / "impossible-date.md").read_text().replace("id: impossible-date", "id: huge")
    text = text.replace("crisis_date: 2018-02-30", "crisis_date: 2020-01-01\ntimeline:\n" + rows)
    path = tmp_path / "huge.md"
    path.write_text(text)
    (problem,) = load_cases([path]).problems
    assert problem.field == "timeline"
    assert "a case file may hold at most 20000" in problem.message
    assert "alias" not in problem.message
    # An alias bomb still says so.
    (bomb,) = [p for p in load_cases([BAD / "alias-bomb.yaml"]).problems if p.is_error]
    assert "alias bomb" in bomb.message
