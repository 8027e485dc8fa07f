"""Shared fixtures: case folders copied into temp dirs, and indexes built from them.

Engines: every test that builds or opens an index runs on the engine its ``engine`` fixture
chose (``ARCHIVE_ENGINE`` is set for the test, and for the processes it starts). Tests or
modules marked ``pytest.mark.engines("whoosh", "tantivy")`` run on each engine named (the
closest mark wins: a test of a both-engines module can be marked for one); the others on
Whoosh, the default. ``--engine NAME`` runs every test on that engine only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive.engine import DEFAULT_ENGINE, ENGINES
from archive.search import Archive, open_archive

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine", choices=ENGINES, default=None, help="run every test on this engine only"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "engines(*names): run on each of these search engines")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    only = metafunc.config.getoption("--engine")
    if only:
        names = [only]
    elif metafunc.definition.get_closest_marker("engines"):
        names = list(metafunc.definition.get_closest_marker("engines").args)
    else:
        names = [DEFAULT_ENGINE]
    metafunc.parametrize("engine", names, indirect=True, ids=names if len(names) > 1 else None)


@pytest.fixture
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The search engine of this test: ARCHIVE_ENGINE is set to it."""
    monkeypatch.setenv("ARCHIVE_ENGINE", request.param)
    return request.param


@pytest.fixture
def cases_dir(tmp_path: Path) -> Path:
    """The source-article cases plus the good fixtures, in a folder the test may change."""
    return copy_cases(*SOURCE_CASES, FIXTURES / "good", dest=tmp_path / "cases")


@pytest.fixture
def index_dir(tmp_path: Path, engine: str) -> Path:
    return tmp_path / "index"


class _Archives:
    """Read-only archives built once per session and engine."""

    def __init__(self, factory: pytest.TempPathFactory):
        self.factory = factory
        self.open: dict[tuple[str, str], Archive] = {}

    def get(self, kind: str, engine: str) -> Archive:
        if (kind, engine) not in self.open:
            base = self.factory.mktemp(f"{kind}-{engine}")
            if kind == "source":
                cases = copy_cases(*SOURCE_CASES, FIXTURES / "good", dest=base / "cases")
            else:
                cases = copy_cases(CASES, dest=base / "cases")
            share_entity_cache([a.index_dir for (k, _), a in self.open.items() if k == kind],
                               base / "index")  # fmt: skip
            self.open[(kind, engine)] = open_archive(cases, base / "index", engine=engine)
        return self.open[(kind, engine)]


def share_entity_cache(built: list[Path], index_dir: Path) -> None:
    """Start an index from the entity cache of one built from the same cases (by another
    engine): the entities are the same, and spaCy need not run on the cases again."""
    for other in built:
        cache = other / "entities.sqlite"
        if cache.exists():
            index_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(cache, index_dir / "entities.sqlite")
            return


@pytest.fixture(scope="session")
def _archives(tmp_path_factory: pytest.TempPathFactory):
    archives = _Archives(tmp_path_factory)
    yield archives
    for arch in archives.open.values():
        arch.close()


@pytest.fixture
def archive(_archives: _Archives, engine: str) -> Archive:
    """A read-only archive of the source-article cases plus the good fixtures, built once."""
    return _archives.get("source", engine)


@pytest.fixture
def full_archive(_archives: _Archives, engine: str) -> Archive:
    """A read-only archive of every case in cases/, built once."""
    return _archives.get("full", engine)


def front_matter(path: Path) -> dict:
    """A case file's YAML read with PyYAML alone (not the archive's loader): for tests that
    check the archive's numbers against the files themselves."""
    import yaml

    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".md":
        text = text.split("\n---", 1)[0].removeprefix("---\n")
    return yaml.safe_load(text)
