"""One rule for where the cases and the index are, shared by the command line and the app."""

from __future__ import annotations

import json
from pathlib import Path

from archive.locations import locate
from archive.search import open_archive
from archive.ui import state

from .conftest import SOURCE_CASES, copy_cases
from .test_cli import run


def test_given_folders_beat_the_environment_which_beats_the_current_folder(tmp_path: Path):
    (tmp_path / "cases").mkdir()
    env = {"ARCHIVE_CASES_DIR": "/env/cases", "ARCHIVE_INDEX_DIR": "/env/ix"}
    assert locate("a/cases", "b/ix", cwd=tmp_path, environ=env) == locate(
        Path("a/cases"), Path("b/ix"), cwd=tmp_path, environ={}
    )
    found = locate(cwd=tmp_path, environ=env)
    assert (found.cases, found.index) == (Path("/env/cases"), Path("/env/ix"))
    here = locate(cwd=tmp_path, environ={})
    assert (here.cases, here.index) == (tmp_path / "cases", tmp_path / ".archive")


def test_the_index_sits_beside_the_cases_and_nothing_falls_back_elsewhere(tmp_path: Path):
    assert locate("x/y/cases", environ={}).index == Path("x/y/.archive")
    assert locate("x/y/cases", environ={"ARCHIVE_INDEX_DIR": "ix"}).index == Path("ix")
    nowhere = locate(cwd=tmp_path, environ={})  # no cases/ here: it is named, not replaced
    assert nowhere.cases == tmp_path / "cases" and not nowhere.cases.exists()
    result = run("stats", cwd=tmp_path, env_extra={})
    assert result.returncode == 2 and "cases: no such folder of case files" in result.stderr


def test_the_command_line_and_the_app_open_the_same_folders(tmp_path: Path, monkeypatch):
    copy_cases(*SOURCE_CASES, dest=tmp_path / "cases")
    for name in ("ARCHIVE_CASES_DIR", "ARCHIVE_INDEX_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    assert state.data_dirs() == (tmp_path / "cases", tmp_path / ".archive")
    result = run("stats", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["cases"] == len(SOURCE_CASES)
    assert (tmp_path / ".archive" / "CURRENT").is_file()  # built beside the cases
    archive = open_archive()
    try:
        assert archive.cases_dir == tmp_path / "cases"
        assert archive.coverage().total == len(SOURCE_CASES)
        assert archive.last_report is None  # the CLI's index was up to date: nothing rebuilt
    finally:
        archive.close()
