"""From the text people type to a query: field names, operators and the limits that keep a
hostile query cheap (the parsing itself is ``archive.engine.parse``).

Anyone can type anything into the search box, so the text is bounded before it is parsed:
at most ``MAX_QUERY_CHARS`` characters and ``MAX_QUERY_WORDS`` words (the rest is dropped
with a notice). The expansion of patterns (``archive.engine.query.expand``) allows at most
``MAX_PATTERNS`` wildcards, prefixes or ranges per field, standing for at most
``MAX_EXPANSIONS`` index words in all, and no wildcard longer than ``MAX_PATTERN_CHARS`` or
with more than ``MAX_PATTERN_WILDCARDS`` of ``*`` and ``?``; past a limit it raises
``QueryTooBroad`` and the search falls back to plain words with a notice.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# DEFAULT_FIELDS: words with no field name are looked for in these (re-exported).
from archive.engine.parse import DEFAULT_FIELDS, QuerySyntaxError, parse  # noqa: F401
from archive.errors import QueryTooBroad  # noqa: F401 (re-exported)
from archive.fields import FACETS, FIELD_ALIASES
from archive.limits import (  # noqa: F401 (re-exported: the limits as the parser knows them)
    MAX_EXPANSIONS,
    MAX_PATTERN_CHARS,
    MAX_PATTERN_WILDCARDS,
    MAX_PATTERNS,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
)
from archive.strings import Message, message

# Facet fields whose values are not lower-cased ids (names keep their case).
_NAME_FIELDS = tuple(f.name for f in FACETS if f.keep_case)
_FIELD_RE = re.compile(r'(?<![\w"])([A-Za-z_]+):("[^"]*"|\[[^\]]*\]|[^\s()"]+)')
WORD_RE = re.compile(r"\w+", re.UNICODE)
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"}


class BoundedText(NamedTuple):
    """The query cut to the limits, and a notice of what was dropped (None: nothing was)."""

    text: str
    notice: Message | None  # what was dropped, for the reader


def bounded(text: str) -> BoundedText:
    """The query with whitespace collapsed, cut to the character and word limits."""
    text = " ".join(text.split())
    chars = words = False
    if len(text) > MAX_QUERY_CHARS:
        cut = text.rfind(" ", 0, MAX_QUERY_CHARS + 1)
        text = text[: cut if cut > 0 else MAX_QUERY_CHARS].rstrip()
        chars = True
    if len(text.split(" ")) > MAX_QUERY_WORDS:
        text = " ".join(text.split(" ")[:MAX_QUERY_WORDS])
        words = True
    if chars and words:
        notice = message("notice_too_long_both", chars=MAX_QUERY_CHARS, words=MAX_QUERY_WORDS)
    elif chars or words:
        key = "notice_too_long_chars" if chars else "notice_too_long_words"
        notice = message(key, n=MAX_QUERY_CHARS if chars else MAX_QUERY_WORDS)
    else:
        notice = None
    return BoundedText(text, notice)


def plain_words(text: str) -> list[str]:
    """The words of a query, with no query syntax at all (operators dropped)."""
    return [w for w in WORD_RE.findall(text) if w.upper() not in OPERATORS]


def suggestable_words(text: str) -> list[str]:
    """Plain words of a query: no operators, no field:value, no phrases."""
    stripped = re.sub(r'"[^"]*"', " ", _FIELD_RE.sub(" ", text))
    return [
        w
        for w in WORD_RE.findall(stripped)
        if w not in OPERATORS and not w.isdigit() and len(w) > 2
    ]


def rewrite_fields(text: str, facets: tuple[str, ...] | list[str]) -> str:
    """'title:breach' -> '(title_en:breach OR title_id:breach)'; facet values normalised."""

    def repl(m: re.Match) -> str:
        name, value = m.group(1).lower(), m.group(2)
        fields = FIELD_ALIASES.get(name)
        if fields is None:
            return m.group(0)
        if fields == ["countries"]:
            value = value.upper()
        elif fields[0] in facets and fields[0] not in _NAME_FIELDS:
            value = value.lower()
        if len(fields) == 1:
            return f"{fields[0]}:{value}"
        return "(" + " OR ".join(f"{f}:{value}" for f in fields) + ")"

    return _FIELD_RE.sub(repl, text)
