"""A draft as a case file: the suggested values, each followed by its evidence as comments.

The file validates apart from its TODO placeholders (``archive validate`` warns about each;
``--strict`` fails until they are gone). Strings are written as JSON strings, which are
valid YAML double-quoted scalars, so no value can change type or break the front matter.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from archive.intake.draft import Draft, Suggestion
from archive.taxonomy import load_taxonomy

COMMENT_CHARS = 180
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def _comment(text: str, width: int = COMMENT_CHARS) -> str:
    """One line of evidence, safe inside a YAML comment (no line breaks or controls)."""
    text = " ".join(_UNSAFE.sub(" ", text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _ranked(label: str, ranked: list[Suggestion], kind: str | None) -> list[str]:
    if not ranked:
        return [f"# no {label} suggested: choose them from the glossary"]
    tax = load_taxonomy()
    lines = [f"# suggested {label} (score: the sentence it came from):"]
    for s in ranked:
        name = f"{s.id} ({tax.label(kind, s.id)})" if kind else s.id
        evidence = (
            f'"{_comment(s.evidence[0], 120)}"' if s.evidence else "(learned from the archive)"
        )
        lines.append(f"#   {name} {s.score:.2f}: {evidence}")
    return lines


def draft_text(draft: Draft, today: dt.date | None = None) -> str:
    """The case file of a draft (YAML front matter with evidence comments, narrative TODOs)."""
    c = draft.case
    s = draft.suggestions
    today = today or dt.date.today()
    names = ", ".join(a.source for a in draft.articles)
    lines = [
        "---",
        f"# Drafted by 'archive draft' on {today.isoformat()} from {len(draft.articles)} "
        "source(s). Each suggestion is followed by the sentence it came from:",
        "# keep what the sources support, replace every TODO, then run 'archive validate --strict'.",
        f"# sources: {_comment(names)}",
        f"id: {c['id']}",
        f"title: {_q(c['title'])}",
        f"subject: {_q(c['subject'])}",
    ]
    if draft.subject_evidence:
        lines.append(
            f'# subject: named most often, e.g. "{_comment(draft.subject_evidence[0], 140)}"'
        )
    lines += [f"subject_kind: {c['subject_kind']}  # organization or person"]
    lines += [
        f"language: {c['language']}  # detected: the language most of the sources' words are in"
    ]
    lines += [f"crisis_types: {_flow(c['crisis_types'])}"]
    lines += _ranked("crisis types", s["crisis_types"], "crisis_types")
    lines += [f"tactics: {_flow(c['tactics'])}"]
    lines += _ranked("tactics", s["tactics"], "tactics")
    lines += [
        f"outcome: {c['outcome']}  # TODO check: recovered, partially-recovered, not-recovered "
        "or ongoing, as the sources show",
        f"crisis_date: {c['crisis_date']}",
    ]
    if draft.crisis_date_evidence:
        lines.append(
            f'# crisis_date: the earliest dated sentence: "{_comment(draft.crisis_date_evidence, 130)}"'
        )
    else:
        lines.append("# crisis_date: no dated sentence names the crisis; TODO check this date")
    lines += _optional(c, s)
    lines += [f"outcome_summary: {_q(c['outcome_summary'])}"]
    lines += _timeline(draft)
    lines += _entities(draft)
    lines += ["lessons:"] + [f"  - {_q(v)}" for v in c["lessons"]]
    lines += _sources(draft)
    lines += [
        "status: draft  # reviewed once an editor has checked every fact against the sources",
        f"added: {c['added']}",
        "---",
    ]
    return "\n".join(lines) + "\n" + c["body"]


def _optional(c: dict[str, Any], s: dict[str, list[Suggestion]]) -> list[str]:
    lines = []
    if c.get("sector"):
        lines.append(f"sector: {c['sector']}")
    else:
        lines.append("# sector: none suggested; one of the glossary's sectors")
    lines += _ranked("sectors", s.get("sector", [])[:3], "sectors")
    if c.get("countries"):
        lines.append(f"countries: {_flow(c['countries'])}  # ISO 3166-1 alpha-2 codes")
    else:
        lines.append("# countries: [ID]  # none found in the sources; ISO 3166-1 alpha-2 codes")
    lines += _ranked("countries", s.get("countries", []), None)
    if c.get("responsibility"):
        lines.append(
            f"responsibility: {c['responsibility']}  # victim, accidental or preventable (SCCT)"
        )
    lines += _ranked("responsibility", s.get("responsibility", []), None)
    return lines


def _timeline(draft: Draft) -> list[str]:
    events = draft.case["timeline"]
    if not events:
        return [
            "timeline:  # no dated sentence found in the sources",
            f"  - {{date: {draft.case['crisis_date']}, event: {_q('TODO: what happened')}}}",
        ]
    lines = ["timeline:  # every dated sentence of the sources: rewrite, merge or delete each"]
    for event, candidate in zip(events, draft.timeline, strict=True):
        lines.append(f'  - date: {event["date"]}  # written "{_comment(candidate.words, 40)}"')
        lines.append(f"    event: {_q(event['event'])}")
        if event.get("tactic"):
            lines.append(f"    tactic: {event['tactic']}  # suggested by the sentence's words")
        if event.get("channel"):
            lines.append(f"    channel: {event['channel']}")
    return lines


def _entities(draft: Draft) -> list[str]:
    if not draft.entities:
        return ["# entities: none found; add the people, organisations and places named"]
    lines = ["entities:  # names the sources mention, most mentioned first"]
    for e in draft.entities:
        note = "known to the archive" if e.known else "new name: check spelling and kind"
        lines.append(f"  - {{name: {_q(e.name)}, kind: {e.kind}}}  # {e.count}x, {note}")
    return lines


def _sources(draft: Draft) -> list[str]:
    lines = ["sources:"]
    for i, record in enumerate(draft.case["sources"]):
        first = True
        for key in ("title", "publisher", "author", "date", "language", "url", "accessed", "quote"):
            if key not in record:
                continue
            value = record[key]
            text = value if key in ("date", "accessed", "language") else _q(value)
            lines.append(f"  {'- ' if first else '  '}{key}: {text}")
            first = False
        quotes = [q for q in draft.quotes if q.source == i]
        if quotes:
            lines.append(
                "    # quotes in this source (verbatim; the speaker where the sentence names one):"
            )
            for q in quotes[:8]:
                who = f" ({q.speaker})" if q.speaker else ""
                lines.append(f'    #   "{_comment(q.text, 140)}"{who}')
        for note in draft.articles[i].notes:
            lines.append(f"    # note: {_comment(note)}")
    return lines
