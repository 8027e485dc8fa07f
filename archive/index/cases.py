"""Reading the case folder for an index run: the files (one per id), the report of what
the run did, and the entities of a batch of cases (spaCy, the curated names, the cache)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.entities import CuratedName, Entity, EntityExtractor
from archive.errors import CaseProblem
from archive.index.freshness import file_stats
from archive.loader import LoadedCase, discover
from archive.model import Case


@dataclass
class IndexReport:
    """What one index run did: the cases added, updated and removed, and the work it took."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    parsed: int = 0  # narratives that went through the statistical model
    cache_hits: int = 0
    entity_seconds: float = 0.0  # time spent finding entities (spaCy, ruler, cache)
    files_read: int = 0  # case files read and validated in this run
    rebuilt: str | None = None  # why a full rebuild happened, if it did
    model_available: bool = True
    problems: list[CaseProblem] = field(default_factory=list)
    total: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    def summary(self) -> str:
        head = f"rebuilt the index ({self.rebuilt}): " if self.rebuilt else ""
        return (
            f"{head}added {len(self.added)}, updated {len(self.updated)}, removed {len(self.removed)}, "
            f"unchanged {self.unchanged}; read {self.files_read} case files, "
            f"parsed {self.parsed} narratives ({self.cache_hits} from cache); {self.total} cases indexed"
        )


def scan_cases(cases_dir: Path) -> tuple[list[Path], list[CaseProblem]]:
    """Case files, one per id: a second spelling of the same id is reported and skipped."""
    files = discover([cases_dir]) if cases_dir.is_dir() else []
    problems = []
    by_stem: dict[str, Path] = {}
    kept = []
    for f in files:
        first = by_stem.setdefault(f.stem, f)
        if first is not f:
            problems.append(
                CaseProblem(str(f), 1, "id", f"duplicate id '{f.stem}': also used by {first}")
            )
            continue
        kept.append(f)
    return kept, problems


def extractor_for(
    curated: Sequence[CuratedName], index_dir: Path, workers: int = 1
) -> EntityExtractor:
    """An entity extractor of the curated names, caching its results in the index folder."""
    return EntityExtractor(curated, cache_path=index_dir / "entities.sqlite", workers=workers)


def aliases_of(curated: Sequence[CuratedName]) -> dict[str, list[str]]:
    """Canonical name -> its aliases, of every curated name."""
    return {c.name: list(c.aliases) for c in curated}


def extract_entities(
    extractor: EntityExtractor, cases: Sequence[Case], report: IndexReport
) -> list[list[Entity]]:
    """The entities of each case's title and narrative, in the cases' order; the time taken
    is added to ``report``."""
    start = time.perf_counter()
    # Hard-wrapped Markdown splits names across lines; the ruler matches single spaces.
    items = [(" ".join(f"{c.title}. {c.body}".split()), c.language, c.entities) for c in cases]
    found = extractor.extract_many(items)
    report.entity_seconds += time.perf_counter() - start
    return found


def file_table(
    files: Sequence[Path], loaded: Sequence[LoadedCase], hashes: dict[str, str]
) -> dict[str, list[Any]]:
    """File name -> [mtime_ns, size, content hash] of each case file that can be stat'ed.

    The hashes are the loaded cases', overridden by ``hashes``; "" where neither has one.
    """
    by_name = {lc.path.name: lc.content_hash for lc in loaded}
    by_name.update(hashes)
    stats = file_stats(files)
    return {name: [*st, by_name.get(name, "")] for name, st in stats.items()}
