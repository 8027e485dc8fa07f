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
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def test_ruff_is_clean():
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "archive", "tests", "scripts", "streamlit_app.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_whoosh_and_spacy_stay_in_their_modules():
    for path in (ROOT / "archive").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        # The Whoosh engine package, and the index and search stages that still build Whoosh
        # queries and documents (index.py, search.py, search_query.py).
        engine = ROOT / "archive" / "engine" / "whoosh"
        allowed = path.name in ("index.py", "search.py", "search_query.py")
        if not allowed and engine not in path.parents:
            assert "import whoosh" not in text and "from whoosh" not in text, path
        if path.name != "entities.py":
            assert "import spacy" not in text and "from spacy" not in text, path
