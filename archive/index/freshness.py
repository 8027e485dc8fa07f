"""The cheap check run on every app rerun: did any case file appear, change or vanish since
the index was built (one stat per file, no file read)?"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from archive.files import CASE_EXTENSIONS
from archive.index.generations import current_generation, read_meta


def file_stats(files: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """File name -> (mtime_ns, size) of each file; one that cannot be stat'ed is left out."""
    out = {}
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        out[f.name] = (st.st_mtime_ns, st.st_size)
    return out


def is_stale(cases_dir: Path, index_dir: Path) -> bool:
    """Cheap check (one stat per file): did any case file appear, change or vanish?

    Runs on every app rerun: the index's file table is parsed again only when meta.json
    itself changed, and case files are stat'ed through one directory scan.
    """
    gen = current_generation(index_dir)
    if gen is None:
        return True
    try:
        st = (gen / "meta.json").stat()
        known = _indexed_stats(str(gen), st.st_ino, st.st_mtime_ns, st.st_size)
    except (OSError, ValueError, TypeError):
        return True
    return _scan_stats(cases_dir) != known


@lru_cache(maxsize=4)
def _indexed_stats(gen: str, ino: int, mtime_ns: int, size: int) -> dict[str, tuple[int, int]]:
    """file name -> (mtime_ns, size) as indexed; cached per meta.json version (it is
    replaced atomically, so a new version has a new inode)."""
    del ino, mtime_ns, size  # part of the cache key only
    return {name: (v[0], v[1]) for name, v in read_meta(Path(gen)).files.items()}


def _scan_stats(cases_dir: Path) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    try:
        entries = os.scandir(cases_dir)
    except OSError:
        return out
    with entries:
        for entry in entries:
            name = entry.name  # (str methods: a Path per name cost a third of the scan)
            if name.startswith(".") or not name.endswith(CASE_EXTENSIONS):
                continue
            try:
                if entry.is_dir():
                    continue
                st = entry.stat()
            except OSError:
                continue
            out[name] = (st.st_mtime_ns, st.st_size)
    return out


def folder_stamp(cases_dir: Path) -> int | None:
    """The cases folder's own mtime: it changes when a file is added, removed or renamed
    (the app's and the command line's saves replace files by renaming), not when a file is
    written in place."""
    try:
        return os.stat(cases_dir).st_mtime_ns
    except OSError:
        return None
