"""Layering and style are checked, not hoped for."""

from __future__ import annotations

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
