"""From the text people type to a Whoosh query: field names, operators and the limits that
keep a hostile query cheap.

Anyone can type anything into the search box, so the text is bounded before it is parsed:
at most ``MAX_QUERY_CHARS`` characters and ``MAX_QUERY_WORDS`` words (the rest is dropped
with a notice). The array evaluator (``archive.engine.whoosh.matching``) allows at most ``MAX_PATTERNS``
wildcards, prefixes or ranges per field, standing for at most ``MAX_EXPANSIONS`` index
words in all, and no wildcard longer than ``MAX_PATTERN_CHARS`` or with more than
``MAX_PATTERN_WILDCARDS`` of ``*`` and ``?``; past a limit it raises ``QueryTooBroad`` and
the search falls back to plain words with a notice.

Whoosh's parser also builds the two sides of ``ANDNOT``, ``ANDMAYBE`` and ``REQUIRE`` twice,
which is exponential in a chain of them; ``parser`` uses groups that build each side once.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import syntax

from archive.errors import QueryTooBroad  # noqa: F401 (re-exported)
from archive.fields import BOOSTS, FACETS, FIELD_ALIASES, TEXT_FIELD_NAMES
from archive.limits import (  # noqa: F401 (re-exported: the limits as the parser knows them)
    MAX_EXPANSIONS,
    MAX_PATTERN_CHARS,
    MAX_PATTERN_WILDCARDS,
    MAX_PATTERNS,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
)

DEFAULT_FIELDS = list(TEXT_FIELD_NAMES)  # words with no field name are looked for in these
# Facet fields whose values are not lower-cased ids (names keep their case).
_NAME_FIELDS = tuple(f.name for f in FACETS if f.keep_case)
_FIELD_RE = re.compile(r'(?<![\w"])([A-Za-z_]+):("[^"]*"|\[[^\]]*\]|[^\s()"]+)')
WORD_RE = re.compile(r"\w+", re.UNICODE)
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"}


class BoundedText(NamedTuple):
    text: str
    notice: str | None  # what was dropped, for the reader


def bounded(text: str) -> BoundedText:
    """The query with whitespace collapsed, cut to the character and word limits."""
    text = " ".join(text.split())
    notices = []
    if len(text) > MAX_QUERY_CHARS:
        cut = text.rfind(" ", 0, MAX_QUERY_CHARS + 1)
        text = text[: cut if cut > 0 else MAX_QUERY_CHARS].rstrip()
        notices.append(f"{MAX_QUERY_CHARS:,} characters")
    words = text.split(" ")
    if len(words) > MAX_QUERY_WORDS:
        text = " ".join(words[:MAX_QUERY_WORDS])
        notices.append(f"{MAX_QUERY_WORDS} words")
    if not notices:
        return BoundedText(text, None)
    return BoundedText(
        text, f"The query was too long; searched for its first {' and '.join(notices)} only."
    )


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


# -- the parser ----------------------------------------------------------------------------


class _OnceBinaryGroup(syntax.BinaryGroup):
    """Whoosh's BinaryGroup.query builds each side's query twice (once to test for None,
    once for the result), so ``a ANDNOT b ANDNOT c ...`` took 2**n steps."""

    def query(self, parser):
        assert len(self.nodes) == 2
        qa = self.nodes[0].query(parser)
        qb = self.nodes[1].query(parser)
        if qa is None and qb is None:
            q = wq.NullQuery
        elif qa is None:
            q = qb
        elif qb is None:
            q = qa
        else:
            q = self.qclass(qa, qb)
        return syntax.attach(q, self)


class _AndNotGroup(_OnceBinaryGroup):
    qclass = wq.AndNot


class _AndMaybeGroup(_OnceBinaryGroup):
    qclass = wq.AndMaybe


class _RequireGroup(_OnceBinaryGroup):
    qclass = wq.Require


def _operators() -> qparser.OperatorsPlugin:
    tag = qparser.OperatorsPlugin.OpTagger
    # The same expressions and priorities as Whoosh's defaults, with groups built once.
    ops = [
        (tag(r"(?<=\s)ANDNOT(?=\s)", _AndNotGroup, memo="anot"), -5),
        (tag(r"(?<=\s)ANDMAYBE(?=\s)", _AndMaybeGroup, memo="amaybe"), -5),
        (tag(r"(^|(?<=\s))REQUIRE(?=\s)", _RequireGroup, memo="req"), 0),
    ]
    return qparser.OperatorsPlugin(ops, AndNot=None, AndMaybe=None, Require=None)


def parser(schema: Schema) -> qparser.QueryParser:
    """The archive's query parser: all text fields, every word required."""
    p = qparser.MultifieldParser(DEFAULT_FIELDS, schema, fieldboosts=BOOSTS, group=qparser.AndGroup)
    p.replace_plugin(_operators())
    return p
