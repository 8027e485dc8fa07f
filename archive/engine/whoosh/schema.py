"""The Whoosh index's schema, from the table in archive/fields.py and the shared analysers
(archive/engine/analysis.py)."""

from __future__ import annotations

from typing import Any

from whoosh import fields

from archive.engine.analysis import FACET_SEP, analyzer, facet_analyzer
from archive.fields import FACET_NAMES, TEXT_FIELDS


def build_schema() -> fields.Schema:
    """The Whoosh schema from the table of fields and facets (archive/fields.py)."""
    text = {
        # Word positions kept (phrases). No field_boost: boosts apply at query time.
        f.name: fields.TEXT(analyzer=analyzer(f.analyzer))
        for f in TEXT_FIELDS
    }
    facet = {
        name: fields.KEYWORD(analyzer=facet_analyzer(), scorable=False, stored=False)
        for name in FACET_NAMES
    }
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        path=fields.STORED(),
        content_hash=fields.ID(stored=True, sortable=True),
        body=fields.STORED(),
        plain=fields.STORED(),  # the narrative as plain text (snippets are cut from it)
        summary=fields.STORED(),  # what a result list shows, as JSON (see SUMMARY_FIELDS)
        date_sort=fields.ID(sortable=True),
        title_sort=fields.ID(sortable=True),
        case_json=fields.STORED(),
        **text,
        **facet,
    )


def whoosh_document(doc: dict[str, Any]) -> dict[str, Any]:
    """A case document as Whoosh takes it: a facet's values joined into one string."""
    return {k: FACET_SEP.join(v) if isinstance(v, list) else v for k, v in doc.items()}
