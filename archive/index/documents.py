"""Case -> index document: the text fields, facet values, stored fields and sort keys of a
case, the words "did you mean" picks from, and the case rebuilt from a stored document."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from archive.engine.analysis import analyze
from archive.entities import FACET_KINDS, Entity
from archive.fields import (
    ENTITY_FACETS,
    FACET_NAMES,
    TEXT_FIELD_NAMES,
    facet_values,
    tactic_families,
)
from archive.taxonomy import LANGS, Pair, Taxonomy, country_name
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


def bridge_words(tax: Taxonomy, lang: str, text: str) -> list[str]:
    """The other language's terms of every bilingual pair (archive/bilingual.yaml) whose
    ``lang`` side occurs in the text, as the narrative field analyses both."""
    words = analyze(NARRATIVE_FIELD[lang], text)
    grams = {tuple(words[i : i + n]) for n in (1, 2, 3, 4) for i in range(len(words) - n + 1)}
    found: list[str] = []
    for terms, other in _analysed_pairs(tax.fingerprint, tax.pairs, lang):
        if not terms.isdisjoint(grams):
            found.extend(other)
    return found


@lru_cache(maxsize=4)
def _analysed_pairs(
    fingerprint: str, pairs: tuple[Pair, ...], lang: str
) -> list[tuple[frozenset[tuple[str, ...]], tuple[str, ...]]]:
    """Per pair: its ``lang`` terms as analysed word tuples, and the other side's terms."""
    mine, other = (0, 1) if lang == "en" else (1, 0)
    out = []
    for pair in pairs:
        terms = frozenset(
            tuple(w) for w in (analyze(NARRATIVE_FIELD[lang], t) for t in pair[mine]) if w
        )
        out.append((terms, pair[other]))
    return out


def source_texts(case: Case) -> dict[str, str]:
    """The titles and publishers of the case's sources, by the source's language (both
    fields when a source gives none)."""
    texts: dict[str, list[str]] = {"en": [], "id": []}
    for source in case.sources:
        words = [source.title, source.publisher or ""]
        for lang in [source.language] if source.language in texts else LANGS:
            texts[lang].extend(words)
    return {f"sources_{lang}": " \n".join(w for w in texts[lang] if w) for lang in LANGS}


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
    plain = markdown_to_plain(case.body)
    other = "id" if lang == "en" else "en"
    stored = case.model_dump(exclude={"body"}, exclude_defaults=False)
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
        f"bridge_{other}": " \n".join(bridge_words(tax, lang, f"{case.title}\n{plain}")),
        "id_words": case.id.replace("-", " "),
        **source_texts(case),
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
    parts = [doc.get(name, "") for name in TEXT_FIELD_NAMES]
    return {w.lower() for w in _WORD.findall(" ".join(parts)) if not w.isdigit()}


def case_from_stored(stored: dict[str, Any]) -> tuple[Case, list[Entity]]:
    """Rebuild the Case and its entities from an indexed document's stored fields."""
    data = json.loads(stored["case_json"])
    from archive.model import Case

    case = Case.model_validate({**data["case"], "body": stored.get("body", "")})
    return case, [Entity.from_dict(e) for e in data["entities"]]
