"""The archive's facets and text fields, in one table that everything else reads.

A facet is a set of values per case that can be filtered and counted (crisis types,
tactics, channels, countries, the people named...). A text field is what words are matched
in (titles, narratives, taxonomy words, names). The index schema, the query parser's field
names and boosts, the command line's filter options, the app's filters and labels, the case
page's entity links, the exports and the benchmark all come from these rows: adding a facet
is one row here (plus its labels in the interface strings).

Boosts apply once, at query time (the index stores plain term frequencies), so that every
engine weighs fields the same way.

Example::

    >>> facet("tactics").taxonomy, facet("tactics").cli
    ('tactics', 'tactic')
    >>> [f.name for f in TEXT_FIELDS if f.boost > 1]
    ['title_en', 'title_id', 'subject', 'terms_en', 'terms_id', 'entities_text']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only the shapes matter here: the command line reads this table
    # without importing pydantic's model, and entities imports spaCy
    from archive.entities import Entity
    from archive.model import Case
    from archive.taxonomy import Taxonomy


@dataclass(frozen=True)
class Facet:
    """One facet: its name (index field, filter key, URL parameter, JSON key) and where its
    values come from, what labels them and where it is offered."""

    name: str
    values: Callable[[Case, Sequence[Any], Taxonomy], list[str]]
    taxonomy: str | None = None  # the taxonomy section that labels its values
    entity: str | None = None  # the entity kind whose canonical names are its values
    cli: str | None = None  # the option of 'archive search' (repeatable: OR)
    cli_help: str = ""
    aliases: tuple[str, ...] = ()  # names people type before a colon in a query
    filter: bool = True  # offered as a filter in the app
    keep_case: bool = False  # values are names: queries do not lower-case them


@dataclass(frozen=True)
class TextField:
    """One field words are matched in, with its language's analysis and its weight."""

    name: str
    analyzer: str  # "en", "id" (stemmed in that language) or "plain"
    boost: float = 1.0
    aliases: tuple[str, ...] = ()


def tactic_families(case: Case, tax: Taxonomy) -> list[str]:
    """The SCCT strategy families of the case's tactics."""
    fams = {tax.get("tactics", t).family for t in case.tactics if tax.has("tactics", t)}
    return sorted(f for f in fams if f)


def channels_of(case: Case) -> list[str]:
    """How the case played out in public: the channels of its dated events and statements
    (press release, social media, video, interview, court...)."""
    found = {e.channel for e in case.timeline if e.channel}
    found |= {s.channel for s in case.statements}
    return sorted(found)


def _entity_names(kind: str) -> Callable[[Case, Sequence[Any], Taxonomy], list[str]]:
    return lambda case, entities, tax: [e.name for e in entities if e.kind == kind]


FACETS: tuple[Facet, ...] = (
    Facet("crisis_types", lambda c, e, t: list(c.crisis_types), taxonomy="crisis_types",
          cli="crisis-type", cli_help="Crisis type id",
          aliases=("crisis", "crisis_type", "crisis_types", "type")),
    Facet("tactics", lambda c, e, t: list(c.tactics), taxonomy="tactics", cli="tactic",
          cli_help="Tactic id", aliases=("tactic", "tactics")),
    Facet("family", lambda c, e, t: tactic_families(c, t), taxonomy="families", cli="family",
          cli_help="Strategy family: deny, diminish, rebuild, bolster", aliases=("family",)),
    Facet("outcome", lambda c, e, t: [c.outcome], taxonomy="outcomes", cli="outcome",
          cli_help="Outcome id", aliases=("outcome",)),
    Facet("sector", lambda c, e, t: [c.sector] if c.sector else [], taxonomy="sectors",
          cli="sector", cli_help="Sector id", aliases=("sector",)),
    Facet("channel", lambda c, e, t: channels_of(c), taxonomy="channels", cli="channel",
          cli_help="Response channel: press-release, social-media, video, interview, ...",
          aliases=("channel", "channels")),
    Facet("countries", lambda c, e, t: list(c.countries), cli="country",
          cli_help="ISO country code", aliases=("country", "countries")),
    Facet("subject_kind", lambda c, e, t: [c.subject_kind], cli="subject-kind",
          cli_help="organization or person", aliases=("kind", "subject_kind")),
    Facet("language", lambda c, e, t: [c.language], cli="language",
          cli_help="Narrative language: en or id", aliases=("language", "lang")),
    Facet("year", lambda c, e, t: [str(c.year)], filter=False, aliases=("year",)),
    Facet("status", lambda c, e, t: [c.status], cli="status", cli_help="draft or reviewed",
          filter=False, aliases=("status",)),
    Facet("responsibility", lambda c, e, t: [c.responsibility] if c.responsibility else [],
          cli="responsibility", cli_help="SCCT cluster: victim, accidental or preventable",
          filter=False, aliases=("responsibility",)),
    Facet("people", _entity_names("person"), entity="person", cli="person",
          cli_help="Person (canonical name)", keep_case=True),
    Facet("organizations", _entity_names("organization"), entity="organization",
          cli="organization", cli_help="Organisation (canonical name)", keep_case=True),
    Facet("places", _entity_names("place"), entity="place", cli="place",
          cli_help="Place (canonical name)", keep_case=True),
)  # fmt: skip

