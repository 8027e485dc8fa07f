"""The Case model and its sub-records (pydantic), and the JSON Schema editors can check against.

Taxonomy ids are checked against the taxonomy passed in the validation context
(``Case.model_validate(data, context={"taxonomy": tax})``), else the packaged one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Annotated, Any, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from archive.taxonomy import Taxonomy, load_taxonomy

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MIN_YEAR = 1000  # four digits; year 0 is no date at all
CHANNELS = (
    "press-release", "press-conference", "video", "social-media", "website", "blog",
    "email", "newspaper-ad", "interview", "court", "in-store", "other",
)  # fmt: skip
_KIND_NAMES = {
    "crisis_types": "crisis type",
    "tactics": "tactic",
    "outcomes": "outcome",
    "sectors": "sector",
    "channels": "channel",
}


def _as_text(value: Any) -> Any:
    """Dates and years arrive as ints or date objects from forms and other loaders."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _check_partial_date(value: str) -> str:
    match = PARTIAL_DATE_RE.match(value)
    if not match:
        raise PydanticCustomError(
            "partial_date",
            "'{value}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD",
            {"value": value},
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    if year < MIN_YEAR:
        raise PydanticCustomError(
            "partial_date",
            "'{value}': the year must be {min_year} or later",
            {"value": value, "min_year": MIN_YEAR},
        )
    if month is not None and not 1 <= month <= 12:
        raise PydanticCustomError(
            "partial_date", "'{value}': month must be 01-12", {"value": value}
        )
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise PydanticCustomError(
            "partial_date", "'{value}': no such day in that month", {"value": value}
        )
    # A day of slack for editors ahead of UTC; a partial date counts from its first day.
    today = dt.date.today()
    if date_start(value) > today + dt.timedelta(days=1):
        raise PydanticCustomError(
            "partial_date",
            "'{value}' is in the future (today is {today}); the archive records what has happened",
            {"value": value, "today": today.isoformat()},
        )
    return value


def _check_full_date(value: str) -> str:
    _check_partial_date(value)
    if len(value) != 10:
        raise PydanticCustomError("full_date", "'{value}': write YYYY-MM-DD", {"value": value})
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_as_text),
    AfterValidator(_check_partial_date),
    Field(pattern=PARTIAL_DATE_RE.pattern, json_schema_extra={"x-yaml": "partial-date"}),
]
FullDate = Annotated[
    str,
    BeforeValidator(_as_text),
    AfterValidator(_check_full_date),
    Field(pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"x-yaml": "full-date"}),
]
Slug = Annotated[
    str, Field(pattern=SLUG_PATTERN, max_length=80, json_schema_extra={"x-yaml": "slug"})
]


def _taxonomy_checker(kind: str):
    def check(value: str, info: ValidationInfo) -> str:
        tax: Taxonomy = (info.context or {}).get("taxonomy") or load_taxonomy()
        if tax.has(kind, value):
            return value
        name = _KIND_NAMES[kind]
        guess = tax.suggest(kind, value)
        if guess:
            raise PydanticCustomError(
                "taxonomy",
                "unknown {name} '{value}': did you mean {guess}?",
                {"name": name, "value": value, "guess": guess},
            )
        raise PydanticCustomError(
            "taxonomy",
            "unknown {name} '{value}': see 'archive stats' or the glossary for ids",
            {"name": name, "value": value},
        )

    return check


def taxonomy_id(kind: str):
    """The type of an id of one taxonomy kind ("tactics"...): checked against the taxonomy,
    marked for the schema to list the ids."""
    return Annotated[
        str,
        AfterValidator(_taxonomy_checker(kind)),
        Field(json_schema_extra={"x-taxonomy": kind}),
    ]


CrisisType = taxonomy_id("crisis_types")
Tactic = taxonomy_id("tactics")
Outcome = taxonomy_id("outcomes")
Sector = taxonomy_id("sectors")
Channel = Annotated[Literal[CHANNELS], Field(description="how it reached people")]  # type: ignore[valid-type]


