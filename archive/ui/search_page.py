"""Search page: a query box, outcome filter and results with highlighted snippets."""

from __future__ import annotations

import html
import re

import streamlit as st

from archive.search import SearchRequest
from archive.taxonomy import load_taxonomy
from archive.ui.state import get_archive


def _safe(text: str) -> str:
    """Case text as inert Markdown: HTML escaped, Markdown syntax characters backslashed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~])", r"\\\1", html.escape(text))


def _marked(snippet) -> str:
    # Escape everything, then add our own <mark>: case text can never inject markup.
    out, pos = [], 0
    for start, end in snippet.matches:
        out += [_safe(snippet.text[pos:start]), "<mark>", _safe(snippet.text[start:end]), "</mark>"]
        pos = end
    out.append(_safe(snippet.text[pos:]))
    return "".join(out)


def render() -> None:
    archive = get_archive()
    tax = load_taxonomy()
    st.title("Comeback Case Archive")
    query = st.text_input(
        "Search", key="q", placeholder="e.g. data breach, kebocoran data, apology"
    )
    outcomes = st.multiselect(
        "Outcome",
        tax.ids("outcomes"),
        key="outcome",
        format_func=lambda o: tax.label("outcomes", o),
    )
    response = archive.search(SearchRequest(query, filters={"outcome": outcomes}, per_page=20))
    if response.notice:
        st.info(response.notice)
    if response.suggestion:
        st.caption(f"Did you mean: {response.suggestion}")
    st.caption(f"{response.total} case(s)")
    for hit in response.hits:
        with st.container(border=True):
            st.markdown(f"**{_safe(hit.title)}**")
            st.caption(f"{hit.subject} · {hit.year} · {tax.label('outcomes', hit.outcome)}")
            for snippet in hit.snippets[:1]:
                st.markdown(_marked(snippet), unsafe_allow_html=True)
