"""The engine seam: what the search stage reads from an index state, checked on each engine,
and where the two engines must agree (matches, filters, counts) and may differ (order
among near-equal scores)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from archive import engine as engines
from archive.engine import ENGINES
from archive.engine.base import Engine, Snapshot, Writer
from archive.errors import IndexLockedError, UnknownEngine
from archive.fields import FACET_NAMES
from archive.index import open_current, update_index
from archive.search import SearchRequest, open_archive, update_archive

from .conftest import CASES, SOURCE_CASES, copy_cases, share_entity_cache

pytestmark = pytest.mark.engines(*ENGINES)  # the search and index tests run on both

TWIN = "nordic-twin-1990-chemical-leak"


@pytest.fixture
def snap(cases_dir: Path, index_dir: Path, engine: str):
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
    opened, meta, _ = open_current(index_dir)
    assert meta.engine == engine
    snapshot = opened.snapshot()
    yield snapshot
    snapshot.close()
    opened.close()


def test_the_engine_has_every_member_of_the_interface(snap, engine: str):
    members = [m for m in vars(Snapshot) if not m.startswith("_")] + ["size"]
    assert all(hasattr(snap, m) for m in members), members
    module = engines.load(engine)
    assert all(hasattr(module, m) for m in vars(Engine) if not m.startswith("_"))
    assert snap.name == engine


def test_live_documents_columns_and_postings_agree_with_search(snap, cases_dir, index_dir):
    live = snap.live_docs()
    assert live.dtype == np.int64 and list(live) == sorted(live) and len(live) <= snap.size
    ids = snap.column("id")
    archive = open_archive(cases_dir, index_dir, update="never")
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
        assert snap.doc_frequency("no_such_field", "fjord") == 0
        assert list(snap.words("narrative_en", "fjor")) == ["fjord"]
        assert list(snap.words("tactics", "apo")) == ["apology"]
        assert snap.up_to_date()
    finally:
        archive.close()


def test_similar_cases_read_the_narrative(snap, cases_dir, index_dir):
    archive = open_archive(cases_dir, index_dir, update="never")
    try:
        # Only the subject kind in common (weight 0.5): the narrative brings the twin first.
        assert [h.id for h in archive.similar("nordic-1982-oil-spill", limit=3)][0] == TWIN
    finally:
        archive.close()


def test_a_writer_commits_or_cancels_as_a_whole(cases_dir: Path, index_dir: Path, engine: str):
    update_index(cases_dir, index_dir)
    opened, _, _ = open_current(index_dir)
    eng, ix = opened.engine, opened.ix
    assert eng is engines.load(engine)

    def present() -> bool:
        snapshot = eng.snapshot(ix)
        try:
            return snapshot.document("nordic-1982-oil-spill") is not None
        finally:
            snapshot.close()

    try:
        first = eng.writer(ix, index_dir, 1.0)
        assert all(hasattr(first, m) for m in vars(Writer) if not m.startswith("_"))
        with pytest.raises(IndexLockedError):  # one writer at a time
            eng.writer(ix, index_dir, 0.2)
        first.delete("nordic-1982-oil-spill")
        first.cancel()
        assert present()
        second = eng.writer(ix, index_dir, 1.0)
        second.delete("nordic-1982-oil-spill")
        second.commit()
        assert not present()
    finally:
        eng.close(ix)


def test_an_index_of_the_other_engine_is_rebuilt(cases_dir: Path, index_dir: Path, engine: str):
    other = next(e for e in ENGINES if e != engine)
    update_index(cases_dir, index_dir, engine=other)
    report = update_index(cases_dir, index_dir)  # ARCHIVE_ENGINE: this test's engine
    assert report.rebuilt == f"the index was built by {other}, the engine chosen is {engine}"
    assert open_current(index_dir)[1].engine == engine


def test_an_unknown_engine_is_named_in_the_error(monkeypatch):
    monkeypatch.setenv("ARCHIVE_ENGINE", "lucene")
    with pytest.raises(UnknownEngine, match="unknown search engine 'lucene'.*whoosh, tantivy"):
        engines.chosen()


AGREEMENT_QUERIES = [
    "data breach", "kebocoran data", "apology ANDNOT denial", "tactic:apology",
    'title:"data breach"', '"data breach"~3', "cust?m*", "year:[2010 TO 2015]", "NOT apology",
    "re* ANDNOT breach", "data REQUIRE breach", "breach ANDMAYBE apology", "recall OR penarikan",
    'person:"Tony Hayward"', "country:id sector:banking", "gangguan saldo", "(",
]  # fmt: skip


@pytest.mark.engines("whoosh")  # builds both engines' archives itself
def test_the_engines_agree_on_matches_filters_and_counts(tmp_path: Path):
    """What must agree: the set of matches of every query, with and without filters, and
    every facet count. What may differ: the scores, and so the order of near-equal hits
    (BM25F over Whoosh's field lengths against tantivy's BM25 over its own)."""
    cases = copy_cases(CASES, dest=tmp_path / "cases")
    opened = {}
    for e in ENGINES:
        share_entity_cache([a.index_dir for a in opened.values()], tmp_path / f"index-{e}")
        opened[e] = open_archive(cases, tmp_path / f"index-{e}", engine=e)
    try:
        whoosh, tantivy = opened["whoosh"], opened["tantivy"]
        for text in AGREEMENT_QUERIES:
            for filters in ({}, {"outcome": ["recovered", "not-recovered"], "language": ["id"]}):
                request = SearchRequest(text, filters=filters, per_page=0)
                a, b = whoosh.search(request), tantivy.search(request)
                assert a.total == b.total, (text, filters)
                assert {h.id for h in whoosh.all_matches(request)} == {
                    h.id for h in tantivy.all_matches(request)
                }, (text, filters)
                assert a.to_dict()["facets"] == b.to_dict()["facets"], (text, filters)
                assert a.notice == b.notice and a.suggestion == b.suggestion
            top_a = [h.id for h in whoosh.search(SearchRequest(text)).hits[:3]]
            top_b = {h.id for h in tantivy.search(SearchRequest(text)).hits}
            if text not in ("(", "NOT apology"):  # equal scores: any order is right
                assert top_a[:1] == [] or top_a[0] in top_b, text
    finally:
        for archive in opened.values():
            archive.close()


def test_the_engine_survives_a_deleted_and_re_added_case(cases_dir: Path, index_dir: Path):
    """Deleted documents leave holes in the numbering; the arrays must skip them."""
    archive = open_archive(cases_dir, index_dir)
    try:
        target = cases_dir / "target-2013-card-data-breach.md"
        saved = target.read_bytes()
        target.unlink()
        update_archive(archive)
        assert "target-2013-card-data-breach" not in archive.ids()
        shutil.copy2(CASES / "optus-2022-data-breach.md", cases_dir)
        target.write_bytes(saved)
        update_archive(archive)
        assert archive.search(SearchRequest("Target")).hits[0].id == "target-2013-card-data-breach"
        assert archive.search(SearchRequest("Optus")).hits[0].id == "optus-2022-data-breach"
        total = archive.search(SearchRequest(per_page=0)).total
        files = [f for f in cases_dir.iterdir() if f.suffix in (".md", ".yaml")]
        assert total == len(archive.ids()) == len(files)
    finally:
        archive.close()


@pytest.mark.engines("whoosh")  # chooses its engines itself, through the command line
def test_the_command_line_chooses_the_engine(tmp_path: Path):
    from .test_cli import run

    copy_cases(*SOURCE_CASES, dest=tmp_path / "cases")

    def engine_of_index() -> str:
        gen = (tmp_path / ".archive" / "CURRENT").read_text().strip()
        return json.loads((tmp_path / ".archive" / gen / "meta.json").read_text())["engine"]

    first = run("--engine", "tantivy", "search", "data breach", "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert engine_of_index() == "tantivy"
    found = {h["id"] for h in json.loads(first.stdout)["hits"]}
    assert "target-2013-card-data-breach" in found
    # ARCHIVE_ENGINE says the same; without either, Whoosh, and the index is rebuilt for it.
    second = run("search", "data breach", "--json", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "the index was built by tantivy, the engine chosen is whoosh" in second.stderr
    assert engine_of_index() == "whoosh"
    assert {h["id"] for h in json.loads(second.stdout)["hits"]} == found
    bad = run("--engine", "lucene", "stats", cwd=tmp_path)
    assert bad.returncode == 2 and "'lucene' is not one of 'whoosh', 'tantivy'" in bad.stderr
    unknown = run("stats", cwd=tmp_path, env_extra={"ARCHIVE_ENGINE": "lucene"})
    assert unknown.returncode == 1
    assert "unknown search engine 'lucene' (ARCHIVE_ENGINE or --engine)" in unknown.stderr


def test_the_word_at_a_time_analysis_is_the_analysers_own():
    """``analyze`` and ``spans`` analyse each distinct word once; on every real case they
    give the words and places the field's analyser gives on the whole text."""
    from archive.engine.analysis import analyze, field_analyzer, spans
    from archive.loader import load_cases
    from archive.words import markdown_to_plain

    cases = [lc.case for lc in load_cases([CASES]).cases]
    assert len(cases) >= 100
    for case in cases:
        text = f"{case.title}. {markdown_to_plain(case.body)} U.S. e-mail 3.5% co*op"
        for field in ("narrative_en", "narrative_id", "subject"):
            # Whoosh yields one Token object, changed in place: copy each as it comes.
            whole = [
                (t.startchar, t.endchar, t.text) for t in field_analyzer(field)(text, chars=True)
            ]
            assert analyze(field, text) == [w for _, _, w in whole], (case.id, field)
            wanted = {w for _, _, w in whole[::7]}
            expected = [span for span in whole if span[2] in wanted]
            assert spans(field, text, wanted) == expected, (case.id, field)
