"""A case draft from its sources: every suggestion with the sentence it came from.

The steps, one way: sources -> articles (fetch, extract) -> sentences -> entity mentions,
dates, quotes, taxonomy words -> suggestions (keywords combined with the learned model) ->
a Draft, which renders as a case file full of evidence comments and TODO placeholders, or
as JSON for tools. Nothing here writes a file; the command line and the app do that.

Example::

    >>> drafter = drafter_for(cases, index_dir=Path(".archive"))
    >>> draft = drafter.draft([extract_article(read_source("article.html"))])
    >>> draft.suggestions["crisis_types"][0].id
    'data-breach'
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from archive.editor import slugify, suggest_id
from archive.entities import (
    CuratedName,
    EntityExtractor,
    EntitySpan,
    curated_entities,
    sentence_spans,
)
from archive.intake.dates import find_dates, parse_publication_date
from archive.intake.extract import Article
from archive.intake.keywords import KeywordHit, KeywordMatcher, Sentence, keyword_stats
from archive.intake.learned import (
    NO_KEYWORD,
    SuggestionModel,
    case_sentences,
    document_tokens,
    load_or_train,
    tokens,
)
from archive.intake.quotes import Quote, find_quotes
from archive.model import Case
from archive.taxonomy import Taxonomy, load_taxonomy

# How a suggestion's score is made: the keyword score and the learned probability, mixed.
# Measured by scripts/benchmark_draft.py (leave-one-out over the archive's cases).
KEYWORD_WEIGHT = 0.5
MODEL_WEIGHT = 0.5
THRESHOLD = {"crisis_types": 0.35, "tactics": 0.4}  # above it a suggestion goes into the draft
MAX_SUGGESTIONS = 12
MAX_EVIDENCE = 2
MAX_ENTITIES = 40
DUPLICATE_SIMILARITY = 0.5
_SUGGESTED = ("crisis_types", "tactics", "sector", "countries", "subject_kind", "responsibility")
_KIND_OF = {"crisis_types": "crisis_types", "tactics": "tactics", "sector": "sectors"}


@dataclass(frozen=True)
class Suggestion:
    """A value the sources suggest for a field, its score and the sentences it came from."""

    id: str
    score: float
    evidence: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": round(self.score, 3), "evidence": list(self.evidence)}


@dataclass(frozen=True)
class EntityCandidate:
    """A person, organisation or place the sources mention ``count`` times; ``known`` if the
    archive's curated names have it."""

    name: str
    kind: str
    known: bool
    count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TimelineCandidate:
    """A dated sentence of a source (``source``: the article's position), offered as a
    timeline event with the tactic and channel its words suggest."""

    date: str
    text: str  # the sentence: the evidence
    tactic: str | None
    channel: str | None
    source: int
    words: str  # the date as written

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "text": self.text, "tactic": self.tactic,
                "channel": self.channel, "source": self.source, "as_written": self.words}  # fmt: skip


@dataclass(frozen=True)
class DuplicateCandidate:
    """A case of the archive the draft may repeat, with why (same subject, similar text)."""

    id: str
    title: str
    reason: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "reason": self.reason,
                "score": round(self.score, 3)}  # fmt: skip