def _code_check(kind: str, case: Callable[[str], str], lookup: Callable[..., Any], message: str):
    """A validator of two-letter ISO codes: the code in its standard case, or a clear error."""

    def check(value: str) -> str:
        code = case(value)
        if len(code) != 2 or lookup(alpha_2=code) is None:
            raise PydanticCustomError(kind, message, {"value": value})
        return code

    return check


_check_country = _code_check(
    "country", str.upper, pycountry.countries.get,
    "'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. US, ID, AU)",
)  # fmt: skip
_check_language = _code_check(
    "language", str.lower, pycountry.languages.get,
    "'{value}' is not an ISO 639-1 language code (e.g. en, id, pt, ja)",
)  # fmt: skip


Country = Annotated[
    str,
    AfterValidator(_check_country),
    Field(pattern=r"^[A-Za-z]{2}$", json_schema_extra={"x-yaml": "country"}),
]


# A source may be in any language (quoted verbatim in it); the narrative is in en or id.
SourceLanguage = Annotated[
    str,
    AfterValidator(_check_language),
    Field(pattern=r"^[A-Za-z]{2}$", json_schema_extra={"x-yaml": "language"}),
]


@lru_cache(maxsize=1)
def source_languages() -> tuple[str, ...]:
    """Every ISO 639-1 code, the archive's two languages first (for pickers; read once: the
    language table has some 8,000 entries to walk)."""
    codes = sorted(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))
    return ("en", "id", *(c for c in codes if c not in ("en", "id")))


def language_name(code: str) -> str:
    """The English name of an ISO 639-1 language code ('pt' -> 'Portuguese')."""
    found = pycountry.languages.get(alpha_2=code.lower())
    return found.name if found else code


URL_PATTERN = r"^https?://[^\s]+$"


def _check_url(value: str) -> str:
    # Only web links: a javascript: or data: link in a case file must never become clickable.
    if not re.match(URL_PATTERN, value):
        raise PydanticCustomError(
            "url", "'{value}' is not a web address: write http:// or https://...", {"value": value}
        )
    return value


Url = Annotated[str, AfterValidator(_check_url), Field(json_schema_extra={"pattern": URL_PATTERN})]
NonEmpty = Annotated[str, Field(min_length=1)]


class Record(BaseModel):
    """Base of the case and its sub-records: immutable, text stripped, unknown keys ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)


class Source(Record):
    """A published source (article, press release, web page); it needs a publisher or a url."""

    title: NonEmpty
    publisher: str | None = None
    date: PartialDate | None = None
    language: SourceLanguage | None = None
    url: Url | None = None
    author: str | None = None
    quote: str | None = None
    accessed: FullDate | None = None  # when a web page was read (archive draft fills it in)

    @model_validator(mode="after")
    def _publisher_or_url(self) -> Source:
        if not (self.publisher or self.url):
            raise PydanticCustomError("source", "a source needs a publisher or a url")
        return self


class TimelineEvent(Record):
    """One dated event of the crisis or the response, with its tactic and channel if any."""

    date: PartialDate
    event: NonEmpty
    tactic: Tactic | None = None
    channel: Channel | None = None


class Statement(Record):
    """A dated public statement: who made it, the channel, its text and the tactics it uses."""

    date: PartialDate
    speaker: NonEmpty
    channel: Channel
    text: NonEmpty
    moves: list[Tactic] = Field(default_factory=list)


class EntityRecord(Record):
    """A person, organization or place the case names, and the other names it goes by."""

    name: NonEmpty
    kind: Literal["person", "organization", "place"]
    aliases: list[NonEmpty] = Field(default_factory=list)


class Case(Record):
    """One reputation crisis and the response to it. ``body`` is the Markdown narrative."""

    id: Slug
    title: Annotated[str, Field(min_length=5, max_length=200)]
    subject: NonEmpty
    subject_kind: Literal["organization", "person"]
    crisis_types: Annotated[list[CrisisType], Field(min_length=1)]
    tactics: Annotated[list[Tactic], Field(min_length=1)]
    outcome: Outcome
    crisis_date: PartialDate
    sources: Annotated[list[Source], Field(min_length=1)]
    language: Literal["en", "id"] = "en"
    sector: Sector | None = None
    countries: list[Country] = Field(default_factory=list)
    responsibility: Literal["victim", "accidental", "preventable"] | None = None
    outcome_summary: str | None = None
    timeline: list[TimelineEvent] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    entities: list[EntityRecord] = Field(default_factory=list)
    lessons: list[NonEmpty] = Field(default_factory=list)
    tags: list[Slug] = Field(default_factory=list)
    related: list[Slug] = Field(default_factory=list)
    status: Literal["draft", "reviewed"] = "draft"
    added: FullDate | None = None
    updated: FullDate | None = None
    body: Annotated[str, Field(min_length=1, description="the narrative (Markdown)")]

    @property
    def year(self) -> int:
        return int(self.crisis_date[:4])

    @property
    def crisis_day(self) -> dt.date:
        return date_start(self.crisis_date)


# Sub-record types by list key, for unknown-key checks in the loader.
SUBRECORDS: dict[str, type[Record]] = {
    "sources": Source,
    "timeline": TimelineEvent,
    "statements": Statement,
    "entities": EntityRecord,
}


def field_names(model: type[BaseModel]) -> set[str]:
    """The keys a model (the case or a sub-record) takes."""
    return set(model.model_fields)


def date_start(value: str) -> dt.date:
    """The first day a partial date can mean: '2013' -> 2013-01-01."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def duplicate_items(values: list[str]) -> list[int]:
    """Positions of values already seen earlier in the list."""
    seen: set[str] = set()
    dups = []
    for i, v in enumerate(values):
        if v in seen:
            dups.append(i)
        seen.add(v)
    return dups


