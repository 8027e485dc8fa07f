"""Taxonomy words found in sentences: the labels and synonyms of both languages, stemmed.

Every term of the taxonomy (crisis types, tactics, sectors, channels) is known by its
English and Indonesian label and synonyms. A sentence matches a term when the stems of
one of those phrases occur in it in order ("apologised" finds "apologize", "kebocoran"
finds "data bocor"'s stem). Short all-capital synonyms (IT, CSR, PLN) match only as
written, so the pronoun "it" is not the IT sector.

Example::

    >>> matcher = KeywordMatcher(load_taxonomy())
    >>> [(h.kind, h.term) for h in matcher.hits([Sentence(0, "The CEO apologised.", "en")])]
    [('tactics', 'apology')]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from archive.taxonomy import LANGS, Taxonomy
from archive.words import WORD_RE, stem

KINDS = ("crisis_types", "tactics", "sectors", "channels")
LABEL_WEIGHT = 1.0
SYNONYM_WEIGHT = 0.8
OTHER_LANGUAGE = 0.7  # an English phrase in an Indonesian text, or the other way round
SATURATION = 1.5  # hits -> score: 1 - exp(-weight / SATURATION); one label hit ~ 0.49
DEFAULT_RELIABILITY = 0.5  # a phrase the learned model never saw
_SKIP = {("channels", "other")}  # "other", "letter", "event": too vague to suggest anything


@dataclass(frozen=True)
class Sentence:
    """One sentence of one source (``source`` is the source's position)."""

    source: int
    text: str
    lang: str
    title: bool = False  # a source's headline


@dataclass(frozen=True)
class KeywordHit:
    """A taxonomy term found in one sentence, the phrase that matched and its weight."""

    kind: str
    term: str
    sentence: int  # position in the sentence list given to hits()
    words: str  # the phrase as the taxonomy writes it
    weight: float


class KeywordMatcher:
    """Finds the terms of the given taxonomy kinds in sentences by their stemmed labels and
    synonyms in both languages."""

    def __init__(self, tax: Taxonomy, kinds: Sequence[str] = KINDS):
        self.taxonomy = tax
        # (language, stems) -> [(kind, term id, weight, phrase)]; acronyms keyed as written
        self._phrases: dict[tuple[str, tuple[str, ...]], list[tuple[str, str, float, str]]] = (
            defaultdict(list)
        )
        self._longest = 1
        for kind in kinds:
            for term in tax.terms(kind).values():
                if (kind, term.id) in _SKIP:
                    continue
                for lang in LANGS:
                    for n, phrase in enumerate(term.words(lang)):
                        weight = LABEL_WEIGHT if n == 0 else SYNONYM_WEIGHT
                        self._add(kind, term.id, lang, phrase, weight)

    def _add(self, kind: str, term: str, lang: str, phrase: str, weight: float) -> None:
        words = WORD_RE.findall(phrase)
        if not words:
            return
        if len(words) == 1 and _is_acronym(words[0]):
            key = ("=", (words[0],))
        else:
            key = (lang, tuple(stem(w.lower(), lang) for w in words))
        entry = (kind, term, weight, phrase)
        if entry not in self._phrases[key]:
            self._phrases[key].append(entry)
        self._longest = max(self._longest, len(words))

    def hits(self, sentences: Sequence[Sentence]) -> list[KeywordHit]:
        """Every term found in every sentence (a term counts once per sentence, best phrase)."""
        found: list[KeywordHit] = []
        for i, sentence in enumerate(sentences):
            best: dict[tuple[str, str], KeywordHit] = {}
            for hit in self._sentence_hits(i, sentence):
                key = (hit.kind, hit.term)
                if key not in best or hit.weight > best[key].weight:
                    best[key] = hit
            found.extend(best.values())
        return found

    def _sentence_hits(self, i: int, sentence: Sentence) -> Iterable[KeywordHit]:
        words = WORD_RE.findall(sentence.text)
        for lang in LANGS:
            factor = 1.0 if lang == sentence.lang else OTHER_LANGUAGE
            stems = [stem(w.lower(), lang) for w in words]
            yield from self._ngrams(i, lang, stems, factor)
        for word in words:
            for kind, term, weight, phrase in self._phrases.get(("=", (word,)), ()):
                yield KeywordHit(kind, term, i, phrase, weight)

    def _ngrams(self, i: int, lang: str, stems: list[str], factor: float) -> Iterable[KeywordHit]:
        for start in range(len(stems)):
            for n in range(1, self._longest + 1):
                gram = tuple(stems[start : start + n])
                if len(gram) < n:
                    break
                for kind, term, weight, phrase in self._phrases.get((lang, gram), ()):
                    yield KeywordHit(kind, term, i, phrase, weight * factor)


def _is_acronym(word: str) -> bool:
    return len(word) <= 5 and word.isupper()


def keyword_scores(hits: Iterable[KeywordHit], kind: str) -> dict[str, float]:
    """Per term of ``kind``: 1 - exp(-summed hit weight / SATURATION), in [0, 1)."""
    totals: dict[str, float] = defaultdict(float)
    for hit in hits:
        if hit.kind == kind:
            totals[hit.term] += hit.weight
    return {term: 1 - math.exp(-total / SATURATION) for term, total in totals.items()}


def keyword_stats(
    hits: Iterable[KeywordHit],
    kind: str,
    sentences: Sequence[Sentence],
    reliability: Mapping[tuple[str, str, str], float] | None = None,
) -> dict[str, tuple[float, float, float]]:
    """Per term of ``kind``: (score as in keyword_scores, share of the kind's hit weight,
    1.0 if a headline names it else 0.0). ``reliability`` weighs each phrase by how often
    the cases it occurs in carry the term (learned; see archive.intake.learned)."""
    totals: dict[str, float] = defaultdict(float)
    headline: set[str] = set()
    for hit in hits:
        if hit.kind == kind:
            factor = (
                reliability.get((hit.kind, hit.term, hit.words), DEFAULT_RELIABILITY)
                if (reliability is not None)
                else 1.0
            )
            totals[hit.term] += hit.weight * factor
            if sentences[hit.sentence].title:
                headline.add(hit.term)
    whole = sum(totals.values()) or 1.0
    return {
        t: (1 - math.exp(-w / SATURATION), w / whole, float(t in headline))
        for t, w in totals.items()
    }


def feature_tokens(hits: Iterable[KeywordHit]) -> list[str]:
    """The hits as tokens a learned model can weigh beside the words: 'kw=tactics:apology'."""
    return [f"kw={hit.kind}:{hit.term}" for hit in hits]
