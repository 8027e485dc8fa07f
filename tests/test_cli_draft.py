"""'archive draft' through the installed command: files and standard input, never the web."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from archive.loader import load_cases

from .conftest import FIXTURES
from .test_cli import SCRIPT, project  # noqa: F401  (the fixture)
from .test_cli import run as run_cli

INTAKE = FIXTURES / "intake"


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_draft_writes_a_new_case_and_reports_the_failed_source(project: Path):  # noqa: F811
    before = listing(project / "cases")
    result = run_cli(
        "draft", str(INTAKE / "en-target-breach.html"), str(INTAKE / "en-snapchat-leak.txt"),
        str(INTAKE / "report.pdf"), cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"error: {INTAKE / 'report.pdf'}: is a PDF document" in result.stderr
    (new,) = set(listing(project / "cases")) - set(before)
    assert result.stdout.strip() == f"wrote {(project / 'cases' / new).resolve()}"
    assert "possible duplicate: target-2013-card-data-breach" in result.stderr
    loaded = load_cases([project / "cases" / new])
    assert loaded.cases and not loaded.errors  # only placeholders to fill
    assert all("TODO" in p.message or "placeholder" in p.message for p in loaded.warnings)
    case = loaded.cases[0].case
    assert case.status == "draft" and len(case.sources) == 2
    assert "data-breach" in case.crisis_types
    # Nothing else changed, and a second run with the same id never overwrites.
    assert {k: v for k, v in listing(project / "cases").items() if k != new} == before
    again = run_cli("draft", str(INTAKE / "en-snapchat-leak.txt"), "--id", Path(new).stem,
                    cwd=project)  # fmt: skip
    assert again.returncode == 1 and "already exists and is never overwritten" in again.stderr
    assert (project / "cases" / new).read_bytes() == loaded.cases[0].path.read_bytes()


def test_no_usable_source_writes_nothing(project: Path):  # noqa: F811
    before = listing(project / "cases")
    result = run_cli(
        "draft", str(INTAKE / "fr-page.html"), str(INTAKE / "empty.html"),
        str(INTAKE / "photo.png"), "https://127.0.0.1:9/none.html", "--timeout", "2",
        cwd=project,
    )  # fmt: skip
    assert result.returncode == 1
    assert "the text is in French" in result.stderr
    assert "article text found" in result.stderr
    assert "is a PNG image" in result.stderr
    assert "https://127.0.0.1:9/none.html: cannot connect" in result.stderr
    assert "no usable source: nothing was written" in result.stderr
    assert listing(project / "cases") == before


def test_json_from_standard_input(project: Path):  # noqa: F811
    before = listing(project / "cases")
    cmd = [str(SCRIPT), "draft", "-", "--json"]
    result = subprocess.run(
        cmd, cwd=project, input=(INTAKE / "no-dates.txt").read_text(), capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data["suggestions"]) == {
        "crisis_types", "tactics", "sector", "countries", "subject_kind", "responsibility"
    }  # fmt: skip
    assert data["timeline"] == [] and data["case"]["status"] == "draft"
    assert data["sources"][0]["source"] == "-"
    assert "note: no dated sentence in the sources" in result.stderr
    assert listing(project / "cases") == before  # --json writes no case file
