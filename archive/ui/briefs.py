"""Download buttons for a precedent brief of picked cases (search and compare pages)."""

from __future__ import annotations

from collections.abc import Sequence

from archive.brief import brief
from archive.search import Archive
from archive.ui.i18n import t

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
