"""Benchmark of the archive core on a synthetic archive made from the real cases.

Each real case is copied N/4 times under new ids with its narrative shuffled by sentence,
so the index holds N realistic documents. Figures are printed as a Markdown table, each
beside the baseline measured in the same run:

- full build with a cold entity cache  vs  the same build with entities cached
- incremental update with nothing changed, and with one case changed  vs  a full rebuild
- a new query (facets + snippets for the top 10)  vs  a filter or page change that reuses
  the text query's matches

Usage: .venv/bin/python scripts/benchmark.py --cases 400 --queries 200
(The 1k/10k/100k benchmark beside SQLite FTS5 is issue #6.)
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from archive.index import update_index
from archive.search import Archive, SearchRequest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_CASE_IDS = [
    "lux-accc-2012-unfair-sales",
    "robert-downey-jr-addiction-comeback",
    "snapchat-2013-username-phone-leak",
    "target-2013-card-data-breach",
]
WORDS = [
    "data",
    "breach",
    "apology",
    "kebocoran data",
    '"credit monitoring"',
    "rehabilitation",
    "Secret Service",
    "court appeal",
    "elderly women",
    "security OR privacy",
    "data NOT Gibson",
    "tactic:apology",
    "permintaan maaf",
    "comeback",
]
FILTERS = [
    {},
    {"outcome": ["recovered"]},
    {"tactics": ["apology", "legal-defense"]},
    {"countries": ["US"], "outcome": ["recovered", "not-recovered"]},
]


def make_corpus(n: int, dest: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    # The four source-article cases, so the corpus stays the same as cases/ grows.
    sources = [ROOT / "cases" / f"{name}.md" for name in SOURCE_CASE_IDS]
    dest.mkdir(parents=True)
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        old_id = src.stem
        new_id = f"{old_id}-copy-{i:05d}"
        sentences = body.replace("\n", " ").split(". ")
        rng.shuffle(sentences)
        front = front.replace(f"id: {old_id}", f"id: {new_id}")
        front = "\n".join(line for line in front.splitlines() if not line.startswith("related:"))
        year = rng.randint(1980, 2024)
        front = "\n".join(
            f"crisis_date: {year}" if line.startswith("crisis_date:") else line
            for line in front.splitlines()
        )
        (dest / f"{new_id}.md").write_text(
            f"---\n{front}\n---\n## Summary\n\n" + ". ".join(sentences) + "\n"
        )


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        cases, index = work / "cases", work / "index"
        make_corpus(args.cases, cases)
        cold, t_cold = timed(lambda: update_index(cases, index, rebuild=True))
        warm, t_warm = timed(lambda: update_index(cases, index, rebuild=True))
        noop, t_noop = timed(lambda: update_index(cases, index))
        victim = sorted(cases.iterdir())[0]
        victim.write_text(victim.read_text().replace("## Summary", "## Summary\n\nEdited.", 1))
        one, t_one = timed(lambda: update_index(cases, index))
        size = sum(f.stat().st_size for f in index.rglob("*") if f.is_file())

        archive = Archive.open(cases, index, update="never")
        rng = random.Random(11)
        mix = [
            SearchRequest(rng.choice(WORDS), filters=rng.choice(FILTERS), per_page=10)
            for _ in range(args.queries)
        ]
        new_query, refine, paging = [], [], []
        for request in mix:
            snap = archive._snapshot()
            snap.matches.clear()  # a new query: no matches or snippets to reuse
            snap.snippets.clear()
            _, t = timed(lambda r=request: archive.search(r))
            new_query.append(t)
            changed = SearchRequest(request.query, filters={"sector": ["retail"]}, per_page=10)
            _, t = timed(lambda r=changed: archive.search(r))
            refine.append(t)
            second = SearchRequest(request.query, filters=request.filters, page=2, per_page=10)
            _, t = timed(lambda r=second: archive.search(r))
            paging.append(t)
        archive.close()

        print(
            f"Synthetic archive: {args.cases} cases; {args.queries} queries; index {size / 1e6:.1f} MB\n"
        )
        print("| measure | figure | baseline (same run) |")
        print("|---|---|---|")
        print(
            f"| full build, entities cached | {t_warm:.2f} s (parsed {warm.parsed}) "
            f"| full build, cold cache: {t_cold:.2f} s (parsed {cold.parsed}) |"
        )
        print(
            f"| incremental, nothing changed | {t_noop:.3f} s (read {noop.files_read} files) | full build {t_warm:.2f} s |"
        )
        print(
            f"| incremental, one case changed | {t_one:.3f} s (parsed {one.parsed}) | full build {t_warm:.2f} s |"
        )
        p50, p95 = percentiles(new_query)
        r50, r95 = percentiles(refine)
        g50, g95 = percentiles(paging)
        base = f"new query: {p50:.1f} / {p95:.1f} ms"
        print(f"| filter change, p50 / p95 | {r50:.1f} / {r95:.1f} ms | {base} |")
        print(f"| next page, p50 / p95 | {g50:.1f} / {g95:.1f} ms | {base} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
