"""The app's pages. Built on each run (st.Page needs a running script), so that the router
and the pages' links to each other use the same definitions."""

from __future__ import annotations

import streamlit as st

from archive.ui import (
    access,
    case_page,
    compare_page,
    editor_page,
    glossary_page,
    insights_page,
    search_page,
)


def search():
    return st.Page(
        search_page.render,
        title="Search",
        icon=":material/search:",
        url_path="search",
        default=True,
    )


def case():
    return st.Page(
        case_page.render,
        title="Case",
        icon=":material/article:",
        url_path="case",
        visibility="hidden",
    )


def compare():
    return st.Page(
        compare_page.render,
        title="Compare",
        icon=":material/compare:",
        url_path="compare",
        visibility="hidden",
    )


def insights():
    return st.Page(
        insights_page.render, title="Insights", icon=":material/insights:", url_path="insights"
    )


def glossary():
    return st.Page(
        glossary_page.render, title="Glossary", icon=":material/menu_book:", url_path="glossary"
    )


def editor():
    return st.Page(editor_page.render, title="Editor", icon=":material/edit:", url_path="editor")


def all_pages() -> list:
    """The pages of this run: the editor only when an editor is configured."""
    pages = [search(), case(), compare(), insights(), glossary()]
    return [*pages, editor()] if access.editors_configured() else pages
