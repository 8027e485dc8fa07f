"""Benchmark of case history in git: a case with 200 versions in an archive of 10,000 cases.

A git repository is made in a work directory with the seeded synthetic corpus of
``generate_corpus.py`` (one commit), then one case is edited and saved 200 times, each
save committed by ``archive.history.commit_case`` as the app does (two editors taking
turns). Then, each measured several times:

- ``history()``: the case's versions (``git log --follow``, renames followed);
- the diff of its first and last versions (two ``git show`` and ``diff_texts``);
- the case page as the app renders it with its History section (AppTest, server side:
  the script run, history, diff and everything else on the page), beside the same page
  for the same case with the repository moved aside (no History section): the baseline of
  the same run.

Usage:
    .venv/bin/python scripts/benchmark_history.py --cases 10000 --versions 200 --workdir /tmp/hist
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from archive.editor import save_edit  # noqa: E402
from archive.history import commit_case, diff_texts, history, text_at  # noqa: E402
from archive.index import update_index  # noqa: E402
from archive.loader import content_hash  # noqa: E402


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def make_repo(work: Path, n: int, versions: int) -> tuple[Path, str]:
    from generate_corpus import generate

    root = work / "repo"
    if root.exists():
        shutil.rmtree(root)
    files = generate(root / "cases", n)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Benchmark")
    git(root, "config", "user.email", "bench@example.org")
    (root / ".gitignore").write_text(".archive/\naudit.log\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", f"{n} generated cases")
    path = files[0]
    case_id = path.stem
    started = time.perf_counter()
    for i in range(versions - 1):  # the first commit is version 1
        text = path.read_text(encoding="utf-8")
        text = text.replace("\n## ", f"\n\nEdit number {i + 1} adds this paragraph.\n\n## ", 1)
        editor = ("Siti Rahma", "Budi Santoso")[i % 2]
        saved = save_edit(root / "cases", case_id, text, content_hash(path.read_bytes()), editor)
        committed = commit_case(root / "cases", saved.path, "edited", case_id, f"edit {i + 1}",
                                editor)  # fmt: skip
        assert committed.ok, committed.reason
    print(f"{versions - 1} saves committed in {time.perf_counter() - started:.1f} s", flush=True)
    return root, case_id


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def page_runs(cases: Path, index: Path, case_id: str, runs: int) -> list[float]:
    """Server time of the case page, a fresh AppTest (new session, empty caches) each time."""
    from streamlit.testing.v1 import AppTest

    os.environ["ARCHIVE_CASES_DIR"], os.environ["ARCHIVE_INDEX_DIR"] = str(cases), str(index)
    from archive.ui import state
    from tests.test_app import _page_script

    out = []
    for _ in range(runs + 1):
        import streamlit as st

        st.cache_data.clear()
        at = AppTest.from_function(_page_script, args=("CASE",), default_timeout=300)
        at.query_params["id"] = case_id
        t = time.perf_counter()
        at.run()
        out.append(time.perf_counter() - t)
        assert not at.exception, at.exception
    state._open.clear()
    return out[1:]  # the first run opens the archive (once per process in the app)


def summary(values: list[float]) -> dict:
    return {"median_s": round(statistics.median(values), 3), "max_s": round(max(values), 3),
            "runs": len(values)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-history"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    root, case_id = make_repo(args.workdir, args.cases, args.versions)
    versions = history(root / "cases", case_id)
    assert len(versions) == args.versions, len(versions)
    first, last = versions[-1], versions[0]

    def diff_first_last():
        diff_texts(text_at(root / "cases", first), text_at(root / "cases", last))

    figures = {
        "cases": args.cases,
        "versions": len(versions),
        "history": summary(timed(lambda: history(root / "cases", case_id), args.runs)),
        "diff_first_last": summary(timed(diff_first_last, args.runs)),
    }
    t = time.perf_counter()
    update_index(root / "cases", root / ".archive")
    print(f"index built in {time.perf_counter() - t:.1f} s", flush=True)
    figures["page_with_history"] = summary(page_runs(root / "cases", root / ".archive",
                                                     case_id, args.runs))  # fmt: skip
    (root / ".git").rename(root / ".git-aside")  # the same files and index, outside git
    try:
        figures["page_outside_git"] = summary(page_runs(root / "cases", root / ".archive",
                                                        case_id, args.runs))  # fmt: skip
    finally:
        (root / ".git-aside").rename(root / ".git")
    print(f"\n{figures['cases']} cases, a case with {figures['versions']} versions:\n")
    print("| measure | median | slowest |")
    print("|---|---|---|")
    for key, label in (
        ("history", f"history(): the {figures['versions']} versions"),
        ("diff_first_last", "diff of the first and last versions"),
        ("page_with_history", "case page with its History (server, new session)"),
        ("page_outside_git", "baseline: the same page outside git (no History)"),
    ):
        f = figures[key]
        print(f"| {label} | {f['median_s'] * 1000:.0f} ms | {f['max_s'] * 1000:.0f} ms |")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
