"""The editor page through AppTest: access, live validation, save, edit, conflict, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from archive.loader import load_cases
from archive.ui import state

SECRET = "correct horse battery staple"
SOURCE = [{"title": "Fixture source", "publisher": "Fixture Press", "date": "", "language": "",
           "url": "", "author": "", "quote": ""}]  # fmt: skip


def _script() -> None:
    import streamlit as st

    from archive.ui import editor_page, pages

    st.navigation(pages.all_pages())
    editor_page.render()


@pytest.fixture
def env(cases_dir: Path, index_dir: Path, monkeypatch) -> Path:
    monkeypatch.setenv("ARCHIVE_CASES_DIR", str(cases_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("ARCHIVE_EDITOR_SECRET", SECRET)
    state._open.clear()
    yield cases_dir
    state._open.clear()


def run(target) -> AppTest:
    """Run an AppTest, or the AppTest of a widget just changed; no exception allowed."""
    at = target.run()
    assert not at.exception, at.exception
    return at


def submit_secret(at: AppTest, value: str) -> AppTest:
    at.text_input(key="editor_secret_input").input(value)
    return run(at.get("form_submit_button")[0].click())


def test_without_a_secret_there_is_no_way_to_write(cases_dir: Path, index_dir: Path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_CASES_DIR", str(cases_dir))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(index_dir))
    monkeypatch.delenv("ARCHIVE_EDITOR_SECRET", raising=False)
    from archive.ui import access

    assert access.configured_secret() is None  # so all_pages() leaves the editor out
    at = run(AppTest.from_function(_script, default_timeout=60))
    assert "Editing is off" in at.info[0].value
    assert len(at.text_input) == 0 and len(at.button) == 0


def test_wrong_secret_is_limited_and_never_shown(env: Path):
    at = run(AppTest.from_function(_script, default_timeout=60))
    for attempt in range(5):
        submit_secret(at, f"guess {attempt}")
    assert "Too many wrong attempts" in at.error[0].value
    assert len(at.text_input) == 0
    everything = str([e.value for e in at.error] + [m.value for m in at.markdown])
    assert SECRET not in everything
    kept = (
        at.session_state["editor_secret_input"] if "editor_secret_input" in at.session_state else ""
    )
    assert kept == ""  # the entered text is not kept in the session


def new_case_app(env: Path) -> AppTest:
    at = run(AppTest.from_function(_script, default_timeout=60))
    submit_secret(at, SECRET)
    assert at.radio(key="ed_mode").value == "new"
    return at


def fill(at: AppTest, **values) -> AppTest:
    at.session_state["ed_rows_sources"] = SOURCE
    for key, value in values.items():
        widget = (
            at.text_input(key=f"ed_{key}") if key in ("title", "subject", "crisis_date") else None
        )
        if widget is not None:
            widget.input(value)
    at.text_area(key="ed_body").input(
        values.get("body", "## Summary\n\nZyxwv Holdings apologised.")
    )
    at.multiselect(key="ed_crisis_types").select("fraud")
    at.multiselect(key="ed_tactics").select("apology")
    return run(at)


def test_live_validation_then_save_and_find_in_search(env: Path):
    at = new_case_app(env)
    at.text_input(key="ed_title").input("Zyx").run()
    assert any("title" in e.value for e in at.error)  # too short: the same message as validate
    assert at.button(key="ed_save").disabled
    fill(
        at,
        title="Zyxwv Holdings misstates its accounts",
        subject="Zyxwv Holdings",
        crisis_date="2021-04",
    )
    assert at.success[0].value == "The case is valid."
    run(at.button(key="ed_save").click())
    path = env / "zyxwv-holdings-2021-fraud.md"
    assert path.exists(), [e.value for e in at.error]
    (loaded,) = load_cases([path]).cases
    assert loaded.case.title == "Zyxwv Holdings misstates its accounts"
    (line,) = (env.parent / "audit.log").read_text().splitlines()
    assert '"action": "created", "case": "zyxwv-holdings-2021-fraud"' in line
    archive = state._open(*map(str, state.data_dirs()))
    from archive.search import SearchRequest

    assert [h.id for h in archive.search(SearchRequest("zyxwv")).hits] == [
        "zyxwv-holdings-2021-fraud"
    ]
    # The secret is nowhere after a login and a save: not on the page, not in the session,
    # not in any file written (case, audit log, index, entity cache).
    shown = [
        getattr(e, "value", "")
        for kind in ("markdown", "error", "warning", "info", "success", "caption", "text_input")
        for e in getattr(at, kind)
    ]
    assert shown and SECRET not in str(shown)
    assert all(SECRET not in str(at.session_state[k]) for k in at.session_state)
    secret = SECRET.encode()
    for written in env.parent.rglob("*"):
        if written.is_file():
            assert secret not in written.read_bytes(), written


def test_duplicate_warning_needs_confirmation(env: Path):
    at = new_case_app(env)
    fill(at, title="Acme recalls kettles again", subject="Acme Appliances", crisis_date="2019-05")
    assert any("may duplicate" in w.value for w in at.warning)
    assert at.button(key="ed_save").disabled
    run(at.checkbox(key="ed_confirm").check())
    assert not at.button(key="ed_save").disabled


def test_edit_saves_and_conflict_loses_nothing(env: Path):
    at = new_case_app(env)
    run(at.radio(key="ed_mode").set_value("edit"))
    run(at.selectbox(key="ed_pick").set_value("acme-2019-product-recall"))
    assert (
        at.text_input(key="ed_title").value == "Acme recalls its exploding kettles and apologises"
    )
    path = env / "acme-2019-product-recall.md"
    body_before = load_cases([path]).cases[0].case.body
    run(at.text_input(key="ed_title").input("Acme recalls its overheating kettles"))
    run(at.button(key="ed_save").click())
    edited = load_cases([path]).cases[0].case
    assert edited.title == "Acme recalls its overheating kettles" and edited.body == body_before
    # Someone else changes the file; our next save must keep both versions.
    theirs = path.read_text().replace("overheating", "theirs")
    path.write_text(theirs)
    run(at.text_input(key="ed_title").input("Acme recalls its kettles, mine"))
    run(at.button(key="ed_save").click())
    assert any("changed on disk" in e.value for e in at.error)
    assert path.read_text() == theirs
    (kept,) = list(env.glob("acme-2019-product-recall.conflict-*"))
    assert "Acme recalls its kettles, mine" in kept.read_text()


# -- editors with their own names (archive/editors.py) -------------------------------------

TEAM = {"Siti Rahma": "siti's own long secret", "Budi Santoso": "budi has another one"}


@pytest.fixture
def team_env(env: Path, tmp_path: Path, monkeypatch) -> Path:
    """Two named editors in an editors file, and no shared secret."""
    from archive.editors import Registry

    registry = Registry.load(tmp_path / "private" / "team.toml")
    registry.path.parent.mkdir()
    for name, secret in TEAM.items():
        registry.add(name, secret)
    registry.save()
    monkeypatch.setenv("ARCHIVE_EDITORS_FILE", str(registry.path))
    monkeypatch.delenv("ARCHIVE_EDITOR_SECRET")
    return env


def sign_in(at: AppTest, name: str, secret: str) -> AppTest:
    at.text_input(key="editor_name_input").input(name)
    return submit_secret(at, secret)


def keys(at: AppTest) -> list[str]:
    return [w.key for w in at.text_input]


@pytest.mark.parametrize("name", list(TEAM))
def test_named_editors_sign_in_with_their_own_secret(team_env: Path, name: str):
    at = run(AppTest.from_function(_script, default_timeout=60))
    assert keys(at) == ["editor_name_input", "editor_secret_input"]
    assert at.text_input(key="editor_name_input").label == "Your name"
    sign_in(at, name, TEAM[name])
    assert at.session_state["editor_ok"] is True
    assert at.session_state["editor_name"] == name
    assert at.radio(key="ed_mode").value == "new"  # the editor page itself is shown
    assert all(
        secret not in str(at.session_state[k]) for k in at.session_state for secret in TEAM.values()
    )


def test_wrong_name_or_secret_same_message_and_limited(team_env: Path):
    at = run(AppTest.from_function(_script, default_timeout=60))
    sign_in(at, "Siti Rahma", TEAM["Budi Santoso"])  # right name, wrong secret
    first = [e.value for e in at.error]
    sign_in(at, "Siti Rahmah", TEAM["Siti Rahma"])  # wrong name, right secret
    second = [e.value for e in at.error]
    assert first == ["Wrong name or secret (4 attempts left)."]
    assert second == ["Wrong name or secret (3 attempts left)."]
    assert at.session_state["editor_attempts"] == 2
    for attempt in range(3):
        sign_in(at, "Budi Santoso", f"guess number {attempt}")
    assert "Too many wrong attempts" in at.error[0].value
    assert keys(at) == []
    assert "editor_name" not in at.session_state and "editor_ok" not in at.session_state
    shown = str([e.value for e in at.error] + [m.value for m in at.markdown])
    assert all(secret not in shown for secret in TEAM.values())


def test_shared_secret_still_works_as_the_editor_named_editor(env: Path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_EDITORS_FILE", str(env.parent / "no-such-editors.toml"))
    at = run(AppTest.from_function(_script, default_timeout=60))
    assert keys(at) == ["editor_secret_input"]  # no name asked for a single shared secret
    submit_secret(at, "not the secret")
    assert at.error[0].value == "Wrong secret (4 attempts left)."
    submit_secret(at, SECRET)
    assert at.session_state["editor_ok"] is True and at.session_state["editor_name"] == "editor"


def test_shared_secret_next_to_named_editors(team_env: Path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_EDITOR_SECRET", SECRET)
    at = run(AppTest.from_function(_script, default_timeout=60))
    assert keys(at) == ["editor_name_input", "editor_secret_input"]
    sign_in(at, "editor", SECRET)
    assert at.session_state["editor_name"] == "editor"


def test_removed_editor_is_signed_out(team_env: Path):
    import os

    from archive.editors import Registry

    at = run(AppTest.from_function(_script, default_timeout=60))
    sign_in(at, "Budi Santoso", TEAM["Budi Santoso"])
    assert at.session_state["editor_name"] == "Budi Santoso"
    registry = Registry.load(Path(os.environ["ARCHIVE_EDITORS_FILE"]))
    registry.remove("Budi Santoso")
    registry.save()
    run(at)
    assert keys(at) == ["editor_name_input", "editor_secret_input"]
    assert "editor_name" not in at.session_state
