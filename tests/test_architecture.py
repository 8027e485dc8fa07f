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


def test_commands_import_only_what_they_run(tmp_path):
    """spaCy takes about half a second to import, the case model a sixth: only what finds
    entities or reads case files may pay them."""
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
    # Each command imports only the stages it runs: --help none of them, search no case
    # model (pydantic) and no writer (the loader, the update steps).
    unwanted = {
        ("--help",): ("spacy", "pydantic", "numpy", "whoosh", "archive.search", "archive.model"),
        ("search", "apology"): ("spacy", "pydantic", "archive.loader", "archive.index.build"),
        ("show", "target-2013-card-data-breach"): ("spacy", "archive.index.build"),
        ("index",): ("spacy",),  # nothing changed since the build: no model is loaded
    }
    for args, modules in unwanted.items():
        run = subprocess.run([*cli, *args], cwd=tmp_path, capture_output=True, text=True, env=env)
        assert run.returncode == 0, run.stderr[-2000:]
        loaded = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if "|" in line}
        assert "archive.cli" in loaded  # the import log is read right
        assert not loaded & set(modules), (args, sorted(loaded & set(modules)))


def test_the_index_packages_lazy_names_all_resolve():
    """archive.index names its exports in one table and imports each on first use."""
    import pytest

    import archive.index

    for name in archive.index.__all__:
        assert getattr(archive.index, name) is not None, name
    with pytest.raises(AttributeError):
        archive.index.no_such_name  # noqa: B018
