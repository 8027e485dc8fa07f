"""The Whoosh engine: its view of an index state (``WhooshSnapshot``), creating, opening and
writing indexes (``store``), the analysis and schema (``schema``) and the fast matcher that
reads Whoosh's codec directly (``matching``)."""

from archive.engine.whoosh.snapshot import WhooshSnapshot

__all__ = ["WhooshSnapshot"]
