"""Shared fixtures: case folders copied into temp dirs, and indexes built from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive.search import Archive

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The four cases written from the source articles: a fixed set, so that counts in tests
# do not change as editors add cases. Tests over the whole archive use CASES itself.
SOURCE_CASES = [
    CASES / "target-2013-card-data-breach.md",
    CASES / "snapchat-2013-username-phone-leak.md",
    CASES / "robert-downey-jr-addiction-comeback.md",
    CASES / "lux-accc-2012-unfair-sales.md",
]


def copy_cases(*sources: Path, dest: Path) -> Path:
    """Copy case files, or every file of case folders, into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for src in sources:
        files = [f for f in src.iterdir() if f.is_file()] if src.is_dir() else [src]
        for f in files:
            shutil.copy2(f, dest / f.name)
    return dest


@pytest.fixture
def cases_dir(tmp_path: Path) -> Path:
    """The source-article cases plus the good fixtures, in a folder the test may change."""
    return copy_cases(*SOURCE_CASES, FIXTURES / "good", dest=tmp_path / "cases")


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """A read-only archive of the source-article cases plus the good fixtures, built once."""
    base = tmp_path_factory.mktemp("archive")
    cases = copy_cases(*SOURCE_CASES, FIXTURES / "good", dest=base / "cases")
    arch = Archive.open(cases, base / "index")
    yield arch
    arch.close()


@pytest.fixture(scope="session")
def full_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """A read-only archive of every case in cases/, built once."""
    base = tmp_path_factory.mktemp("full")
    arch = Archive.open(copy_cases(CASES, dest=base / "cases"), base / "index")
    yield arch
    arch.close()


def front_matter(path: Path) -> dict:
    """A case file's YAML read with PyYAML alone (not the archive's loader): for tests that
    check the archive's numbers against the files themselves."""
    import yaml

    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".md":
        text = text.split("\n---", 1)[0].removeprefix("---\n")
    return yaml.safe_load(text)