# The JSON Schema describes a case file as an editor's YAML language server reads it: YAML 1.2
# (core schema), where `2013-12-19` is text, `2012` an integer, `true` a boolean and `yes` or
# `NO` text. The loader keeps every scalar as the text written, so `crisis_date: 2012` is the
# year "2012" and `subject: true` the word "true". Wherever the model takes text, the schema
# therefore also takes the numbers and booleans whose text the loader accepts there; it is as
# strict as the loader on ids, taxonomy terms, dates, country codes and required keys.
# What JSON Schema cannot say is left to the loader: dates in the future, id = file name,
# duplicates, links between cases, sizes and characters. The loader strips spaces around a
# value and takes any Unicode digit in a date; the schema does neither (write the value plainly).
_YEAR = r"[1-9][0-9]{3}"  # MIN_YEAR and later
_MONTH = r"(0[1-9]|1[0-2])"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
_DATE_TEXT = {"type": "string", "pattern": f"^{_YEAR}-{_MONTH}-{_DAY}$", "format": "date"}
_FREE_TEXT_TYPES = ["string", "number", "boolean"]


def _code_schema(codes: Iterable[str], description: str) -> dict[str, Any]:
    """Two-letter codes in any letter case (the loader normalises the case), as a pattern."""
    seconds: dict[str, list[str]] = {}
    for code in codes:
        seconds.setdefault(code[0].upper(), []).append(code[1].upper())
    alternatives = [
        f"[{a}{a.lower()}][{''.join(b + b.lower() for b in sorted(bs))}]"
        for a, bs in sorted(seconds.items())
    ]
    return {
        "type": "string",
        "pattern": "^(" + "|".join(alternatives) + ")$",
        "description": description,
    }


