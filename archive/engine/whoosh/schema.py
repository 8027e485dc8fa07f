"""The Whoosh index's analysis and schema: how words of each language are cut, lower-cased,
stop-listed and stemmed, and the fields of a document, from the table in archive/fields.py."""

from __future__ import annotations

from whoosh import fields
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.analyzers import Analyzer

from archive.fields import FACET_NAMES, TEXT_FIELDS
from archive.words import stem_indonesian

_EN_STOP = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with".split()
)
# Function words only: content words such as "tidak" stay searchable.
_ID_STOP = frozenset(
    "yang dan di ke dari untuk dengan pada ini itu dalam adalah atau juga oleh akan sebagai "
    "bahwa karena para serta".split()
)
_STOP = _EN_STOP | _ID_STOP


class IndonesianStemFilter(Filter):
    """Stems tokens with PySastrawi (the Nazief-Adriani algorithm): kebocoran -> bocor."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = stem_indonesian(t.text)
            yield t


def english_analyzer() -> Analyzer:
    return RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=_STOP) | StemFilter()


def indonesian_analyzer() -> Analyzer:
    return (
        RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=_STOP) | IndonesianStemFilter()
    )


def plain_analyzer() -> Analyzer:
    return RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=_STOP)


def facet_analyzer() -> Analyzer:
    return RegexTokenizer(r"[^\x1f]+")


def build_schema() -> fields.Schema:
    """The Whoosh schema from the table of fields and facets (archive/fields.py)."""
    analyzers = {"en": english_analyzer(), "id": indonesian_analyzer(), "plain": plain_analyzer()}
    text = {
        # Narratives keep each word's characters, so snippets come from the stored offsets
        # instead of analysing the text again. No field_boost: boosts apply at query time.
        f.name: fields.TEXT(analyzer=analyzers[f.analyzer], chars=f.positions)
        for f in TEXT_FIELDS
    }
    facet = {
        name: fields.KEYWORD(analyzer=facet_analyzer(), scorable=False, stored=False)
        for name in FACET_NAMES
    }
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        path=fields.STORED(),
        content_hash=fields.ID(stored=True, sortable=True),
        body=fields.STORED(),
        plain=fields.STORED(),  # the text the narrative's stored offsets point into
        summary=fields.STORED(),  # what a result list shows, as JSON (see SUMMARY_FIELDS)
        date_sort=fields.ID(sortable=True),
        title_sort=fields.ID(sortable=True),
        case_json=fields.STORED(),
        **text,
        **facet,
    )
