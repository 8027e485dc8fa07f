"""The app's pages, registered once so that pages can link to each other."""

from __future__ import annotations

import streamlit as st

from archive.ui import case_page, glossary_page, search_page

SEARCH = st.Page(
    search_page.render, title="Search", icon=":material/search:", url_path="search", default=True
)
CASE = st.Page(
    case_page.render, title="Case", icon=":material/article:", url_path="case", visibility="hidden"
)
GLOSSARY = st.Page(
    glossary_page.render, title="Glossary", icon=":material/menu_book:", url_path="glossary"
)
ALL = [SEARCH, CASE, GLOSSARY]
