"""Cases side by side: what each did and when, counted in days from its crisis.

A comparison puts 2-4 cases in columns (crisis type, responsibility, tactics in the order
they happened with the day of each, channels, outcome, lessons) and gives the rows of one
timeline with every case aligned on its day 0. The same data feeds the app's compare view,
the precedent brief and ``archive compare``.

Example::

    >>> comparison = compare([target, snapchat, lux])
    >>> comparison.table()[2]
    ('Tactics (day)', ['Apology (day 0), ...', ...])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from archive.errors import ArchiveError
from archive.model import Case, date_start, response_times
from archive.strings import STRINGS, t
from archive.taxonomy import Taxonomy, load_taxonomy

MIN_COMPARED, MAX_COMPARED = 2, 4


class CompareError(ArchiveError):
    """Not 2-4 distinct cases."""


@dataclass(frozen=True)
class Move:
    """One dated step of a response, ``day`` days after the crisis's first day."""

    day: int
    date: str
    event: str
    tactic: str | None
    channel: str | None


@dataclass(frozen=True)
class Profile:
    """A case reduced to what a comparison or a brief shows."""

    case: Case
    moves: list[Move]  # timeline events and recorded statements, by date
    tactics: list[tuple[str, int | None]]  # each tactic once: first day used (None: undated)
    channels: list[str]  # by first use, then undated ones
    times: dict[str, int | None]  # days to first statement, apology, fix

    @property
    def summary(self) -> str:
        """What happened: the narrative's summary section, or its first paragraph."""
        return narrative_summary(self.case.body)


def profile(case: Case) -> Profile:
    """The case's profile: its dated moves, each tactic's first day, channels, response times."""
    start = date_start(case.crisis_date)
    moves = [
        Move((date_start(e.date) - start).days, e.date, e.event, e.tactic, e.channel)
        for e in case.timeline
    ]
    for s in case.statements:
        day = (date_start(s.date) - start).days
        for move in s.moves or [None]:
            moves.append(Move(day, s.date, f"{s.speaker}: {s.text}", move, s.channel))
    moves.sort(key=lambda m: (m.day, m.date))
    first_day: dict[str, int] = {}
    channels: list[str] = []
    for m in moves:
        if m.tactic and m.tactic not in first_day:
            first_day[m.tactic] = m.day
        if m.channel and m.channel not in channels:
            channels.append(m.channel)
    tactics: list[tuple[str, int | None]] = sorted(first_day.items(), key=lambda kv: kv[1])
    tactics += [(t, None) for t in case.tactics if t not in first_day]
    return Profile(case, moves, tactics, channels, response_times(case))


@dataclass(frozen=True)
class Comparison:
    """Cases side by side, as profiles, with the taxonomy that labels them."""

    profiles: list[Profile]
    taxonomy: Taxonomy

    def table(self, lang: str = "en") -> list[tuple[str, list[str]]]:
        """(row label, one cell per case), in the order the compare view shows them."""
        tax = self.taxonomy
        ps = self.profiles

        def labels(kind: str, ids: Sequence[str]) -> str:
            return ", ".join(tax.label(kind, i, lang) for i in ids) or "-"

        def days(value: int | None) -> str:
            return "-" if value is None else str(value)

        return [
            (t("compare_case", lang), [p.case.title for p in ps]),
            (t("compare_crisis_types", lang), [labels("crisis_types", p.case.crisis_types) for p in ps]),
            (t("compare_responsibility", lang), [responsibility_label(p.case, lang) for p in ps]),
            (t("compare_tactics", lang), [tactics_in_order(p, tax, lang) for p in ps]),
            (t("compare_channels", lang), [labels("channels", p.channels) for p in ps]),
            (t("compare_first_statement", lang), [days(p.times["first_statement"]) for p in ps]),
            (t("compare_first_apology", lang), [days(p.times["first_apology"]) for p in ps]),
            (t("compare_outcome", lang), [outcome_text(p.case, tax, lang) for p in ps]),
            (t("compare_lessons", lang), ["\n".join(f"- {x}" for x in p.case.lessons) or "-" for p in ps]),
        ]  # fmt: skip

    def timeline(self, lang: str = "en") -> list[dict[str, object]]:
        """Rows of the aligned timeline: every dated move of every case, by day from 0."""
        tax = self.taxonomy
        return [
            {
                "case": p.case.title,
                "id": p.case.id,
                "day": m.day,
                "date": m.date,
                "tactic": tax.label("tactics", m.tactic, lang) if m.tactic else "",
                "channel": tax.label("channels", m.channel, lang) if m.channel else "",
                "event": m.event,
            }
            for p in self.profiles
            for m in p.moves
        ]


def compare(cases: Sequence[Case], taxonomy: Taxonomy | None = None) -> Comparison:
    """The comparison of 2-4 cases, in the order given; CompareError for other counts or a
    case listed twice."""
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise CompareError(f"a case is listed twice: {', '.join(ids)}")
    if not MIN_COMPARED <= len(cases) <= MAX_COMPARED:
        raise CompareError(
            f"compare {MIN_COMPARED} to {MAX_COMPARED} cases at a time; got {len(cases)}"
        )
    return Comparison([profile(c) for c in cases], taxonomy or load_taxonomy())


def responsibility_label(case: Case, lang: str = "en") -> str:
    """The case's responsibility (victim, accidental, preventable) in words; "-" if unset."""
    if not case.responsibility:
        return "-"
    key = f"responsibility_{case.responsibility}"
    return t(key, lang) if key in STRINGS else case.responsibility


def tactics_in_order(p: Profile, tax: Taxonomy, lang: str = "en") -> str:
    """The tactics' labels in the order first used, each with its day where dated."""
    day_word = t("compare_day", lang)
    return ", ".join(
        f"{tax.label('tactics', t, lang)} ({day_word} {d})"
        if d is not None
        else tax.label("tactics", t, lang)
        for t, d in p.tactics
    )


def outcome_text(case: Case, tax: Taxonomy, lang: str = "en") -> str:
    """The outcome's label, followed by the case's outcome summary if it has one."""
    label = tax.label("outcomes", case.outcome, lang)
    return f"{label}: {case.outcome_summary}" if case.outcome_summary else label


_HEADING = re.compile(r"^#{1,6}\s*(.+?)\s*#*\s*$")


def narrative_summary(body: str, max_words: int = 120) -> str:
    """The 'Summary'/'Ringkasan' section of a narrative, else its first paragraph, as plain
    text cut to ``max_words``."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in body.splitlines():
        heading = _HEADING.match(line)
        if heading:
            sections.append((heading.group(1).lower(), []))
        else:
            sections[-1][1].append(line)
    chosen = next(
        (lines for name, lines in sections if name in ("summary", "ringkasan")), None
    ) or next((lines for _, lines in sections if "".join(lines).strip()), [])
    paragraph = " ".join("\n".join(chosen).strip().split("\n\n")[0].split())
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", paragraph)  # links -> their text
    plain = re.sub(r"[*_`]+", "", plain)
    words = plain.split()
    return " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")
