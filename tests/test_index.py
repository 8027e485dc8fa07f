"""The Whoosh index: incremental updates, rebuilds of unusable indexes, locking."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from archive.engine import ENGINES
from archive.errors import IndexLockedError
from archive.index import build as index_build
from archive.index import current_generation, is_stale, update_index
from archive.search import SearchRequest, open_archive

from .conftest import FIXTURES

pytestmark = pytest.mark.engines(*ENGINES)  # the search and index tests run on both


def _ids(cases_dir: Path, index_dir: Path, query: str = "") -> set[str]:
    arch = open_archive(cases_dir, index_dir, update="never")
    try:
        return {h.id for h in arch.all_matches(SearchRequest(query))}
    finally:
        arch.close()


def test_first_build_then_nothing_to_do(cases_dir: Path, index_dir: Path):
    first = update_index(cases_dir, index_dir)
    assert first.rebuilt == "no index yet"
    assert len(first.added) == first.total == 7
    assert first.parsed == 6  # six English narratives; the Indonesian one uses the ruler only
    second = update_index(cases_dir, index_dir)
    assert not second.changed
    assert (second.parsed, second.files_read, second.unchanged) == (0, 0, 7)
    assert not is_stale(cases_dir, index_dir)
    # The check caches the indexed file table; new and vanished files still count.
    extra = cases_dir / "zz-extra.md"
    extra.write_bytes((cases_dir / "acme-2019-product-recall.md").read_bytes())
    assert is_stale(cases_dir, index_dir)
    extra.unlink()
    assert not is_stale(cases_dir, index_dir)
    (cases_dir / "acme-2019-product-recall.md").unlink()
    assert is_stale(cases_dir, index_dir)
    update_index(cases_dir, index_dir)
    assert not is_stale(cases_dir, index_dir)


def test_touching_a_file_without_changing_it_parses_nothing(cases_dir: Path, index_dir: Path):
    update_index(cases_dir, index_dir)
    f = cases_dir / "acme-2019-product-recall.md"
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 5_000_000_000))
    assert is_stale(cases_dir, index_dir)
    report = update_index(cases_dir, index_dir)
    assert not report.changed and report.parsed == 0
    assert not is_stale(cases_dir, index_dir)


def test_editing_one_case_reindexes_only_it(cases_dir: Path, index_dir: Path):
    update_index(cases_dir, index_dir)
    f = cases_dir / "acme-2019-product-recall.md"
    f.write_text(f.read_text().replace("exploding kettles", "overheating kettles"))
    report = update_index(cases_dir, index_dir)
    assert report.updated == ["acme-2019-product-recall"]
    assert report.added == [] and report.removed == []
    assert (report.files_read, report.parsed) == (1, 1)
    assert _ids(cases_dir, index_dir, "overheating") == {"acme-2019-product-recall"}
    assert _ids(cases_dir, index_dir, "title:exploding") == set()


def test_deleting_a_file_removes_it_from_results(cases_dir: Path, index_dir: Path):
    update_index(cases_dir, index_dir)
    assert "nordic-1982-oil-spill" in _ids(cases_dir, index_dir, "fjord")
    (cases_dir / "nordic-1982-oil-spill.md").unlink()
    report = update_index(cases_dir, index_dir)
    assert report.removed == ["nordic-1982-oil-spill"] and report.parsed == 0
    assert _ids(cases_dir, index_dir, "fjord") == set()


def test_new_alias_in_one_case_updates_the_cases_that_mention_it(cases_dir: Path, index_dir: Path):
    update_index(cases_dir, index_dir)
    assert _ids(cases_dir, index_dir, 'entity:"Fjord Fishermen"') == set()
    acme = cases_dir / "acme-2019-product-recall.md"
    acme.write_text(
        acme.read_text().replace(
            "  - {name: Jane Roe, kind: person}",
            "  - {name: Jane Roe, kind: person}\n  - {name: Bergen, kind: place, aliases: [Fjord Fishermen]}",
        )
    )
    report = update_index(cases_dir, index_dir)
    # Nordic Oil's file did not change, but it mentions Bergen, now a curated name; the
    # cases that do not mention it are not re-indexed (found through the index, not read).
    assert set(report.updated) == {"acme-2019-product-recall", "nordic-1982-oil-spill"}
    assert report.parsed + report.cache_hits == 2  # only those two narratives were looked at
    assert _ids(cases_dir, index_dir, 'entity:"Fjord Fishermen"') == {
        "acme-2019-product-recall",
        "nordic-1982-oil-spill",
    }


def test_malformed_file_is_reported_and_skipped(cases_dir: Path, index_dir: Path):
    shutil.copy(FIXTURES / "bad" / "unknown-tactic.md", cases_dir / "unknown-tactic.md")
    report = update_index(cases_dir, index_dir)
    assert report.total == 7
    (problem,) = [p for p in report.problems if p.is_error]
    assert (problem.line, problem.field) == (9, "tactics[1]")
    # An indexed case that becomes invalid leaves the index (as a rebuild would do).
    acme = cases_dir / "acme-2019-product-recall.md"
    acme.write_text(acme.read_text().replace("outcome: partially-recovered", "outcome: sort-of"))
    report = update_index(cases_dir, index_dir)
    assert report.removed == ["acme-2019-product-recall"]
    assert any(
        "did you mean" in p.message or "unknown outcome" in p.message for p in report.problems
    )


def test_every_bad_input_is_reported_and_the_rest_indexed(cases_dir: Path, index_dir: Path):
    """Issue #7: the whole bad-input corpus beside good cases in one folder."""
    from .test_loader import BAD_CASES, WARNED_CASES

    good = {p.stem for p in cases_dir.iterdir()}
    for name in [*BAD_CASES, *WARNED_CASES]:
        shutil.copy(FIXTURES / "bad" / name, cases_dir / name)
    report = update_index(cases_dir, index_dir)
    assert {Path(p.path).name for p in report.problems if p.is_error} == set(BAD_CASES)
    indexed = good | {Path(n).stem for n in WARNED_CASES}
    assert report.total == len(indexed) and set(report.added) == indexed
    assert _ids(cases_dir, index_dir) == indexed
    assert not is_stale(cases_dir, index_dir)  # bad files do not make every start rebuild


