"""A model learned from the archive's own cases: which words go with which labels, and how
far to trust the taxonomy's keywords beside them.

Two layers, both scikit-learn logistic regressions:

1. Per label (every crisis type, tactic, sector, responsibility, subject kind and outcome
   that at least two cases carry): the cases' stemmed words (TF-IDF) plus the taxonomy
   words found in them (keyword features, which carry across the two languages).
2. Per kind (crisis types, tactics, sector): a small combiner over, for each (case, term)
   pair, the keyword score, the term's share of the kind's keyword hits, the first layer's
   out-of-fold probability and the term's base rate. It learns from the archive how much
   each signal is worth, so its output is a probability and 0.5 means "as likely as not".

The model is rebuilt when the cases change (a fingerprint of their texts and labels) and
kept beside the index.

Example::

    >>> model = load_or_train(cases, Path(".archive"), matcher)
    >>> model.score("tactics", "apology", keyword=(0.49, 0.3), prob=0.8)
    0.87
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from archive.entities import sentence_spans
from archive.files import write_atomic
from archive.intake.keywords import (
    DEFAULT_RELIABILITY,
    KeywordMatcher,
    Sentence,
    feature_tokens,
    keyword_stats,
)
from archive.model import Case
from archive.words import WORD_RE, markdown_to_plain, stem

log = logging.getLogger(__name__)

# Bump when the features or the learning change: older model files are retrained.
MODEL_VERSION = "6"
MODEL_FILE = "draft-model.pickle"
MIN_POSITIVES = 2  # a label fewer cases carry is left to the keywords
MULTI = ("crisis_types", "tactics")
SINGLE = ("sector", "responsibility", "subject_kind", "outcome")
LABEL_KINDS = MULTI + SINGLE
STACKED = {"crisis_types": "crisis_types", "tactics": "tactics", "sector": "sectors"}
FOLDS = 5


def case_labels(case: Case) -> dict[str, list[str]]:
    """The labels a case carries, by kind."""
    return {
        "crisis_types": list(case.crisis_types),
        "tactics": list(case.tactics),
        "sector": [case.sector] if case.sector else [],
        "responsibility": [case.responsibility] if case.responsibility else [],
        "subject_kind": [case.subject_kind],
        "outcome": [case.outcome],
    }


def case_sentences(case: Case) -> list[Sentence]:
    """What a draft of the case would start from: its narrative's sentences, then each
    source's title and quote."""
    sentences = []
    for paragraph in case.body.split("\n\n"):
        text = markdown_to_plain(paragraph)
        for start, end in sentence_spans(text, case.language):
            sentences.append(Sentence(0, text[start:end].strip(), case.language))
    for i, source in enumerate(case.sources, start=1):
        lang = source.language or case.language
        if source.title:
            sentences.append(Sentence(i, source.title, lang, title=True))
        if source.quote:
            sentences.append(Sentence(i, source.quote, lang))
    return [s for s in sentences if s.text]


def tokens(text: str, lang: str) -> list[str]:
    """Stemmed lowercase words (the model's word features)."""
    return [stem(w.lower(), lang) for w in WORD_RE.findall(text) if not w.isdigit()]


def document_tokens(sentences: Sequence[Sentence], hits) -> list[str]:
    """The model's input for a text: the sentences' stemmed words, then the keyword hits as
    tokens ('kw=tactics:apology')."""
    words = [t for s in sentences for t in tokens(s.text, s.lang)]
    return words + feature_tokens(hits)


NO_KEYWORD = (0.0, 0.0, 0.0)


def pair_features(keyword: tuple[float, float, float], prob: float, base: float) -> list[float]:
    """What a combiner weighs for one (text, term) pair: the keyword score, the term's share
    of its kind's keywords, whether a headline names it, the learned probability, the base
    rate, and the keyword score times the probability."""
    score, share, headline = keyword
    return [score, share, headline, prob, base, score * prob]


LABEL_KIND = {"crisis_types": "crisis_types", "tactics": "tactics", "sectors": "sector"}
SMOOTHING = 2.0  # pseudo-cases at DEFAULT_RELIABILITY for a phrase seen in few cases


def phrase_reliability(
    hits: Sequence[Sequence], labels: Sequence[dict[str, list[str]]]
) -> dict[tuple[str, str, str], float]:
    """For each taxonomy phrase: the share of the cases it occurs in that carry its term,
    smoothed towards DEFAULT_RELIABILITY. "investigation" occurs in most narratives but only
    some are regulatory actions, so it counts for less than "card data theft"."""
    seen: dict[tuple[str, str, str], list[int]] = {}
    for case_hits, row in zip(hits, labels, strict=True):
        for key in {(h.kind, h.term, h.words) for h in case_hits if h.kind in LABEL_KIND}:
            counts = seen.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += key[1] in row[LABEL_KIND[key[0]]]
    return {
        key: (right + SMOOTHING * DEFAULT_RELIABILITY) / (n + SMOOTHING)
        for key, (n, right) in seen.items()
    }


