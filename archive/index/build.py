"""``update_index``: one updater at a time (a lock across processes), then a full rebuild
into a new generation when the index is missing, damaged, outdated or another engine's, or
else an incremental update (``archive.index.update``)."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from archive import engine as engines
from archive.entities import CuratedName, EntityExtractor, curated_entities, pipeline_id
from archive.errors import IndexLockedError, IndexUnusable
from archive.fields import schema_fingerprint
from archive.files import FileLock, write_atomic
from archive.index.cases import (
    IndexReport,
    aliases_of,
    extract_entities,
    extractor_for,
    file_table,
    scan_cases,
)
from archive.index.documents import case_document, spell_words
from archive.index.generations import (
    Meta,
    curated_rows,
    current_generation,
    open_current,
    remove_old_generations,
    remove_unfinished,
    write_meta,
    write_vocabulary,
)
from archive.index.update import incremental
from archive.loader import LoadedCase, load_cases
from archive.taxonomy import Taxonomy, load_taxonomy

LOCK_TIMEOUT = 10.0


class BuildLock:
    """One updater at a time across processes (the app, the command line, a second shell)."""

    def __init__(self, index_dir: Path, timeout: float):
        self.index_dir, self.timeout = index_dir, timeout
        index_dir.mkdir(parents=True, exist_ok=True)
        self.lock = FileLock(index_dir / "update.lock")

    def __enter__(self) -> BuildLock:
        if not self.lock.acquire(self.timeout):
            raise IndexLockedError(self.index_dir, self.timeout)
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def update_index(
    cases_dir: Path,
    index_dir: Path,
    rebuild: bool = False,
    timeout: float = LOCK_TIMEOUT,
    progress: Callable[[int, int], None] | None = None,
    taxonomy: Taxonomy | None = None,
    workers: int = 1,
    engine: str | None = None,
) -> IndexReport:
    """Bring the index in line with the case files: only new, changed or deleted files are touched.

    A missing, damaged or outdated index (or one another engine built) is rebuilt from the
    case files; ``rebuild=True`` forces that. Raises IndexLockedError when another process
    is updating the index. ``workers`` > 1 runs entity extraction in that many forked
    processes: for the command line, not for a multi-threaded server such as the app.
    ``engine``: the search engine (default: ``ARCHIVE_ENGINE``, else Whoosh).
    """
    tax = taxonomy or load_taxonomy()
    cases_dir, index_dir = Path(cases_dir), Path(index_dir)
    name = engines.chosen(engine)
    with BuildLock(index_dir, timeout):
        remove_unfinished(index_dir)
        reason = "requested" if rebuild else None
        if reason is None:
            try:
                ix, meta, gen = open_current(index_dir, tax, name)
            except IndexUnusable as exc:
                reason = exc.reason
            else:
                if meta.pipeline != pipeline_id():
                    ix.close()
                    reason = "the entity pipeline or its model changed"
        if reason is not None:
            return rebuild_index(cases_dir, index_dir, tax, reason, progress, workers, name)
        try:
            return incremental(cases_dir, index_dir, ix, meta, gen, tax, timeout, progress, workers)
        finally:
            ix.close()


def rebuild_index(
    cases_dir: Path,
    index_dir: Path,
    tax: Taxonomy,
    reason: str,
    progress: Callable[[int, int], None] | None,
    workers: int = 1,
    engine: str = engines.DEFAULT_ENGINE,
) -> IndexReport:
    """A full build into a new generation, which CURRENT then names; the generation before
    it is kept one round (a reader may have it open). A failed build leaves no trace."""
    files, problems = scan_cases(cases_dir)
    result = load_cases(files, tax)
    report = IndexReport(rebuilt=reason, problems=problems + result.problems, files_read=len(files))
    loaded = result.cases
    curated = curated_entities(lc.case for lc in loaded)
    extractor = extractor_for(curated, index_dir, workers)
    report.model_available = extractor.model_available
    previous = current_generation(index_dir)
    gen = _new_generation(index_dir, previous)
    try:
        vocabulary = _write_all(
            gen, engine, loaded, extractor, tax, curated, report, progress, workers
        )
        meta = Meta(
            taxonomy=tax.fingerprint,
            curated={lc.case.id: curated_rows(lc.case) for lc in loaded},
            entity_fingerprint=extractor.fingerprint,
            files=file_table(files, loaded, {}),
            cases_dir=str(cases_dir),
            pipeline=pipeline_id(),
            engine=engine,
            fields=schema_fingerprint(),
        )
        write_vocabulary(gen, vocabulary)
        write_meta(gen, meta)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    finally:
        extractor.close()
    write_atomic(index_dir / "CURRENT", gen.name + "\n")
    remove_old_generations(index_dir, keep={gen.name, previous.name if previous else ""})
    report.added = [lc.case.id for lc in loaded]
    report.parsed, report.cache_hits = extractor.parsed, extractor.cache_hits
    report.total = len(loaded)
    return report


def _new_generation(index_dir: Path, previous: Path | None) -> Path:
    """The empty folder of the generation after ``previous``."""
    number = int(previous.name.split("-")[1]) + 1 if previous else 1
    gen = index_dir / f"gen-{number:06d}"
    if gen.exists():
        shutil.rmtree(gen)
    gen.mkdir(parents=True)
    return gen


def _write_all(
    gen: Path,
    engine: str,
    loaded: Sequence[LoadedCase],
    extractor: EntityExtractor,
    tax: Taxonomy,
    curated: Sequence[CuratedName],
    report: IndexReport,
    progress: Callable[[int, int], None] | None,
    workers: int,
) -> Counter[str]:
    """Every case's document written to a new index in ``gen``, in one commit, a batch of
    entity extraction at a time; the spelling vocabulary of all of them."""
    eng = engines.load(engine)
    aliases = aliases_of(curated)
    ix = eng.create(gen)
    writer = eng.bulk_writer(ix, workers)
    vocabulary: Counter[str] = Counter()
    try:
        batch = 64 * max(1, workers)
        for start in range(0, len(loaded), batch):
            chunk = loaded[start : start + batch]
            found = extract_entities(extractor, [lc.case for lc in chunk], report)
            for lc, ents in zip(chunk, found, strict=True):
                doc = case_document(lc, ents, tax, aliases)
                vocabulary.update(spell_words(doc))
                writer.add(doc)
            if progress:
                progress(min(start + batch, len(loaded)), len(loaded))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        eng.close(ix)
    return vocabulary