def test_rebuild_gives_the_same_results(cases_dir: Path, index_dir: Path):
    update_index(cases_dir, index_dir)
    (cases_dir / "nordic-1982-oil-spill.md").unlink()
    update_index(cases_dir, index_dir)
    incremental = _ids(cases_dir, index_dir, "data")
    report = update_index(cases_dir, index_dir, rebuild=True)
    assert report.rebuilt == "requested"
    assert report.parsed == 0 and report.cache_hits == 5  # entities came from the cache
    assert _ids(cases_dir, index_dir, "data") == incremental


def test_corrupt_index_is_rebuilt(cases_dir: Path, index_dir: Path):
    update_index(cases_dir, index_dir)
    gen = current_generation(index_dir)
    damaged = 0
    for f in gen.rglob("*"):  # every file of the engine's (Whoosh's or tantivy's)
        if f.is_file() and f.parent != gen or f.suffix in (".seg", ".toc"):
            f.write_bytes(b"garbage")
            damaged += 1
    assert damaged
    arch = open_archive(cases_dir, index_dir, update="never")
    try:
        assert arch.last_report is not None and "damaged" in arch.last_report.rebuilt
        assert {h.id for h in arch.all_matches(SearchRequest("Target"))} >= {
            "target-2013-card-data-breach"
        }
    finally:
        arch.close()


def test_older_schema_version_is_rebuilt(cases_dir: Path, index_dir: Path):
    update_index(cases_dir, index_dir)
    meta_path = current_generation(index_dir) / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] = 0
    meta_path.write_text(json.dumps(meta))
    report = update_index(cases_dir, index_dir)
    assert report.rebuilt and "schema version 0" in report.rebuilt
    assert report.total == 7


def test_failed_rebuild_leaves_the_old_index_usable(cases_dir: Path, index_dir: Path, monkeypatch):
    update_index(cases_dir, index_dir)
    before = current_generation(index_dir)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(index_build, "case_document", boom)
    with pytest.raises(RuntimeError):
        update_index(cases_dir, index_dir, rebuild=True)
    monkeypatch.undo()
    assert current_generation(index_dir) == before
    assert len(list(index_dir.glob("gen-*"))) == 1  # the half-written one was removed
    assert "target-2013-card-data-breach" in _ids(cases_dir, index_dir, "Target")


def test_locked_index_gives_a_clear_error(cases_dir: Path, index_dir: Path):
    update_index(cases_dir, index_dir)
    lock = index_build.BuildLock(index_dir, timeout=1)
    with lock:
        with pytest.raises(IndexLockedError) as err:
            update_index(cases_dir, index_dir, timeout=0.3)
    assert "locked by another writer" in str(err.value)
    assert update_index(cases_dir, index_dir).total == 7  # released again


def test_a_new_entity_pipeline_rebuilds(cases_dir: Path, index_dir: Path, monkeypatch):
    update_index(cases_dir, index_dir)
    monkeypatch.setattr(index_build, "pipeline_id", lambda: "2:some-newer-model")
    report = update_index(cases_dir, index_dir)
    assert report.rebuilt == "the entity pipeline or its model changed"
    assert not update_index(cases_dir, index_dir).changed  # recorded in the new generation
