"""Layering and style are checked, not hoped for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

BIN = Path(sys.executable).parent


def test_import_contracts_hold():
    result = subprocess.run([str(BIN / "lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken" in result.stdout


def test_ruff_is_clean():
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "archive", "tests", "scripts", "streamlit_app.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_whoosh_tantivy_and_spacy_stay_in_their_modules():
    engine = ROOT / "archive" / "engine"
    for path in (ROOT / "archive").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        # Whoosh: its engine, and the analysis and query syntax both engines share.
        shared = path in (engine / "analysis.py", engine / "parse.py")
        if not shared and engine / "whoosh" not in path.parents:
            assert "import whoosh" not in text and "from whoosh" not in text, path
        if engine / "tantivy" not in path.parents:
            assert "import tantivy" not in text and "from tantivy" not in text, path
        if path.name != "entities.py":
            assert "import spacy" not in text and "from spacy" not in text, path


def test_searching_and_the_app_never_import_spacy(tmp_path):
    """spaCy takes about half a second to import: only what finds entities may pay it."""
    from .conftest import SOURCE_CASES, copy_cases

    code = (
        "import sys; import archive.cli, archive.search, archive.ui.state, "
        "archive.ui.search_page, archive.ui.case_page; print('spacy' in sys.modules)"
    )
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert imported.stdout.strip() == "False", imported.stderr
    copy_cases(*SOURCE_CASES, dest=tmp_path / "cases")
    cli = [sys.executable, "-X", "importtime", "-c", "from archive.cli import main; main()"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
    built = subprocess.run([*cli, "index"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert built.returncode == 0 and "| spacy" in built.stderr  # building finds entities
    for args in (["--help"], ["search", "apology"], ["show", "target-2013-card-data-breach"]):
        run = subprocess.run([*cli, *args], cwd=tmp_path, capture_output=True, text=True, env=env)
        assert run.returncode == 0, run.stderr[-2000:]
        assert "| spacy" not in run.stderr, args