@dataclass
class Draft:
    """What the sources suggest; ``case`` holds the draft's fields (placeholders included)."""

    case: dict[str, Any]
    suggestions: dict[str, list[Suggestion]]
    entities: list[EntityCandidate]
    timeline: list[TimelineCandidate]
    quotes: list[Quote]
    duplicates: list[DuplicateCandidate]
    articles: list[Article]
    subject_evidence: list[str] = field(default_factory=list)
    crisis_date_evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "suggestions": {k: [s.to_dict() for s in v] for k, v in self.suggestions.items()},
            "entities": [e.to_dict() for e in self.entities],
            "timeline": [t.to_dict() for t in self.timeline],
            "quotes": [asdict(q) for q in self.quotes],
            "duplicates": [d.to_dict() for d in self.duplicates],
            "sources": [
                {
                    "source": a.source,
                    "title": a.title,
                    "language": a.language,
                    "words": a.words,
                    "date": a.date,
                    "notes": a.notes,
                }  # fmt: skip
                for a in self.articles
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        from archive.intake.render import draft_text

        return draft_text(self)


class Drafter:
    """Drafts cases against one state of the archive (its cases, names and learned model)."""

    def __init__(
        self,
        cases: Sequence[Case],
        model: SuggestionModel,
        extractor: EntityExtractor,
        matcher: KeywordMatcher,
        taxonomy: Taxonomy | None = None,
    ):
        self.cases = list(cases)
        self.model = model
        self.extractor = extractor
        self.matcher = matcher
        self.taxonomy = taxonomy or load_taxonomy()
        self._known = _known_names(extractor.curated)
        self._case_matrix = None  # the cases' vectors, for duplicates by similar text

    def draft(
        self,
        articles: Sequence[Article],
        case_id: str | None = None,
        taken: Sequence[str] = (),
        today: dt.date | None = None,
    ) -> Draft:
        """The draft of one case from one or more articles (at least one)."""
        if not articles:
            raise ValueError("a draft needs at least one article")
        today = today or dt.date.today()
        reading = _Reading.of(list(articles), self.extractor)
        hits = self.matcher.hits(reading.sentences)
        doc = document_tokens(reading.sentences, hits)
        probs = self.model.predict(doc)
        sentence_docs = [tokens(s.text, s.lang) for s in reading.sentences]
        suggestions: dict[str, list[Suggestion]] = {}
        for kind in ("crisis_types", "tactics", "sector"):
            suggestions[kind] = self._rank(kind, hits, probs, reading, sentence_docs)
        subject, subject_kind, subject_evidence = self._subject(reading, probs)
        suggestions["subject_kind"] = subject_kind
        suggestions["countries"] = self._countries(reading)
        suggestions["responsibility"] = self._responsibility(
            probs, suggestions, reading, sentence_docs
        )
        timeline = self._timeline(reading, hits)
        crisis_date, date_evidence = self._crisis_date(timeline, hits, suggestions, reading, today)
        entities = self._entities(reading)
        case = self._case_fields(
            reading, suggestions, subject, crisis_date, timeline, entities, case_id, taken, today
        )
        draft = Draft(
            case=case,
            suggestions={k: suggestions[k] for k in _SUGGESTED},
            entities=entities,
            timeline=timeline,
            quotes=reading.quotes,
            duplicates=[],
            articles=reading.articles,
            subject_evidence=subject_evidence,
            crisis_date_evidence=date_evidence,
        )
        draft.duplicates = self._duplicates(draft, doc)
        return draft

    def threshold(self, kind: str) -> float:
        """Above this score a suggestion goes into the draft: learned with the model, or the
        keyword default where the archive is too small to learn it."""
        return self.model.thresholds.get(kind, THRESHOLD[kind])

    # -- suggestions -----------------------------------------------------------------------

    def _rank(self, kind, hits, probs, reading, sentence_docs) -> list[Suggestion]:
        """Every term of the kind scored by the learned combiner (keywords and model), or by
        the keywords alone where the archive is too small to learn from. Crisis types put
        the likeliest main crisis first, then the others by their score."""
        tax_kind = _KIND_OF[kind]
        stats = keyword_stats(hits, tax_kind, reading.sentences, self.model.reliability or None)
        learned = probs.get(kind, {})
        ranked, main = [], {}
        for term in self.taxonomy.ids(tax_kind):
            keyword = stats.get(term, NO_KEYWORD)
            score = self.model.score(kind, term, keyword, learned.get(term))
            if score is None:
                score = combine(keyword[0], learned.get(term))
            if score <= 0.0:
                continue
            main[term] = score * self.model.main_share.get(term, 0.5)
            evidence = self._evidence(tax_kind, kind, term, hits, reading, sentence_docs)
            ranked.append(Suggestion(term, score, evidence))
        ranked.sort(key=lambda s: (-s.score, s.id))
        if kind == "crisis_types" and ranked and self.model.main_share:
            first = max(ranked, key=lambda s: (main[s.id], s.score))
            ranked = [first] + [s for s in ranked if s is not first]
        return ranked[:MAX_SUGGESTIONS]

    def _evidence(self, tax_kind, kind, term, hits, reading, sentence_docs) -> list[str]:
        """The sentences naming the term's words; else those weighing most in the model."""
        named = [h for h in hits if h.kind == tax_kind and h.term == term]
        named.sort(key=lambda h: (-h.weight, h.sentence))
        chosen = list(dict.fromkeys(h.sentence for h in named))[:MAX_EVIDENCE]
        if not chosen:
            weights = self.model.sentence_weights(kind, term, sentence_docs)
            order = [int(i) for i in np.argsort(-weights) if weights[i] > 0]
            chosen = order[:MAX_EVIDENCE]
        return [reading.sentences[i].text for i in chosen]

    def _subject(self, reading: _Reading, probs) -> tuple[str, list[Suggestion], list[str]]:
        """The organisation or person the sources are most about (headlines count thrice)."""
        scores: Counter[tuple[str, str]] = Counter()
        first: dict[tuple[str, str], str] = {}
        publishers = {(a.publisher or "").casefold() for a in reading.articles}
        for span, sentence in reading.mentions():
            if span.kind not in ("person", "organization") or span.name.casefold() in publishers:
                continue
            key = (span.name, span.kind)
            scores[key] += 3 if reading.sentences[sentence].title else 1
            first.setdefault(key, reading.sentences[sentence].text)
        if not scores:
            kinds = probs.get("subject_kind") or {"organization": 0.5, "person": 0.5}
            ranked = [Suggestion(k, v, []) for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])]
            return "TODO: who faced the crisis", ranked, []
        (name, kind), top = scores.most_common(1)[0]
        total = sum(scores.values())
        by_kind: Counter[str] = Counter()
        for (_, k), n in scores.items():
            by_kind[k] += n
        ranked = []
        for k in ("organization", "person"):
            share = by_kind[k] / total
            if k == kind:
                share = max(share, 0.5 + top / (2 * total))
            evidence = [first[(name, kind)]] if k == kind and (name, kind) in first else []
            ranked.append(Suggestion(k, min(share, 1.0), evidence))
        ranked.sort(key=lambda s: -s.score)
        evidence = [first[(name, kind)]] if (name, kind) in first else []
        return name, ranked, evidence

    def _countries(self, reading: _Reading) -> list[Suggestion]:
        counts: Counter[str] = Counter()
        evidence: dict[str, list[str]] = defaultdict(list)
        for span, sentence in reading.mentions():
            if span.kind != "place":
                continue
            code = country_code(span.name)
            if code is None:
                continue
            counts[code] += 1
            if len(evidence[code]) < MAX_EVIDENCE:
                text = reading.sentences[sentence].text
                if text not in evidence[code]:
                    evidence[code].append(text)
        total = sum(counts.values()) or 1
        return [Suggestion(c, n / total, evidence[c]) for c, n in counts.most_common(5)]

    def _responsibility(self, probs, suggestions, reading, sentence_docs) -> list[Suggestion]:
        """The model's guess, mixed with how the archive's cases of the top crisis type were
        classed (the SCCT cluster follows the crisis type more than the words)."""
        learned = probs.get("responsibility", {})
        prior: Counter[str] = Counter()
        top = suggestions["crisis_types"][:1]
        if top:
            for case in self.cases:
                if top[0].id in case.crisis_types and case.responsibility:
                    prior[case.responsibility] += 1
        total = sum(prior.values())
        ranked = []
        for value in ("victim", "accidental", "preventable"):
            parts = []
            if learned:
                parts.append(learned.get(value, 0.0))
            if total:
                parts.append(prior[value] / total)
            if not parts:
                continue
            score = sum(parts) / len(parts)
            weights = self.model.sentence_weights("responsibility", value, sentence_docs)
            order = [int(i) for i in np.argsort(-weights) if weights[i] > 0][:1]
            ranked.append(Suggestion(value, score, [reading.sentences[i].text for i in order]))
        ranked.sort(key=lambda s: -s.score)
        return ranked

    # -- timeline, dates, entities ---------------------------------------------------------

    def _timeline(self, reading: _Reading, hits: list[KeywordHit]) -> list[TimelineCandidate]:
        by_sentence: dict[int, list[KeywordHit]] = defaultdict(list)
        for hit in hits:
            by_sentence[hit.sentence].append(hit)
        found: dict[tuple[str, str], TimelineCandidate] = {}
        for i, sentence in enumerate(reading.sentences):
            article = reading.articles[sentence.source]
            base = parse_publication_date(article.date)
            for date in find_dates(sentence.text, sentence.lang, base):
                if base is not None and date.value > base.isoformat():
                    continue
                tactic = _best(by_sentence[i], "tactics")
                channel = _best(by_sentence[i], "channels")
                key = (date.value, sentence.text)
                found.setdefault(
                    key,
                    TimelineCandidate(
                        date.value, sentence.text, tactic, channel, sentence.source, date.text
                    ),  # fmt: skip
                )
        return sorted(found.values(), key=lambda t: (t.date, t.source))

    def _crisis_date(self, timeline, hits, suggestions, reading, today) -> tuple[str, str | None]:
        """The earliest dated sentence that names the top crisis type; else the earliest
        dated sentence; else the earliest publication date; else this year."""
        top = suggestions["crisis_types"][0].id if suggestions["crisis_types"] else None
        crisis_sentences = {reading.sentences[h.sentence].text for h in hits
                            if h.kind == "crisis_types" and h.term == top}  # fmt: skip
        named = [t for t in timeline if t.text in crisis_sentences]
        for pool in (named, timeline):
            if pool:
                return pool[0].date, pool[0].text
        published = sorted(
            d.isoformat() for a in reading.articles if (d := parse_publication_date(a.date))
        )
        if published:
            return published[0], None
        return str(today.year), None

    def _entities(self, reading: _Reading) -> list[EntityCandidate]:
        counts: Counter[tuple[str, str]] = Counter()
        known: dict[tuple[str, str], bool] = {}
        publishers = {(a.publisher or "").casefold() for a in reading.articles}
        for span, _ in reading.mentions():
            if span.kind not in ("person", "organization", "place"):
                continue
            if span.name.casefold() in publishers or _noise(span.name):
                continue
            name = self._known.get(span.name.casefold(), span.name)
            key = (name, span.kind)
            counts[key] += 1
            known[key] = (
                known.get(key, False) or span.curated or span.name.casefold() in self._known
            )
        ranked = sorted(counts.items(), key=lambda kv: (not known[kv[0]], -kv[1], kv[0][0]))
        return [EntityCandidate(n, k, known[(n, k)], c) for (n, k), c in ranked[:MAX_ENTITIES]]

    def _duplicates(self, draft: Draft, doc: list[str]) -> list[DuplicateCandidate]:
        """Cases with the same subject within a year, or whose text is much like the sources'."""
        found: dict[str, DuplicateCandidate] = {}
        subject = slugify(draft.case["subject"])
        year = int(draft.case["crisis_date"][:4])
        for case in self.cases:
            names = {slugify(case.subject)} | {
                slugify(a) for e in case.entities if e.name == case.subject for a in e.aliases
            }
            if subject in names and abs(case.year - year) <= 1:
                found[case.id] = DuplicateCandidate(
                    case.id, case.title, f"same subject, crisis in {case.year}", 1.0
                )
        for case_id, title, similarity in self._similar_texts(doc):
            if case_id not in found and similarity >= DUPLICATE_SIMILARITY:
                found[case_id] = DuplicateCandidate(
                    case_id, title, f"similar text ({similarity:.0%} cosine)", similarity
                )
        return sorted(found.values(), key=lambda d: -d.score)

    def _similar_texts(self, doc: list[str]) -> list[tuple[str, str, float]]:
        vectorizer = self.model.vectorizer
        if vectorizer is None or not self.cases:
            return []
        if self._case_matrix is None:
            self._case_matrix = vectorizer.transform(
                [document_tokens(s, self.matcher.hits(s)) for s in map(case_sentences, self.cases)]
            )
        mine = vectorizer.transform([doc])
        sims = np.asarray((self._case_matrix @ mine.T).todense()).ravel()
        order = np.argsort(-sims)[:5]
        return [(self.cases[i].id, self.cases[i].title, float(sims[i])) for i in order]

    # -- the case fields -------------------------------------------------------------------

    def _case_fields(self, reading, suggestions, subject, crisis_date, timeline, entities,
                     case_id, taken, today) -> dict[str, Any]:  # fmt: skip
        language = reading.language()
        crisis_types = _chosen(suggestions["crisis_types"], self.threshold("crisis_types"))
        tactics = _chosen(suggestions["tactics"], self.threshold("tactics"))
        top_type = crisis_types[0] if crisis_types else ""
        case_id = case_id or suggest_id(
            subject if not subject.startswith("TODO") else "case", crisis_date, top_type, taken
        )
        sector = suggestions["sector"][0].id if suggestions["sector"] else None
        countries = [s.id for s in suggestions["countries"] if s.score >= 0.2][:3]
        kind = suggestions["subject_kind"][0].id if suggestions["subject_kind"] else "organization"
        responsibility = (
            suggestions["responsibility"][0].id if suggestions["responsibility"] else None
        )
        events = [
            {"date": t.date, "event": f"TODO: {t.text}", "tactic": t.tactic, "channel": t.channel}
            for t in timeline
        ]
        heads = (["Summary", "Crisis", "Response", "Outcome", "Lessons"] if language == "en"
                 else ["Ringkasan", "Krisis", "Respons", "Hasil", "Pelajaran"])  # fmt: skip
        return {
            "id": case_id,
            "title": "TODO: a headline in your own words",
            "subject": subject,
            "subject_kind": kind,
            "language": language,
            "crisis_types": crisis_types,
            "tactics": tactics,
            "outcome": "ongoing",
            "crisis_date": crisis_date,
            "sector": sector,
            "countries": countries,
            "responsibility": responsibility,
            "outcome_summary": "TODO: one or two sentences of evidence for the outcome",
            "timeline": [{k: v for k, v in e.items() if v} for e in events],
            "entities": [{"name": e.name, "kind": e.kind} for e in entities],
            "lessons": ["TODO: a take-away a student or consultant can quote"],
            "sources": [
                _source_record(a, reading.quotes, i) for i, a in enumerate(reading.articles)
            ],
            "status": "draft",
            "added": today.isoformat(),
            "body": "\n".join(f"## {h}\n\nTODO\n" for h in heads),
        }


