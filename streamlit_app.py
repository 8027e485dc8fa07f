"""Comeback Case Archive web app: a router over the pages in archive/ui."""

import streamlit as st

from archive.strings import t
from archive.ui import pages
from archive.ui.state import interface_lang

st.set_page_config(page_title=t("app_title", interface_lang()), page_icon="📚", layout="wide")
st.navigation(pages.all_pages()).run()
