"""Each named step of an incremental update on its own: plan, read, build, apply, metadata."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archive.engine import ENGINES
from archive.index import (
    IndexReport,
    apply_changes,
    build_documents,
    open_current,
    plan_changes,
    read_changes,
    read_vocabulary,
    update_index,
    write_metadata,
)
from archive.taxonomy import load_taxonomy

pytestmark = pytest.mark.engines(*ENGINES)  # the search and index tests run on both

ACME = "acme-2019-product-recall"
NORDIC = "nordic-1982-oil-spill"
TAX = load_taxonomy()


@pytest.fixture
def built(cases_dir: Path, index_dir: Path):
    update_index(cases_dir, index_dir)
    ix, meta, gen = open_current(index_dir, TAX)
    yield cases_dir, ix, meta, gen
    ix.close()


def test_plan_reads_only_what_changed(built):
    cases_dir, ix, meta, _ = built
    assert plan_changes(cases_dir, ix, meta).changed == []
    touched = cases_dir / f"{NORDIC}.md"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**10))
    edited = cases_dir / f"{ACME}.md"
    edited.write_text(edited.read_text().replace("exploding kettles", "overheating kettles"))
    (cases_dir / "zz-new.md").write_text(
        edited.read_text().replace(f"id: {ACME}", "id: zz-new"), encoding="utf-8"
    )
    plan = plan_changes(cases_dir, ix, meta)
    assert [f.name for f in plan.changed] == [f"{ACME}.md", "zz-new.md"]  # touched: same bytes
    assert plan.current_hash[touched.name] == plan.indexed_hash[NORDIC]
    assert plan.current_hash[edited.name] != plan.indexed_hash[ACME]


def test_read_removes_deleted_and_newly_broken_cases(built):
    cases_dir, ix, meta, _ = built
    (cases_dir / f"{NORDIC}.md").unlink()
    broken = cases_dir / f"{ACME}.md"
    broken.write_text(broken.read_text().replace("\ntitle:", "\ntitel:", 1))  # no title now
    report = IndexReport()
    read = read_changes(plan_changes(cases_dir, ix, meta), TAX, report)
    assert read.parsed == {} and read.removed == [ACME, NORDIC]
    assert ACME not in read.keep and NORDIC not in read.keep and len(read.keep) == 5
    assert "title" in {p.field for p in report.problems} and report.files_read == 1


def test_build_makes_documents_of_the_changed_cases_only(built, index_dir: Path):
    cases_dir, ix, meta, _ = built
    edited = cases_dir / f"{ACME}.md"
    edited.write_text(edited.read_text().replace("exploding kettles", "overheating kettles"))
    report = IndexReport()
    read = read_changes(plan_changes(cases_dir, ix, meta), TAX, report)
    docs, aliases, fingerprint = build_documents(ix, meta, read, TAX, index_dir, report)
    assert [d["id"] for d in docs] == [ACME] and report.updated == [ACME]
    assert "overheating" in docs[0]["title_en"] and fingerprint == meta.entity_fingerprint
    assert "Jane Roe" in aliases  # curated names of the kept cases and the read one


def test_apply_replaces_and_removes_in_one_commit_and_moves_the_vocabulary(built, index_dir):
    cases_dir, ix, meta, gen = built
    assert "fjord" in read_vocabulary(gen)
    edited = cases_dir / f"{ACME}.md"
    edited.write_text(edited.read_text().replace("exploding kettles", "zanzibarite kettles"))
    (cases_dir / f"{NORDIC}.md").unlink()
    report = IndexReport()
    plan = plan_changes(cases_dir, ix, meta)
    read = read_changes(plan, TAX, report)
    docs, aliases, _ = build_documents(ix, meta, read, TAX, index_dir, report)
    done: list[tuple[int, int]] = []
    apply_changes(ix, gen, docs, read.removed, TAX, aliases, 5.0, lambda *p: done.append(p))
    assert done == [(1, 1)]
    snap = ix.snapshot()
    try:
        assert snap.document(NORDIC) is None
        assert "zanzibarite" in snap.document(ACME)["summary"]
    finally:
        snap.close()
    vocabulary = read_vocabulary(gen)
    assert vocabulary["zanzibarite"] > 0 and vocabulary["fjord"] <= 0


def test_metadata_makes_the_next_plan_empty(built, index_dir: Path):
    cases_dir, ix, meta, gen = built
    edited = cases_dir / f"{ACME}.md"
    edited.write_text(edited.read_text().replace("exploding kettles", "overheating kettles"))
    report = IndexReport()
    plan = plan_changes(cases_dir, ix, meta)
    read = read_changes(plan, TAX, report)
    docs, aliases, fingerprint = build_documents(ix, meta, read, TAX, index_dir, report)
    apply_changes(ix, gen, docs, read.removed, TAX, aliases, 5.0)
    write_metadata(gen, meta, plan, read, fingerprint, cases_dir)
    ix2, meta2, _ = open_current(index_dir, TAX)
    try:
        assert plan_changes(cases_dir, ix2, meta2).changed == []
        assert meta2.files[edited.name][2] == plan.current_hash[edited.name]
    finally:
        ix2.close()