def combine(keyword: float, learned: float | None) -> float:
    """One score from the keyword score and the model's probability (None: no model)."""
    if learned is None:
        return keyword
    return KEYWORD_WEIGHT * keyword + MODEL_WEIGHT * learned


def _chosen(ranked: list[Suggestion], threshold: float) -> list[str]:
    """The suggestions above the threshold; the best one if none is (a list needs one)."""
    above = [s.id for s in ranked if s.score >= threshold]
    return above or [s.id for s in ranked[:1]]


def _best(hits: list[KeywordHit], kind: str) -> str | None:
    of_kind = [h for h in hits if h.kind == kind]
    return max(of_kind, key=lambda h: h.weight).term if of_kind else None


def _source_record(article: Article, quotes: list[Quote], index: int) -> dict[str, Any]:
    mine = [q for q in quotes if q.source == index]
    mine.sort(key=lambda q: q.speaker is None)
    record = {
        "title": article.title or f"TODO: the title of {Path(article.source).name}",
        "publisher": article.publisher,
        "author": article.author,
        "date": (article.date or "")[:10] or None,
        "language": article.language,
        "url": article.url,
        "accessed": article.accessed,
        "quote": mine[0].text if mine else None,
    }
    if not record["publisher"] and not record["url"]:
        record["publisher"] = "TODO: publisher"
    return {k: v for k, v in record.items() if v}


