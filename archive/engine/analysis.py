"""How text is cut into index words, shared by every engine: tokenised, lower-cased,
stop-listed and stemmed per language (English with Porter's stemmer, Indonesian with
PySastrawi). The analysers are Whoosh's analysis chains (its tokenizer and filters are a
library here, not the engine); an engine that cannot run them indexes their output.

Example::

    >>> analyze("narrative_id", "Kebocoran data nasabah")
    ['bocor', 'data', 'nasabah']
    >>> spans("narrative_en", "Data was breached.", {"breach"})
    [(9, 17, 'breach')]
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.analyzers import Analyzer

from archive.fields import TEXT_FIELDS
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
    """English text: words lower-cased, stop words dropped, stemmed by Porter's stemmer."""
    return RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=_STOP) | StemFilter()


def indonesian_analyzer() -> Analyzer:
    """Indonesian text: words lower-cased, stop words dropped, stemmed by PySastrawi."""
    return (
        RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=_STOP) | IndonesianStemFilter()
    )


def plain_analyzer() -> Analyzer:
    """Words lower-cased and stop words dropped, not stemmed."""
    return RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=_STOP)


def facet_analyzer() -> Analyzer:
    """Facet values are kept whole (they may hold spaces and commas: entity names); a
    document's values are joined by FACET_SEP."""
    return RegexTokenizer(r"[^\x1f]+")


FACET_SEP = "\x1f"


@cache
def analyzer(kind: str) -> Analyzer:
    """The analyser of a kind: "en", "id" or "plain"."""
    return {"en": english_analyzer, "id": indonesian_analyzer, "plain": plain_analyzer}[kind]()


_FIELD_KIND = {f.name: f.analyzer for f in TEXT_FIELDS}


def field_analyzer(field: str) -> Analyzer:
    """The analyser of a text field (archive/fields.py)."""
    return analyzer(_FIELD_KIND[field])


# The analysers' tokenizer pattern (Whoosh's RegexTokenizer default). Every filter after it
# works on one token at a time, so a word's index words do not depend on its neighbours:
# each distinct word is analysed once and remembered (``_word``), which is what makes
# analysing whole narratives (snippets, tantivy's indexing) cheap.
_TOKEN = re.compile(r"[\w\*]+(\.?[\w\*]+)*", re.UNICODE)


@lru_cache(maxsize=1 << 18)
def _word(kind: str, word: str) -> tuple[str, ...]:
    return tuple(t.text for t in analyzer(kind)(word))


def analyze(field: str, text: str) -> list[str]:
    """The index words of ``text`` in a text field, in order (as the field's analyser makes
    them: the same words, a word at a time)."""
    kind = _FIELD_KIND[field]
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        out.extend(_word(kind, m.group()))
    return out


def spans(field: str, text: str, wanted: set[str] | frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of every occurrence in ``text`` of the wanted index words, as the
    field analyses it: where snippets put their marks."""
    if not wanted:
        return []
    kind = _FIELD_KIND[field]
    tails = _stem_tails(kind, frozenset(wanted))
    out = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        if tails is not None and not any(tail in token.lower() for tail in tails):
            continue  # it cannot stem to a wanted word: not stemmed at all
        for word in _word(kind, token):
            if word in wanted:
                out.append((m.start(), m.end(), word))
    return out


@lru_cache(maxsize=1024)
def _stem_tails(kind: str, wanted: frozenset[str]) -> frozenset[str] | None:
    """What a word must contain (lower-cased) to be analysed into one of the wanted words;
    None (analyse every word) when a wanted word is too short to tell.

    - Indonesian (PySastrawi): all but the first letter of a part of the stem. Prefix
      removal changes only a root's first letter (menulis -> tulis, menyapu -> sapu) and
      suffixes come off the end; PySastrawi's clean-up splits "USD139.4" into "usd139 4".
    - English (Porter): all but the last letter of the stem (happy -> happi, ponies -> poni).
    - Plain: the word itself.

    Stemming is the costly step of a snippet; this skips it for nearly every word.
    tests/test_engine.py checks the result against the analysers on every real case.
    """
    tails: set[str] = set()
    for word in wanted:
        if kind == "id":
            parts = [p[1:] for p in word.split() if len(p) > 2]
        elif kind == "en":
            parts = [word[:-1]] if len(word) > 2 else []
        else:
            parts = [word] if len(word) > 1 else []
        if not parts:
            return None
        tails.update(parts)
    return frozenset(tails)
