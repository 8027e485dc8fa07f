"""Where the archive's folders are: one rule for the command line and the app.

The cases folder is, in this order: the one given (``--cases-dir``), ``ARCHIVE_CASES_DIR``,
else ``cases/`` in the current folder (the project folder, where the README's commands run).
The index folder is the one given (``--index-dir``), ``ARCHIVE_INDEX_DIR``, else ``.archive/``
beside the cases folder: an index always sits next to the cases it was built from, wherever
the command was started. There is no fallback to some other folder: a command started in the
wrong place says the cases folder is missing rather than write into another archive.

Example::

    >>> locate("my/cases").index
    PosixPath('my/.archive')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_CASES = "ARCHIVE_CASES_DIR"
ENV_INDEX = "ARCHIVE_INDEX_DIR"
CASES_NAME = "cases"
INDEX_NAME = ".archive"


@dataclass(frozen=True)
class Folders:
    """The cases folder of an archive and the folder of its index."""

    cases: Path
    index: Path


def locate(
    cases_dir: str | Path | None = None,
    index_dir: str | Path | None = None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Folders:
    """The cases and index folders by the rule above (the folders need not exist)."""
    given = cases_dir or environ.get(ENV_CASES)
    cases = Path(given) if given else (cwd or Path.cwd()) / CASES_NAME
    index = Path(index_dir or environ.get(ENV_INDEX) or cases.parent / INDEX_NAME)
    return Folders(cases, index)