TEXT_FIELDS: tuple[TextField, ...] = (
    TextField("title_en", "en", 3.0, ("title",)),
    TextField("title_id", "id", 3.0, ("title",)),
    TextField("subject", "plain", 3.0, ("subject",)),
    TextField("narrative_en", "en", 1.0, ("text", "narrative")),
    TextField("narrative_id", "id", 1.0, ("text", "narrative")),
    TextField("terms_en", "en", 1.5),
    TextField("terms_id", "id", 1.5),
    TextField("entities_text", "plain", 2.0, ("entity", "person", "org", "organization", "place")),
    # The other language's words for the crisis and business terms of the case's own text
    # (archive/bilingual.yaml): an English query finds an Indonesian write-up and the reverse.
    TextField("bridge_en", "en", 1.0),
    TextField("bridge_id", "id", 1.0),
    # Its sources' titles and publishers (in each source's language), weighed low: a word
    # only a headline holds still finds the case. And the words of the case's id.
    TextField("sources_en", "en", 0.5, ("source",)),
    TextField("sources_id", "id", 0.5, ("source",)),
    TextField("id_words", "en", 1.0, ("id",)),
)

FACET_NAMES: tuple[str, ...] = tuple(f.name for f in FACETS)
TEXT_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in TEXT_FIELDS)
BOOSTS: dict[str, float] = {f.name: f.boost for f in TEXT_FIELDS if f.boost != 1.0}
# Facets whose values are taxonomy ids -> their section in taxonomy.yaml.
TAXONOMY_FACETS: dict[str, str] = {f.name: f.taxonomy for f in FACETS if f.taxonomy}
# Entity kind -> the facet of its names.
ENTITY_FACETS: dict[str, str] = {f.entity: f.name for f in FACETS if f.entity}
FILTER_FACETS: tuple[str, ...] = tuple(f.name for f in FACETS if f.filter)


def _aliases() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for spec in (*TEXT_FIELDS, *FACETS):
        for alias in spec.aliases:
            names.setdefault(alias, []).append(spec.name)
    return names


# What people type before a colon -> the fields they mean ("title:" is both titles).
FIELD_ALIASES: dict[str, list[str]] = _aliases()


def schema_fingerprint() -> str:
    """A short hash of the index's fields and their analysers: an index built with other
    fields (a facet added, a text field's language changed) is rebuilt, with no version to
    bump by hand."""
    import hashlib

    rows = [[f.name, f.analyzer] for f in TEXT_FIELDS] + [[f.name] for f in FACETS]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def facet(name: str) -> Facet:
    """The facet called ``name`` (KeyError for an unknown one)."""
    for spec in FACETS:
        if spec.name == name:
            return spec
    raise KeyError(name)


def facet_values(case: Case, entities: Sequence[Entity], tax: Taxonomy) -> dict[str, list[str]]:
    """Every facet's values for one case, sorted and without repeats."""
    return {f.name: sorted(set(f.values(case, entities, tax))) for f in FACETS}
