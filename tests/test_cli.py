"""The command line through its real entry point (the installed 'archive' script)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archive.loader import load_cases

from .conftest import CASES, FIXTURES, ROOT, SOURCE_CASES, copy_cases

SCRIPT = Path(sys.executable).parent / "archive"


def run(*args: str, cwd: Path, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    cmd = (
        [str(SCRIPT)]
        if SCRIPT.exists()
        else [sys.executable, "-c", "from archive.cli import main; main()"]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
    env.update(env_extra or {})
    return subprocess.run(
        [*cmd, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the source-article cases."""
    copy_cases(*SOURCE_CASES, dest=tmp_path / "cases")
    return tmp_path


@pytest.fixture
def full_project(tmp_path: Path) -> Path:
    """A project folder with every real case, as after a fresh clone."""
    shutil.copytree(CASES, tmp_path / "cases")
    return tmp_path


def test_validate_real_cases_exits_0(full_project: Path):
    result = run("validate", "cases/", "--strict", cwd=full_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stderr


def test_validate_bad_files_exits_1_with_path_line_field(project: Path):
    result = run("validate", str(FIXTURES / "bad"), cwd=project)
    assert result.returncode == 1
    assert (
        f"{FIXTURES / 'bad' / 'unknown-tactic.md'}:9: tactics[1]: unknown tactic 'apolgy': did you mean apology?"
        in result.stdout
    )


def test_validating_one_file_checks_its_related_links_against_its_folder(
    full_project: Path, tmp_path: Path
):
    one = "cases/sharapova-2016-meldonium-ban.md"
    assert "related:" in (full_project / one).read_text(encoding="utf-8")
    result = run("validate", one, "--strict", cwd=full_project)
    assert result.returncode == 0, result.stdout + result.stderr
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy2(full_project / one, alone)
    result = run("validate", str(alone / Path(one).name), "--strict", cwd=alone)
    assert result.returncode == 1 and "related[0]: warning: no case with id" in result.stdout


def test_strict_fails_on_warnings(project: Path):
    target = str(FIXTURES / "bad" / "unknown-key.md")
    assert run("validate", target, cwd=project).returncode == 0
    strict = run("validate", target, "--strict", cwd=project)
    assert strict.returncode == 1 and "unknown key" in strict.stdout


def test_usage_errors_exit_2(project: Path):
    assert run("search", "--sort", "sideways", "x", cwd=project).returncode == 2
    assert run("validate", "no/such/folder", cwd=project).returncode == 2
    assert run("no-such-command", cwd=project).returncode == 2


def test_index_search_show_stats_end_to_end(project: Path):
    first = run("index", cwd=project)
    assert first.returncode == 0, first.stderr
    assert "added 4" in first.stdout and "parsed 4 narratives" in first.stdout
    second = run("index", cwd=project)
    assert (
        "added 0, updated 0, removed 0" in second.stdout and "parsed 0 narratives" in second.stdout
    )

    data = json.loads(run("search", "kebocoran data", "--json", cwd=project).stdout)
    found = [h["id"] for h in data["hits"]]
    assert {"target-2013-card-data-breach", "snapchat-2013-username-phone-leak"} <= set(found)
    assert data["hits"][0]["snippets"][0]["matches"]

    human = run("search", "Secret Service", cwd=project)
    assert human.returncode == 0
    first_hit = human.stdout.split("\n  1. ", 1)[1]
    assert "target-2013-card-data-breach" in first_hit.splitlines()[1]

    filtered = json.loads(
        run(
            "search", "data", "--outcome", "recovered", "--country", "us", "--json", cwd=project
        ).stdout
    )
    assert filtered["filters"] == {"outcome": ["recovered"], "countries": ["US"]}
    assert filtered["total"] >= 1

    show = run("show", "lux-accc-2012-unfair-sales", cwd=project)
    assert show.returncode == 0 and "Australian Competition and Consumer Commission" in show.stdout
    shown = json.loads(run("show", "target-2013-card-data-breach", "--json", cwd=project).stdout)
    assert shown["id"] == "target-2013-card-data-breach" and shown["similar"]

    missing = run("show", "target-2013", cwd=project)
    assert missing.returncode == 1 and "no case with id 'target-2013'" in missing.stderr

    stats = run("stats", cwd=project)
    assert stats.returncode == 0 and "4 cases" in stats.stdout and "unused tactics:" in stats.stdout


def test_malformed_case_is_reported_and_the_rest_indexed(project: Path):
    shutil.copy(FIXTURES / "bad" / "unknown-tactic.md", project / "cases" / "unknown-tactic.md")
    result = run("index", cwd=project)
    assert result.returncode == 1
    assert "unknown-tactic.md:9: tactics[1]" in result.stderr
    assert "4 cases indexed" in result.stdout


def test_search_picks_up_a_changed_file_without_archive_index(project: Path):
    run("index", cwd=project)
    lux = project / "cases" / "lux-accc-2012-unfair-sales.md"
    lux.write_text(lux.read_text().replace("## Summary", "## Summary\n\nZyxwv marker word.", 1))
    result = run("search", "zyxwv", cwd=project)
    assert "lux-accc-2012-unfair-sales" in result.stdout
    assert "index updated first" in result.stderr


def test_index_dir_option_and_env(project: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    assert run("--index-dir", str(elsewhere), "index", cwd=project).returncode == 0
    assert (elsewhere / "CURRENT").exists()
    env_dir = tmp_path / "from-env"
    result = run("index", cwd=project, env_extra={"ARCHIVE_INDEX_DIR": str(env_dir)})
    assert result.returncode == 0 and (env_dir / "CURRENT").exists()
    assert not (project / ".archive").exists()


def test_schema_check(project: Path):
    shutil.copytree(ROOT / "schema", project / "schema")
    assert run("schema", "--check", cwd=project).returncode == 0
    (project / "schema" / "case.schema.json").write_text("{}")
    assert run("schema", "--check", cwd=project).returncode == 1


def test_acceptance_searches_on_the_whole_archive(full_project: Path):
    assert run("index", cwd=full_project).returncode == 0
    data = json.loads(
        run("search", "kebocoran data", "--json", "--limit", "50", cwd=full_project).stdout
    )
    assert {"target-2013-card-data-breach", "snapchat-2013-username-phone-leak"} <= {
        h["id"] for h in data["hits"]
    }
    top = json.loads(run("search", "Secret Service", "--json", cwd=full_project).stdout)["hits"][0]
    assert top["id"] == "target-2013-card-data-breach"
    again = run("index", cwd=full_project)
    assert "parsed 0 narratives" in again.stdout


def test_new_scaffolds_a_case_and_refuses_an_existing_id(tmp_path: Path):
    args = ["new", "--title", "Acme recalls its kettles", "--subject", "Acme Appliances", "--kind",
            "organization", "--crisis-date", "2019-03", "--crisis-type", "product-safety", "--tactic", "recall"]  # fmt: skip
    first = run(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    path = tmp_path / "cases" / "acme-appliances-2019-product-safety.md"
    assert f"wrote {path}" in first.stdout and "placeholder left in" in first.stderr
    assert run("validate", str(path), cwd=tmp_path).returncode == 0  # placeholders only warn
    assert run("validate", str(path), "--strict", cwd=tmp_path).returncode == 1
    again = run(*args, "--id", "acme-appliances-2019-product-safety", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr
    suggested = run(*args, cwd=tmp_path)  # without --id: the next free id
    assert "acme-appliances-2019-product-safety-2.md" in suggested.stdout
    assert run(*args, "--tactic", "apolgy", cwd=tmp_path).stderr.count("did you mean apology?") == 1
    assert run(*args, "--id", "../escape", cwd=tmp_path).returncode == 2
    assert run("new", "--title", "Only a title", cwd=tmp_path).returncode == 2  # no terminal to ask


def test_compare_cite_and_export_brief(project: Path):
    """Issue #8 from the command line: compare, cite, and the brief in all three formats."""
    ids = ["target-2013-card-data-breach", "snapchat-2013-username-phone-leak",
           "lux-accc-2012-unfair-sales"]  # fmt: skip
    compared = run("compare", *ids, "--json", cwd=project)
    assert compared.returncode == 0, compared.stderr
    data = json.loads(compared.stdout)
    assert data["table"][0]["cells"][1].startswith("Snapchat")
    assert {row["id"] for row in data["timeline"]} == set(ids)
    one = run("compare", ids[0], cwd=project)
    assert one.returncode == 1 and "compare 2 to 4 cases at a time; got 1" in one.stderr

    bib = run("cite", ids[1], "--style", "bibtex", cwd=project)
    (snapchat,) = load_cases([project / "cases" / f"{ids[1]}.md"]).cases
    assert bib.returncode == 0
    assert bib.stdout.count("@misc{") == 1 + len(snapchat.case.sources)  # case and sources
    apa = run("cite", ids[1], "--style", "apa", cwd=project)
    assert apa.stdout.startswith("Comeback Case Archive. (")
    assert "Find Friends Abuse. (2014, January 2). Snapchat (company blog)." in apa.stdout

    for fmt in ("md", "pptx", "docx"):
        done = run("export", "brief", *ids, "--format", fmt, cwd=project)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"wrote brief.{fmt} (3 cases")
        assert (project / f"brief.{fmt}").stat().st_size > 1000
    printed = run("export", "brief", ids[2], "-o", "-", cwd=project)
    assert printed.stdout.startswith("# Precedent brief") and "Lux" in printed.stdout
    missing = run("export", "brief", "no-such-case", cwd=project)
    assert missing.returncode == 1 and "no-such-case" in missing.stderr


def test_search_runs_a_misspelt_query_corrected_unless_exact(project: Path):
    """``archive search`` runs the corrected spelling and says so (``corrected`` in JSON);
    ``--exact`` searches the words as typed."""
    fixed = run("search", "Steinhafle", "--json", cwd=project)
    assert fixed.returncode == 0, fixed.stderr
    data = json.loads(fixed.stdout)
    assert data["query"] == "Steinhafle" and data["corrected"] == "steinhafel"
    assert "target-2013-card-data-breach" in [h["id"] for h in data["hits"]]
    text = run("search", "Steinhafle", cwd=project).stdout
    assert "showing results for: steinhafel (search instead for 'Steinhafle' with --exact)" in text
    exact = json.loads(run("search", "Steinhafle", "--exact", "--json", cwd=project).stdout)
    assert exact["total"] == 0 and exact["corrected"] is None
    assert exact["suggestion"] == "steinhafel"


def test_search_lists_near_matches_after_full_ones_naming_the_missing_word(project: Path):
    """Issue #19: one word of several missing still finds the case, marked and counted."""
    query = ("search", "holiday card breach zzqxv", "--exact")
    data = json.loads(run(*query, "--json", cwd=project).stdout)
    assert data["total"] == data["near"] >= 1
    assert data["hits"][0]["missing"] == ["zzqxv"]
    text = run(*query, cwd=project).stdout
    assert f"{data['total']} case(s) ({data['near']} lacking one of the words)" in text
    assert "(lacks: zzqxv)" in text