def _known_names(curated: Sequence[CuratedName]) -> dict[str, str]:
    """Every curated name and alias (casefolded) -> the canonical name."""
    known = {}
    for name in curated:
        for surface in (name.name, *name.aliases):
            known.setdefault(surface.casefold(), name.name)
    return known


_NOISE = re.compile(r"^(?:[A-Z]\.?){1,2}$|^\W|\d{3,}|^(?:the|a|an)$", re.IGNORECASE)


def _noise(name: str) -> bool:
    return bool(_NOISE.search(name)) or len(name) < 3


def country_code(name: str) -> str | None:
    """ISO code of a country named in English or Indonesian ('Amerika Serikat' -> 'US')."""
    return _country_names().get(name.casefold())


def _country_names() -> dict[str, str]:
    global _COUNTRY_NAMES
    if _COUNTRY_NAMES is None:
        import pycountry

        from archive.taxonomy import country_name

        names: dict[str, str] = {}
        for c in pycountry.countries:
            for value in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None),
                          country_name(c.alpha_2, "id")):  # fmt: skip
                if value:
                    names.setdefault(value.casefold(), c.alpha_2)
        names.update({"u.s": "US", "u.s.": "US", "usa": "US", "america": "US", "uk": "GB",
                      "britain": "GB", "great britain": "GB", "amerika": "US",
                      "inggris": "GB", "england": "GB", "as": "US"})  # fmt: skip
        _COUNTRY_NAMES = names
    return _COUNTRY_NAMES


