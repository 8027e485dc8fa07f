"""Issue #7: concurrent writers, readers during rebuilds, damaged index files, crashes.

Real processes throughout: the installed 'archive' command, updates in a second Python
process, SIGKILL at arbitrary moments. No timing is asserted; a writer that waits is told
to wait long, one that must give up is told to give up soon.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from archive.index import current_generation, is_stale, update_index
from archive.loader import load_cases
from archive.search import SearchRequest, open_archive, update_archive

from .conftest import CASES

SCRIPT = Path(sys.executable).parent / "archive"
N_CASES = len(list(CASES.glob("*.md")) + list(CASES.glob("*.yaml")))


def archive_cmd(*args: str, index_dir: Path, cases_dir: Path) -> list[str]:
    base = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "archive.cli"]
    return [*base, "--cases-dir", str(cases_dir), "--index-dir", str(index_dir), *args]


def start(*args: str, index_dir: Path, cases_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        archive_cmd(*args, index_dir=index_dir, cases_dir=cases_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def full_cases(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CASES, tmp_path / "cases"))


def total(cases_dir: Path, index_dir: Path) -> int:
    archive = open_archive(cases_dir, index_dir, update="never")
    try:
        return archive.search(SearchRequest("")).total
    finally:
        archive.close()


# -- two writers ---------------------------------------------------------------------------


def two_index_runs(cases_dir: Path, index_dir: Path, lock_timeout: str) -> list[tuple]:
    """Two 'archive index' started together: (exit code, stdout, stderr) of each."""
    runs = [
        start("index", "--workers", "1", "--lock-timeout", lock_timeout, index_dir=index_dir,
              cases_dir=cases_dir)
        for _ in range(2)
    ]  # fmt: skip
    outputs = [p.communicate(timeout=600) for p in runs]  # no pipe can fill up and block
    return [(p.returncode, *out) for p, out in zip(runs, outputs, strict=True)]


def test_two_index_runs_at_once_one_gives_up_with_a_clear_message(full_cases, tmp_path):
    """Both start together on an empty index (a rebuild of every case through spaCy takes
    seconds); the one that does not get the lock waits half a second, then exits 75."""
    index_dir = tmp_path / "index"
    results = two_index_runs(full_cases, index_dir, lock_timeout="0.5")
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 75], results
    (_, _, refused) = next(r for r in results if r[0] == 75)
    assert f"error: the index at {index_dir} is locked by another writer (waited 0.5 s)" in refused
    assert "try again" in refused
    # The index the winner built is whole: every case, nothing left to do.
    assert total(full_cases, index_dir) == N_CASES
    assert not is_stale(full_cases, index_dir)
    again = subprocess.run(
        archive_cmd("index", index_dir=index_dir, cases_dir=full_cases),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0 and f"unchanged {N_CASES}" in again.stdout


def test_a_second_index_run_waits_for_the_first(full_cases, tmp_path):
    index_dir = tmp_path / "index"
    results = two_index_runs(full_cases, index_dir, lock_timeout="300")
    assert [code for code, _, _ in results] == [0, 0], results
    summaries = sorted(out.strip() for _, out, _ in results)
    # One built the index; the other waited, then found nothing to do.
    assert summaries[0].startswith("added 0, updated 0, removed 0, unchanged")
    assert summaries[1].startswith("rebuilt the index (no index yet)")
    assert total(full_cases, index_dir) == N_CASES


# -- readers while the index changes -------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from archive.index import update_index
    cases, index, rounds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    files = sorted(cases.glob("*.md"))
    for i in range(rounds):
        f = files[i % len(files)]
        f.write_text(f.read_text() + f"\\nAn added line, round zq{i}.\\n")
        update_index(cases, index, rebuild=i % 3 == 2, workers=1)
    """
)


def test_readers_keep_answering_while_the_index_is_updated_and_rebuilt(full_cases, tmp_path):
    """The app's Archive searches without pause while another process edits cases and runs
    incremental updates and full rebuilds: every answer is whole (old or new state)."""
    index_dir = tmp_path / "index"
    archive = open_archive(full_cases, index_dir)
    rounds = 6
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(full_cases), str(index_dir),
                               str(rounds)])  # fmt: skip
    queries = ["data breach", '"data breach"', "apol*", "kebocoran", "recall OR apology", ""]
    answers = 0
    try:
        while writer.poll() is None or answers == 0:
            for q in queries:
                response = archive.search(SearchRequest(q, per_page=5))
                assert archive.search(SearchRequest("")).total == N_CASES
                for hit in response.hits:
                    assert archive.get(hit.id).case.id == hit.id
                answers += 1
        assert writer.wait(timeout=600) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
    # After the last round the reader sees the newest state without being reopened.
    update_archive(archive, "never")
    assert archive.search(SearchRequest(f"zq{rounds - 1}")).total == 1
    archive.close()


# -- damage --------------------------------------------------------------------------------


def _first(gen: Path, pattern: str) -> Path:
    return sorted(gen.glob(pattern))[0]


