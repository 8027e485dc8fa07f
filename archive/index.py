"""The index: case documents, incremental update, full rebuild, locking; through the
engine chosen (``archive.engine``: Whoosh by default, or tantivy).

The index is a disposable build product of ``cases/``. It lives in generations::

    .archive/CURRENT          name of the live generation, replaced atomically
    .archive/gen-000003/      the engine's files + meta.json (which names the engine)
    .archive/entities.sqlite  entity extraction cache (survives rebuilds)

A full rebuild writes a new generation and then points CURRENT at it, so a failed or
interrupted rebuild never leaves readers without a usable index.

Example::

    >>> report = update_index(Path("cases"), Path(".archive"))
    >>> print(report.summary())   # added 4, updated 0, removed 0; parsed 4 narratives
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from archive import engine as engines
from archive.engine import query as aq
from archive.engine.analysis import analyze
from archive.entities import (
    FACET_KINDS,
    CuratedName,
    Entity,
    EntityExtractor,
    curated_entities,
    merge_curated,
    pipeline_id,
    ruler_patterns,
)
from archive.errors import CaseProblem, IndexLockedError, IndexUnusable
from archive.fields import (
    ENTITY_FACETS,
    FACET_NAMES,
    facet_values,
    tactic_families,
)
from archive.files import FileLock, write_atomic
from archive.loader import CASE_EXTENSIONS, LoadedCase, content_hash, discover, load_cases
from archive.model import Case, date_start
from archive.taxonomy import LANGS, Taxonomy, country_name, load_taxonomy
from archive.words import markdown_to_plain

# Bump when the schema or what goes into a document changes: older indexes are rebuilt.
# 4: boosts at query time only (archive/fields.py); the channel facet.
# 5: the analyzers, which Whoosh pickles into the index, moved to archive.engine.whoosh.
# 6: the analyzers moved to archive.engine.analysis; a second engine (meta.json names it).
SCHEMA_VERSION = 6
LOCK_TIMEOUT = 10.0

FACETS = FACET_NAMES  # the facets' index fields, in the order of archive/fields.py
ENTITY_FACET = ENTITY_FACETS


NARRATIVE_FIELD = {"en": "narrative_en", "id": "narrative_id"}
VOCABULARY_FILE = "vocabulary.json"
_WORD = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*", re.UNICODE)  # RegexTokenizer's default
# Case attributes stored apart for result lists, which need neither the narrative nor entities.
SUMMARY_FIELDS = (
    "id",
    "title",
    "subject",
    "subject_kind",
    "year",
    "crisis_date",
    "outcome",
    "crisis_types",
    "tactics",
    "sector",
    "countries",
    "language",
    "status",
)
TITLE_FIELD = {"en": "title_en", "id": "title_id"}


# -- documents -----------------------------------------------------------------------------


def taxonomy_words(case: Case, tax: Taxonomy, lang: str) -> list[str]:
    """Labels and synonyms of the case's taxonomy terms in one language."""
    words: list[str] = []
    pairs = [("crisis_types", t) for t in case.crisis_types]
    pairs += [("tactics", t) for t in case.tactics]
    pairs.append(("outcomes", case.outcome))
    if case.sector:
        pairs.append(("sectors", case.sector))
    for kind, tid in pairs:
        if tax.has(kind, tid):
            words.extend(tax.get(kind, tid).words(lang))
    for family in tactic_families(case, tax):
        words.extend(tax.get("families", family).words(lang))
    return words


def case_document(
    loaded: LoadedCase, entities: Sequence[Entity], tax: Taxonomy, aliases: dict[str, list[str]]
) -> dict[str, Any]:
    case = loaded.case
    lang = case.language
    entity_words = []
    for e in entities:
        if e.kind in FACET_KINDS:
            entity_words.append(e.name)
            entity_words.extend(aliases.get(e.name, ()))
    for code in case.countries:
        entity_words.extend({country_name(code, "en"), country_name(code, "id")})
    terms = {lang: " \n".join(taxonomy_words(case, tax, lang)) for lang in LANGS}
    stored = case.model_dump(exclude={"body"}, exclude_defaults=False)
    plain = markdown_to_plain(case.body)
    doc: dict[str, Any] = {
        "id": case.id,
        "path": str(loaded.path),
        "content_hash": loaded.content_hash,
        TITLE_FIELD[lang]: case.title,
        "subject": case.subject,
        NARRATIVE_FIELD[lang]: plain,
        "body": case.body,
        "plain": plain,
        "summary": json.dumps(
            {name: getattr(case, name) for name in SUMMARY_FIELDS}, ensure_ascii=False
        ),
        "terms_en": terms["en"],
        "terms_id": terms["id"],
        "entities_text": " \n".join(entity_words),
        "date_sort": date_start(case.crisis_date).isoformat(),
        "title_sort": case.title.casefold(),
        "case_json": json.dumps(
            {"case": stored, "entities": [e.to_dict() for e in entities]}, ensure_ascii=False
        ),
    }
    for name, values in facet_values(case, entities, tax).items():
        if values:
            doc[name] = values
    return doc


