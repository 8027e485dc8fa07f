"""Named editors: the editors file, its hashes, and 'archive editors' through the real CLI."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from archive import editors
from archive.editors import (
    EditorExists,
    EditorNotFound,
    EditorsFileError,
    InvalidEditorName,
    Registry,
    WeakSecret,
    check_secret,
    hash_secret,
)

from .test_cli import SCRIPT, project  # noqa: F401  (project is a fixture)

SECRET = "correct horse battery staple"
OTHER = "Tr0ub4dor&3 is not it either"


def test_hash_round_trip_and_wrong_secret():
    stored = hash_secret(SECRET)
    assert stored.startswith("scrypt$16384$8$1$") and SECRET not in stored
    assert check_secret(SECRET, stored)
    assert not check_secret(OTHER, stored)
    assert not check_secret(SECRET[:-1], stored)
    assert hash_secret(SECRET) != stored  # a fresh salt each time
    assert not check_secret(SECRET, "scrypt$16384$8$1$bad$bad")  # malformed: no match, no error
    assert not check_secret(SECRET, "")


def test_registry_add_verify_remove(tmp_path: Path):
    path = tmp_path / "editors.toml"
    registry = Registry.load(path)
    assert registry.names() == [] and not path.exists()
    registry.add("Siti Rahma", SECRET)
    registry.add("José Ñúñez", OTHER)
    registry.save()
    loaded = Registry.load(path)
    assert loaded.names() == ["Siti Rahma", "José Ñúñez"]
    assert loaded.verify("Siti Rahma", SECRET) and loaded.verify("José Ñúñez", OTHER)
    assert not loaded.verify("Siti Rahma", OTHER)
    assert not loaded.verify("José Ñúñez", SECRET)
    assert not loaded.verify("Nobody", SECRET)
    assert not loaded.verify("Siti Rahma", "\ud800 odd input")  # never raises
    with pytest.raises(EditorExists):
        loaded.add("Siti Rahma", OTHER)
    loaded.add("Siti Rahma", OTHER, replace=True)
    assert loaded.verify("Siti Rahma", OTHER) and not loaded.verify("Siti Rahma", SECRET)
    loaded.remove("Siti Rahma")
    with pytest.raises(EditorNotFound):
        loaded.remove("Siti Rahma")
    loaded.save()
    assert Registry.load(path).names() == ["José Ñúñez"]


@pytest.mark.parametrize("name", ["", " Siti", "Siti ", "a" * 61, 'Bad"Quote', "back\\slash",
                                  "new\nline", "semi;colon", "under_score", "..."])  # fmt: skip
def test_bad_names_are_refused(tmp_path: Path, name: str):
    with pytest.raises(InvalidEditorName):
        Registry.load(tmp_path / "editors.toml").add(name, SECRET)


@pytest.mark.parametrize(
    "name", ["Siti Rahma", "O'Brien-Ng Jr.", "दीपिका", "李小龙", "editor", "A1"]
)
def test_good_names_are_accepted(tmp_path: Path, name: str):
    path = tmp_path / "editors.toml"
    registry = Registry.load(path)
    registry.add(name, SECRET)
    registry.save()
    assert Registry.load(path).verify(name, SECRET)


def test_short_secret_is_refused(tmp_path: Path):
    with pytest.raises(WeakSecret) as info:
        Registry.load(tmp_path / "editors.toml").add("Siti Rahma", "eleven char")
    assert "eleven char" not in str(info.value)


def test_unknown_name_costs_the_same_derivations(tmp_path: Path, monkeypatch):
    registry = Registry.load(tmp_path / "editors.toml")
    registry.add("Siti Rahma", SECRET)
    calls: list[int] = []
    real = editors.hashlib.scrypt

    def counting(*args, **kwargs):
        calls.append(kwargs.get("n", 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(editors.hashlib, "scrypt", counting)
    counts = {}
    for name, secret in [("Siti Rahma", SECRET), ("Siti Rahma", OTHER), ("Nobody", SECRET)]:
        calls.clear()
        assert registry.verify(name, secret) == (secret == SECRET and name == "Siti Rahma")
        counts[(name, secret)] = list(calls)
    assert list(counts.values()) == [[2**14]] * 3  # one derivation, same cost, every case
    # The same through sign_in, with the shared editor in the list too.
    team = [*registry.editors(), editors.shared_editor("a shared secret here")]
    for name, secret in [("Siti Rahma", SECRET), ("Nobody", SECRET), ("editor", "nope")]:
        calls.clear()
        editors.sign_in(team, name, secret)
        assert calls == [2**14], name
    assert editors.sign_in(team, "editor", "a shared secret here") == "editor"
    assert editors.sign_in(team, "Siti Rahma", SECRET) == "Siti Rahma"
    assert editors.sign_in(team, "Nobody", SECRET) is None


def test_resolve_editors_adds_the_environment_editor(tmp_path: Path):
    cases = tmp_path / "cases"
    cases.mkdir()
    registry = Registry.load(tmp_path / "editors.toml")
    registry.add("Siti Rahma", SECRET)
    registry.save()
    assert [e.name for e in editors.resolve_editors(cases, environ={})] == ["Siti Rahma"]
    found = editors.resolve_editors(cases, environ={"ARCHIVE_EDITOR_SECRET": OTHER})
    assert [e.name for e in found] == ["Siti Rahma", "editor"]
    assert found[1].check(OTHER) and not found[1].check(SECRET)
    assert OTHER not in repr(found) and registry.editors()[0].hash not in repr(found)
    elsewhere = tmp_path / "private" / "team.toml"
    elsewhere.parent.mkdir()
    assert editors.resolve_editors(cases, environ={"ARCHIVE_EDITORS_FILE": str(elsewhere)}) == []


def test_damaged_file_names_file_and_line(tmp_path: Path):
    path = tmp_path / "editors.toml"
    path.write_text('# editors\n\n[editors."Siti Rahma"\nhash = "x"\n')
    with pytest.raises(EditorsFileError) as info:
        Registry.load(path)
    assert str(info.value).startswith(f"{path}:3: ")
    path.write_text('[editors."Siti Rahma"]\nhash = "not a hash"\n')
    with pytest.raises(EditorsFileError) as info:
        Registry.load(path)
    assert str(info.value).startswith(f"{path}:1: editor 'Siti Rahma'")


# -- the command line ----------------------------------------------------------------------


def run(
    *args: str, cwd: Path, input: str = "", env_extra: dict | None = None
) -> subprocess.CompletedProcess:
    """tests/test_cli.py's run, with text piped to stdin (so not a terminal)."""
    cmd = (
        [str(SCRIPT)]
        if SCRIPT.exists()
        else [sys.executable, "-c", "from archive.cli import main; main()"]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
    env.update(env_extra or {})
    return subprocess.run(
        [*cmd, *args], cwd=cwd, input=input, capture_output=True, text=True, env=env, timeout=120
    )


def editors_file(project: Path) -> Path:  # noqa: F811
    return project / "editors.toml"


def test_cli_add_list_remove(project: Path):  # noqa: F811
    added = run("editors", "add", "Siti Rahma", cwd=project, input=SECRET + "\n")
    assert added.returncode == 0, added.stderr
    second = run("editors", "add", "Budi Santoso", cwd=project, input=OTHER + "\n")
    assert second.returncode == 0, second.stderr
    path = editors_file(project)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert "never commit" in text and SECRET not in text and OTHER not in text
    assert Registry.load(path).verify("Siti Rahma", SECRET)
    assert Registry.load(path).verify("Budi Santoso", OTHER)
    listed = run("editors", "list", cwd=project)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [
        "Siti Rahma",
        "Budi Santoso",
    ]
    assert "scrypt" not in listed.stdout + listed.stderr
    with_env = run("editors", "list", cwd=project, env_extra={"ARCHIVE_EDITOR_SECRET": OTHER})
    assert with_env.stdout.splitlines()[-1].startswith("editor\t")
    assert OTHER not in with_env.stdout + with_env.stderr

    again = run("editors", "add", "Siti Rahma", cwd=project, input=OTHER + "\n")
    assert again.returncode == 1 and "already exists" in again.stderr
    replaced = run("editors", "add", "Siti Rahma", "--replace", cwd=project, input=OTHER + "\n")
    assert replaced.returncode == 0, replaced.stderr
    assert Registry.load(path).verify("Siti Rahma", OTHER)

    removed = run("editors", "remove", "Siti Rahma", cwd=project)
    assert removed.returncode == 0, removed.stderr
    assert Registry.load(path).names() == ["Budi Santoso"]
    missing = run("editors", "remove", "Siti Rahma", cwd=project)
    assert missing.returncode == 1 and "no editor named 'Siti Rahma'" in missing.stderr
    # No temporary file is left behind, and nothing anywhere holds a secret in plain text.
    assert sorted(p.name for p in project.iterdir()) == ["cases", "editors.toml"]
    for written in project.rglob("*"):
        if written.is_file():
            data = written.read_bytes()
            assert SECRET.encode() not in data and OTHER.encode() not in data, written
    for result in (added, second, listed, again, replaced, removed, missing):
        assert SECRET not in result.stdout + result.stderr
        assert OTHER not in result.stdout + result.stderr


def test_cli_refuses_short_secret_and_bad_name_without_echo(project: Path):  # noqa: F811
    short = run("editors", "add", "Siti Rahma", cwd=project, input="tiny secret\n")
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    assert "tiny secret" not in short.stdout + short.stderr
    bad = run("editors", "add", "Siti_Rahma", cwd=project, input=SECRET + "\n")
    assert bad.returncode == 1 and "not allowed" in bad.stderr
    empty = run("editors", "add", "Siti Rahma", cwd=project, input="")
    assert empty.returncode == 2 and "no secret on stdin" in empty.stderr
    assert not editors_file(project).exists()


def test_cli_honours_editors_file_variable(project: Path, tmp_path: Path):  # noqa: F811
    elsewhere = tmp_path / "private" / "team.toml"
    elsewhere.parent.mkdir()
    env = {"ARCHIVE_EDITORS_FILE": str(elsewhere)}
    result = run("editors", "add", "Siti Rahma", cwd=project, input=SECRET + "\n", env_extra=env)
    assert result.returncode == 0, result.stderr
    assert Registry.load(elsewhere).names() == ["Siti Rahma"]
    assert not editors_file(project).exists()


def test_cli_damaged_file_names_file_and_line(project: Path):  # noqa: F811
    path = editors_file(project)
    path.write_text('[editors."Siti Rahma"]\nhash = \n')
    result = run("editors", "list", cwd=project)
    assert result.returncode == 1
    assert f"{path}:2: not valid TOML" in result.stderr
