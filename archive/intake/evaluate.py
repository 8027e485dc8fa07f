"""How good the drafts are, measured on the archive's own cases (leave-one-out).

Each case is drafted from its own narrative and sources (titles and quotes) by a Drafter
that was built without it: its curated names are not in the entity ruler and the learned
model never saw it. The draft is then compared with what the editors wrote:

- crisis types: the top suggestion is one of the case's crisis types (top-1 accuracy);
- tactics: suggestions above the threshold against the case's tactics (precision, recall);
- entities: the case's curated names (or an alias) among the draft's entities, of all of
  them and of those the draft's input mentions at all (the others come from parts of the
  case a draft does not start from, such as its timeline);
- timeline: the case's dated events whose month (or year, for a year) a candidate has.

The keyword-only baseline is the same draft scored with the keywords alone.

Example::

    >>> report = leave_one_out(cases)
    >>> report.combined["crisis_top1"], report.keywords["crisis_top1"]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from archive.intake import draft as draft_mod
from archive.intake.draft import Drafter, combine, drafter_for
from archive.intake.extract import Article
from archive.model import Case


@dataclass
class Tally:
    """Counts behind the figures; ``figures()`` turns them into shares."""

    cases: int = 0
    crisis_top1: int = 0
    tactics_suggested: int = 0
    tactics_right: int = 0
    tactics_wanted: int = 0
    entities_found: int = 0
    entities_wanted: int = 0
    mentioned_found: int = 0  # of the curated names the draft's input mentions
    mentioned_wanted: int = 0
    events_found: int = 0
    events_wanted: int = 0

    def figures(self) -> dict[str, float]:
        def share(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        precision = share(self.tactics_right, self.tactics_suggested)
        recall = share(self.tactics_right, self.tactics_wanted)
        f1 = round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0
        return {
            "cases": self.cases,
            "crisis_top1": share(self.crisis_top1, self.cases),
            "tactics_precision": precision,
            "tactics_recall": recall,
            "tactics_f1": f1,
            "entities_found": share(self.entities_found, self.entities_wanted),
            "entities_mentioned_found": share(self.mentioned_found, self.mentioned_wanted),
            "timeline_month": share(self.events_found, self.events_wanted),
        }


@dataclass
class Evaluation:
    """One leave-one-out run: the figures with the learned model and with keywords alone, each
    case's result, and how long it took."""

    combined: dict[str, float]
    keywords: dict[str, float]
    per_case: list[dict] = field(default_factory=list)
    seconds: float = 0.0


def case_articles(case: Case) -> list[Article]:
    """The inputs a draft of ``case`` starts from: its narrative, then each source."""
    narrative = Article("narrative", _plain_paragraphs(case.body), case.language)
    articles = [narrative]
    for i, source in enumerate(case.sources):
        articles.append(
            Article(
                f"source {i + 1}",
                source.quote or "",
                source.language or case.language,
                title=source.title,
                publisher=source.publisher,
                date=source.date,
                url=source.url,
            )  # fmt: skip
        )
    return articles


def _plain_paragraphs(body: str) -> str:
    from archive.words import markdown_to_plain

    paragraphs = [markdown_to_plain(p) for p in body.split("\n\n")]
    return "\n".join(p for p in paragraphs if p)


def leave_one_out(
    cases: Sequence[Case],
    only: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    """Draft every case (or the ids in ``only``) with a Drafter built from the others."""
    started = time.perf_counter()
    combined, keywords = Tally(), Tally()
    per_case = []
    for case in cases:
        if only and case.id not in only:
            continue
        others = [c for c in cases if c.id != case.id]
        drafter = drafter_for(others, None)
        draft = drafter.draft(case_articles(case), case_id=case.id)
        row = {"id": case.id}
        row["combined"] = _score(case, draft, combined, use_model=True, drafter=drafter)
        row["keywords"] = _score(case, draft, keywords, use_model=False, drafter=drafter)
        per_case.append(row)
        if progress:
            progress(case.id)
    return Evaluation(combined.figures(), keywords.figures(), per_case,
                      time.perf_counter() - started)  # fmt: skip


def _score(case, draft, tally: Tally, use_model: bool, drafter: Drafter | None = None) -> dict:
    crisis = draft.suggestions["crisis_types"]
    tactics = draft.suggestions["tactics"]
    if not use_model:
        crisis, tactics = _keyword_only(draft, drafter)
    top = crisis[0].id if crisis else None
    threshold = drafter.threshold("tactics") if use_model else draft_mod.THRESHOLD["tactics"]
    chosen = {s.id for s in tactics if s.score >= threshold}
    wanted = set(case.tactics)
    tally.cases += 1
    tally.crisis_top1 += top in case.crisis_types
    tally.tactics_suggested += len(chosen)
    tally.tactics_right += len(chosen & wanted)
    tally.tactics_wanted += len(wanted)
    found_names = {_name_key(e.name) for e in draft.entities}
    read = " ".join(f"{a.title or ''} {a.text}" for a in draft.articles).casefold()
    for record in case.entities:
        surfaces = {_name_key(n) for n in (record.name, *record.aliases)}
        found = bool(surfaces & found_names)
        tally.entities_wanted += 1
        tally.entities_found += found
        if any(n.casefold() in read for n in (record.name, *record.aliases)):
            tally.mentioned_wanted += 1
            tally.mentioned_found += found
    months = {t.date[:7] for t in draft.timeline}
    years = {t.date[:4] for t in draft.timeline}
    for event in case.timeline:
        tally.events_wanted += 1
        tally.events_found += (
            (event.date[:7] in months) if len(event.date) >= 7 else (event.date[:4] in years)
        )
    return {"top": top, "tactics": sorted(chosen), "missed": sorted(wanted - chosen)}


def _name_key(name: str) -> str:
    from archive.entities import canonical_name

    return canonical_name(name).casefold()


def _keyword_only(draft, drafter: Drafter):
    """The draft's suggestions re-ranked by their keyword scores alone."""
    from archive.intake.keywords import keyword_scores

    reading = draft_mod._Reading.of(draft.articles, drafter.extractor)
    hits = drafter.matcher.hits(reading.sentences)
    out = []
    for kind in ("crisis_types", "tactics"):
        kw = keyword_scores(hits, kind)
        ranked = sorted(kw.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append([draft_mod.Suggestion(t, combine(s, None), []) for t, s in ranked])
    return out[0], out[1]
