"""The editor's "Start from sources" through AppTest: paste, draft, tick, fix the TODOs, save."""

from __future__ import annotations

from pathlib import Path

from archive.loader import load_cases
from archive.search import SearchRequest
from archive.ui import state

from .conftest import FIXTURES
from .test_editor_app import env, new_case_app, run  # noqa: F401  (fixtures)
from .test_intake import server  # noqa: F401  (a local web server for the fixtures)

ARTICLE = (FIXTURES / "intake" / "en-snapchat-leak.txt").read_text(encoding="utf-8")


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def draft(at, text: str):
    at.text_area(key="ed_src_text").input(text)
    return run(at.button(key="ed_src_go").click())


def test_paste_draft_tick_fix_save_and_find(env: Path, server: str):  # noqa: F811
    before = listing(env)
    at = new_case_app(env)
    # A failing address beside the pasted article: it says why, the article still counts.
    at = draft(at, f"{server}/nothing-here\n{ARTICLE}")
    assert any("answered 404" in w.value for w in at.warning)
    assert at.text_input(key="ed_subject").value == "Snapchat"
    crisis = at.multiselect(key="ed_crisis_types").value
    assert {"data-breach", "security-flaw"} & set(crisis)
    assert at.text_input(key="ed_crisis_date").value.startswith("2013-")
    assert listing(env) == before  # nothing written by drafting
    # Every suggestion has a tick and its evidence; ticks change the form.
    tactics = at.multiselect(key="ed_tactics").value
    assert tactics and at.checkbox(key=f"ed_acc_tactics_{tactics[0]}").value
    run(at.checkbox(key=f"ed_acc_tactics_{tactics[0]}").uncheck())
    assert tactics[0] not in at.multiselect(key="ed_tactics").value
    run(at.checkbox(key="ed_acc_tactics_apology").check())
    assert "apology" in at.multiselect(key="ed_tactics").value
    assert any("\u201c" in c.value for c in at.caption)  # evidence sentences are shown
    # Fix the TODOs the draft left, then save.
    at.text_input(key="ed_title").input("Snapchat answers the leak of 4.6 million usernames")
    at.text_area(key="ed_outcome_summary").input("Snapchat shipped an opt-out within days.")
    at.text_area(key="ed_lessons").input("Thank the researchers before they go public.")
    at.text_area(key="ed_body").input(
        "## Summary\n\nQwertzuiop: a leak of usernames and phone numbers, and the apology."
    )
    for box in [c for c in at.checkbox if c.key.startswith("ed_acc_tl_") and c.value]:
        at = run(box.uncheck())  # the dated sentences stay out of the timeline
    assert at.session_state["ed_rows_timeline"] == []
    # The archive already has Snapchat's case: the duplicate warning wants a confirmation.
    assert any("snapchat-2013-username-phone-leak" in w.value for w in at.warning)
    run(at.checkbox(key="ed_confirm").check())
    run(at.button(key="ed_save").click())
    written = set(listing(env)) - set(before)
    assert len(written) == 1, [e.value for e in at.error]
    (name,) = written
    case = load_cases([env / name]).cases[0].case
    assert case.status == "draft" and "apology" in case.tactics
    assert case.sources[0].quote and case.sources[0].quote in ARTICLE
    archive = state._open(*map(str, state.data_dirs()))
    assert case.id in [h.id for h in archive.search(SearchRequest("qwertzuiop")).hits]


def test_no_usable_source_drafts_nothing(env: Path):  # noqa: F811
    at = new_case_app(env)
    at = draft(at, "Too short to be an article.")
    assert any("No source could be used" in e.value for e in at.error)
    assert "ed_draft" not in at.session_state