_COUNTRY_NAMES: dict[str, str] | None = None


@dataclass
class _Reading:
    """The articles cut into sentences (headlines first), with their entity mentions, each
    tied to its sentence, and their quotes."""

    articles: list[Article]
    sentences: list[Sentence]
    spans: list[tuple[EntitySpan, int]]
    quotes: list[Quote]

    @classmethod
    def of(cls, articles: list[Article], extractor: EntityExtractor) -> _Reading:
        sentences: list[Sentence] = []
        spans: list[tuple[EntitySpan, int]] = []
        quotes: list[Quote] = []
        for index, article in enumerate(articles):
            lang = article.language
            model_for_all = False  # Indonesian: the ruler and capitalised names (entities.py)
            if article.title:
                sentences.append(Sentence(index, article.title, lang, title=True))
                for span in extractor.spans(article.title, lang, model_for_all, headline=True):
                    spans.append((span, len(sentences) - 1))
            offsets = sentence_spans(article.text, lang)
            mentions = extractor.spans(article.text, lang, model_for_all)
            first = len(sentences)
            for start, end in offsets:
                sentences.append(Sentence(index, " ".join(article.text[start:end].split()), lang))
            pos = 0
            for span in mentions:
                while pos < len(offsets) - 1 and span.start >= offsets[pos][1]:
                    pos += 1
                spans.append((span, first + pos))
            quotes += find_quotes(article.text, offsets, mentions, index)
        spans, quotes = _full_names(spans, quotes)
        return cls(articles, sentences, spans, quotes)

    def mentions(self):
        return iter(self.spans)

    def language(self) -> str:
        words: Counter[str] = Counter()
        for article in self.articles:
            words[article.language] += article.words
        return words.most_common(1)[0][0] if words else "en"


