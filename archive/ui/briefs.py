"""Precedent widgets shared by pages: brief downloads for picked cases (search and compare
pages) and a case's citations to copy (case and compare pages)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from archive.brief import brief
from archive.citations import apa_case, apa_source, bibtex_all
from archive.model import Case
from archive.search import Archive
from archive.strings import t

MIME = {
    "md": "text/markdown",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def brief_buttons(archive: Archive, ids: Sequence[str], lang: str, columns, key: str) -> None:
    """One download button per format; the file is built only when its button is clicked."""
    ids = list(ids)

    def build(fmt: str) -> bytes:
        return brief([archive.get(i).case for i in ids], fmt, lang)

    for column, fmt in zip(columns, ("md", "pptx", "docx"), strict=True):
        column.download_button(
            t(f"brief_{fmt}", lang),
            lambda f=fmt: build(f),
            f"precedent-brief.{fmt}",
            MIME[fmt],
            key=f"brief_{fmt}_{key}",
            icon=":material/download:",
        )


def citation_blocks(case: Case, lang: str) -> None:
    """APA for the case and each source, then BibTeX for all: each block has a copy button."""
    st.caption(t("cite_case", lang))
    st.code(apa_case(case), language=None, wrap_lines=True)
    st.caption(t("cite_sources", lang))
    for source in case.sources:
        st.code(apa_source(source), language=None, wrap_lines=True)
    st.caption(t("bibtex_all", lang))
    st.code(bibtex_all(case), language="latex")