def _identity(doc: list[str]) -> list[str]:
    return doc


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


@dataclass
class SuggestionModel:
    """The two layers learned from the archive (per-label regressions, per-kind combiners)
    and the cases they were trained on, by ``fingerprint``."""

    fingerprint: str
    vectorizer: object = None
    # kind -> label -> (coefficients over the vocabulary, intercept)
    weights: dict[str, dict[str, tuple[np.ndarray, float]]] = field(default_factory=dict)
    # kind -> (coefficients over pair_features, intercept)
    combiners: dict[str, tuple[np.ndarray, float]] = field(default_factory=dict)
    base_rates: dict[str, dict[str, float]] = field(default_factory=dict)
    reliability: dict[tuple[str, str, str], float] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)  # learned default per kind
    # per crisis type: how often it is a case's main (first) one when the case has it
    main_share: dict[str, float] = field(default_factory=dict)
    trained_on: int = 0

    def predict(self, doc: list[str]) -> dict[str, dict[str, float]]:
        """Probability per label of every kind the model knows (single-label kinds sum to 1)."""
        if self.vectorizer is None:
            return {kind: {} for kind in LABEL_KINDS}
        return _predict(self.weights, self.vectorizer.transform([doc]))[0]

    def score(
        self, kind: str, term: str, keyword: tuple[float, float, float], prob: float | None
    ) -> float | None:
        """The combined probability that ``term`` applies, or None where the archive was too
        small to learn it."""
        if kind not in self.combiners:
            return None
        coef, bias = self.combiners[kind]
        base = self.base_rates.get(kind, {}).get(term, 0.0)
        x = np.array(pair_features(keyword, prob if prob is not None else base, base))
        return float(_sigmoid(x @ coef + bias))

    def sentence_weights(self, kind: str, label: str, docs: list[list[str]]) -> np.ndarray:
        """How much each sentence (as tokens) speaks for ``label``: its words' coefficients."""
        if self.vectorizer is None or label not in self.weights.get(kind, {}):
            return np.zeros(len(docs))
        coef, _ = self.weights[kind][label]
        x = self.vectorizer.transform(docs)
        return np.asarray(x @ coef).ravel()


def _fit_labels(x, labels: list[dict[str, list[str]]]) -> dict[str, dict[str, tuple]]:
    """One logistic regression per label with at least MIN_POSITIVES cases (and not all)."""
    from sklearn.linear_model import LogisticRegression

    weights: dict[str, dict[str, tuple]] = {}
    for kind in LABEL_KINDS:
        weights[kind] = {}
        for value in sorted({v for row in labels for v in row[kind]}):
            y = np.array([value in row[kind] for row in labels])
            if y.sum() < MIN_POSITIVES or y.all():
                continue
            clf = LogisticRegression(
                C=10.0, class_weight="balanced", solver="liblinear", dual=True, max_iter=2000
            )
            clf.fit(x, y)
            weights[kind][value] = (clf.coef_[0].copy(), float(clf.intercept_[0]))
    return weights


def _predict(weights, x) -> list[dict[str, dict[str, float]]]:
    rows: list[dict[str, dict[str, float]]] = [{} for _ in range(x.shape[0])]
    for kind, labels in weights.items():
        scores = {label: _sigmoid(np.asarray(x @ coef).ravel() + bias)
                  for label, (coef, bias) in labels.items()}  # fmt: skip
        for i, row in enumerate(rows):
            probs = {label: float(s[i]) for label, s in scores.items()}
            if kind in SINGLE and probs:
                total = sum(probs.values()) or 1.0
                probs = {k: v / total for k, v in probs.items()}
            row[kind] = probs
    return rows


def fingerprint(cases: Sequence[Case]) -> str:
    """A short hash of what the model learns from (labels, narratives, sources' titles and
    quotes) and of MODEL_VERSION: when it changes, the model is retrained."""
    digest = hashlib.sha256(MODEL_VERSION.encode())
    for case in sorted(cases, key=lambda c: c.id):
        digest.update(json.dumps([case.id, case_labels(case), case.language]).encode())
        digest.update(case.body.encode())
        for source in case.sources:
            digest.update(json.dumps([source.title, source.quote, source.language]).encode())
    return digest.hexdigest()[:20]


