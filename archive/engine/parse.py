"""From query text to the archive's query tree (``archive.engine.query``), with Whoosh's
query parser as a library: its syntax (AND, OR, NOT, ANDNOT, ANDMAYBE, REQUIRE, groups,
"phrases", field:value, wildcards, [ranges], boosts^2) is the archive's query language for
every engine. Words are analysed as each field analyses text; words with no field name are
looked for in every text field, each with its boost (``archive.fields``), every word required.

Whoosh's parser also builds the two sides of ``ANDNOT``, ``ANDMAYBE`` and ``REQUIRE`` twice,
which is exponential in a chain of them; the parser here uses groups that build each side once.

Example::

    >>> parse('title:breach NOT "data leak"')   # doctest: +ELLIPSIS
    And(parts=(Or(parts=(Term(field='title_en', text='breach', boost=1.0), ...
"""

from __future__ import annotations

from functools import lru_cache

from whoosh import fields, qparser
from whoosh import query as wq
from whoosh.qparser import syntax

from archive.engine import query as aq
from archive.engine.analysis import analyzer, facet_analyzer
from archive.fields import BOOSTS, FACET_NAMES, TEXT_FIELDS

DEFAULT_FIELDS = [f.name for f in TEXT_FIELDS]


class QuerySyntaxError(ValueError):
    """The text could not be read as a query."""


def parse(text: str) -> aq.Query:
    """The query tree of ``text`` (field names already rewritten to index fields)."""
    try:
        q = _parser().parse(text)
    except qparser.QueryParserError as exc:
        raise QuerySyntaxError(str(exc)) from exc
    return convert(q)


def convert(q: wq.Query) -> aq.Query:
    """A Whoosh query tree as the archive's own."""
    if q is wq.NullQuery or isinstance(q, wq.NullQuery.__class__):
        return aq.NOTHING
    if isinstance(q, wq.Term):
        return aq.Term(q.fieldname, _text(q.text), q.boost)
    if isinstance(q, wq.Phrase):
        return aq.Phrase(q.fieldname, tuple(_text(w) for w in q.words), q.slop, q.boost)
    if isinstance(q, wq.Every):
        return aq.Every(q.boost)
    if isinstance(q, wq.Not):
        return aq.Not(convert(q.query))
    if isinstance(q, wq.And | wq.Or):
        group = aq.And if isinstance(q, wq.And) else aq.Or
        return group(tuple(convert(s) for s in q.subqueries), q.boost)
    binary = _BINARY.get(type(q))
    if binary is not None:
        return binary(convert(q.a), convert(q.b))
    return _pattern(q)


_BINARY = {wq.AndNot: aq.AndNot, wq.AndMaybe: aq.AndMaybe, wq.Require: aq.Require}


def _pattern(q: wq.Query) -> aq.Pattern:
    """A prefix, wildcard or range as a pattern (expanded later, within the limits)."""
    if isinstance(q, wq.Prefix):
        return aq.Pattern(q.fieldname, "prefix", _text(q.text), boost=q.boost)
    if isinstance(q, wq.Wildcard):
        return aq.Pattern(q.fieldname, "wildcard", _text(q.text), boost=q.boost)
    if isinstance(q, wq.TermRange):
        return aq.Pattern(
            q.fieldname, "range", start=q.start, end=q.end, start_excl=q.startexcl,
            end_excl=q.endexcl, boost=q.boost,
        )  # fmt: skip
    raise QuerySyntaxError(f"unsupported query part {type(q).__name__}")


def _text(t: str | bytes) -> str:
    return t.decode("utf-8") if isinstance(t, bytes) else str(t)


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


@lru_cache(maxsize=1)
def _parser() -> qparser.QueryParser:
    """All text fields, every word required; the parser reads only the fields' analysers."""
    schema = fields.Schema(
        **{f.name: fields.TEXT(analyzer=analyzer(f.analyzer)) for f in TEXT_FIELDS},
        **{name: fields.KEYWORD(analyzer=facet_analyzer()) for name in FACET_NAMES},
    )
    p = qparser.MultifieldParser(DEFAULT_FIELDS, schema, fieldboosts=BOOSTS, group=qparser.AndGroup)
    p.replace_plugin(_operators())
    return p
