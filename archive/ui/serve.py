"""Starting the app warm: the index built if there is none, the archive opened, the pages'
modules imported and one search run, all before the server takes its first request, so
the first visitor does not wait for them. Then Streamlit's own ``streamlit run`` starts in
this process, with the same configuration (``.streamlit/config.toml`` and flags).

``archive serve`` runs this module (``python -m archive.ui.serve [STREAMLIT OPTIONS]``) in
its own process, so the command line never imports the app; ``deploy/run`` starts one per
replica.

Example::

    >>> warm(Path("cases"), Path(".archive"))   # the index opened, the pages imported
    >>> run(["--server.port", "8601"])           # blocks until the server stops
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "streamlit_app.py"
# The page modules a visitor reaches first; the editor's are imported when it opens.
PAGE_MODULES = (
    "search_page",
    "finder_page",
    "case_page",
    "compare_page",
    "insights_page",
    "glossary_page",
)


def warm(cases_dir: Path | None = None, index_dir: Path | None = None) -> float:
    """Build the index if there is none, open the archive into the app's shared cache, import
    the pages and run one search (its first-use caches). Returns the seconds it took."""
    start = time.perf_counter()
    from archive.locations import locate
    from archive.ui import state

    folders = locate(cases_dir, index_dir)
    # Imported outside a running server, Streamlit's data caches note that they keep to
    # memory, which is what they do inside one too.
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    for module in PAGE_MODULES:
        importlib.import_module(f"archive.ui.{module}")
    # Opening builds the index if there is none, or brings it up to date (open_archive).
    archive = state.open_shared(folders.cases, folders.index)
    if archive.last_report is not None and archive.last_report.changed:
        log.warning("index: %s", archive.last_report.summary())
    archive.warm()
    archive.coverage()
    return time.perf_counter() - start


# The settings of .streamlit/config.toml that matter wherever the command is run from
# (Streamlit reads that file from the working folder only); flags given after them win.
SETTINGS = (
    "--browser.gatherUsageStats", "false",  # no telemetry
    "--server.fileWatcherType", "none",
    "--runner.postScriptGC", "false",  # a full collection per rerun: a third of its CPU
    "--server.headless", "true",
)  # fmt: skip


def run(streamlit_args: Sequence[str] = ()) -> None:
    """``streamlit run streamlit_app.py`` in this process (so the warm caches are its own)."""
    from streamlit.web import cli as streamlit_cli

    streamlit_cli.main(["run", str(APP), *SETTINGS, *streamlit_args], standalone_mode=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Warm, then serve; the folders come from ARCHIVE_CASES_DIR / ARCHIVE_INDEX_DIR or the
    working folder (archive.locations), the arguments go to Streamlit."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    seconds = warm()
    print(f"archive opened and pages loaded in {seconds:.1f} s", file=sys.stderr, flush=True)
    run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
