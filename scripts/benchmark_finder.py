"""How well the precedent finder and search find what a PR professional would cite.

Two judgment sets, written by reading the cases before any ranking existed:

- ``tests/judgments/precedents.yaml``: situations as a consultant describes them, some
  with structured fields, and the cases they would cite. Measured: the finder (words and
  fields), the finder on the words alone, and plain ``archive search`` over the same text
  (AND of the words, near matches and spelling correction as the command line runs it).
- ``tests/judgments/cross_language.yaml``: queries in one language whose answer is a case
  written in the other. Measured: ``archive search`` with the bilingual vocabulary, and
  without it (an index built with no pairs, in the same run).

Figures: MRR (the mean of 1 / the rank of the first case cited; 0 when none is found) and
recall@10 (the share of the cases cited found in the first 10). ``--tune`` searches a grid
of the finder's weights on half the situations (even positions) and reports the best on
the other half too, so the gain is not only a fit to the set.

    .venv/bin/python scripts/benchmark_finder.py
    .venv/bin/python scripts/benchmark_finder.py --tune --out docs/benchmark-finder.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = ROOT / "tests" / "judgments"
GRID = {
    "text": (0.5, 1.0, 2.0),
    "crisis_type": (0.5, 1.0, 2.0),
    "sector": (0.25, 0.5, 1.0),
    "country": (0.25, 0.5, 1.0),
    "subject_kind": (0.0, 0.25, 0.5),
    "responsibility": (0.0, 0.25, 0.5),
}


def metrics(runs: list[tuple[list[str], list[str]]]) -> dict[str, float]:
    """MRR and recall@10 of (ranked ids, relevant ids) pairs."""
    rr, recall = [], []
    for ranked, relevant in runs:
        first = next((n for n, i in enumerate(ranked, 1) if i in relevant), None)
        rr.append(1 / first if first else 0.0)
        recall.append(len(set(ranked[:10]) & set(relevant)) / len(relevant))
    n = max(1, len(runs))
    return {"mrr": round(sum(rr) / n, 3), "recall_at_10": round(sum(recall) / n, 3), "n": len(runs)}


def situations() -> list[dict]:
    return yaml.safe_load((JUDGMENTS / "precedents.yaml").read_text(encoding="utf-8"))["situations"]


def situation_of(item: dict, with_fields: bool = True):
    from archive.finder import Situation

    return Situation(item["text"], **(item.get("fields") or {} if with_fields else {}))


def searched(archive, text: str) -> list[str]:
    from archive.search import SearchRequest

    return [h.id for h in archive.search(SearchRequest(text, per_page=10, correct=True)).hits]


def measure_finder(archive, weights: dict[str, float] | None = None) -> dict[str, dict]:
    """The finder with fields, on words alone, and plain search, over every situation."""
    from archive.finder import WEIGHTS, rank_ids

    weights = weights or WEIGHTS
    items = situations()
    out = {}
    for name, rank in (
        ("finder", lambda it: rank_ids(archive, situation_of(it), weights)),
        ("finder, words only", lambda it: rank_ids(archive, situation_of(it, False), weights)),
        ("archive search", lambda it: searched(archive, it["text"])),
    ):
        out[name] = metrics([(rank(it), it["relevant"]) for it in items])
    with_fields = [it for it in items if it.get("fields")]
    out["finder (situations with fields)"] = metrics(
        [(rank_ids(archive, situation_of(it), weights), it["relevant"]) for it in with_fields]
    )
    out["archive search (situations with fields)"] = metrics(
        [(searched(archive, it["text"]), it["relevant"]) for it in with_fields]
    )
    return out


def tune(archive) -> dict:
    """The grid's best weights on the even situations (MRR, then recall@10), and how they
    and the defaults do on the odd ones."""
    from archive.finder import FACET_OF, WEIGHTS, ranking, scores, situation_words

    items = situations()
    tables = [
        archive.word_scores(situation_words(it["text"]), tuple(FACET_OF.values())) for it in items
    ]

    def run(weights, part):
        runs = []
        for n, (it, table) in enumerate(zip(items, tables, strict=True)):
            if part is None or n % 2 == part:
                total, _ = scores(table.scores, table.facets, situation_of(it), weights)
                runs.append(([table.ids[i] for i in ranking(total, table.ids)], it["relevant"]))
        return metrics(runs)

    best, best_key = None, (-1.0, -1.0)
    for values in itertools.product(*GRID.values()):
        weights = dict(zip(GRID, values, strict=True))
        m = run(weights, 0)
        if (m["mrr"], m["recall_at_10"]) > best_key:
            best, best_key = weights, (m["mrr"], m["recall_at_10"])
    return {
        "grid": {k: list(v) for k, v in GRID.items()},
        "best_on_even": best,
        "defaults": dict(WEIGHTS),
        "defaults_even": run(WEIGHTS, 0),
        "defaults_odd": run(WEIGHTS, 1),
        "best_even": run(best, 0),
        "best_odd": run(best, 1),
        "best_all": run(best, None),
    }


CROSS_SETS = ("cross_language.yaml", "cross_language_heldout.yaml")


def cross_language(archive) -> dict:
    """Per judgment set (the held-out one if written): English queries, Indonesian, all."""
    out = {}
    for name in CROSS_SETS:
        path = JUDGMENTS / name
        if not path.exists():
            continue
        queries = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
        figures = {}
        for lang in ("en", "id"):
            runs = [(searched(archive, q["query"]), q["relevant"])
                    for q in queries if q["lang"] == lang]  # fmt: skip
            figures[f"{lang} queries"] = metrics(runs)
        figures["all"] = metrics([(searched(archive, q["query"]), q["relevant"]) for q in queries])
        out[path.stem] = figures
    return out


def _timed(fn, runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    return {"median_ms": round(1000 * statistics.median(times), 1),
            "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 1)}  # fmt: skip


def speed(archive, runs: int) -> dict[str, dict]:
    """Milliseconds per situation: the finder (a new situation each time: nothing cached),
    plain search of the same text; and a search of several words with near matches and
    without them (the baseline, in the same run)."""
    from archive.finder import Situation, find
    from archive.search import SearchRequest, relaxed

    items = situations()
    state = {"n": 0}

    def next_situation(fn):
        def run():
            it = items[state["n"] % len(items)]
            state["n"] += 1
            fn(it, f" run{state['n']}")  # a word no case holds: no cache hit

        return run

    def finder(it, extra):
        find(archive, Situation(it["text"] + extra, **(it.get("fields") or {})))

    def search(it, extra):
        archive.search(SearchRequest(it["text"] + extra, correct=True))

    out = {
        "finder": _timed(next_situation(finder), runs),
        "archive search, same text": _timed(next_situation(search), runs),
        # A pick or a language switch reruns the page with the same situation.
        "finder, same situation again": _timed(lambda: finder(items[0], ""), runs),
    }
    queries = ["stadium crush tear gas", "bank outage customer balance", "data leak apology ceo"]

    def several():
        state["n"] += 1
        archive.search(SearchRequest(f"{queries[state['n'] % 3]} x{state['n']}"))

    out["search, 4-5 words, near matches"] = _timed(several, runs)
    kept = relaxed.near_matches
    relaxed.near_matches = lambda *a, **k: None
    try:
        out["search, 4-5 words, no near matches (baseline)"] = _timed(several, runs)
    finally:
        relaxed.near_matches = kept
    return out


def open_in(index_dir: Path, no_pairs: bool, cases: Path | None = None, ruler: bool = False):
    """The archive of cases/ indexed in ``index_dir`` (with no bilingual pairs if asked)."""
    from archive import taxonomy

    if no_pairs:
        packaged = taxonomy._packaged
        taxonomy._packaged = lambda name: {} if name == "bilingual.yaml" else packaged(name)
        taxonomy.load_taxonomy.cache_clear()
    if ruler:  # curated names only, as scripts/benchmark.py builds large archives
        from archive import entities

        entities._bases[entities.MODEL_NAME] = None
    from archive.search import open_archive

    return open_archive(cases or ROOT / "cases", index_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tune", action="store_true", help="search the weights' grid too")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--no-pairs", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--speed", action="store_true", help="time the finder and search only")
    parser.add_argument("--cases", type=Path, help="for --speed: another folder of cases")
    parser.add_argument("--index", type=Path, help="for --speed: its index (kept)")
    parser.add_argument("--ruler", action="store_true", help="for --speed: curated names only")
    parser.add_argument("--runs", type=int, default=49)
    args = parser.parse_args()
    if args.speed:
        with tempfile.TemporaryDirectory() as tmp:
            index = args.index or Path(tmp) / "index"
            archive = open_in(index, False, args.cases, args.ruler)
            archive.warm()
            report = {"cases": len(archive.ids()), "speed": speed(archive, args.runs)}
        print(json.dumps(report, indent=2))
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.no_pairs:  # the baseline, in a process of its own
            archive = open_in(Path(tmp) / "index", no_pairs=True)
            print(json.dumps(cross_language(archive)))
            return
        archive = open_in(Path(tmp) / "index", no_pairs=False)
        report = {"finder": measure_finder(archive)}
        if args.tune:
            report["tuning"] = tune(archive)
        report["cross_language"] = {"with vocabulary": cross_language(archive)}
    baseline = subprocess.run(
        [sys.executable, __file__, "--no-pairs"], capture_output=True, text=True, check=True
    )
    report["cross_language"]["without vocabulary"] = json.loads(baseline.stdout)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
