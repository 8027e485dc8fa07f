"""Quotations in a source and who said them.

A quote is text between double quotation marks (straight or curly) of at least four
words. Its speaker is the person (or else organisation) named next to a verb of saying
in the same sentence: '"...," Steinhafel said', 'said Gregg Steinhafel', '"...," kata
Nuraini Razak', 'menurut William'. Where the sentence names no one, the speaker is left
empty rather than guessed.

Example::

    >>> quotes = find_quotes('"We are sorry," Gregg Steinhafel said.', sentence_offsets, spans)
    >>> quotes[0].text, quotes[0].speaker
    ('We are sorry,', 'Gregg Steinhafel')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from archive.entities import EntitySpan

MIN_WORDS = 4
_QUOTE_RE = re.compile(r"\u201c([^\u201c\u201d]{8,800})\u201d|\"([^\"\n]{8,800})\"")
_SAY = re.compile(
    r"\b(?:said|says|say|told|added|adds|wrote|writes|explained|stated|tweeted|posted|"
    r"announced|acknowledged|admitted|noted|continued|according to|"
    r"kata|katanya|ujar|ujarnya|ungkap|ungkapnya|tutur|tuturnya|jelas|jelasnya|ucap|"
    r"ucapnya|imbuh|imbuhnya|tambah|tambahnya|terang|terangnya|papar|paparnya|sebut|"
    r"menurut|mengatakan|menyatakan|menjelaskan|menegaskan|mengungkapkan|menuturkan)\b",
    re.IGNORECASE,
)
NEAR = 60  # characters between the verb and the name


@dataclass(frozen=True)
class Quote:
    """A quotation in a source (``source``: its position) and who said it (None: not named)."""

    text: str  # verbatim, without the quotation marks
    speaker: str | None
    sentence: str  # the sentence(s) it stands in: the evidence
    source: int


def find_quotes(
    text: str, sentences: Sequence[tuple[int, int]], spans: Sequence[EntitySpan], source: int
) -> list[Quote]:
    """Quotes in ``text`` with their speakers; ``sentences`` are sentence offsets and
    ``spans`` the entity mentions of the same text."""
    found: list[Quote] = []
    for match in _QUOTE_RE.finditer(text):
        inner = (match.group(1) or match.group(2)).strip().rstrip(",;:")
        if len(inner.split()) < MIN_WORDS:
            continue
        start, end = _enclosing(sentences, match.start(), match.end(), len(text))
        speaker = _speaker(text, match.start(), match.end(), start, end, spans)
        context = " ".join(text[start:end].split())
        found.append(Quote(inner, speaker, context, source))
    return found


def _enclosing(sentences: Sequence[tuple[int, int]], a: int, b: int, size: int) -> tuple[int, int]:
    """From the start of the sentence holding ``a`` to the end of the one holding ``b``."""
    start = max((s for s, e in sentences if s <= a), default=0)
    end = min((e for s, e in sentences if e >= b), default=size)
    return start, end


def _speaker(
    text: str, qa: int, qb: int, start: int, end: int, spans: Sequence[EntitySpan]
) -> str | None:
    """The named speaker closest to a verb of saying, outside the quote, in its sentence."""
    people = [s for s in spans if start <= s.start and s.end <= end and not qa <= s.start < qb]
    named = [s for s in people if s.kind in ("person", "organization")]
    if not named:
        return None
    verbs = [
        m for region in ((start, qa), (qb, end)) for m in _SAY.finditer(text, region[0], region[1])
    ]
    if not verbs:
        return None
    best = None
    for verb in verbs:
        for span in named:
            gap = span.start - verb.end() if span.start >= verb.end() else verb.start() - span.end
            if gap > NEAR:
                continue
            rank = (span.kind != "person", gap)
            if best is None or rank < best[0]:
                best = (rank, span.name)
    return best[1] if best else None