def _full_names(spans, quotes):
    """A surname alone ("Steinhafel") is the person named in full elsewhere ("Gregg
    Steinhafel"), whatever kind the model guessed for the lone word."""
    full: dict[str, str] = {}
    for span, _ in spans:
        parts = span.name.split()
        if span.kind == "person" and len(parts) > 1:
            full.setdefault(parts[-1], span.name)
    merged = []
    for span, sentence in spans:
        name = full.get(span.name) if len(span.name.split()) == 1 else None
        if name and span.kind in ("person", "organization") and not span.curated:
            span = EntitySpan(span.start, span.end, name, "person", False)
        merged.append((span, sentence))
    quotes = [Quote(q.text, full.get(q.speaker or "", q.speaker), q.sentence, q.source)
              for q in quotes]  # fmt: skip
    return merged, quotes


def drafter_for(
    cases: Sequence[Case],
    index_dir: Path | None = None,
    taxonomy: Taxonomy | None = None,
) -> Drafter:
    """A Drafter for the archive's cases: the curated names in the entity ruler, the model
    learned from the cases (kept in ``index_dir``, relearned when the cases change)."""
    tax = taxonomy or load_taxonomy()
    matcher = KeywordMatcher(tax)
    model = load_or_train(cases, index_dir, matcher)
    extractor = EntityExtractor(curated_entities(cases))
    return Drafter(cases, model, extractor, matcher, tax)
