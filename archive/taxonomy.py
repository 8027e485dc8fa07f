"""The controlled vocabulary: crisis types, tactics, outcomes, sectors, channels, and the
bilingual vocabulary of crisis and business terms (``bilingual.yaml``) that lets a query in
one language find a case written in the other.

Example::

    >>> tax = load_taxonomy()
    >>> tax.label("crisis_types", "data-breach", "id")
    'Kebocoran data'
    >>> tax.suggest("tactics", "apolgy")
    'apology'
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml

from archive.errors import TaxonomyError

# libyaml's safe loader when PyYAML was built with it (about five times faster), else
# PyYAML's own: both build only plain data.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Lang = Literal["en", "id"]
LANGS: tuple[Lang, ...] = ("en", "id")
KINDS = ("crisis_types", "tactics", "outcomes", "sectors", "channels", "families")
FAMILIES = ("deny", "diminish", "rebuild", "bolster")


@dataclass(frozen=True)
class Term:
    """One term of one kind: its id, label and definition in both languages, synonyms, and
    for a tactic its strategy family."""

    kind: str
    id: str
    label: dict[str, str]
    definition: dict[str, str]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    family: str | None = None

    def words(self, lang: Lang) -> list[str]:
        """The label and synonyms in one language: what search expansion indexes."""
        return [self.label[lang], *self.synonyms.get(lang, ())]


class Taxonomy:
    """Every term by kind and id, from the parsed taxonomy file (TaxonomyError if it is
    malformed); ``fingerprint`` is a short hash of the file's data."""

    def __init__(self, data: dict, source: str = "taxonomy.yaml", bilingual: dict | None = None):
        """``bilingual``: the parsed ``bilingual.yaml`` (none: no pairs)."""
        self.version = data.get("version", 1)
        self.pairs = _pairs(bilingual or {}, "bilingual.yaml")
        self._terms: dict[str, dict[str, Term]] = {}
        for kind in KINDS:
            section = data.get(kind) or {}
            if not isinstance(section, dict):
                raise TaxonomyError(f"{source}: {kind} must be a mapping of id -> term")
            self._terms[kind] = {tid: _term(kind, tid, raw, source) for tid, raw in section.items()}
        # Changes to labels or synonyms change what is indexed with each case. (JSON: the
        # same data in a canonical form, a hundred times faster than dumping YAML again.)
        text = json.dumps([data, bilingual], sort_keys=True, ensure_ascii=False, default=str)
        self.fingerprint = hashlib.sha256(text.encode()).hexdigest()[:16]

    def terms(self, kind: str) -> dict[str, Term]:
        return self._terms[kind]

    def ids(self, kind: str) -> list[str]:
        return list(self._terms[kind])

    def has(self, kind: str, term_id: str) -> bool:
        return term_id in self._terms[kind]

    def get(self, kind: str, term_id: str) -> Term:
        return self._terms[kind][term_id]

    def label(self, kind: str, term_id: str, lang: Lang = "en") -> str:
        term = self._terms[kind].get(term_id)
        return term.label.get(lang, term_id) if term else term_id

    def suggest(self, kind: str, value: str) -> str | None:
        """The closest known id to a mistyped one, matching ids and labels in both languages."""
        if not isinstance(value, str) or not value:
            return None
        candidates: dict[str, str] = {}
        for term in self._terms[kind].values():
            candidates[term.id] = term.id
            for lang in LANGS:
                candidates.setdefault(term.label[lang].lower(), term.id)
        hits = difflib.get_close_matches(value.lower(), list(candidates), n=1, cutoff=0.6)
        return candidates[hits[0]] if hits else None


def _term(kind: str, tid: str, raw: dict, source: str) -> Term:
    try:
        label = {lang: str(raw["label"][lang]) for lang in LANGS}
        definition = {lang: " ".join(str(raw["definition"][lang]).split()) for lang in LANGS}
    except (KeyError, TypeError) as exc:
        raise TaxonomyError(
            f"{source}: {kind}.{tid}: needs label and definition in en and id"
        ) from exc
    synonyms_raw = raw.get("synonyms") or {}
    synonyms = {lang: tuple(str(s) for s in synonyms_raw.get(lang) or ()) for lang in LANGS}
    family = raw.get("family")
    if family is not None and family not in FAMILIES:
        raise TaxonomyError(f"{source}: {kind}.{tid}: unknown family {family!r}")
    return Term(kind, tid, label, definition, synonyms, family)


Pair = tuple[tuple[str, ...], tuple[str, ...]]  # one meaning: its English and Indonesian terms


def _pairs(raw: dict, source: str) -> tuple[Pair, ...]:
    """The bilingual pairs, each with terms on both sides (TaxonomyError naming the pair)."""
    pairs = []
    for n, pair in enumerate(raw.get("pairs") or [], 1):
        sides = pair if isinstance(pair, dict) else {}
        en, id_ = (tuple(str(w).strip() for w in sides.get(lang) or ()) for lang in LANGS)
        if not en or not id_ or not all(en) or not all(id_):
            raise TaxonomyError(f"{source}: pair {n} ({pair!r}) needs terms in both en and id")
        pairs.append((en, id_))
    return tuple(pairs)


def _packaged(name: str) -> dict:
    text = resources.files("archive").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """The packaged taxonomy and bilingual vocabulary, parsed once per process."""
    return Taxonomy(_packaged("taxonomy.yaml"), bilingual=_packaged("bilingual.yaml"))


@lru_cache(maxsize=512)
def country_name(code: str, lang: Lang = "en") -> str:
    """The country's name in English or Indonesian: country_name("US", "id") -> "Amerika Serikat"."""
    import gettext

    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    if lang == "en":
        return name
    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True
    )
    return translation.gettext(country.name)
