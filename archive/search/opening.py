"""Opening the archive the way the command line and the app both do: the folders by one rule
(``archive.locations.locate``), the index brought up to date first, and a full build
whenever the index cannot be opened."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from archive import engine as engines
from archive.index.freshness import folder_stamp, is_stale
from archive.locations import locate
from archive.search.archive import Archive

if TYPE_CHECKING:
    from archive.index.cases import IndexReport


def open_archive(
    cases_dir: str | Path | None = None,
    index_dir: str | Path | None = None,
    update: str = "if-stale",
    progress=None,
    engine: str | None = None,
) -> Archive:
    """The archive in the folders ``locate`` finds, its index brought up to date as
    ``update`` says: "if-stale" (a cheap stat check, then an incremental update if a file
    changed), "never" (only build when unusable) or "always". ``engine``: the search engine
    (default: ``ARCHIVE_ENGINE``, else Whoosh).

    Example::

        >>> archive = open_archive("cases", update="never")
        >>> archive.search(SearchRequest("data breach")).total
    """
    folders = locate(cases_dir, index_dir)
    name = engines.chosen(engine)

    def rebuild() -> IndexReport:
        from archive.index.build import update_index

        return update_index(folders.cases, folders.index, progress=progress, engine=name)

    archive = Archive(folders.cases, folders.index, engine=name, rebuild=rebuild)
    update_archive(archive, update, progress)
    archive._snapshot()  # open now (and build if unusable), not on the first search
    return archive


def update_archive(
    archive: Archive, update: str = "if-stale", progress=None, recheck: float = 0.0
) -> IndexReport | None:
    """Bring the archive's index in line with its case files ("if-stale": one stat per case
    file; "always"; "never"). The report, if an update ran.

    ``recheck`` > 0 (the app, on every rerun): the stat of every case file runs at most that
    often (seconds); in between only the cases folder's own mtime is read, which any added,
    removed or renamed file (every save of the app and the command line) changes at once. A
    file written in place is seen within ``recheck`` seconds.
    """
    if update == "if-stale" and recheck > 0 and not _due(archive, recheck):
        return None
    stale = update == "always" or (
        update == "if-stale" and is_stale(archive.cases_dir, archive.index_dir)
    )
    if not stale:
        return None
    from archive.index.build import update_index  # the writer's stages, only when one runs

    report = update_index(
        archive.cases_dir,
        archive.index_dir,
        progress=progress,
        taxonomy=archive.taxonomy,
        engine=archive.engine_name,
    )
    archive.last_report = report
    return report


def _due(archive: Archive, recheck: float) -> bool:
    """Whether the full freshness check is due: ``recheck`` seconds since the last one, or
    the cases folder changed. Shared by the sessions of one process (one Archive)."""
    now, stamp = time.monotonic(), folder_stamp(archive.cases_dir)
    last = archive.freshness_checked
    if last is not None and now - last[0] < recheck and stamp == last[1]:
        return False
    archive.freshness_checked = (now, stamp)
    return True
