"""Entity extraction through the real spaCy pipeline and the curated-name ruler."""

from __future__ import annotations

import logging
from pathlib import Path

from archive import entities
from archive.entities import CuratedName, EntityExtractor, curated_entities
from archive.loader import load_cases

from .conftest import SOURCE_CASES

TEXT = (
    "The ACCC took Lux to the Federal Court in Melbourne, and later to Canberra. "
    "Gregg Steinhafel of Target later spoke with the Secret Service."
)


def _curated() -> list[CuratedName]:
    return curated_entities(lc.case for lc in load_cases(SOURCE_CASES).cases)


def test_statistical_model_is_used_and_known_names_win():
    ex = EntityExtractor(_curated())
    assert ex.model_available
    found = {e.name: e for e in ex.extract(TEXT, "en")}
    accc = found["Australian Competition and Consumer Commission"]
    assert accc.kind == "organization" and accc.curated  # the plain model says PERSON or ORG
    assert "ACCC" not in found  # the alias is canonicalised
    assert found["United States Secret Service"].curated
    assert found["Lux Distributors"].kind == "organization"  # the plain model says DATE
    # Names no one curated still come from the statistical model.
    assert found["Canberra"].kind == "place" and not found["Canberra"].curated


def test_plain_model_gets_accc_wrong_so_the_ruler_matters():
    import spacy

    nlp = spacy.load(entities.MODEL_NAME)
    labels = {e.text: e.label_ for e in nlp("The ACCC sued Lux.").ents}
    ours = {e.name: e.kind for e in EntityExtractor(_curated()).extract("The ACCC sued Lux.", "en")}
    assert labels.get("Lux") != "ORG" or labels.get("ACCC") != "ORG"
    assert ours["Australian Competition and Consumer Commission"] == "organization"
    assert ours["Lux Distributors"] == "organization"


def test_indonesian_text_uses_the_ruler():
    ex = EntityExtractor(_curated())
    names = {e.name for e in ex.extract("ACCC menggugat Lux di pengadilan.", "id")}
    assert names == {"Australian Competition and Consumer Commission", "Lux Distributors"}
    assert ex.parsed == 0  # no statistical model for Indonesian


def test_own_curated_entities_are_always_present():
    ex = EntityExtractor([])
    record = CuratedName("Jane Roe", "person")
    found = ex.extract("A text that names nobody.", "en", [record])
    assert [(e.name, e.kind, e.count, e.curated) for e in found if e.name == "Jane Roe"] == [
        ("Jane Roe", "person", 0, True)
    ]


def test_cache_means_an_unchanged_text_is_never_parsed_again(tmp_path: Path):
    cache = tmp_path / "entities.sqlite"
    first = EntityExtractor(_curated(), cache_path=cache)
    result = first.extract(TEXT, "en")
    assert (first.parsed, first.cache_hits) == (1, 0)
    first.close()
    second = EntityExtractor(_curated(), cache_path=cache)
    assert second.extract(TEXT, "en") == result
    assert (second.parsed, second.cache_hits) == (0, 1)
    # A new alias that does not occur in this text keeps the cache entry valid...
    third = EntityExtractor(
        [*_curated(), CuratedName("Nobody Here", "person", ("NH",))], cache_path=cache
    )
    third.extract(TEXT, "en")
    assert third.parsed == 0
    # ...while one that does occur changes what must be extracted.
    fourth = EntityExtractor([*_curated(), CuratedName("Canberra", "place")], cache_path=cache)
    fourth.extract(TEXT, "en")
    assert fourth.parsed == 1


def test_damaged_cache_is_replaced(tmp_path: Path):
    cache = tmp_path / "entities.sqlite"
    cache.write_bytes(b"this is not sqlite" * 100)
    ex = EntityExtractor(_curated(), cache_path=cache)
    assert ex.extract(TEXT, "en")
    assert ex.parsed == 1


def test_fallback_without_model_says_so_once(monkeypatch, caplog):
    monkeypatch.setattr(entities, "_fallback_announced", False)
    with caplog.at_level(logging.WARNING, logger="archive.entities"):
        a = EntityExtractor(_curated(), model_name="no_such_model_installed")
        b = EntityExtractor(_curated(), model_name="no_such_model_installed")
    assert not a.model_available and not b.model_available
    assert sum("not installed" in r.message for r in caplog.records) == 1
    names = {e.name for e in a.extract(TEXT, "en")}
    assert "Australian Competition and Consumer Commission" in names
    assert "Canberra" not in names  # only the statistical model would find it
    assert a.parsed == 0


def test_country_spellings_become_one_place():
    ex = EntityExtractor([])
    text = "Shoppers in the U.S. were told. The US regulator and the United States Congress agreed."
    places = [e.name for e in ex.extract(text, "en") if e.kind == "place"]
    assert places == ["United States"]


def test_worker_processes_find_the_same_entities_as_one_process(tmp_path: Path):
    cases = [lc.case for lc in load_cases(SOURCE_CASES).cases]
    # More paragraphs than one worker chunk, so the pool is really used.
    texts = [s for c in cases if c.language == "en" for s in c.body.split(". ") if len(s) > 60]
    assert len(texts) > 2 * entities.NER_CHUNK
    items = [(t, "en", ()) for t in texts]
    serial = EntityExtractor(_curated()).extract_many(items)
    parallel_ex = EntityExtractor(_curated(), cache_path=tmp_path / "c.sqlite", workers=2)
    try:
        parallel = parallel_ex.extract_many(items)
        assert parallel_ex._pool is not None and parallel_ex.parsed == len(texts)
    finally:
        parallel_ex.close()
    assert parallel == serial
    assert sum(len(found) for found in serial) > len(texts)  # entities were found at all
