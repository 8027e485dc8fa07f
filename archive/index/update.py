"""An incremental update in named steps: plan the changes (file stats and hashes), read the
changed files, build their documents and those of the cases renamed names affect, apply
them in one commit, write the metadata."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.engine import query as aq
from archive.engine.analysis import analyze
from archive.entities import CuratedName, EntityExtractor, merge_curated, ruler_patterns
from archive.errors import CaseProblem
from archive.index.cases import (
    IndexReport,
    aliases_of,
    extract_entities,
    extractor_for,
    file_table,
    scan_cases,
)
from archive.index.documents import (
    ENTITY_FACET,
    NARRATIVE_FIELD,
    TITLE_FIELD,
    case_document,
    case_from_stored,
    spell_words,
)
from archive.index.freshness import file_stats
from archive.index.generations import (
    Meta,
    Opened,
    curated_rows,
    read_vocabulary,
    write_meta,
    write_vocabulary,
)
from archive.loader import LoadedCase, content_hash, load_cases
from archive.taxonomy import Taxonomy


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
    files, problems = scan_cases(cases_dir)
    indexed_hash: dict[str, str] = {}
    with closing(ix.snapshot()) as snap:
        if snap.size:
            ids, hashes = snap.column("id"), snap.column("content_hash")
            indexed_hash = {ids[d]: hashes[d] for d in snap.live_docs().tolist()}
    stats = file_stats(files)
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
    aliases = aliases_of(curated)
    extractor = extractor_for(curated, index_dir, workers)
    report.model_available = extractor.model_available
    try:
        new_cases = list(read.parsed.values())
        found = extract_entities(extractor, [lc.case for lc in new_cases], report)
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
    old_aliases = aliases_of(old_curated)
    affected = affected_by_names(ix, old_curated, curated, old_aliases, aliases)
    return refresh_entities(ix, affected & keep, extractor, tax, aliases, old_aliases, report)


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
    write_vocabulary(gen, vocabulary)


def write_metadata(
    gen: Path, meta: Meta, plan: ChangePlan, read: ReadChanges, fingerprint: str, cases_dir: Path
) -> None:
    """Step 6: what the next update compares against (file stats and hashes, curated names)."""
    for cid in read.removed:
        meta.curated.pop(cid, None)
    for cid, lc in read.parsed.items():
        meta.curated[cid] = curated_rows(lc.case)
    meta.entity_fingerprint = fingerprint
    meta.files = file_table(plan.files, [], dict(plan.current_hash))
    meta.cases_dir = str(cases_dir)
    write_meta(gen, meta)


def incremental(
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


def affected_by_names(
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


def refresh_entities(
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
    fresh = extract_entities(extractor, [case for _, case, _ in stored_cases], report)  # one batch
    docs = []
    for (stored, case, old), ents in zip(stored_cases, fresh, strict=True):
        alias_change = any(old_aliases.get(e.name) != aliases.get(e.name) for e in ents)
        if ents != old or alias_change:
            lc = LoadedCase(case, Path(stored["path"]), stored["content_hash"])
            docs.append(case_document(lc, ents, tax, aliases))
            report.updated.append(case.id)
    return docs
