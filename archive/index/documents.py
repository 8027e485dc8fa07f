"""Case -> index document: the text fields, facet values, stored fields and sort keys of a
case, the words "did you mean" picks from, and the case rebuilt from a stored document."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from archive.entities import FACET_KINDS, Entity
from archive.fields import ENTITY_FACETS, FACET_NAMES, facet_values, tactic_families
from archive.taxonomy import LANGS, Taxonomy, country_name
from archive.words import markdown_to_plain

if TYPE_CHECKING:  # searching reads documents without the loader and the model (pydantic)
    from archive.loader import LoadedCase
    from archive.model import Case

FACETS = FACET_NAMES  # the facets' index fields, in the order of archive/fields.py


ENTITY_FACET = ENTITY_FACETS


NARRATIVE_FIELD = {"en": "narrative_en", "id": "narrative_id"}


TITLE_FIELD = {"en": "title_en", "id": "title_id"}


_WORD = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*", re.UNICODE)  # RegexTokenizer's default


# Case attributes stored apart for result lists, which need neither the narrative nor entities.
SUMMARY_FIELDS = (
    "id",
    "title",
    "subject",
    "subject_kind",
    "year",
    "crisis_date",
    "outcome",
    "crisis_types",
    "tactics",
    "sector",
    "countries",
    "language",
    "status",
)


def taxonomy_words(case: Case, tax: Taxonomy, lang: str) -> list[str]:
    """Labels and synonyms of the case's taxonomy terms in one language."""
    words: list[str] = []
    pairs = [("crisis_types", t) for t in case.crisis_types]
    pairs += [("tactics", t) for t in case.tactics]
    pairs.append(("outcomes", case.outcome))
    if case.sector:
        pairs.append(("sectors", case.sector))
    for kind, tid in pairs:
        if tax.has(kind, tid):
            words.extend(tax.get(kind, tid).words(lang))
    for family in tactic_families(case, tax):
        words.extend(tax.get("families", family).words(lang))
    return words


def _date_start(value: str):
    """The first day a partial date can mean (imported here: searching needs no model)."""
    from archive.model import date_start

    return date_start(value)


def case_document(
    loaded: LoadedCase, entities: Sequence[Entity], tax: Taxonomy, aliases: dict[str, list[str]]
) -> dict[str, Any]:
    """The case document an engine indexes for one case (``archive.engine.base``): its text,
    facet and stored fields and sort keys; entity aliases and country names are searchable."""
    case = loaded.case
    lang = case.language
    entity_words = []
    for e in entities:
        if e.kind in FACET_KINDS:
            entity_words.append(e.name)
            entity_words.extend(aliases.get(e.name, ()))
    for code in case.countries:
        entity_words.extend({country_name(code, "en"), country_name(code, "id")})
    terms = {lang: " \n".join(taxonomy_words(case, tax, lang)) for lang in LANGS}
    stored = case.model_dump(exclude={"body"}, exclude_defaults=False)
    plain = markdown_to_plain(case.body)
    doc: dict[str, Any] = {
        "id": case.id,
        "path": str(loaded.path),
        "content_hash": loaded.content_hash,
        TITLE_FIELD[lang]: case.title,
        "subject": case.subject,
        NARRATIVE_FIELD[lang]: plain,
        "body": case.body,
        "plain": plain,
        "summary": json.dumps(
            {name: getattr(case, name) for name in SUMMARY_FIELDS}, ensure_ascii=False
        ),
        "terms_en": terms["en"],
        "terms_id": terms["id"],
        "entities_text": " \n".join(entity_words),
        "date_sort": _date_start(case.crisis_date).isoformat(),
        "title_sort": case.title.casefold(),
        "case_json": json.dumps(
            {"case": stored, "entities": [e.to_dict() for e in entities]}, ensure_ascii=False
        ),
    }
    for name, values in facet_values(case, entities, tax).items():
        if values:
            doc[name] = values
    return doc


def spell_words(doc: dict[str, Any]) -> set[str]:
    """The distinct words (lower case, as written) of a case document: "did you mean" picks
    its suggestions among the words of all cases."""
    parts = [
        doc.get(name, "") for name in (*TITLE_FIELD.values(), "subject", *NARRATIVE_FIELD.values())
    ]
    parts += [doc.get("terms_en", ""), doc.get("terms_id", ""), doc.get("entities_text", "")]
    return {w.lower() for w in _WORD.findall(" ".join(parts)) if not w.isdigit()}


def case_from_stored(stored: dict[str, Any]) -> tuple[Case, list[Entity]]:
    """Rebuild the Case and its entities from an indexed document's stored fields."""
    data = json.loads(stored["case_json"])
    from archive.model import Case

    case = Case.model_validate({**data["case"], "body": stored.get("body", "")})
    return case, [Entity.from_dict(e) for e in data["entities"]]
