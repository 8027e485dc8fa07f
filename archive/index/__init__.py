"""The index: case documents, incremental update, full rebuild, locking; through the
engine chosen (``archive.engine``: Whoosh by default, or tantivy). One job per module:

    documents    case -> index document, and back
    generations  CURRENT, generations, meta.json, the vocabulary; opening the live one
    freshness    the cheap "did any file change?" check
    cases        the case folder read for a run, entities, the run's report
    update       the incremental update in named steps
    build        update_index: the lock, then a full rebuild or an incremental update

The index is a disposable build product of ``cases/``. It lives in generations::

    .archive/CURRENT          name of the live generation, replaced atomically
    .archive/gen-000003/      the engine's files + meta.json (which names the engine)
    .archive/entities.sqlite  entity extraction cache (survives rebuilds)

A full rebuild writes a new generation and then points CURRENT at it, so a failed or
interrupted rebuild never leaves readers without a usable index.

Example::

    >>> report = update_index(Path("cases"), Path(".archive"))
    >>> print(report.summary())   # added 4, updated 0, removed 0; parsed 4 narratives
"""

import importlib
from typing import Any

# Each name is imported from its module on first use, so that searching, which reads
# generations and documents, does not load the build's stages (the loader, the case model,
# the update steps).
_WHERE = {
    "IndexUnusable": "archive.errors",
    "facet_values": "archive.fields",
    "markdown_to_plain": "archive.words",
    **dict.fromkeys(("LOCK_TIMEOUT", "BuildLock", "update_index"), "archive.index.build"),
    "IndexReport": "archive.index.cases",
    **dict.fromkeys(
        ("ENTITY_FACET", "FACETS", "NARRATIVE_FIELD", "SUMMARY_FIELDS", "TITLE_FIELD",
         "case_document", "case_from_stored", "spell_words", "taxonomy_words"),
        "archive.index.documents",
    ),
    "is_stale": "archive.index.freshness",
    **dict.fromkeys(
        ("SCHEMA_VERSION", "Meta", "Opened", "current_generation", "open_current", "read_meta",
         "read_vocabulary"),
        "archive.index.generations",
    ),
    **dict.fromkeys(
        ("ChangePlan", "ReadChanges", "apply_changes", "build_documents", "plan_changes",
         "read_changes", "refresh_renamed", "write_metadata"),
        "archive.index.update",
    ),
}  # fmt: skip


def __getattr__(name: str) -> Any:
    """A name of the table above, imported from its module the first time it is asked for."""
    if name not in _WHERE:
        raise AttributeError(f"module 'archive.index' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


__all__ = sorted(_WHERE)
