"""Shared fixtures: case folders copied into temp dirs, and indexes built from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive.search import Archive

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_cases(*sources: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for src in sources:
        for f in src.iterdir():
            if f.is_file():
                shutil.copy2(f, dest / f.name)
    return dest


@pytest.fixture
def cases_dir(tmp_path: Path) -> Path:
    """The real cases plus the good fixtures, in a folder the test may change."""
    return copy_cases(CASES, FIXTURES / "good", dest=tmp_path / "cases")


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """A read-only archive of the real cases plus the good fixtures, built once."""
    base = tmp_path_factory.mktemp("archive")
    cases = copy_cases(CASES, FIXTURES / "good", dest=base / "cases")
    arch = Archive.open(cases, base / "index")
    yield arch
    arch.close()
