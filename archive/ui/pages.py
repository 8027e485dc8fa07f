"""The app's pages. Built on each run (st.Page needs a running script), so that the router
and the pages' links to each other use the same definitions.

The page modules are imported when their page runs, not here: they link to each other
through this module, which therefore must not import them (no import cycle).
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from archive.strings import t
from archive.ui import access
from archive.ui.state import interface_lang

# Set to a folder, each page run is profiled (pyinstrument, from the 'bench' extra) and its
# report written there: where a rerun's time goes, in the script thread Streamlit runs.
PROFILE_ENV = "ARCHIVE_PROFILE"


def _profiled(render: Callable[[], None], folder: Path, name: str) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    try:
        render()
    finally:
        profiler.stop()
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"{time.strftime('%H%M%S')}-{time.perf_counter_ns() % 10**9:09d}-{name}.txt"
        out.write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")


def _render(module: str) -> Callable[[], None]:
    def render() -> None:
        page = importlib.import_module(f"archive.ui.{module}")
        if os.environ.get(PROFILE_ENV):
            _profiled(page.render, Path(os.environ[PROFILE_ENV]), module)
        else:
            page.render()

    render.__name__ = render.__qualname__ = module  # what Streamlit names the page by
    return render


# Where a plain link reaches the search page: the default page is served at the app's root
# (its url_path answers "page not found"); relative, so that a base path is kept.
SEARCH_HREF = "./"


def _title(key: str) -> str:
    """A page's name in the interface language (the navigation and the tab show it)."""
    return t(key, interface_lang())


def search():
    """The search page (the default)."""
    return st.Page(
        _render("search_page"),
        title=_title("nav_search"),
        icon=":material/search:",
        url_path="search",
        default=True,
    )


def finder():
    """The precedent finder."""
    return st.Page(
        _render("finder_page"),
        title=_title("nav_finder"),
        icon=":material/travel_explore:",
        url_path="precedents",
    )


def case():
    """A case's page, reached from a result (hidden from the navigation)."""
    return st.Page(
        _render("case_page"),
        title=_title("nav_case"),
        icon=":material/article:",
        url_path="case",
        visibility="hidden",
    )


def compare():
    """The compare page, reached from the selection (hidden from the navigation)."""
    return st.Page(
        _render("compare_page"),
        title=_title("nav_compare"),
        icon=":material/compare:",
        url_path="compare",
        visibility="hidden",
    )


def insights():
    """The insights page."""
    return st.Page(
        _render("insights_page"),
        title=_title("nav_insights"),
        icon=":material/insights:",
        url_path="insights",
    )


def glossary():
    """The glossary of taxonomy terms."""
    return st.Page(
        _render("glossary_page"),
        title=_title("nav_glossary"),
        icon=":material/menu_book:",
        url_path="glossary",
    )


def editor():
    """The editor page (offered only when an editor is configured)."""
    return st.Page(
        _render("editor_page"),
        title=_title("nav_editor"),
        icon=":material/edit:",
        url_path="editor",
    )


def all_pages() -> list:
    """The pages of this run: the editor only when an editor is configured."""
    pages = [search(), finder(), case(), compare(), insights(), glossary()]
    return [*pages, editor()] if access.editors_configured() else pages
