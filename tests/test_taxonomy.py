import re

from archive.taxonomy import FAMILIES, country_name, load_taxonomy

ROOT_IDS = {
    "crisis_types": "data-breach security-flaw substance-abuse criminal-charges unfair-sales-practices "
    "regulatory-action product-safety executive-misconduct fraud environmental-damage "
    "service-failure offensive-content animal-welfare",
    "tactics": "contain-and-fix protect-those-affected cooperate-with-authorities direct-communication "
    "faq-hub social-media-dialogue loyalty-incentive post-crisis-review take-responsibility apology "
    "act-fast lead-the-narrative early-disclosure blog-or-video-response security-improvement "
    "rehabilitation step-back comeback-work legal-defense appeal compensation recall "
    "leadership-change denial scapegoat community-investment",
    "outcomes": "recovered partially-recovered not-recovered ongoing",
    "sectors": "retail technology entertainment consumer-goods food finance transport energy health "
    "media public-sector",
    "channels": "press-release press-conference video social-media website blog email newspaper-ad "
    "interview court in-store other",
}


def test_every_contract_id_exists_with_both_languages():
    tax = load_taxonomy()
    for kind, ids in ROOT_IDS.items():
        for tid in ids.split():
            term = tax.get(kind, tid)
            assert term.label["en"] and term.label["id"], (kind, tid)
            assert len(term.definition["en"].split()) >= 8, (kind, tid)
            assert len(term.definition["id"].split()) >= 8, (kind, tid)
            if kind != "channels":
                assert term.synonyms["en"] and term.synonyms["id"], (kind, tid)


def test_fixed_indonesian_labels():
    tax = load_taxonomy()
    assert tax.label("crisis_types", "data-breach", "id") == "Kebocoran data"
    assert tax.label("tactics", "apology", "id") == "Permintaan maaf"
    assert tax.label("outcomes", "recovered", "id") == "Pulih"


def test_ids_are_slugs_and_families_are_known():
    tax = load_taxonomy()
    for kind in ROOT_IDS:
        for tid in tax.ids(kind):
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", tid)
    families = {t.family for t in tax.terms("tactics").values()}
    assert families - {None} == set(FAMILIES)
    assert tax.get("tactics", "apology").family == "rebuild"
    assert tax.get("tactics", "denial").family == "deny"


def test_suggest_finds_the_meant_id():
    tax = load_taxonomy()
    assert tax.suggest("tactics", "apolgy") == "apology"
    assert tax.suggest("crisis_types", "data-breech") == "data-breach"
    assert tax.suggest("tactics", "zzzzzz") is None


def test_country_names_in_both_languages():
    assert country_name("NO") == "Norway"
    assert country_name("US", "id") == "Amerika Serikat"