def spell_words(doc: dict[str, Any]) -> set[str]:
    """The distinct words (lower case, as written) of a case document: "did you mean" picks
    its suggestions among the words of all cases."""
    parts = [
        doc.get(name, "") for name in (*TITLE_FIELD.values(), "subject", *NARRATIVE_FIELD.values())
    ]
    parts += [doc.get("terms_en", ""), doc.get("terms_id", ""), doc.get("entities_text", "")]
    return {w.lower() for w in _WORD.findall(" ".join(parts)) if not w.isdigit()}


def read_vocabulary(gen: Path) -> Counter[str]:
    """word -> how many cases use it (see spell_words); empty if the file is missing."""
    try:
        return Counter(json.loads((gen / VOCABULARY_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Counter()


def _write_vocabulary(gen: Path, words: Counter[str]) -> None:
    kept = {w: n for w, n in sorted(words.items()) if n > 0}
    write_atomic(gen / VOCABULARY_FILE, json.dumps(kept, ensure_ascii=False))


def case_from_stored(stored: dict[str, Any]) -> tuple[Case, list[Entity]]:
    """Rebuild the Case and its entities from an indexed document's stored fields."""
    data = json.loads(stored["case_json"])
    case = Case.model_validate({**data["case"], "body": stored.get("body", "")})
    return case, [Entity.from_dict(e) for e in data["entities"]]


# -- generations and meta ------------------------------------------------------------------


@dataclass
class Meta:
    schema_version: int = SCHEMA_VERSION
    taxonomy: str = ""
    # case id -> its curated entities [[name, kind, aliases], ...]: the ruler's patterns
    curated: dict[str, list[list[Any]]] = field(default_factory=dict)
    entity_fingerprint: str = ""
    # file name -> [mtime_ns, size, content hash]: the cheap staleness check
    files: dict[str, list[Any]] = field(default_factory=dict)
    cases_dir: str = ""
    pipeline: str = ""  # entity pipeline and model version the entities came from
    engine: str = engines.DEFAULT_ENGINE  # the search engine whose files these are

    def curated_of(self, case_id: str) -> list[CuratedName]:
        return [CuratedName(n, k, tuple(a)) for n, k, a in self.curated.get(case_id, [])]


def _curated_rows(case: Case) -> list[list[Any]]:
    return [[e.name, e.kind, list(e.aliases)] for e in case.entities]


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = index_dir / name
    return gen if name.startswith("gen-") and gen.is_dir() else None


def read_meta(gen: Path) -> Meta:
    data = json.loads((gen / "meta.json").read_text(encoding="utf-8"))
    known = set(Meta.__dataclass_fields__)
    return Meta(**{k: v for k, v in data.items() if k in known})


def _write_meta(gen: Path, meta: Meta) -> None:
    write_atomic(gen / "meta.json", json.dumps(meta.__dict__, ensure_ascii=False))


@dataclass
class Opened:
    """An open index and the engine it belongs to (the steps below read and write it)."""

    engine: engines.Engine
    ix: Any

    def snapshot(self) -> engines.base.Snapshot:
        return self.engine.snapshot(self.ix)

    def close(self) -> None:
        self.engine.close(self.ix)


def open_current(
    index_dir: Path, tax: Taxonomy | None = None, engine: str | None = None
) -> tuple[Opened, Meta, Path]:
    """Open the live generation with the engine chosen (``archive.engine.chosen``), or raise
    IndexUnusable saying why it cannot be used."""
    tax = tax or load_taxonomy()
    name = engines.chosen(engine)
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexUnusable("no index yet")
    try:
        meta = read_meta(gen)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexUnusable(f"index metadata unreadable ({exc.__class__.__name__})") from exc
    if meta.schema_version != SCHEMA_VERSION:
        raise IndexUnusable(
            f"index schema version {meta.schema_version}, this program needs {SCHEMA_VERSION}"
        )
    if meta.taxonomy != tax.fingerprint:
        raise IndexUnusable("the taxonomy changed since the index was built")
    if meta.engine != name:
        raise IndexUnusable(f"the index was built by {meta.engine}, the engine chosen is {name}")
    try:
        json.loads((gen / VOCABULARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexUnusable(f"the vocabulary file is damaged ({exc.__class__.__name__})") from exc
    eng = engines.load(name)
    try:
        ix = eng.open_index(gen)
    except Exception as exc:  # engines raise many kinds on damaged files
        raise IndexUnusable(f"index files are damaged ({exc.__class__.__name__}: {exc})") from exc
    return Opened(eng, ix), meta, gen


# -- update --------------------------------------------------------------------------------


@dataclass
class IndexReport:
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


def _file_stats(files: Iterable[Path]) -> dict[str, tuple[int, int]]:
    out = {}
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        out[f.name] = (st.st_mtime_ns, st.st_size)
    return out


def is_stale(cases_dir: Path, index_dir: Path) -> bool:
    """Cheap check (one stat per file): did any case file appear, change or vanish?

    Runs on every app rerun: the index's file table is parsed again only when meta.json
    itself changed, and case files are stat'ed through one directory scan.
    """
    gen = current_generation(index_dir)
    if gen is None:
        return True
    try:
        st = (gen / "meta.json").stat()
        known = _indexed_stats(str(gen), st.st_ino, st.st_mtime_ns, st.st_size)
    except (OSError, ValueError, TypeError):
        return True
    return _scan_stats(cases_dir) != known


@lru_cache(maxsize=4)
def _indexed_stats(gen: str, ino: int, mtime_ns: int, size: int) -> dict[str, tuple[int, int]]:
    """file name -> (mtime_ns, size) as indexed; cached per meta.json version (it is
    replaced atomically, so a new version has a new inode)."""
    del ino, mtime_ns, size  # part of the cache key only
    return {name: (v[0], v[1]) for name, v in read_meta(Path(gen)).files.items()}


def _scan_stats(cases_dir: Path) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    try:
        entries = os.scandir(cases_dir)
    except OSError:
        return out
    with entries:
        for entry in entries:
            name = entry.name
            if name.startswith(".") or Path(name).suffix not in CASE_EXTENSIONS:
                continue
            try:
                st = entry.stat()
            except OSError:
                continue
            if not entry.is_dir():
                out[name] = (st.st_mtime_ns, st.st_size)
    return out


class _BuildLock:
    """One updater at a time across processes (the app, the command line, a second shell)."""

    def __init__(self, index_dir: Path, timeout: float):
        self.index_dir, self.timeout = index_dir, timeout
        index_dir.mkdir(parents=True, exist_ok=True)
        self.lock = FileLock(index_dir / "update.lock")

    def __enter__(self) -> _BuildLock:
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
    with _BuildLock(index_dir, timeout):
        _remove_unfinished(index_dir)
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
            return _rebuild(cases_dir, index_dir, tax, reason, progress, workers, name)
        try:
            return _incremental(
                cases_dir, index_dir, ix, meta, gen, tax, timeout, progress, workers
            )
        finally:
            ix.close()


def _scan(cases_dir: Path) -> tuple[list[Path], list[CaseProblem]]:
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


def _extractor(
    curated: Sequence[CuratedName], index_dir: Path, workers: int = 1
) -> EntityExtractor:
    return EntityExtractor(curated, cache_path=index_dir / "entities.sqlite", workers=workers)


def _aliases(curated: Sequence[CuratedName]) -> dict[str, list[str]]:
    return {c.name: list(c.aliases) for c in curated}


def _extract(
    extractor: EntityExtractor, cases: Sequence[Case], report: IndexReport
) -> list[list[Entity]]:
    start = time.perf_counter()
    # Hard-wrapped Markdown splits names across lines; the ruler matches single spaces.
    items = [(" ".join(f"{c.title}. {c.body}".split()), c.language, c.entities) for c in cases]
    found = extractor.extract_many(items)
    report.entity_seconds += time.perf_counter() - start
    return found


def _rebuild(
    cases_dir: Path,
    index_dir: Path,
    tax: Taxonomy,
    reason: str,
    progress: Callable[[int, int], None] | None,
    workers: int = 1,
    engine: str = engines.DEFAULT_ENGINE,
) -> IndexReport:
    files, problems = _scan(cases_dir)
    result = load_cases(files, tax)
    report = IndexReport(rebuilt=reason, problems=problems + result.problems, files_read=len(files))
    loaded = result.cases
    curated = curated_entities(lc.case for lc in loaded)
    extractor = _extractor(curated, index_dir, workers)
    report.model_available = extractor.model_available
    aliases = _aliases(curated)

    previous = current_generation(index_dir)
    number = int(previous.name.split("-")[1]) + 1 if previous else 1
    gen = index_dir / f"gen-{number:06d}"
    if gen.exists():
        shutil.rmtree(gen)
    gen.mkdir(parents=True)
    eng = engines.load(engine)
    try:
        ix = eng.create(gen)
        writer = eng.bulk_writer(ix, workers)
        vocabulary: Counter[str] = Counter()
        try:
            batch = 64 * max(1, workers)
            for start in range(0, len(loaded), batch):
                chunk = loaded[start : start + batch]
                for lc, ents in zip(
                    chunk, _extract(extractor, [lc.case for lc in chunk], report), strict=True
                ):
                    doc = case_document(lc, ents, tax, aliases)
                    vocabulary.update(spell_words(doc))
                    writer.add(doc)
                if progress:
                    progress(min(start + batch, len(loaded)), len(loaded))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        eng.close(ix)
        meta = Meta(
            taxonomy=tax.fingerprint,
            curated={lc.case.id: _curated_rows(lc.case) for lc in loaded},
            entity_fingerprint=extractor.fingerprint,
            files=_meta_files(files, loaded, {}),
            cases_dir=str(cases_dir),
            pipeline=pipeline_id(),
            engine=engine,
        )
        _write_vocabulary(gen, vocabulary)
        _write_meta(gen, meta)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    finally:
        extractor.close()
    write_atomic(index_dir / "CURRENT", gen.name + "\n")
    _remove_old_generations(index_dir, keep={gen.name, previous.name if previous else ""})
    report.added = [lc.case.id for lc in loaded]
    report.parsed, report.cache_hits = extractor.parsed, extractor.cache_hits
    report.total = len(loaded)
    return report


def _remove_unfinished(index_dir: Path) -> None:
    """What a build killed half-way left behind (only ever called under the build lock):
    generations newer than the live one, which no reader can have opened, and temp files."""
    current = current_generation(index_dir)
    number = int(current.name.split("-")[1]) if current else 0
    for d in index_dir.glob("gen-*"):
        if re.fullmatch(r"gen-\d{6}", d.name) and int(d.name[4:]) > number:
            shutil.rmtree(d, ignore_errors=True)
    for tmp in index_dir.glob(".CURRENT.*.tmp"):
        tmp.unlink(missing_ok=True)


def _remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    # The previous generation is kept one round: a reader may still have it open.
    for d in index_dir.glob("gen-*"):
        if d.name not in keep:
            shutil.rmtree(d, ignore_errors=True)


def _meta_files(
    files: Sequence[Path], loaded: Sequence[LoadedCase], hashes: dict[str, str]
) -> dict[str, list[Any]]:
    by_name = {lc.path.name: lc.content_hash for lc in loaded}
    by_name.update(hashes)
    stats = _file_stats(files)
    return {name: [*st, by_name.get(name, "")] for name, st in stats.items()}


@dataclass
class ChangePlan:
    """What an incremental update must do, found from file stats and content hashes alone."""

    files: list[Path]  # the case files now in the folder, one per id
    problems: list[CaseProblem]
    indexed_hash: dict[str, str]  # id -> content hash of the indexed version
    current_hash: dict[str, str]  # file name -> content hash now (of the files looked at)
    changed: list[Path]  # files whose bytes differ from the indexed version (or are new)


def plan_changes(cases_dir: Path, ix: Opened, meta: Meta) -> ChangePlan:
    """Step 1: which files changed. A file whose size and modification time are those
    recorded is untouched; one that was only touched (same bytes) is not read again."""
    files, problems = _scan(cases_dir)
    indexed_hash: dict[str, str] = {}
    with closing(ix.snapshot()) as snap:
        if snap.size:
            ids, hashes = snap.column("id"), snap.column("content_hash")
            indexed_hash = {ids[d]: hashes[d] for d in snap.live_docs().tolist()}
    stats = _file_stats(files)
    current_hash: dict[str, str] = {}
    changed: list[Path] = []
    for f in files:
        known = meta.files.get(f.name)
        if known and tuple(known[:2]) == stats.get(f.name) and known[2] == indexed_hash.get(f.stem):
            current_hash[f.name] = known[2]  # untouched since it was indexed
            continue
        try:
            digest = content_hash(f.read_bytes())
        except OSError:
            changed.append(f)  # the loader reports why it cannot be read
            continue
        current_hash[f.name] = digest
        if indexed_hash.get(f.stem) != digest:
            changed.append(f)
    return ChangePlan(files, problems, indexed_hash, current_hash, changed)


@dataclass
class ReadChanges:
    """The changed files read: the cases to (re)index and the ids to remove."""

    parsed: dict[str, LoadedCase]  # id -> case read without errors
    removed: list[str]  # indexed ids whose file is gone or no longer valid
    keep: set[str]  # indexed ids left as they are
    indexed: set[str]  # ids indexed before this update


def read_changes(plan: ChangePlan, tax: Taxonomy, report: IndexReport) -> ReadChanges:
    """Step 2: read the changed files; a file that fails keeps no stale version indexed."""
    present = {f.stem for f in plan.files}
    result = load_cases(plan.changed, tax, known_ids=present)
    report.problems = plan.problems + result.problems
    report.files_read = len(plan.changed)
    parsed = {lc.case.id: lc for lc in result.cases}
    failed = {f.stem for f in plan.changed} - set(parsed)
    indexed = set(plan.indexed_hash)
    removed = sorted((indexed - present) | (failed & indexed))
    return ReadChanges(parsed, removed, indexed - set(parsed) - set(removed), indexed)


def build_documents(
    ix: Opened,
    meta: Meta,
    read: ReadChanges,
    tax: Taxonomy,
    index_dir: Path,
    report: IndexReport,
    workers: int = 1,
) -> tuple[list[dict[str, Any]], dict[str, list[str]], str]:
    """Steps 3 and 4: documents of the new and changed cases, then of the unchanged cases a
    change of curated names (a new alias, a renamed entity) affects. Returns the documents,
    the aliases they were built with and the entity fingerprint."""
    # Curated names: from unchanged indexed cases (kept in meta) plus the newly read ones.
    curated = merge_curated(
        [meta.curated_of(cid) for cid in sorted(read.keep)]
        + [lc.case.entities for lc in read.parsed.values()]
    )
    aliases = _aliases(curated)
    extractor = _extractor(curated, index_dir, workers)
    report.model_available = extractor.model_available
    try:
        new_cases = list(read.parsed.values())
        found = _extract(extractor, [lc.case for lc in new_cases], report)
        docs = [
            case_document(lc, ents, tax, aliases) for lc, ents in zip(new_cases, found, strict=True)
        ]
        for lc in new_cases:
            (report.updated if lc.case.id in read.indexed else report.added).append(lc.case.id)
        if extractor.fingerprint != meta.entity_fingerprint and read.keep:
            docs += refresh_renamed(ix, meta, curated, aliases, read.keep, extractor, tax, report)
        report.parsed, report.cache_hits = extractor.parsed, extractor.cache_hits
        return docs, aliases, extractor.fingerprint
    finally:
        extractor.close()


def refresh_renamed(
    ix: Opened,
    meta: Meta,
    curated: Sequence[CuratedName],
    aliases: dict[str, list[str]],
    keep: set[str],
    extractor: EntityExtractor,
    tax: Taxonomy,
    report: IndexReport,
) -> list[dict[str, Any]]:
    """Step 4: documents of unchanged cases whose entities change under the new names."""
    old_curated = merge_curated(meta.curated_of(c) for c in meta.curated)
    old_aliases = _aliases(old_curated)
    affected = _affected_by_names(ix, old_curated, curated, old_aliases, aliases)
    return _refresh_entities(ix, affected & keep, extractor, tax, aliases, old_aliases, report)


def apply_changes(
    ix: Opened,
    gen: Path,
    docs: Sequence[dict[str, Any]],
    removed: Sequence[str],
    tax: Taxonomy,
    aliases: dict[str, list[str]],
    timeout: float,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Step 5: one commit that removes and replaces documents, and the spelling vocabulary
    moved from the words of the old versions to those of the new."""
    if not docs and not removed:
        return
    vocabulary = read_vocabulary(gen)
    with closing(ix.snapshot()) as snap:
        for cid in set(removed) | {doc["id"] for doc in docs}:
            stored = snap.document(cid)
            if stored:  # the words of the version being replaced or removed
                case, ents = case_from_stored(stored)
                lc = LoadedCase(case, Path(stored["path"]), stored["content_hash"])
                vocabulary.subtract(spell_words(case_document(lc, ents, tax, aliases)))
    for doc in docs:
        vocabulary.update(spell_words(doc))
    writer = ix.engine.writer(ix.ix, gen.parent, timeout)
    try:
        for cid in removed:
            writer.delete(cid)
        for i, doc in enumerate(docs):
            writer.replace(doc)
            if progress:
                progress(i + 1, len(docs))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    _write_vocabulary(gen, vocabulary)


def write_metadata(
    gen: Path, meta: Meta, plan: ChangePlan, read: ReadChanges, fingerprint: str, cases_dir: Path
) -> None:
    """Step 6: what the next update compares against (file stats and hashes, curated names)."""
    for cid in read.removed:
        meta.curated.pop(cid, None)
    for cid, lc in read.parsed.items():
        meta.curated[cid] = _curated_rows(lc.case)
    meta.entity_fingerprint = fingerprint
    meta.files = _meta_files(plan.files, [], dict(plan.current_hash))
    meta.cases_dir = str(cases_dir)
    _write_meta(gen, meta)


def _incremental(
    cases_dir: Path,
    index_dir: Path,
    ix: Opened,
    meta: Meta,
    gen: Path,
    tax: Taxonomy,
    timeout: float,
    progress: Callable[[int, int], None] | None,
    workers: int = 1,
) -> IndexReport:
    """An update in named steps: plan, read, build documents (and refresh the cases renamed
    names affect), apply them in one commit, write the metadata."""
    report = IndexReport()
    plan = plan_changes(cases_dir, ix, meta)
    read = read_changes(plan, tax, report)
    docs, aliases, fingerprint = build_documents(ix, meta, read, tax, index_dir, report, workers)
    apply_changes(ix, gen, docs, read.removed, tax, aliases, timeout, progress)
    write_metadata(gen, meta, plan, read, fingerprint, cases_dir)
    report.removed = read.removed
    with closing(ix.snapshot()) as snap:
        report.total = len(snap.live_docs())
    report.unchanged = report.total - len(report.added) - len(report.updated)
    return report


def _affected_by_names(
    ix: Opened,
    old: Sequence[CuratedName],
    new: Sequence[CuratedName],
    old_aliases: dict[str, list[str]],
    aliases: dict[str, list[str]],
) -> set[str]:
    """Ids of the cases a change of curated names can affect: those whose title or narrative
    contains a name or alias that was added, dropped or re-assigned, and those listing an
    entity whose aliases changed. Found through the index, not by reading every case."""
    surfaces = {surface for surface, _, _ in ruler_patterns(old) ^ ruler_patterns(new)}
    renamed = {n for n in set(old_aliases) | set(aliases) if old_aliases.get(n) != aliases.get(n)}
    clauses: list[aq.Query] = []
    for surface in surfaces:
        for name in (*TITLE_FIELD.values(), *NARRATIVE_FIELD.values()):
            words = analyze(name, surface)
            if len(words) == 1:
                clauses.append(aq.Term(name, words[0]))
            elif words:  # a superset of the ruler's exact matches, which re-extraction finds
                clauses.append(aq.Phrase(name, tuple(words)))
    for name in renamed:
        clauses += [aq.Term(facet, name) for facet in ENTITY_FACET.values()]
    if not clauses:
        return set()
    with closing(ix.snapshot()) as snap:
        ids = snap.column("id")
        return {ids[d] for d in snap.match(aq.Or(tuple(clauses)))[0].tolist()}


def _refresh_entities(
    ix: Opened,
    ids: set[str],
    extractor: EntityExtractor,
    tax: Taxonomy,
    aliases: dict[str, list[str]],
    old_aliases: dict[str, list[str]],
    report: IndexReport,
) -> list[dict[str, Any]]:
    """Documents of unchanged cases whose entities or entity aliases differ under the new names."""
    with closing(ix.snapshot()) as snap:
        found = [snap.document(cid) for cid in sorted(ids)]
    stored_cases = [(stored, *case_from_stored(stored)) for stored in found if stored]
    fresh = _extract(extractor, [case for _, case, _ in stored_cases], report)  # one batch
    docs = []
    for (stored, case, old), ents in zip(stored_cases, fresh, strict=True):
        alias_change = any(old_aliases.get(e.name) != aliases.get(e.name) for e in ents)
        if ents != old or alias_change:
            lc = LoadedCase(case, Path(stored["path"]), stored["content_hash"])
            docs.append(case_document(lc, ents, tax, aliases))
            report.updated.append(case.id)
    return docs