def _yaml_value_schema(kind: str) -> dict[str, Any]:
    """Schema of a value of a model type marked ``x-yaml``, as YAML 1.2 reads it."""
    if kind == "partial-date":
        return {
            "anyOf": [
                {"type": "string", "pattern": f"^{_YEAR}(-{_MONTH})?$"},
                _DATE_TEXT,
                {"type": "integer", "minimum": MIN_YEAR, "maximum": 9999},
            ],
            "description": "YYYY, YYYY-MM or YYYY-MM-DD; a bare year may be written unquoted",
            "examples": ["2013-12-19", "2013-12", 2013],
        }
    if kind == "full-date":
        return {**_DATE_TEXT, "description": "YYYY-MM-DD", "examples": ["2024-01-31"]}
    if kind == "slug":
        return {
            "anyOf": [
                {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 80},
                # `tags: [2012]` is the slug "2012", `true` the slug "true"
                {"type": "integer", "minimum": 0},
                {"type": "boolean"},
            ],
            "description": "lowercase letters, digits and hyphens",
        }
    if kind == "country":
        return _code_schema(
            [c.alpha_2 for c in pycountry.countries],
            "ISO 3166-1 alpha-2 country code, e.g. US, ID, AU (GB, not UK)",
        )
    if kind == "language":
        return _code_schema(
            source_languages(), "ISO 639-1 code of the source's language, e.g. en, id, pt, ja"
        )
    raise ValueError(f"unknown x-yaml kind {kind!r}")


def _is_free_text(node: dict[str, Any]) -> bool:
    return node.get("type") == "string" and not {"enum", "const", "pattern", "format"} & set(node)


def case_json_schema(taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """JSON Schema of a case file's keys, with the taxonomy ids as enums.

    Accepts every value the loader accepts, read as YAML 1.2 (see the notes above)."""
    tax = taxonomy or load_taxonomy()
    schema = Case.model_json_schema()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.pop("x-taxonomy", None)
            if kind:
                node["enum"] = tax.ids(kind)
            yaml_kind = node.pop("x-yaml", None)
            if yaml_kind:
                keep = {k: node[k] for k in ("title", "default") if k in node}
                node.clear()
                node.update(_yaml_value_schema(yaml_kind), **keep)
            elif _is_free_text(node):
                node["type"] = _FREE_TEXT_TYPES
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    # Source._publisher_or_url: a non-empty publisher or a url.
    schema["$defs"][Source.__name__]["anyOf"] = [
        {
            "required": ["publisher"],
            "properties": {"publisher": {"minLength": 1, "not": {"type": "null"}}},
        },
        {"required": ["url"], "properties": {"url": {"not": {"type": "null"}}}},
    ]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Comeback Case Archive case file"
    schema["description"] = (
        "Keys of a case file (YAML front matter of cases/<id>.md, or cases/<id>.yaml). "
        "In a .md file the narrative is the Markdown after the front matter; in .yaml it is 'body'. "
        "Read as YAML 1.2: an unquoted year such as 2012 is a number and is accepted as a date. "
        "Unknown keys are allowed: the loader ignores them with a warning."
    )
    schema["required"] = [r for r in schema["required"] if r != "body"]
    return schema


def case_json_schema_text(taxonomy: Taxonomy | None = None) -> str:
    """The JSON Schema as ``schema/case.schema.json`` holds it (indented, UTF-8, final newline)."""
    return json.dumps(case_json_schema(taxonomy), indent=2, ensure_ascii=False) + "\n"


# Tactics that count as "the fix" when measuring how fast a response came.
FIX_TACTICS = ("contain-and-fix", "security-improvement", "recall")


def response_times(case: Case) -> dict[str, int | None]:
    """Days from the crisis to the first statement, first apology and first fix.

    A statement is any dated timeline event with a channel (other than a court), or a recorded statement; an
    apology is an event with the apology tactic or a statement making that move. Days are
    counted from the first day the crisis date can mean; None where the data has no such
    event.
    """
    start = date_start(case.crisis_date)
    # A court filing or ruling is not the subject speaking.
    statement_days = [
        date_start(e.date) for e in case.timeline if e.channel and e.channel != "court"
    ]
    statement_days += [date_start(s.date) for s in case.statements]
    apology_days = [date_start(e.date) for e in case.timeline if e.tactic == "apology"]
    apology_days += [date_start(s.date) for s in case.statements if "apology" in s.moves]
    fix_days = [date_start(e.date) for e in case.timeline if e.tactic in FIX_TACTICS]

    def first(days: list[dt.date]) -> int | None:
        after = [d for d in days if d >= start]
        return (min(after) - start).days if after else None

    return {
        "first_statement": first(statement_days),
        "first_apology": first(apology_days),
        "first_fix": first(fix_days),
    }
