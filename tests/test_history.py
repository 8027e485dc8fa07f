"""Versions in git: real repositories in temp dirs, real commits, history, diff, restore."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from archive.editor import EditConflictError, save_edit, save_new
from archive.history import (
    HistoryError,
    commit_case,
    diff_texts,
    find_version,
    history,
    repository,
    restore,
    text_at,
)
from archive.loader import content_hash
from archive.search import SearchRequest, open_archive, update_archive

from .conftest import SOURCE_CASES, copy_cases
from .test_cli import run as run_cli

CASE = "target-2013-card-data-breach"


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """A project in git with the source-article cases committed by its owner (and no global
    or system git configuration, so that identities are only the ones set here)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "project"
    copy_cases(*SOURCE_CASES, dest=root / "cases")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Repo Owner")
    git(root, "config", "user.email", "owner@example.org")
    git(root, "config", "user.useConfigOnly", "true")
    (root / ".gitignore").write_text(".archive/\naudit.log\neditors.toml\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "the first cases")
    return root


def edit(root: Path, old: str, new: str, editor: str, summary: str) -> str:
    path = root / "cases" / f"{CASE}.md"
    text = path.read_text()
    assert old in text
    saved = save_edit(root / "cases", CASE, text.replace(old, new, 1),
                      content_hash(path.read_bytes()), editor)  # fmt: skip
    committed = commit_case(root / "cases", saved.path, "edited", CASE, summary, editor)
    assert committed.ok, committed.reason
    return committed.rev


def test_two_editors_in_turn_are_both_in_the_history(repo: Path):
    edit(
        repo,
        "ignored warnings",
        "unheeded warnings",
        "Siti Rahma",
        "slower, as the sources say",
    )
    edit(repo, "unheeded warnings", "neglected warnings", "Budi Santoso", "word choice")
    versions = history(repo / "cases", CASE)
    assert [(v.author, v.action, v.summary) for v in versions] == [
        ("Budi Santoso", "edited", "word choice"),
        ("Siti Rahma", "edited", "slower, as the sources say"),
        ("Repo Owner", "", "the first cases"),
    ]
    assert git(repo, "log", "-1", "--format=%s").strip() == f"edited {CASE}: word choice"
    # audit.log names them too
    lines = [json.loads(x) for x in (repo / "audit.log").read_text().splitlines()]
    assert [x["editor"] for x in lines] == ["Siti Rahma", "Budi Santoso"]


def test_a_conflicting_edit_keeps_both_texts(repo: Path):
    path = repo / "cases" / f"{CASE}.md"
    opened = content_hash(path.read_bytes())
    original = path.read_text()
    theirs = original.replace("ignored warnings", "(theirs) ignored warnings")
    mine = original.replace("ignored warnings", "(mine) ignored warnings")
    saved = save_edit(repo / "cases", CASE, theirs, opened, "Siti Rahma")
    assert commit_case(repo / "cases", saved.path, "edited", CASE, "theirs", "Siti Rahma").ok
    with pytest.raises(EditConflictError) as caught:
        save_edit(repo / "cases", CASE, mine, opened, "Budi Santoso")
    assert path.read_text() == theirs
    assert caught.value.kept.read_text() == mine
    assert [v.author for v in history(repo / "cases", CASE)][0] == "Siti Rahma"
    assert caught.value.kept.name in git(repo, "status", "--porcelain")  # not committed


def test_restore_brings_back_the_old_text_and_search_finds_it(repo: Path):
    path = repo / "cases" / f"{CASE}.md"
    first = path.read_bytes()
    edit(repo, "## Summary", "## Summary\n\nA paragraph about zanzibarite.", "Siti Rahma", "add")
    text = path.read_text().replace("ignored warnings", "missed warnings")
    edit(repo, "ignored warnings", "missed warnings", "Budi Santoso", "title reworded")
    assert path.read_text() == text
    archive = open_archive(repo / "cases", repo / ".archive")
    assert not archive.search(SearchRequest('"ignored warnings"')).hits
    restored = restore(repo / "cases", CASE, "1", "Siti Rahma", "back to the first text")
    assert path.read_bytes() == first  # byte for byte
    assert restored.committed.ok and restored.version.summary == "the first cases"
    versions = history(repo / "cases", CASE)
    assert (versions[0].action, versions[0].author) == ("restored", "Siti Rahma")
    assert len(versions) == 4  # nothing was rewritten
    update_archive(archive)
    assert [h.id for h in archive.search(SearchRequest('"ignored warnings"')).hits] == [CASE]
    archive.close()
    with pytest.raises(HistoryError, match="current text"):
        restore(repo / "cases", CASE, "1", "Siti Rahma")


def test_a_save_commits_only_its_case_file(repo: Path):
    (repo / "notes.txt").write_text("staged, not ours")
    git(repo, "add", "notes.txt")
    other = repo / "cases" / "snapchat-2013-username-phone-leak.md"
    other.write_text(other.read_text() + "\nDirty, not staged.\n")
    rev = edit(repo, "ignored warnings", "unheeded warnings", "Siti Rahma", "only this")
    assert git(repo, "show", "--name-only", "--format=", rev).split() == [f"cases/{CASE}.md"]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["notes.txt"]
    assert "snapchat-2013-username-phone-leak.md" in git(repo, "diff", "--name-only")


def test_a_new_case_is_committed_as_created(repo: Path):
    text = (SOURCE_CASES[0]).read_text().replace(f"id: {CASE}", "id: target-copy-2013")
    saved = save_new(repo / "cases", text, "Siti Rahma")
    committed = commit_case(
        repo / "cases", saved.path, "created", "target-copy-2013", "", "Siti Rahma"
    )
    assert committed.ok
    (version,) = history(repo / "cases", "target-copy-2013")
    assert (version.action, version.summary) == ("created", "no summary given")


@pytest.mark.parametrize("trouble", ["no identity", "locked index", "detached head"])
def test_when_git_cannot_commit_the_save_stays_and_says_why(repo: Path, trouble: str):
    path = repo / "cases" / f"{CASE}.md"
    if trouble == "no identity":
        git(repo, "config", "--unset", "user.name")
        git(repo, "config", "--unset", "user.email")
        words = "git has no identity"
    elif trouble == "locked index":
        (repo / ".git" / "index.lock").write_text("")
        words = "index is locked"
    else:
        git(repo, "checkout", "-q", "--detach")
        words = "HEAD is detached"
    text = path.read_text().replace("ignored warnings", "unheeded warnings")
    saved = save_edit(repo / "cases", CASE, text, content_hash(path.read_bytes()), "Siti Rahma")
    committed = commit_case(repo / "cases", saved.path, "edited", CASE, "x", "Siti Rahma")
    assert not committed.ok and words in committed.reason
    assert path.read_text() == text  # the save is kept
    assert len(history(repo / "cases", CASE)) == 1


def test_outside_git_nothing_is_versioned_and_it_says_so(tmp_path: Path):
    cases = copy_cases(*SOURCE_CASES, dest=tmp_path / "plain" / "cases")
    assert repository(cases) is None
    committed = commit_case(cases, cases / f"{CASE}.md", "edited", CASE, "x")
    assert committed.reason == "the cases folder is not in a git repository"
    with pytest.raises(HistoryError, match="not in a git repository"):
        history(cases, CASE)


def test_history_follows_a_rename(repo: Path):
    old = repo / "cases" / f"{CASE}.md"
    new = repo / "cases" / "target-2013-data-breach.md"
    git(repo, "mv", str(old), str(new))
    new.write_text(new.read_text().replace(f"id: {CASE}", "id: target-2013-data-breach"))
    git(repo, "commit", "-q", "-am", "rename the Target case")
    versions = history(repo / "cases", "target-2013-data-breach")
    assert [v.path for v in versions] == ["cases/target-2013-data-breach.md", f"cases/{CASE}.md"]
    first = text_at(repo / "cases", find_version(versions, "1"))
    assert f"id: {CASE}" in first


def test_diff_is_field_by_field_and_paragraph_by_paragraph():
    old = SOURCE_CASES[0].read_text()
    new = (
        old.replace("outcome: partially-recovered", "outcome: recovered")
        .replace("tactics: [", "tactics: [denial, ", 1)
        .replace("## Lessons", "## Lessons\n\nA new paragraph on lessons.", 1)
    )
    result = diff_texts(old, new)
    fields = {c.field: c for c in result.fields}
    assert (fields["outcome"].old, fields["outcome"].new) == ("partially-recovered", "recovered")
    assert fields["tactics"].added == ["denial"] and fields["tactics"].removed == []
    assert [(p.op, p.new) for p in result.paragraphs] == [
        ("insert", ["A new paragraph on lessons."])
    ]
    assert diff_texts(old, old).empty


def test_history_diff_and_restore_on_the_command_line(repo: Path):
    edit(repo, "ignored warnings", "unheeded warnings", "Siti Rahma", "slower")
    listed = run_cli("history", CASE, "--json", cwd=repo)
    assert listed.returncode == 0, listed.stderr
    versions = json.loads(listed.stdout)
    assert [v["author"] for v in versions] == ["Siti Rahma", "Repo Owner"]
    shown = run_cli("diff", CASE, versions[1]["rev"][:7], versions[0]["rev"][:7], cwd=repo)
    assert shown.returncode == 0, shown.stderr
    assert "title: Target's 2013" in shown.stdout and "ignored warnings" in shown.stdout
    assert "unheeded warnings" in shown.stdout
    unknown = run_cli("diff", CASE, "abcdef1", cwd=repo)
    assert unknown.returncode == 1 and "is not a version of this case" in unknown.stderr
    back = run_cli("restore", CASE, "1", "--editor", "Budi Santoso", "--summary", "undo", cwd=repo)
    assert back.returncode == 0, back.stderr
    assert "versioned as" in back.stderr
    assert (
        git(repo, "log", "-1", "--format=%an|%s").strip() == f"Budi Santoso|restored {CASE}: undo"
    )
    # 'archive new' commits the new file with the runner's git identity, no prompt
    made = run_cli("new", "--title", "Acme recalls kettles", "--subject", "Acme", "--kind",
                   "organization", "--crisis-date", "2019-03", cwd=repo)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert (
        git(repo, "log", "-1", "--format=%an|%s").strip()
        == "Repo Owner|created acme-2019: new case"
    )


def test_loose_objects_are_packed_after_enough_saves(repo: Path, monkeypatch):
    import archive.history as history_module

    monkeypatch.setattr(history_module, "LOOSE_OBJECTS_TO_PACK", 10**9)
    edit(repo, "ignored warnings", "unheeded warnings", "Siti Rahma", "one")
    assert int(git(repo, "count-objects").split()[0]) > 0  # loose objects stay below the mark
    monkeypatch.setattr(history_module, "LOOSE_OBJECTS_TO_PACK", 1)
    edit(repo, "unheeded warnings", "neglected warnings", "Siti Rahma", "two")
    assert int(git(repo, "count-objects").split()[0]) == 0  # packed
    assert [v.summary for v in history(repo / "cases", CASE)][:2] == ["two", "one"]
