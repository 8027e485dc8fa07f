"""The benchmark script runs end to end on a tiny archive and reports every figure.

Only that it works and what it prints are checked: timings are never asserted (machines
are noisy); the figures themselves are in BENCHMARKS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_benchmark_reports_both_engines_and_the_ratios(tmp_path: Path):
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "benchmark.py"),
            "--n",
            "40",
            "--queries",
            "12",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(out),
            "--engine",
            "whoosh",
            "tantivy",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| 40 | Whoosh (archive) |" in result.stdout
    assert "| 40 | SQLite FTS5 |" in result.stdout
    assert "| 40 | ratio Whoosh / FTS5 |" in result.stdout
    assert "| 40 | tantivy (archive) |" in result.stdout
    assert "| 40 | ratio tantivy / Whoosh |" in result.stdout
    figures = json.loads(out.read_text())["40"]
    assert figures["build"]["cold"]["parsed"] > 0  # the statistical model really ran
    assert figures["build"]["cached"]["parsed"] == 0  # and the cached build did not need it
    assert figures["build"]["one_changed"]["updated"] == 1
    # Both engines answered the same queries, most with the same number of matches.
    whoosh, fts = figures["whoosh"]["totals"], figures["fts"]["totals"]
    assert len(whoosh) == len(fts) == 12 and sum(whoosh) > 0
    assert sum(a == b for a, b in zip(whoosh, fts, strict=True)) >= 8
    # tantivy started from Whoosh's entity cache and found what Whoosh found.
    assert "cold" not in figures["tantivy_build"]
    assert figures["tantivy_build"]["cached"]["parsed"] == 0
    assert figures["tantivy_build"]["one_changed"]["updated"] == 1
    assert figures["tantivy"]["totals"] == whoosh


def test_draft_benchmark_reports_drafts_beside_the_keyword_baseline(tmp_path: Path):
    out = tmp_path / "draft.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark_draft.py"), "--only",
         "tokopedia-2020-kebocoran-data", "--runs", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| crisis type top-1 accuracy |" in result.stdout
    assert "each further draft: median" in result.stdout
    figures = json.loads(out.read_text())
    assert figures["quality"]["combined"]["cases"] == 1
    assert figures["quality"]["keywords"]["cases"] == 1
    assert figures["speed"]["words"] > 1400  # the 1,500-word fixture article


def test_cli_benchmark_reports_the_commands_beside_the_floor(tmp_path: Path):
    from .conftest import SOURCE_CASES, copy_cases

    cases = copy_cases(*SOURCE_CASES, dest=tmp_path / "cases")
    out = tmp_path / "cli.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark_cli.py"), "--cases", str(cases),
         "--runs", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| python, import spacy |" in result.stdout
    figures = json.loads(out.read_text())
    assert any(k.endswith("archive search apology") for k in figures)
    assert all(f["median_s"] > 0 for f in figures.values())
