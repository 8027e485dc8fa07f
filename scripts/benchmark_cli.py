"""How long the command line takes, process start included: `archive --help`, `archive
search apology` and `archive index` with nothing to do, on a folder of cases whose index is
built, beside the floor of the same run (a Python process that does nothing, and one that
only imports spaCy: what a command that finds no entity should not pay).

Each command runs ``--runs`` times; the median and the fastest are printed. ``--archive``
may be given several times (other checkouts' `archive` commands, e.g. a commit before a
change) to measure them in the same run.

    .venv/bin/python scripts/benchmark_cli.py --cases cases --limit 25 --runs 7
    .venv/bin/python scripts/benchmark_cli.py --archive /tmp/before/.venv/bin/archive --archive .venv/bin/archive
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = (["--help"], ["search", "apology"], ["index"])  # index: nothing changed since


def timed_runs(cmd: list[str], cwd: Path, runs: int) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-800:]}")
    return {"median_s": statistics.median(times), "min_s": min(times)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cases", type=Path, default=ROOT / "cases")
    ap.add_argument("--archive", action="append", type=Path,
                    help="an `archive` command to measure (repeatable; default: this one)")  # fmt: skip
    ap.add_argument("--limit", type=int, help="only the first N case files (by name)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    binaries = [b.absolute() for b in args.archive or [Path(sys.executable).parent / "archive"]]
    work = Path(tempfile.mkdtemp(prefix="archive-cli-"))
    try:
        files = sorted(p for p in args.cases.iterdir() if p.suffix in (".md", ".yaml"))
        files = files[: args.limit] if args.limit else files
        (work / "cases").mkdir()
        for path in files:
            shutil.copy2(path, work / "cases" / path.name)
        figures: dict[str, dict] = {
            "python, nothing": timed_runs([sys.executable, "-c", "pass"], work, args.runs),
            "python, import spacy": timed_runs(
                [sys.executable, "-c", "import spacy"], work, args.runs
            ),
        }
        for binary in binaries:
            subprocess.run([str(binary), "index"], cwd=work, capture_output=True, check=True)
            for command in COMMANDS:
                label = f"{binary}: archive {' '.join(command)}"
                figures[label] = timed_runs([str(binary), *command], work, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(files)} cases, {args.runs} runs each, process start included")
    print("| command | median | fastest |\n|---|---|---|")
    for label, f in figures.items():
        print(f"| {label} | {f['median_s']:.2f} s | {f['min_s']:.2f} s |")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
