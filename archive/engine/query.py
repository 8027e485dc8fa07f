"""The archive's own query tree, which every engine evaluates, and the expansion of wildcards,
prefixes and ranges into the index words they stand for (the same for every engine, within
the limits of ``archive.limits``).

The parser (``archive.engine.parse``) builds these nodes from what people type; an engine's
``Snapshot.match`` turns them into matches and scores. Words in ``Term`` and ``Phrase`` are
already analysed (lower-cased, stemmed) as their field analyses text.

Example::

    >>> q = And((Or((Term("title_en", "breach", 3.0), Term("narrative_en", "breach"))),
    ...          Not(Term("tactics", "denial"))))
    >>> sorted(terms(q))
    [('narrative_en', 'breach'), ('tactics', 'denial'), ('title_en', 'breach')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from archive.errors import QueryTooBroad
from archive.limits import MAX_EXPANSIONS, MAX_PATTERN_CHARS, MAX_PATTERN_WILDCARDS, MAX_PATTERNS
from archive.strings import message


@dataclass(frozen=True)
class Term:
    """One index word in one field (already analysed as the field analyses text)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Words next to each other (``slop`` 1) or within ``slop`` positions, in order."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Pattern:
    """A prefix (``breach*``), a wildcard (``cust?m*``) or a range (``[2010 TO 2015]``);
    ``expand`` replaces it by the index words it stands for."""

    field: str
    kind: str  # "prefix", "wildcard" or "range"
    text: str = ""  # prefix or wildcard
    start: str | None = None  # range ends (None: open)
    end: str | None = None
    start_excl: bool = False
    end_excl: bool = False
    boost: float = 1.0

    def typed(self) -> str:
        """As it was typed, for messages."""
        if self.kind == "prefix":
            return f"{self.text}*"
        if self.kind == "range":
            return f"[{self.start or ''} TO {self.end or ''}]"
        return self.text


@dataclass(frozen=True)
class And:
    """Documents every part matches."""

    parts: tuple[Query, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    """Documents any part matches."""

    parts: tuple[Query, ...]
    boost: float = 1.0
    expansion: bool = False  # the words a pattern stands for (engines need not cache them)


@dataclass(frozen=True)
class Not:
    """Documents ``query`` does not match."""

    query: Query


@dataclass(frozen=True)
class AndNot:
    """``a`` without the documents of ``b``."""

    a: Query
    b: Query


@dataclass(frozen=True)
class AndMaybe:
    """``a``, scored higher where ``b`` matches too."""

    a: Query
    b: Query


@dataclass(frozen=True)
class Require:
    """``a`` where ``b`` matches too; the score is ``a``'s alone."""

    a: Query
    b: Query


@dataclass(frozen=True)
class Every:
    """Every document."""

    boost: float = 1.0


@dataclass(frozen=True)
class Nothing:
    """No document (what a pattern standing for no index word becomes)."""


Query = Term | Phrase | Pattern | And | Or | Not | AndNot | AndMaybe | Require | Every | Nothing
NOTHING = Nothing()


def children(q: Query) -> tuple[Query, ...]:
    """The subqueries of a node (none for a leaf)."""
    if isinstance(q, And | Or):
        return q.parts
    if isinstance(q, Not):
        return (q.query,)
    if isinstance(q, AndNot | AndMaybe | Require):
        return (q.a, q.b)
    return ()


def terms(q: Query) -> Iterator[tuple[str, str]]:
    """(field, word) of every term and phrase word of the query."""
    if isinstance(q, Term):
        yield q.field, q.text
    elif isinstance(q, Phrase):
        for word in q.words:
            yield q.field, word
    for child in children(q):
        yield from terms(child)


def rebuild(q: Query, leaf: Callable[[Query], Query]) -> Query:
    """The query with every leaf (term, phrase, pattern, every) replaced by ``leaf(it)``."""
    if isinstance(q, And | Or):
        return type(q)(tuple(rebuild(p, leaf) for p in q.parts), q.boost)
    if isinstance(q, Not):
        return Not(rebuild(q.query, leaf))
    if isinstance(q, AndNot | AndMaybe | Require):
        return type(q)(rebuild(q.a, leaf), rebuild(q.b, leaf))
    return leaf(q)


WordLister = Callable[[str, str], Iterable[str]]  # (field, prefix) -> index words, sorted


def expand(q: Query, words: WordLister, fields: Iterable[str]) -> Query:
    """The query with each pattern replaced by the OR of the index words it stands for.

    At most ``MAX_PATTERNS`` distinct patterns per field and ``MAX_EXPANSIONS`` words in all
    (a pattern repeated in the query is expanded once); past a limit, ``QueryTooBroad``.
    """
    known = set(fields)
    seen: dict[str, dict[Pattern, tuple[str, ...]]] = {}
    budget = [0]

    def leaf(node: Query) -> Query:
        if not isinstance(node, Pattern):
            return node
        unboosted = replace(node, boost=1.0)
        per_field = seen.setdefault(node.field, {})  # per field: analysers differ
        if unboosted not in per_field:
            if len(per_field) == MAX_PATTERNS:
                raise _too_broad("broad_patterns", count=MAX_PATTERNS)
            found = _words_of(node, words) if node.field in known else ()
            budget[0] += len(found)  # the budget is the whole query's, over all fields
            if budget[0] > MAX_EXPANSIONS:
                raise _too_broad("broad_budget", count=MAX_EXPANSIONS)
            per_field[unboosted] = found
        found = per_field[unboosted]
        if not found:
            return NOTHING
        return Or(tuple(Term(node.field, w) for w in found), node.boost, expansion=True)

    return rebuild(q, leaf)


def _words_of(p: Pattern, words: WordLister) -> tuple[str, ...]:
    if p.kind == "wildcard":
        text = p.text
        if len(text) > MAX_PATTERN_CHARS or sum(map(text.count, "*?")) > MAX_PATTERN_WILDCARDS:
            shown = text if len(text) <= MAX_PATTERN_CHARS else text[:MAX_PATTERN_CHARS] + "…"
            raise _too_broad(
                "broad_wildcard", shown=shown, chars=MAX_PATTERN_CHARS, wild=MAX_PATTERN_WILDCARDS
            )
        prefix = re.split(r"[*?]", text, maxsplit=1)[0]
        exp = re.compile("".join(_wild(c) for c in text) + r"\Z", re.DOTALL)
        candidates: Iterable[str] = (w for w in words(p.field, prefix) if exp.match(w))
    elif p.kind == "prefix":
        candidates = words(p.field, p.text)
    else:
        candidates = _in_range(p, words)
    found = []
    for w in candidates:
        if not w:
            continue
        found.append(w)
        if len(found) > MAX_EXPANSIONS:
            raise _too_broad("broad_pattern", shown=p.typed(), count=MAX_EXPANSIONS)
    return tuple(found)


def _too_broad(key: str, **values: object) -> QueryTooBroad:
    """The error, its message in English (the catalogue's) and named for other languages."""
    return QueryTooBroad(message(key, **values).text("en"), key, **values)


def _wild(c: str) -> str:
    return ".*" if c == "*" else "." if c == "?" else re.escape(c)


def _in_range(p: Pattern, words: WordLister) -> Iterator[str]:
    start, end = p.start or "", p.end
    common = start if end is None else _common_prefix(start, end)
    for w in words(p.field, common):
        if w < start or (w == start and p.start_excl):
            continue
        if end is not None and (w > end or (w == end and p.end_excl)):
            break
        yield w


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]
