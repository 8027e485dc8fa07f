"""Glossary: every taxonomy term with both labels, its definition, family and its cases."""

from __future__ import annotations

import streamlit as st

from archive.strings import t
from archive.taxonomy import load_taxonomy
from archive.ui import pages
from archive.ui.render import inert
from archive.ui.state import current_state, get_archive

SECTIONS = (
    ("crisis_types", "crisis_types", "crisis_types"),
    ("tactics", "tactics", "tactics"),
    ("families", "family", "families"),
    ("outcomes", "outcome", "outcomes"),
    ("sectors", "sector", "sectors"),
    ("channels", None, "channels"),
)


def render() -> None:
    """The glossary: every taxonomy term with its definition and the cases that use it."""
    lang = current_state().lang
    tax = load_taxonomy()
    counts = get_archive(lang).coverage().counts
    st.title(t("glossary", lang))
    st.caption(t("glossary_intro", lang))
    for kind, facet, title_key in SECTIONS:
        st.header(t(title_key, lang))
        for term in tax.terms(kind).values():
            other = "id" if lang == "en" else "en"
            heading = f"{term.label[lang]} \u2014 {term.label[other]}"
            with st.expander(heading):
                st.markdown(f"`{term.id}`")
                if term.family:
                    family = tax.label("families", term.family, lang)
                    st.markdown(f"**{t('family', lang)}:** {inert(family)}")
                st.markdown(inert(term.definition[lang]))
                st.caption(inert(term.definition[other]))
                synonyms = ", ".join(term.synonyms.get(lang, ()))
                if synonyms:
                    st.caption(inert(synonyms))
                if facet:
                    n = counts.get(facet, {}).get(term.id, 0)
                    params = {facet: term.id} if lang == "en" else {facet: term.id, "lang": lang}
                    st.page_link(
                        pages.search(), label=t("cases_with_term", lang, n=n), query_params=params
                    )