def train(cases: Sequence[Case], matcher: KeywordMatcher) -> SuggestionModel:
    """Fit the vectorizer, the per-label regressions and the per-kind combiners."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    model = SuggestionModel(fingerprint(cases), trained_on=len(cases))
    if len(cases) < 4:
        return model
    sentences = [case_sentences(c) for c in cases]
    hits = [matcher.hits(s) for s in sentences]
    docs = [document_tokens(s, h) for s, h in zip(sentences, hits, strict=True)]
    labels = [case_labels(c) for c in cases]
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, max_df=0.9)
    x = vectorizer.fit_transform(docs)
    model.vectorizer = vectorizer
    model.weights = _fit_labels(x, labels)
    model.base_rates = {
        kind: {
            v: sum(v in row[kind] for row in labels) / len(labels)
            for row in labels
            for v in row[kind]
        }  # fmt: skip
        for kind in STACKED
    }
    # How often a crisis type, when a case has it, is the case's main (first) one: smoothed.
    mains = [row["crisis_types"][0] for row in labels]
    present = [v for row in labels for v in row["crisis_types"]]
    model.main_share = {v: (mains.count(v) + 1) / (present.count(v) + 2) for v in set(present)}
    model.reliability = phrase_reliability(hits, labels)
    held_out, held_out_reliability = _out_of_fold(docs, hits, labels)
    for kind in STACKED:
        key = kind
        terms, rows = _pair_rows(kind, STACKED[kind], matcher, sentences, hits, held_out,
                                 held_out_reliability, model.base_rates[key])  # fmt: skip
        y = np.array([term in row[kind] for row in labels for term in terms])
        combiner = _fit_combiner(np.array(rows), y)
        if combiner is not None:
            model.combiners[key] = combiner
            model.thresholds[key] = _best_threshold(np.array(rows), y, combiner)
    return model


def _best_threshold(x: np.ndarray, y: np.ndarray, combiner) -> float:
    """The score above which suggestions are put in the draft: the one with the best F1
    over the cases the combiner learned from (a kind's default threshold)."""
    coef, bias = combiner
    scores = _sigmoid(x @ coef + bias)
    best, best_f1 = 0.5, -1.0
    for threshold in np.arange(0.15, 0.8, 0.025):
        chosen = scores >= threshold
        right = float((chosen & y).sum())
        if not chosen.any() or not right:
            continue
        precision, recall = right / chosen.sum(), right / y.sum()
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(threshold), f1
    return round(best, 3)


def _out_of_fold(docs: list[list[str]], hits: list, labels: list[dict]):
    """Each case's first-layer probabilities, and phrase reliabilities, learned without it."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(docs)
    folds = min(FOLDS, n)
    order = np.arange(n)
    out: list[dict] = [{} for _ in range(n)]
    reliability: list[dict] = [{} for _ in range(n)]
    for fold in range(folds):
        test = order[order % folds == fold]
        train_rows = order[order % folds != fold]
        vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, max_df=0.9)
        x_train = vectorizer.fit_transform([docs[i] for i in train_rows])
        weights = _fit_labels(x_train, [labels[i] for i in train_rows])
        predicted = _predict(weights, vectorizer.transform([docs[i] for i in test]))
        fold_reliability = phrase_reliability(
            [hits[i] for i in train_rows], [labels[i] for i in train_rows]
        )
        for i, row in zip(test, predicted, strict=True):
            out[int(i)] = row
            reliability[int(i)] = fold_reliability
    return out, reliability


def _pair_rows(kind, tax_kind, matcher, sentences, hits, held_out, reliability, rates):
    """The combiner's inputs: one row per (case, term of the kind), cases in order."""
    terms = list(matcher.taxonomy.ids(tax_kind))
    rows = []
    for case_sentences_, case_hits, probs, weights in zip(
        sentences, hits, held_out, reliability, strict=True
    ):
        stats = keyword_stats(case_hits, tax_kind, case_sentences_, weights)
        for term in terms:
            base = rates.get(term, 0.0)
            prob = probs.get(kind, {}).get(term, base)
            rows.append(pair_features(stats.get(term, NO_KEYWORD), prob, base))
    return terms, rows


def _fit_combiner(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float] | None:
    from sklearn.linear_model import LogisticRegression

    if y.sum() < 2 or y.all():
        return None
    clf = LogisticRegression(C=1.0, max_iter=2000)
    clf.fit(x, y)
    return clf.coef_[0].copy(), float(clf.intercept_[0])


def load_or_train(
    cases: Sequence[Case], index_dir: Path | None, matcher: KeywordMatcher
) -> SuggestionModel:
    """The model for these cases: read from beside the index if it was learned from the same
    cases, else learned now (and kept there for next time)."""
    wanted = fingerprint(cases)
    path = Path(index_dir) / MODEL_FILE if index_dir else None
    if path is not None and path.exists():
        try:
            with open(path, "rb") as fh:
                # Written by _save below into the index folder, which the index itself
                # trusts the same way (Whoosh keeps pickles there too).
                stored = pickle.load(fh)  # noqa: S301
            if isinstance(stored, SuggestionModel) and stored.fingerprint == wanted:
                return stored
        except Exception as exc:  # a damaged file is learned again, like a damaged index
            log.warning("draft model %s is unreadable (%s); learning it again", path, exc)
    model = train(cases, matcher)
    if path is not None:
        _save(path, model)
    return model


def _save(path: Path, model: SuggestionModel) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:  # a read-only index folder: the model still works, unsaved
        log.warning("cannot keep the draft model at %s: %s", path, exc)
