"""schema/case.schema.json checked with a standard validator, on YAML read as editors read it.

Editors' YAML language servers (yaml-language-server in VS Code) read YAML 1.2, core schema:
``2013-12-19`` is text, ``2012`` an integer, ``yes`` and ``NO`` text, ``true`` a boolean. The
archive's loader keeps every scalar as the text written, so the schema has to accept a number
or boolean wherever the loader accepts its text. Every case the loader accepts must pass the
schema; the bad fixtures the schema can judge must fail it at the field the loader names.

Unknown keys: the loader ignores them with a warning, so the schema allows them (no
``additionalProperties: false``); a schema error is for what the loader refuses.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError as RuamelYAMLError
from ruamel.yaml.resolver import VersionedResolver

from archive.loader import load_cases, parse_case

from .conftest import CASES, FIXTURES, ROOT
from .test_loader import BAD_CASES, WARNED_CASES

SCHEMA = json.loads((ROOT / "schema" / "case.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
BAD = FIXTURES / "bad"
SCHEMA_FIXTURES = FIXTURES / "schema"

# Files the loader accepts: they must pass the schema.
MUST_PASS = sorted(
    [p for p in CASES.iterdir() if p.suffix in (".md", ".yaml", ".yml")]
    + list((FIXTURES / "good").iterdir())
    + list(SCHEMA_FIXTURES.iterdir())
    + [BAD / name for name in WARNED_CASES]
)

# Bad fixtures whose error JSON Schema can express: refused at the loader's field.
SCHEMA_REFUSES = {
    "missing-title.md",
    "unknown-tactic.md",
    "bad-month.md",
    "bad-country.md",
    "bad-source-language.md",
    "javascript-url.md",
    "source-without-publisher.md",
    "tactics-not-a-list.md",
    "bad-channel.md",
    "Bad_Slug.md",
    "unknown-outcome.md",
    "bad-subject-kind.md",
    "list-at-top.yaml",
    "impossible-date.md",
    "title-is-a-list.md",
    "very-long-line.md",
    "outcome-is-a-number.md",
    "path-like-id.md",
    "year-before-1000.md",
    "no-tactics.md",
}
# Bad fixtures an editor refuses before any schema: no front matter, or not YAML/UTF-8 at all.
NOT_YAML = {
    "yaml-syntax-error.md",
    "tab-indent.md",
    "duplicate-key.md",
    "python-tag.yaml",
    "invalid-utf8.md",
    "binary.md",
    "utf16.md",
    "empty-file.md",
    "no-front-matter.md",
    "unclosed-front-matter.md",
    "control-character.md",
}
# Checks only the loader can make; the schema accepts these front matters.
LOADER_ONLY = {
    "id-mismatch.md": "the id must equal the file name",
    "far-future-date.md": "a date must not be after today",
    "empty-body.md": "the narrative is after the front matter",
    "control-character-in-narrative.md": "the narrative is after the front matter",
    "timeline-10000-rows.md": "a size limit",
    "too-big.md": "a size limit",
    "alias-bomb.yaml": "a size limit",
    "deep-nesting.md": "a nesting limit",
}
# Not read here: expanding the aliases is the attack; the nesting overflows ruamel's stack.
NOT_READ = {"alias-bomb.yaml", "deep-nesting.md"}


class _Yaml12CoreResolver(VersionedResolver):
    """ruamel's YAML 1.2 resolver without timestamps: its safe loader makes ``2013-12-19`` a
    date even in 1.2 mode, where the 1.2 core schema (and editors) keep it as text."""

    def add_version_implicit_resolver(self, version, tag, regexp, first):
        if tag != "tag:yaml.org,2002:timestamp":
            super().add_version_implicit_resolver(version, tag, regexp, first)


def read_yaml_12(text: str) -> Any:
    reader = YAML(typ="safe", pure=True)
    reader.version = (1, 2)
    reader.Resolver = _Yaml12CoreResolver
    return reader.load(text)


def read_yaml_11(text: str) -> Any:
    """As a YAML 1.1 tool reads it (PyYAML), with its dates written back as ISO text."""

    def iso(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: iso(v) for k, v in value.items()}
        if isinstance(value, list):
            return [iso(v) for v in value]
        if isinstance(value, dt.date):  # and datetime
            return value.isoformat()
        return value

    return iso(yaml.safe_load(text))


def front_matter_text(path: Path) -> str:
    """The YAML of a case file: between the first two '---' lines of a .md file, or all of a
    .yaml file. Raises ValueError where there is none, UnicodeDecodeError if not UTF-8."""
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    if path.suffix != ".md":
        return text
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise ValueError(f"{path}: no front matter")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise ValueError(f"{path}: front matter never closed")
    return "\n".join(lines[1:end])


def case_data(path: Path, reader=read_yaml_12) -> Any:
    data = reader(front_matter_text(path))
    if isinstance(data, dict):
        data.pop("body", None)  # a .yaml file's narrative, not checked against the schema
    return data


def dotted(error: ValidationError) -> list[str]:
    """Where an error is, spelt as the loader spells fields: ``timeline[1].channel``."""
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    if error.validator == "required":  # the missing key, as the loader names it
        missing = [k for k in error.validator_value if k not in error.instance]
        return [f"{out}.{k}" if out else k for k in missing]
    return [out]


def errors(data: Any) -> list[str]:
    return [loc for e in VALIDATOR.iter_errors(data) for loc in dotted(e)]


def test_schema_is_a_valid_draft_2020_12_schema():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_the_reader_reads_yaml_as_editors_do():
    text = "a: 2013-12-19\nb: 2012\nc: yes\nd: NO\ne: true\nf: ~\ng: 2013-12\n"
    assert read_yaml_12(text) == {
        "a": "2013-12-19", "b": 2012, "c": "yes", "d": "NO", "e": True, "f": None, "g": "2013-12",
    }  # fmt: skip
    # Why the resolver is replaced: ruamel's own 1.2 safe loader makes a date of it.
    plain = YAML(typ="safe", pure=True)
    plain.version = (1, 2)
    assert plain.load("a: 2013-12-19") == {"a": dt.date(2013, 12, 19)}
    # And a YAML 1.1 reader, for contrast.
    assert read_yaml_11(text)["c"] is True and read_yaml_11(text)["d"] is False


def test_the_files_that_must_pass_are_the_ones_expected():
    names = {p.name for p in MUST_PASS}
    assert len([p for p in MUST_PASS if p.parent == CASES]) >= 25
    assert {"nordic-1982-oil-spill.md", "bank-sentosa-2021-kebocoran.yaml"} <= names
    assert {"bare-years.md", "scalars-as-text.yaml", "unknown-key.md"} <= names


@pytest.mark.parametrize("path", MUST_PASS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case_file_passes_the_loader_and_the_schema(path: Path):
    result = load_cases([path])
    assert result.errors == [], [str(p) for p in result.errors]
    assert errors(case_data(path)) == []


# What a YAML 1.1 reader gets wrong, so the schema rightly refuses: the country 'no'/'NO'
# (Norway) is the boolean false. Editors read YAML 1.2 and get 'NO'.
YAML_11_MISREADS = {
    "nordic-1982-oil-spill.md": ["countries[0]"],
    "scalars-as-text.yaml": ["countries[0]"],
}


@pytest.mark.parametrize("path", MUST_PASS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case_file_read_as_yaml_11_passes_the_schema(path: Path):
    assert errors(case_data(path, read_yaml_11)) == YAML_11_MISREADS.get(path.name, [])


def test_bare_years_are_integers_and_pass_the_loader_and_the_schema():
    path = SCHEMA_FIXTURES / "bare-years.md"
    data = case_data(path)
    assert data["crisis_date"] == 2012 and data["timeline"][0]["date"] == 1999
    assert errors(data) == []
    (loaded,) = load_cases([path]).cases
    assert loaded.case.crisis_date == "2012" and loaded.case.timeline[0].date == "1999"


def test_every_bad_fixture_is_classified():
    assert not (SCHEMA_REFUSES & NOT_YAML) and not ((SCHEMA_REFUSES | NOT_YAML) & set(LOADER_ONLY))
    assert SCHEMA_REFUSES | NOT_YAML | set(LOADER_ONLY) == set(BAD_CASES)
    assert NOT_READ <= set(LOADER_ONLY)


@pytest.mark.parametrize("name", sorted(SCHEMA_REFUSES))
def test_bad_fixture_is_refused_by_the_schema_at_the_loaders_field(name: str):
    field = BAD_CASES[name][1]
    found = errors(case_data(BAD / name))
    assert found, f"{name}: the schema accepts what the loader refuses at {field!r}"
    elsewhere = [
        loc for loc in found if loc != field and not loc.startswith((f"{field}[", f"{field}."))
    ]
    assert not elsewhere, (field, found)  # each bad fixture has one problem


@pytest.mark.parametrize("name", sorted(NOT_YAML))
def test_bad_fixture_is_not_readable_yaml_front_matter(name: str):
    with pytest.raises((RuamelYAMLError, UnicodeDecodeError, ValueError)):
        case_data(BAD / name)


@pytest.mark.parametrize("name", sorted(set(LOADER_ONLY) - NOT_READ))
def test_loader_only_checks_are_beyond_the_schema(name: str):
    assert errors(case_data(BAD / name)) == [], LOADER_ONLY[name]


def test_unknown_keys_are_allowed_as_the_loader_only_warns():
    text = json.dumps(SCHEMA)
    assert '"additionalProperties": false' not in text
    assert "unknown keys are allowed" in SCHEMA["description"].lower()


# One change to bare-years.md at a time: the loader and the schema must agree on it.
# (old text, new text, accepted)
VARIANTS = {
    "quoted year": ("crisis_date: 2012", "crisis_date: '2012'", True),
    "year-month": ("crisis_date: 2012", "crisis_date: 2012-06", True),
    "full date": ("crisis_date: 2012", "crisis_date: 2012-02-29", True),
    "month 13": ("crisis_date: 2012", "crisis_date: 2013-13", False),
    "month 0": ("crisis_date: 2012", "crisis_date: 2013-00", False),
    "one-digit month": ("crisis_date: 2012", "crisis_date: 2013-1", False),
    "no such day": ("crisis_date: 2012", "crisis_date: 2013-02-29", False),
    "year 999": ("crisis_date: 2012", "crisis_date: 999", False),
    "year 0999": ("crisis_date: 2012", "crisis_date: 0999-05", False),
    "five-digit year": ("crisis_date: 2012", "crisis_date: 12012", False),
    "fractional year": ("crisis_date: 2012", "crisis_date: 2012.5", False),
    "date and time": ("crisis_date: 2012", "crisis_date: 2012-03-01T10:00:00", False),
    "empty date": ("crisis_date: 2012", "crisis_date:", False),
    "timeline bare year": ("date: 1999, event", "date: 1998, event", True),
    "timeline no date": ("date: 1999, event", "event", False),
    "source date as year": ("date: 2013}", "date: 2011}", True),
    "source bad date": ("date: 2013}", "date: 2013-02-30}", False),
    "added": ("crisis_date: 2012", "crisis_date: 2012\nadded: 2024-01-05", True),
    "added as a year": ("crisis_date: 2012", "crisis_date: 2012\nadded: 2024", False),
    "updated as a month": ("crisis_date: 2012", "crisis_date: 2012\nupdated: 2024-01", False),
    "unknown tactic": ("tactics: [apology]", "tactics: [apology, apolgy]", False),
    "no tactics": ("tactics: [apology]", "tactics: []", False),
    "missing outcome": ("outcome: ongoing\n", "", False),
    "missing sources": ("sources:\n", "x:\n", False),
    "unknown key": ("outcome: ongoing", "outcome: ongoing\nlesson: [a typo]", True),
    "lowercase country": ("countries: [ID]", "countries: [id, no, Us]", True),
    "not a country": ("countries: [ID]", "countries: [UK]", False),
    "three letters": ("countries: [ID]", "countries: [IDN]", False),
    "numeric tag": ("outcome: ongoing", "outcome: ongoing\ntags: [2012, covid-19]", True),
    "capital tag": ("outcome: ongoing", "outcome: ongoing\ntags: [Covid]", False),
    "negative tag": ("outcome: ongoing", "outcome: ongoing\ntags: [-1]", False),
    "fractional tag": ("outcome: ongoing", "outcome: ongoing\ntags: [1.5]", False),
    "number as subject": ("subject: Bare Year Holdings", "subject: 1984", True),
    "boolean as subject": ("subject: Bare Year Holdings", "subject: true", True),
    "empty subject": ("subject: Bare Year Holdings", "subject: ''", False),
    "short title": ("title: Dates written as bare years", "title: Date", False),
    "number as title": ("title: Dates written as bare years", "title: 12345", True),
    "yes as text": ("text: We are sorry.", "text: yes", True),
    "bad channel": ("channel: video", "channel: fax", False),
    "number as publisher": ("publisher: Fixture Press", "publisher: 20", True),
    "no publisher or url": ("publisher: Fixture Press, ", "", False),
    "empty publisher": ("publisher: Fixture Press", "publisher: ''", False),
    "url instead": ("publisher: Fixture Press", "url: 'https://example.org/x'", True),
    "javascript url": ("publisher: Fixture Press", "url: 'javascript:alert(1)'", False),
    "bad language": ("outcome: ongoing", "outcome: ongoing\nlanguage: fr", False),
    "bad status": ("outcome: ongoing", "outcome: ongoing\nstatus: yes", False),
    "bad id": ("id: bare-years", "id: Bare_Years", False),
}


# Nulls: with libyaml (the loader's fast path) a plain null has style '' rather than None;
# the loader once kept `~`, `null` or an empty value as that text (`subject: ~` was "~").
NULL_VARIANTS = {
    "null subject": ("subject: Bare Year Holdings", "subject: ~", False),
    "null publisher": ("publisher: Fixture Press", "publisher: null", False),
    "null sector": ("sector: finance", "sector: ~", True),
    "empty timeline tactic": ("tactic: apology, ", "tactic: , ", True),
}


@pytest.mark.parametrize(
    "old, new, accepted",
    [pytest.param(*v, id=k) for k, v in sorted(VARIANTS.items())]
    + [pytest.param(*v, id=k) for k, v in sorted(NULL_VARIANTS.items())],
)
def test_loader_and_schema_agree(old: str, new: str, accepted: bool):
    text = (SCHEMA_FIXTURES / "bare-years.md").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    case, problems = parse_case(text.encode(), Path("bare-years.md"))
    loader_ok = case is not None and not [p for p in problems if p.is_error]
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    schema_found = errors(read_yaml_12(front))
    assert (loader_ok, not schema_found) == (accepted, accepted), (
        [str(p) for p in problems],
        schema_found,
    )
