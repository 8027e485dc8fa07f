"""The app's pages. Built on each run (st.Page needs a running script), so that the router
and the pages' links to each other use the same definitions.

The page modules are imported when their page runs, not here: they link to each other
through this module, which therefore must not import them (no import cycle).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import streamlit as st

from archive.ui import access


def _render(module: str) -> Callable[[], None]:
    def render() -> None:
        importlib.import_module(f"archive.ui.{module}").render()

    render.__name__ = render.__qualname__ = module  # what Streamlit names the page by
    return render


def search():
    """The search page (the default)."""
    return st.Page(
        _render("search_page"),
        title="Search",
        icon=":material/search:",
        url_path="search",
        default=True,
    )


def case():
    """A case's page, reached from a result (hidden from the navigation)."""
    return st.Page(
        _render("case_page"),
        title="Case",
        icon=":material/article:",
        url_path="case",
        visibility="hidden",
    )


def compare():
    """The compare page, reached from the selection (hidden from the navigation)."""
    return st.Page(
        _render("compare_page"),
        title="Compare",
        icon=":material/compare:",
        url_path="compare",
        visibility="hidden",
    )


def insights():
    """The insights page."""
    return st.Page(
        _render("insights_page"), title="Insights", icon=":material/insights:", url_path="insights"
    )


def glossary():
    """The glossary of taxonomy terms."""
    return st.Page(
        _render("glossary_page"), title="Glossary", icon=":material/menu_book:", url_path="glossary"
    )


def editor():
    """The editor page (offered only when an editor is configured)."""
    return st.Page(
        _render("editor_page"), title="Editor", icon=":material/edit:", url_path="editor"
    )


def all_pages() -> list:
    """The pages of this run: the editor only when an editor is configured."""
    pages = [search(), case(), compare(), insights(), glossary()]
    return [*pages, editor()] if access.editors_configured() else pages
