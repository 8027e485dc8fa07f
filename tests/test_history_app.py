"""The case page's History through AppTest, on a real git repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from archive.history import history
from archive.ui import state

from .test_app import _page_script
from .test_history import CASE, edit, git, repo  # noqa: F401  (the fixture)


@pytest.fixture
def env(repo: Path, monkeypatch) -> Path:  # noqa: F811
    monkeypatch.setenv("ARCHIVE_CASES_DIR", str(repo / "cases"))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(repo / ".archive"))
    monkeypatch.setenv("ARCHIVE_EDITOR_SECRET", "a long enough test secret")
    state._open.clear()
    edit(repo, "ignored warnings", "unheeded warnings", "Siti Rahma", "slower")
    edit(
        repo, "## Summary\n", "## Summary\n\nZanzibarite paragraph added.\n", "Budi Santoso", "more"
    )
    yield repo
    state._open.clear()


def case_page(signed_in: str | None = None) -> AppTest:
    at = AppTest.from_function(_page_script, args=("CASE",), default_timeout=60)
    at.query_params["id"] = CASE
    if signed_in:
        at.session_state["editor_ok"] = True
        at.session_state["editor_name"] = signed_in
    at.run()
    assert not at.exception, at.exception
    return at


def test_history_lists_versions_and_diffs_the_first_and_last(env: Path):
    at = case_page()
    (expander,) = [e for e in at.expander if e.label.startswith("History")]
    assert expander.label == "History (3 versions)"
    table = at.dataframe[-1].value
    assert list(table["Editor"]) == ["Budi Santoso", "Siti Rahma", "Repo Owner"]
    assert list(table["Summary"])[:2] == ["edited: more", "edited: slower"]
    shown = "\n".join(m.value for m in at.markdown)
    assert "unheeded warnings" in shown  # the title, old -> new
    assert "Zanzibarite paragraph added." in shown  # the inserted paragraph
    # Readers see the history but cannot restore.
    assert not [b for b in at.button if b.key == "hist_restore_go"]
    run = at.selectbox(key="hist_a").set_value(1).run()  # Siti's version -> the newest
    shown = "\n".join(m.value for m in run.markdown)
    assert "Zanzibarite paragraph added." in shown and "unheeded warnings" not in shown


def test_an_editor_restores_the_first_version(env: Path):
    path = env / "cases" / f"{CASE}.md"
    first = git(env, "show", f"HEAD~2:cases/{CASE}.md")
    at = case_page(signed_in="Siti Rahma")
    at.selectbox(key="hist_restore").set_value(2)
    at.text_input(key="hist_restore_summary").input("undo both edits")
    at = at.button(key="hist_restore_go").click().run()
    assert not at.exception, at.exception
    assert path.read_text() == first
    versions = history(env / "cases", CASE)
    assert (versions[0].author, versions[0].action, versions[0].summary) == (
        "Siti Rahma", "restored", "undo both edits",
    )  # fmt: skip
    assert any("Restored version" in s.value for s in at.success)
    archive = state._open(*map(str, state.data_dirs()))
    from archive.search import SearchRequest

    assert not archive.search(SearchRequest("zanzibarite")).hits  # re-indexed


SECRET = "a secret only Siti knows"


def test_a_named_editor_saves_a_version_and_the_secret_is_nowhere(env: Path):
    from archive.editors import Registry

    registry = Registry.load(env / "editors.toml")
    registry.add("Siti Rahma", SECRET)
    registry.save()
    from .test_editor_app import _script

    at = AppTest.from_function(_script, default_timeout=60)
    at.run()
    at.text_input(key="editor_name_input").input("Siti Rahma")
    at.text_input(key="editor_secret_input").input(SECRET)
    at = at.get("form_submit_button")[0].click().run()
    at = at.radio(key="ed_mode").set_value("edit").run()
    at = at.selectbox(key="ed_pick").set_value(CASE).run()
    at.text_input(key="ed_title").input("Target rebuilds trust, slowly, after the 2013 breach")
    at.text_input(key="ed_summary").input("title shortened")
    at = at.button(key="ed_save").click().run()
    assert not at.exception, at.exception
    assert any("Versioned as" in s.value and "Siti Rahma" in s.value for s in at.success)
    log = git(env, "log", "-1", "--format=%an|%s")
    assert log.strip() == f"Siti Rahma|edited {CASE}: title shortened"
    # The secret: not on the page, not in the session, not in git, not in any file.
    shown = [getattr(e, "value", "") for kind in ("markdown", "success", "warning", "error",
             "caption", "text_input") for e in getattr(at, kind)]  # fmt: skip
    assert SECRET not in str(shown)
    assert all(SECRET not in str(at.session_state[k]) for k in at.session_state)
    assert SECRET not in git(env, "log", "-p", "--all")
    for written in env.rglob("*"):
        if written.is_file():
            assert SECRET.encode() not in written.read_bytes(), written
