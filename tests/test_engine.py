"""The engine seam: what the search stage reads from an index state, checked on Whoosh."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from archive.engine.base import Snapshot
from archive.engine.whoosh import WhooshSnapshot
from archive.fields import FACET_NAMES
from archive.index import open_current, update_index
from archive.search import Archive, SearchRequest

TWIN = "nordic-twin-1990-chemical-leak"


@pytest.fixture
def snap(cases_dir: Path, index_dir: Path):
    # A case whose narrative is Nordic Oil's word for word, sharing only its subject kind.
    nordic = (cases_dir / "nordic-1982-oil-spill.md").read_text(encoding="utf-8-sig")
    twin = (
        nordic.replace("id: nordic-1982-oil-spill", f"id: {TWIN}")
        .replace("sector: energy", "sector: health")
        .replace("crisis_types: [environmental-damage]", "crisis_types: [data-breach]")
        .replace("tactics: [denial, scapegoat]", "tactics: [apology]")
        .replace("countries: [NO]", "countries: [JP]")
        .replace(
            "{name: Nordic Oil, kind: organization, aliases: [NordOil]}",
            "{name: Twin Co, kind: organization, aliases: [TwinCo]}",
        )
    )
    (cases_dir / f"{TWIN}.md").write_text(twin, encoding="utf-8")
    assert not update_index(cases_dir, index_dir).problems
    ix, _, _ = open_current(index_dir)
    snapshot = WhooshSnapshot(ix)
    yield snapshot
    snapshot.close()
    ix.close()


def test_whoosh_snapshot_has_every_member_of_the_interface(snap):
    members = [m for m in vars(Snapshot) if not m.startswith("_")] + ["size"]
    assert all(hasattr(snap, m) for m in members), members


def test_live_documents_columns_and_postings_agree_with_search(snap, cases_dir, index_dir):
    live = snap.live_docs()
    assert live.dtype == np.int64 and list(live) == sorted(live) and len(live) == snap.size
    ids = snap.column("id")
    archive = Archive.open(cases_dir, index_dir, update="never")
    try:
        facets = archive.search(SearchRequest(per_page=0)).facets
        assert {ids[d] for d in live.tolist()} == set(archive.ids())
        for name in FACET_NAMES:
            counts = {value: len(docs) for value, docs in snap.postings(name)}
            assert counts == {v.value: v.count for v in facets[name] if v.count}, name
        doc = int(live[0])
        assert snap.stored(doc)["path"].endswith(f"{ids[doc]}.md")
        assert snap.document(ids[doc]) == snap.stored(doc)
        assert snap.document("no-such-case") is None
        assert snap.doc_frequency("narrative_en", "fjord") == 2
        assert snap.doc_frequency("narrative_en", "zanzibarite") == 0
        assert snap.up_to_date()
    finally:
        archive.close()


def test_more_like_reads_the_narrative_and_similar_cases_use_it(snap, cases_dir, index_dir):
    ids = snap.column("id")
    nordic = next(d for d in snap.live_docs().tolist() if ids[d] == "nordic-1982-oil-spill")
    alike = snap.more_like(nordic, "narrative_en", top=5, terms=10)
    assert alike and ids[alike[0][0]] == TWIN and all(d != nordic for d, _ in alike)
    archive = Archive.open(cases_dir, index_dir, update="never")
    try:
        # Only the subject kind in common (weight 0.5): the narrative brings the twin first.
        assert [h.id for h in archive.similar("nordic-1982-oil-spill", limit=3)][0] == TWIN
    finally:
        archive.close()


def test_a_writer_commits_or_cancels_as_a_whole(cases_dir: Path, index_dir: Path):
    from archive.engine.base import Writer
    from archive.engine.whoosh import store
    from archive.errors import IndexLockedError

    update_index(cases_dir, index_dir)
    ix, _, _ = open_current(index_dir)
    try:
        first = store.writer(ix, index_dir, 1.0)
        assert all(hasattr(first, m) for m in vars(Writer) if not m.startswith("_"))
        with pytest.raises(IndexLockedError):  # one writer at a time
            store.writer(ix, index_dir, 0.2)
        first.delete("nordic-1982-oil-spill")
        first.cancel()
        with ix.searcher() as searcher:
            assert searcher.document(id="nordic-1982-oil-spill") is not None
        second = store.writer(ix, index_dir, 1.0)
        second.delete("nordic-1982-oil-spill")
        second.commit()
        with ix.searcher() as searcher:
            assert searcher.document(id="nordic-1982-oil-spill") is None
    finally:
        ix.close()
