"""Snippets: for each visible hit, up to two passages of its narrative around the words the
query matched (as the narrative's field analyses them), with the matched words marked; a
query that matched through a taxonomy word (kebocoran data -> data-breach) marks that
term's label in the narrative's own language."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from archive.engine import query as aq
from archive.engine.analysis import analyzer, spans
from archive.index import NARRATIVE_FIELD
from archive.search.results import Hit, Snippet
from archive.taxonomy import Taxonomy

if TYPE_CHECKING:
    from archive.search.state import State


class Snippets:
    """Makes the snippets of hits; kept per (query, document) in the index state."""

    CACHE = 2048  # (query, document) snippets kept: a filter or page change reuses them

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self._term_tokens: dict[tuple[str, str, str], tuple[set[str], set[str]]] = {}

    def add(
        self,
        state: State,
        stored: dict[int, Mapping[str, Any]],
        hits: list[Hit],
        q: aq.Query,
        key: str,
    ) -> None:
        """Snippets for the visible hits: kept ones reused (a filter or page change shows
        mostly the same hits), the others made from the stored plain text."""
        for docnum, hit in zip(stored, hits, strict=True):
            kept = state.snippets.get((key, docnum))
            if kept is not None:
                hit.snippets = kept
                continue
            plain = stored[docnum]["plain"]
            field_name, terms = self._terms(vars(hit), q)
            found = spans(field_name, plain, terms)
            if found:
                hit.snippets = [passage(plain, group) for group in best_groups(found, 2)]
            else:
                cut = SNIPPET_CHARS
                lead = plain[:cut].rsplit(" ", 1)[0] if len(plain) > cut else plain
                hit.snippets = [Snippet(lead.strip())]
            state.snippets[(key, docnum)] = hit.snippets
            if len(state.snippets) > self.CACHE:
                state.snippets.popitem(last=False)

    def prepare(self) -> None:
        """Analyse every taxonomy term's words now rather than at its first snippet."""
        for kind in _SNIPPET_KINDS:
            for tid in self.taxonomy.ids(kind):
                for part in ("words", "label"):
                    self._tokens_of_term(kind, tid, part)

    def _terms(self, summary: Mapping[str, Any], q: aq.Query) -> tuple[str, set[str]]:
        """The narrative field of a hit and the terms to highlight in it."""
        lang = summary["language"]
        field_name = NARRATIVE_FIELD[lang]
        query_terms = _query_terms(q)
        terms = set(query_terms.get(field_name, ()))
        q_en, q_id = query_terms.get("terms_en", set()), query_terms.get("terms_id", set())
        for kind, tid in _case_terms(summary):
            en_tokens, id_tokens = self._tokens_of_term(kind, tid, "words")
            if en_tokens & q_en or id_tokens & q_id:
                label_en, label_id = self._tokens_of_term(kind, tid, "label")
                terms |= label_en if lang == "en" else label_id
        return field_name, terms

    def _tokens_of_term(self, kind: str, tid: str, part: str) -> tuple[set[str], set[str]]:
        """Analysed tokens of a taxonomy term's label ("label") or label and synonyms ("words")."""
        key = (kind, tid, part)
        if key not in self._term_tokens:
            term = self.taxonomy.get(kind, tid)

            def tokens(lang: str) -> set[str]:
                words = term.words(lang) if part == "words" else [term.label[lang]]
                return {t.text for w in words for t in analyzer(lang)(w)}

            self._term_tokens[key] = (tokens("en"), tokens("id"))
        return self._term_tokens[key]


@lru_cache(maxsize=256)
def _query_terms(q: aq.Query) -> dict[str, frozenset[str]]:
    """field -> the query's terms in it (once per query, not once per hit)."""
    by_field: dict[str, set[str]] = {}
    for fname, text in aq.terms(q):
        by_field.setdefault(fname, set()).add(text)
    return {f: frozenset(ts) for f, ts in by_field.items()}


# The taxonomy kinds whose labels a snippet may mark (_case_terms reads these of a hit).
_SNIPPET_KINDS = ("crisis_types", "tactics", "outcomes", "sectors")


def _case_terms(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs = [("crisis_types", t) for t in summary["crisis_types"]]
    pairs += [("tactics", t) for t in summary["tactics"]]
    pairs.append(("outcomes", summary["outcome"]))
    if summary["sector"]:
        pairs.append(("sectors", summary["sector"]))
    return pairs


SNIPPET_CHARS = 240  # longest passage
SNIPPET_CONTEXT = 70  # characters of context around the matched words


def best_groups(spans: list[tuple[int, int, str]], top: int) -> list[list[tuple[int, int, str]]]:
    """Matched words grouped into passages; the ``top`` best (most distinct words, then most
    matches, then earliest), best first."""
    groups: list[list[tuple[int, int, str]]] = []
    for span in spans:
        group = groups[-1] if groups else None
        if (
            group
            and span[0] - group[-1][1] <= SNIPPET_CONTEXT
            and span[1] - group[0][0] <= SNIPPET_CHARS - SNIPPET_CONTEXT
        ):
            group.append(span)
        else:
            groups.append([span])

    def score(group: list[tuple[int, int, str]]) -> tuple[int, int, int]:
        return (-len({t for _, _, t in group}), -len(group), group[0][0])

    return sorted(groups, key=score)[:top]


def passage(text: str, group: list[tuple[int, int, str]]) -> Snippet:
    """A passage around a group of matched words, cut at word boundaries."""
    first, last = group[0][0], group[-1][1]
    room = max(0, SNIPPET_CHARS - (last - first))
    start = max(0, first - min(SNIPPET_CONTEXT, room // 2))
    end = min(len(text), last + min(SNIPPET_CONTEXT, room - (first - start)))
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else first
    if end < len(text):
        space = text.rfind(" ", last, end)
        end = space if space != -1 else last
    prefix, suffix = ("\u2026" if start > 0 else ""), ("\u2026" if end < len(text) else "")
    shift = len(prefix) - start
    return Snippet(
        prefix + text[start:end] + suffix, tuple((s + shift, e + shift) for s, e, _ in group)
    )
