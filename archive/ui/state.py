"""The archive shared by all sessions of the app process, opened once."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from archive.search import Archive


def data_dirs() -> tuple[Path, Path]:
    root = Path(__file__).resolve().parents[2]
    cases = Path(os.environ.get("ARCHIVE_CASES_DIR", root / "cases"))
    index = Path(os.environ.get("ARCHIVE_INDEX_DIR", root / ".archive"))
    return cases, index


@st.cache_resource(show_spinner="Building the search index from the case files…")
def _open(cases_dir: str, index_dir: str) -> Archive:
    return Archive.open(Path(cases_dir), Path(index_dir), update="if-stale")


def get_archive() -> Archive:
    """The open archive; a case file changed on disk is picked up on the next run."""
    cases, index = data_dirs()
    archive = _open(str(cases), str(index))
    report = archive.ensure("if-stale")  # one stat per case file
    if report is not None and report.changed:
        st.toast(f"Index updated: {report.summary()}")
    return archive
