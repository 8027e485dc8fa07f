"""Benchmark of 'archive draft': how good the suggestions are, and how long a draft takes.

Quality, leave-one-out over the archive's cases (archive.intake.evaluate): each case is
drafted from its narrative and its sources' titles and quotes by a drafter built without it
(its names not in the entity ruler, the model never trained on it). Figures for the drafts
(keywords combined with the learned model) beside the keyword-only baseline of the same run:
crisis-type top-1 accuracy, tactics above the default threshold (precision, recall), the
case's curated entities found (all of them, and those the input mentions), dated timeline
events recovered (same month).

Speed: a 1,500-word article (tests/fixtures/intake/en-target-breach.html) drafted from the
file, end to end (read, extract, entities, dates, suggestions, the case file), after the
first draft has loaded the models; the first draft and the model's training are reported
apart. Wall time on this machine; CPU time beside it.

Usage:
    .venv/bin/python scripts/benchmark_draft.py [--cases cases] [--runs 10] [--json docs/benchmark-draft.json]
    .venv/bin/python scripts/benchmark_draft.py --only target-2013-card-data-breach --runs 2
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.intake.draft import drafter_for  # noqa: E402
from archive.intake.evaluate import leave_one_out  # noqa: E402
from archive.intake.extract import read_articles  # noqa: E402
from archive.loader import load_cases  # noqa: E402

ARTICLE = ROOT / "tests" / "fixtures" / "intake" / "en-target-breach.html"
KEYS = [
    ("crisis_top1", "crisis type top-1 accuracy", ">= 0.8"),
    ("tactics_precision", "tactics precision (above the default threshold)", ">= 0.7"),
    ("tactics_recall", "tactics recall", ">= 0.7"),
    ("tactics_f1", "tactics F1", ""),
    ("entities_found", "curated entities found (all)", ">= 0.9"),
    ("entities_mentioned_found", "curated entities found (those the input mentions)", ""),
    ("timeline_month", "dated timeline events recovered (same month)", ">= 0.7"),
]


def quality(cases, only) -> dict:
    report = leave_one_out(cases, only=only or None)
    return {
        "combined": report.combined,
        "keywords": report.keywords,
        "seconds": round(report.seconds, 1),
        "per_case": report.per_case,
    }


def speed(cases, runs: int) -> dict:
    cpu0, t0 = time.process_time(), time.perf_counter()
    drafter = drafter_for(cases, None)
    train_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    articles, problems = read_articles([str(ARTICLE)])
    assert articles and not problems, problems
    drafter.draft(articles).to_text()
    first_s = time.perf_counter() - t1
    walls, cpus = [], []
    for _ in range(runs):
        c, w = time.process_time(), time.perf_counter()
        articles, _ = read_articles([str(ARTICLE)])
        drafter.draft(articles).to_text()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return {
        "words": articles[0].words,
        "train_and_load_s": round(train_s, 2),
        "first_draft_s": round(first_s, 2),
        "draft_median_s": round(statistics.median(walls), 3),
        "draft_max_s": round(max(walls), 3),
        "draft_cpu_median_s": round(statistics.median(cpus), 3),
        "runs": runs,
        "process_cpu_s": round(time.process_time() - cpu0, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=ROOT / "cases")
    parser.add_argument("--only", nargs="*", default=[], help="Case ids to leave out in turn.")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args()
    cases = [lc.case for lc in load_cases([args.cases]).cases]
    # Speed first, in a fresh process, so that the first draft pays for loading the models.
    measured = speed(cases, args.runs)
    figures = {
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "cases": len(cases),
        "quality": quality(cases, args.only),
        "speed": measured,
    }
    q = figures["quality"]
    print(f"Leave-one-out over {q['combined']['cases']} of {len(cases)} cases ({q['seconds']} s)\n")
    print("| figure | drafts (keywords + learned model) | keyword-only baseline | target |")
    print("|---|---|---|---|")
    for key, label, target in KEYS:
        print(f"| {label} | {q['combined'][key]:.3f} | {q['keywords'][key]:.3f} | {target} |")
    s = figures["speed"]
    print(f"\nDrafting a {s['words']}-word article ({s['runs']} runs after the first):")
    print(f"- learning the model from {len(cases)} cases and loading the drafter: "
          f"{s['train_and_load_s']} s")  # fmt: skip
    print(f"- first draft (loads spaCy, lingua, dateparser): {s['first_draft_s']} s")
    print(f"- each further draft: median {s['draft_median_s']} s, slowest {s['draft_max_s']} s "
          f"(CPU median {s['draft_cpu_median_s']} s); target < 3 s")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
