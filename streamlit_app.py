"""Comeback Case Archive web app: a router over the pages in archive/ui."""

import streamlit as st

from archive.ui import search_page

st.set_page_config(page_title="Comeback Case Archive", page_icon="📚", layout="wide")
page = st.navigation([st.Page(search_page.render, title="Search", url_path="search", default=True)])
page.run()
