"""The picked cases, shared by the search and precedent pages: a case's pick box toggles it
in ``st.session_state["selected"]``, and the bar compares them (2-4), downloads a brief of
them or clears them."""

from __future__ import annotations

import streamlit as st

from archive.precedents import MAX_COMPARED, MIN_COMPARED
from archive.search import Archive
from archive.strings import t
from archive.ui import pages
from archive.ui.briefs import brief_buttons
from archive.ui.state import ViewState


def toggle(case_id: str, key: str) -> None:
    """The pick box ``key`` of a case changed: add or drop the case."""
    chosen = [i for i in st.session_state["selected"] if i != case_id]
    if st.session_state[key]:
        chosen.append(case_id)
    st.session_state["selected"] = chosen


def selection_bar(archive: Archive, state: ViewState, lang: str, key: str) -> None:
    """The picked cases: compare them (2-4), download a brief of them, or clear."""
    ids = state.selected
    with st.container(border=True):
        st.markdown(f"**{t('selected_cases', lang, n=len(ids))}**")
        cols = st.columns([1, 1, 1, 1, 1])
        can_compare = MIN_COMPARED <= len(ids) <= MAX_COMPARED
        with cols[0]:
            if can_compare:
                st.page_link(
                    pages.compare(), label=t("compare", lang), icon=":material/compare:",
                    query_params=state.to_params(),
                )  # fmt: skip
            else:
                st.caption(t("compare_how_many", lang))
        brief_buttons(archive, ids, lang, cols[1:4], key=key)
        cols[4].button(t("clear_selection", lang), key=f"clear_sel_{key}", on_click=_clear)


def _clear() -> None:
    st.session_state["selected"] = []
