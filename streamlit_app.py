"""Comeback Case Archive web app: a router over the pages in archive/ui."""

import streamlit as st

from archive.ui import pages

st.set_page_config(page_title="Comeback Case Archive", page_icon="📚", layout="wide")
st.navigation(pages.all_pages()).run()