DAMAGE = {
    "truncated segment": lambda g: _truncate(_first(g, "*.seg"), 0.5),
    "segment missing its last byte": lambda g: _truncate(_first(g, "*.seg"), -1),
    "deleted segment": lambda g: _first(g, "*.seg").unlink(),
    "deleted table of contents": lambda g: _first(g, "_MAIN_*.toc").unlink(),
    "truncated table of contents": lambda g: _truncate(_first(g, "_MAIN_*.toc"), 0.3),
    "truncated metadata": lambda g: _truncate(g / "meta.json", 0.5),
    "deleted metadata": lambda g: (g / "meta.json").unlink(),
    "truncated vocabulary": lambda g: _truncate(g / "vocabulary.json", 0.5),
    "deleted vocabulary": lambda g: (g / "vocabulary.json").unlink(),
    "deleted generation": lambda g: shutil.rmtree(g),
    "CURRENT names nothing": lambda g: (g.parent / "CURRENT").write_text("gen-999999\n"),
    "CURRENT deleted": lambda g: (g.parent / "CURRENT").unlink(),
}


def _truncate(path: Path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:-1] if keep < 0 else data[: int(len(data) * keep)])


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_index_is_detected_on_open_and_rebuilt(cases_dir, index_dir, damage: str):
    update_index(cases_dir, index_dir)
    DAMAGE[damage](current_generation(index_dir))
    archive = open_archive(cases_dir, index_dir, update="never")
    try:
        assert archive.last_report is not None and archive.last_report.rebuilt, damage
        assert archive.search(SearchRequest("")).total == 7
        assert archive.search(SearchRequest("kettles")).hits[0].id == "acme-2019-product-recall"
        assert archive.search(SearchRequest("ketles")).suggestion == "kettles"  # vocabulary
    finally:
        archive.close()
    assert not update_index(cases_dir, index_dir).changed  # whole again


# -- crashes -------------------------------------------------------------------------------


def _kill_when(proc: subprocess.Popen, ready, limit: float = 300) -> bool:
    """SIGKILL the process as soon as ``ready()``; False if it finished first."""
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.002)
    return False


def test_kill_9_in_the_middle_of_a_rebuild(full_cases, tmp_path):
    index_dir = tmp_path / "index"
    update_index(full_cases, index_dir)
    before = current_generation(index_dir)
    rebuild = start("index", "--rebuild", "--workers", "1", index_dir=index_dir,
                    cases_dir=full_cases)  # fmt: skip
    new_gen = index_dir / "gen-000002"
    # Killed once the new generation has files in it: mid-write.
    assert _kill_when(rebuild, lambda: new_gen.is_dir() and any(new_gen.iterdir()))
    assert current_generation(index_dir) == before  # readers still get the old index
    assert total(full_cases, index_dir) == N_CASES
    done = subprocess.run(
        archive_cmd("index", "--rebuild", index_dir=index_dir, cases_dir=full_cases),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert total(full_cases, index_dir) == N_CASES
    assert {d.name for d in index_dir.glob("gen-*")} == {"gen-000001", "gen-000002"}


def test_kill_9_at_many_moments_of_incremental_updates(full_cases, tmp_path):
    """Each round edits three cases and kills 'archive index' after a different delay (from
    'before it read anything' to 'after it finished'); the index must open every time,
    and a last run brings it fully up to date."""
    index_dir = tmp_path / "index"
    update_index(full_cases, index_dir)
    files = sorted(full_cases.glob("*.md"))
    for round_, delay in enumerate([0.2, 0.5, 0.8, 1.1, 1.4, 1.8, 2.5, 4.0]):
        for f in files[round_ * 3 : round_ * 3 + 3]:
            f.write_text(f.read_text() + f"\nEdited in round kq{round_}.\n")
        proc = start("index", "--workers", "1", index_dir=index_dir, cases_dir=full_cases)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert total(full_cases, index_dir) == N_CASES, round_  # opens: old or new state
    done = subprocess.run(archive_cmd("index", index_dir=index_dir, cases_dir=full_cases),
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    archive = open_archive(full_cases, index_dir, update="never")
    try:
        for round_ in range(8):
            assert archive.search(SearchRequest(f"kq{round_}")).total == 3, round_
    finally:
        archive.close()


SAVE_AND_DIE = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from archive import editor
    from archive.loader import content_hash
    cases, path = Path(sys.argv[1]), Path(sys.argv[2])
    text = path.read_text()
    def die(*args):  # the new text is written and fsynced; the rename never happens
        os.kill(os.getpid(), signal.SIGKILL)
    os.replace = die
    editor.save_edit(cases, path.stem, text.replace("kettles", "teapots"),
                     content_hash(path.read_bytes()))
    """
)


def test_a_crash_in_the_middle_of_a_save_leaves_the_old_file(cases_dir: Path):
    path = cases_dir / "acme-2019-product-recall.md"
    before = path.read_bytes()
    proc = subprocess.run([sys.executable, "-c", SAVE_AND_DIE, str(cases_dir), str(path)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert path.read_bytes() == before
    leftovers = [p.name for p in cases_dir.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith(".")  # hidden: never read as a case
    result = load_cases([cases_dir])
    assert result.problems == [] and len(result.cases) == 7
    # The next save of the same case goes through.
    from archive import editor
    from archive.loader import content_hash

    editor.save_edit(cases_dir, path.stem, before.decode().replace("kettles", "teapots"),
                     content_hash(before))  # fmt: skip
    assert "teapots" in path.read_text()
