"""Benchmark: the archive on its engines (Whoosh, tantivy) beside SQLite FTS5 at 1,000, 10,000
and 100,000 cases.

For each N the seeded corpus of ``generate_corpus.py`` is written to a work directory and,
each phase in a fresh process (so "peak memory" is that phase's own peak RSS):

build (per engine)
    full build with a cold entity cache, with the time spent finding entities (spaCy)
    reported apart (the first engine only: the others start from its entity cache); the
    same full build with entities cached; index size; an update with nothing changed; the
    update after one case file is edited, added, removed.
search (per engine)
    open time (index opened, per-value document sets built), then for a fixed mix of
    queries (single words, several words, phrases, boolean; each with 0-3 filters) the full
    work of the search API as the app shows it: counts for every facet, the top 10 with
    snippets, "did you mean". Caches are emptied before each new query (Whoosh's posting
    lists read into memory too; tantivy's are the operating system's page cache). Then the
    interactive path: the same query with one filter changed, and its next page.
FTS5
    the same cases in an SQLite FTS5 table (porter stemmer, bm25 with the same field
    weights) with a facet table, as Datasette would serve them: build time and size, and
    the same query mix: top 10 by bm25 with ``snippet()``, a total count and a GROUP BY per
    facet (disjunctive, like the archive's). The matching rows are put in a temporary table
    once per new query; a filter or page change reuses it and recomputes the GROUP BYs.

Figures are printed as Markdown tables with the ratios; ``--json`` keeps them and
``--plot`` draws latency against N for both engines (needs matplotlib: the ``bench`` extra).

Usage:
    .venv/bin/python scripts/benchmark.py --n 1000 10000 [--queries 200] [--plot docs/bench.png]
    .venv/bin/python scripts/benchmark.py --n 100000 --workdir /tmp/bench   # long: see BENCHMARKS.md
    .venv/bin/python scripts/benchmark.py --n 10000 100000 --engine whoosh tantivy --skip-fts
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from archive.fields import FACET_NAMES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

WORD_QUERIES = [
    "breach", "apology", "recall", "fraud", "regulator", "boycott", "customers", "executive",
    "compensation", "investigation", "hacking", "lawsuit", "scandal", "emissions", "passwords",
    "video", "maaf", "pelanggan", "kepercayaan", "tweet",
]  # fmt: skip
SEVERAL_QUERIES = [
    "data breach", "chief executive apologised", "customers complained social media",
    "independent review board", "sales fell quarter", "security flaw passwords",
    "kebocoran data pengguna", "laporan keuangan", "recall products stores", "court fined company",
    "public trust recovered", "media coverage week",
]  # fmt: skip
PHRASE_QUERIES = [
    '"chief executive"', '"social media"', '"independent review"', '"credit card"',
    '"kata sandi"', '"front pages"', '"questions and answers"', '"following quarter"',
]  # fmt: skip
BOOLEAN_QUERIES = [
    "breach OR hacking", "apology NOT lawsuit", "(recall OR boycott) AND customers",
    "fraud OR scandal", "regulator NOT fine", "(apology OR apologised) AND video",
    '"social media" AND boycott', "data NOT breach",
]  # fmt: skip
# The filters of the query mix: facets of archive/fields.py (a fixed choice, so that runs
# stay comparable as facets are added).
FILTER_FACETS = ["outcome", "tactics", "crisis_types", "countries", "sector", "language", "family"]
assert set(FILTER_FACETS) <= set(FACET_NAMES), "a benchmark filter is not a facet any more"
FTS_COLUMNS = ["title", "subject", "narrative", "terms", "entities"]
FTS_WEIGHTS = [3.0, 3.0, 1.0, 1.5, 2.0]  # the Whoosh field boosts
PER_PAGE = 10


# -- helpers ---------------------------------------------------------------------------------


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50 and p95 (nearest rank) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, -(-95 * len(ordered) // 100) - 1))]
    return {"p50": statistics.median(ordered) * 1000, "p95": p95 * 1000}


def peak_rss_mb() -> float:
    """Peak resident memory of this process or of the largest process it started (MB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux: KiB


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def query_mix(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """The fixed mix: query texts of four kinds, each with 0-3 filters, plus a changed filter."""
    from archive.taxonomy import load_taxonomy

    tax = load_taxonomy()
    rng = random.Random(seed)
    values = {
        "outcome": tax.ids("outcomes"),
        "tactics": tax.ids("tactics"),
        "crisis_types": tax.ids("crisis_types"),
        "countries": ["US", "ID", "GB", "AU"],
        "sector": tax.ids("sectors"),
        "language": ["en", "id"],
        "family": tax.ids("families"),
    }
    kinds = [WORD_QUERIES, SEVERAL_QUERIES, PHRASE_QUERIES, BOOLEAN_QUERIES]
    mix = []
    for i in range(count):
        text = rng.choice(kinds[i % len(kinds)])
        facets = rng.sample(FILTER_FACETS, rng.choice([0, 1, 1, 2, 2, 3]))
        filters = {f: [rng.choice(values[f][:6])] for f in facets}
        changed = dict(filters)
        facet = rng.choice(FILTER_FACETS)
        options = [v for v in values[facet][:6] if v not in changed.get(facet, [])]
        changed[facet] = [rng.choice(options)]
        mix.append({"query": text, "filters": filters, "changed": changed})
    return mix


# -- phases (each runs in its own process) ----------------------------------------------------


def phase_corpus(cases: Path, n: int) -> dict[str, Any]:
    import generate_corpus

    if cases.is_dir() and len(list(cases.glob("*.md"))) == n:
        return {"generated": False}
    shutil.rmtree(cases, ignore_errors=True)
    _, seconds = timed(lambda: generate_corpus.generate(cases, n, seed=7))
    return {"generated": True, "seconds": seconds}


def _entities(mode: str) -> None:
    """``ruler``: run without the statistical model (curated names only), as if it were not
    installed. Only for archive sizes where spaCy's cold pass would take hours."""
    if mode == "ruler":
        from archive import entities

        entities._bases[entities.MODEL_NAME] = None


def phase_build(
    cases: Path, index: Path, fresh: bool, mode: str, engine: str = "whoosh",
    entity_cache: Path | None = None,
) -> dict[str, Any]:  # fmt: skip
    """``entity_cache``: start from this entity cache (another engine's run) and skip the
    cold build, which measures spaCy rather than the engine."""
    from archive.index import current_generation, update_index

    os.environ["ARCHIVE_ENGINE"] = engine
    _entities(mode)
    workers = os.cpu_count() or 1  # what `archive index` uses (at most 4)
    workers = min(4, workers)
    out: dict[str, Any] = {"workers": workers, "engine": engine}
    if fresh:
        shutil.rmtree(index, ignore_errors=True)
    if entity_cache is not None:
        index.mkdir(parents=True, exist_ok=True)
        shutil.copy2(entity_cache, index / "entities.sqlite")
    else:
        cold, t = timed(
            lambda: update_index(cases, index, rebuild=True, timeout=60, workers=workers)
        )
        out["cold"] = {"seconds": t, "entity_seconds": cold.entity_seconds, "parsed": cold.parsed}
    warm, t = timed(lambda: update_index(cases, index, rebuild=True, timeout=60, workers=workers))
    out["cached"] = {"seconds": t, "entity_seconds": warm.entity_seconds, "parsed": warm.parsed}
    out["index_mb"] = dir_size(current_generation(index)) / 1e6
    out["entity_cache_mb"] = (index / "entities.sqlite").stat().st_size / 1e6
    noop, t = timed(lambda: update_index(cases, index, timeout=60))
    out["noop"] = {"seconds": t, "files_read": noop.files_read}
    victim = sorted(cases.glob("*.md"))[0]
    original = victim.read_bytes()
    victim.write_bytes(original.replace(b"\n## ", b"\nAn editor added this sentence.\n\n## ", 1))
    one, t = timed(lambda: update_index(cases, index, timeout=60))
    out["one_changed"] = {"seconds": t, "parsed": one.parsed, "updated": len(one.updated)}
    victim.write_bytes(original)
    update_index(cases, index, timeout=60)
    # An editor adds a case that curates a new organisation (the curated names change).
    added = cases / "zz-benchmark-added-case.md"
    text = original.decode("utf-8").replace(f"id: {victim.stem}", "id: zz-benchmark-added-case", 1)
    text = text.replace(
        "entities:\n", "entities:\n  - {name: Benchmark Brand Holdings, kind: organization}\n", 1
    )
    added.write_text(text, encoding="utf-8")
    new, t = timed(lambda: update_index(cases, index, timeout=60))
    out["one_added"] = {"seconds": t, "updated": len(new.updated), "added": len(new.added)}
    added.unlink()
    gone, t = timed(lambda: update_index(cases, index, timeout=60))
    out["one_removed"] = {"seconds": t, "updated": len(gone.updated)}
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def phase_search(
    cases: Path, index: Path, mix: list[dict[str, Any]], mode: str, engine: str = "whoosh"
) -> dict[str, Any]:
    from archive.search import SearchRequest, open_archive

    os.environ["ARCHIVE_ENGINE"] = engine
    _entities(mode)
    rss_before = peak_rss_mb()
    archive, t_open = timed(lambda: open_archive(cases, index, update="never", engine=engine))
    rss_open = peak_rss_mb()
    warm = []
    for item in mix:  # posting lists read by earlier queries stay in memory, as in the app
        snap = archive._snapshot()
        snap.matches.clear()
        snap.snippets.clear()
        request = SearchRequest(item["query"], filters=item["filters"], per_page=PER_PAGE)
        warm.append(timed(lambda r=request: archive.search(r))[1])
    new, change, page = [], [], []
    for item in mix:
        snap = archive._snapshot()
        snap.matches.clear()  # a new query: nothing to reuse, no posting list in memory
        snap.snippets.clear()
        if hasattr(snap.engine, "clear"):
            snap.engine.clear()
        first = SearchRequest(item["query"], filters=item["filters"], per_page=PER_PAGE)
        response, t = timed(lambda r=first: archive.search(r))
        new.append(t)
        changed = SearchRequest(item["query"], filters=item["changed"], per_page=PER_PAGE)
        _, t = timed(lambda r=changed: archive.search(r))
        change.append(t)
        second = SearchRequest(item["query"], filters=item["changed"], page=2, per_page=PER_PAGE)
        _, t = timed(lambda r=second: archive.search(r))
        page.append(t)
        item["whoosh_total"] = response.total
    archive.close()
    return {
        "open_seconds": t_open,
        "new": percentiles(new),
        "new_warm": percentiles(warm),
        "filter_change": percentiles(change),
        "page_change": percentiles(page),
        "rss_open_mb": rss_open - rss_before,
        "peak_rss_mb": peak_rss_mb(),
        "totals": [item["whoosh_total"] for item in mix],
    }


def _fts_rows(cases: Path, index: Path):
    """Cases as FTS5 rows: files read and validated; entities from the archive's entity cache."""
    from archive.index import case_from_stored, facet_values, taxonomy_words
    from archive.loader import load_cases
    from archive.search import open_archive
    from archive.taxonomy import LANGS, load_taxonomy

    tax = load_taxonomy()
    archive = open_archive(cases, index, update="never")
    entities = {}
    snap = archive._snapshot()
    for d in snap.live_docs:
        case, ents = case_from_stored(snap.engine.stored(d))
        entities[case.id] = ents
    archive.close()

    def rows():
        for lc in load_cases([cases], tax).cases:
            case = lc.case
            ents = entities.get(case.id, [])
            terms = " ".join(w for lang in LANGS for w in taxonomy_words(case, tax, lang))
            names = " ".join(e.name for e in ents if e.kind in ("person", "organization", "place"))
            yield (
                case,
                [case.title, case.subject, case.body, terms, names],
                facet_values(case, ents, tax),
            )

    return rows


def phase_fts(
    cases: Path, index: Path, db_path: Path, mix: list[dict[str, Any]], mode: str
) -> dict[str, Any]:
    _entities(mode)
    rows = _fts_rows(cases, index)
    db_path.unlink(missing_ok=True)

    def build() -> sqlite3.Connection:
        db = sqlite3.connect(db_path)
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5("
            + ", ".join(FTS_COLUMNS)
            + ", tokenize='porter unicode61 remove_diacritics 2')"
        )
        db.execute("CREATE TABLE meta (docid INTEGER PRIMARY KEY, id TEXT, date TEXT)")
        db.execute("CREATE TABLE facets (docid INTEGER, facet TEXT, value TEXT)")
        for docid, (case, columns, facets) in enumerate(rows(), start=1):
            db.execute(
                f"INSERT INTO docs (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                (docid, *columns),
            )
            db.execute("INSERT INTO meta VALUES (?, ?, ?)", (docid, case.id, case.crisis_date))
            db.executemany(
                "INSERT INTO facets VALUES (?, ?, ?)",
                [(docid, f, v) for f, vs in facets.items() for v in vs],
            )
        db.execute("CREATE INDEX facets_value ON facets (facet, value, docid)")
        db.execute("CREATE INDEX facets_doc ON facets (docid, facet, value)")
        db.execute("INSERT INTO docs (docs) VALUES ('optimize')")
        db.commit()
        return db

    db, t_build = timed(build)
    size = db_path.stat().st_size
    db.close()

    db, t_open = timed(lambda: sqlite3.connect(db_path))
    from archive.index import FACETS

    weights = ", ".join(str(w) for w in FTS_WEIGHTS)

    def filtered(filters: dict[str, list[str]], skip: str | None = None) -> tuple[str, list]:
        sql, args = "", []
        for facet, vals in filters.items():
            if facet == skip:
                continue
            marks = ", ".join("?" * len(vals))
            sql += (
                f" AND m.docid IN (SELECT docid FROM facets WHERE facet = ? AND value IN ({marks}))"
            )
            args += [facet, *vals]
        return sql, args

    def page_and_facets(
        query: str, filters: dict[str, list[str]], page: int
    ) -> tuple[int, list, dict]:
        where, args = filtered(filters)
        total = db.execute(f"SELECT count(*) FROM m WHERE 1 {where}", args).fetchone()[0]
        hits = db.execute(
            f"SELECT meta.id, snippet(docs, 2, '[', ']', '…', 32) FROM docs "
            f"JOIN m ON m.docid = docs.rowid JOIN meta ON meta.docid = docs.rowid "
            f"WHERE docs MATCH ? {where} ORDER BY bm25(docs, {weights}) LIMIT ? OFFSET ?",
            [query, *args, PER_PAGE, (page - 1) * PER_PAGE],
        ).fetchall()
        counts = {}
        for facet in FACETS:
            fwhere, fargs = filtered(filters, skip=facet)
            counts[facet] = db.execute(
                f"SELECT f.value, count(*) AS c FROM facets f JOIN m ON m.docid = f.docid "
                f"WHERE f.facet = ? {fwhere.replace('m.docid', 'f.docid')} "
                f"GROUP BY f.value ORDER BY c DESC",
                [facet, *fargs],
            ).fetchall()
        return total, hits, counts

    new, change, page = [], [], []
    totals = []
    for item in mix:
        query = item["query"]
        start = time.perf_counter()
        db.execute("DROP TABLE IF EXISTS temp.m")
        db.execute("CREATE TEMP TABLE m (docid INTEGER PRIMARY KEY)")  # indexed for the joins
        db.execute("INSERT INTO m SELECT rowid FROM docs WHERE docs MATCH ?", (query,))
        total, _, _ = page_and_facets(query, item["filters"], 1)
        new.append(time.perf_counter() - start)
        totals.append(total)
        _, t = timed(lambda i=item: page_and_facets(i["query"], i["changed"], 1))
        change.append(t)
        _, t = timed(lambda i=item: page_and_facets(i["query"], i["changed"], 2))
        page.append(t)
    db.close()
    return {
        "build_seconds": t_build,
        "size_mb": size / 1e6,
        "open_seconds": t_open,
        "new": percentiles(new),
        "filter_change": percentiles(change),
        "page_change": percentiles(page),
        "peak_rss_mb": peak_rss_mb(),
        "totals": totals,
    }


def run_phase(fn, *args):
    """Run one phase in a fresh process (spawned, so its peak memory is its own)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


# -- report ----------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


TARGETS_10K = {  # issue #6, at 10,000 cases
    "new query p50 (ms)": (lambda r: r["whoosh"]["new"]["p50"], 25),
    "new query p95 (ms)": (lambda r: r["whoosh"]["new"]["p95"], 80),
    "filter change p50 (ms)": (lambda r: r["whoosh"]["filter_change"]["p50"], 5),
    "page change p50 (ms)": (lambda r: r["whoosh"]["page_change"]["p50"], 5),
    "one changed case re-indexed (s)": (lambda r: r["build"]["one_changed"]["seconds"], 2),
    "full rebuild, entities cached (s)": (lambda r: r["build"]["cached"]["seconds"], 60),
}


# Where each engine's figures are kept in the results (Whoosh's keys predate the others).
ENGINE_KEYS = {"whoosh": ("build", "whoosh"), "tantivy": ("tantivy_build", "tantivy")}
ENGINE_LABELS = {"whoosh": "Whoosh (archive)", "tantivy": "tantivy (archive)"}
P95_AT_100K = 400  # ms, the mark of issue #17


def _engines_of(r: dict[str, Any]) -> list[str]:
    return [e for e, (_, key) in ENGINE_KEYS.items() if key in r]


def _index_rows(results: dict[int, dict[str, Any]]) -> list[str]:
    lines = [
        "| N | engine | full build, cold (of which entities) | full build, entities cached "
        "| index size | open | peak RSS build / search | nothing changed | one case changed "
        "| one case added (new entity) | one case removed |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, r in results.items():
        for engine in _engines_of(r):
            b, w = (r[k] for k in ENGINE_KEYS[engine])
            cold = (
                f"{b['cold']['seconds']:.1f} s ({b['cold']['entity_seconds']:.1f} s)"
                if "cold" in b
                else "- (entities cached)"
            )
            lines.append(
                f"| {n:,} | {ENGINE_LABELS[engine]} | {cold} "
                f"| {b['cached']['seconds']:.1f} s | {b['index_mb']:.0f} MB "
                f"| {w['open_seconds']:.2f} s | {b['peak_rss_mb']:.0f} / {w['peak_rss_mb']:.0f} MB "
                f"| {b['noop']['seconds']:.2f} s | {b['one_changed']['seconds']:.2f} s "
                f"| {b['one_added']['seconds']:.2f} s | {b['one_removed']['seconds']:.2f} s |"
            )
    return lines


def _search_row(n: int, name: str, e: dict[str, Any], build: float, size: float) -> str:
    warm = e.get("new_warm")
    return (
        f"| {n:,} | {name} | {build:.1f} s | {size:.0f} MB "
        f"| {e['new']['p50']:.1f} / {e['new']['p95']:.1f} ms "
        + (f"| {warm['p50']:.1f} / {warm['p95']:.1f} ms " if warm else "| - ")
        + " ".join(
            f"| {e[k]['p50']:.1f} / {e[k]['p95']:.1f} ms" for k in ("filter_change", "page_change")
        )
        + f" | {e['peak_rss_mb']:.0f} MB |"
    )


def _ratio_row(n: int, label: str, a: dict, b: dict, build: tuple, size: tuple) -> str:
    warm = (
        f"| {ratio(a['new_warm']['p50'], b['new_warm']['p50'])} / "
        f"{ratio(a['new_warm']['p95'], b['new_warm']['p95'])} "
        if a.get("new_warm") and b.get("new_warm")
        else "| - "
    )
    return (
        f"| {n:,} | {label} | {ratio(*build)} | {ratio(*size)} "
        f"| {ratio(a['new']['p50'], b['new']['p50'])} / {ratio(a['new']['p95'], b['new']['p95'])} "
        + warm
        + " ".join(
            f"| {ratio(a[k]['p50'], b[k]['p50'])} / {ratio(a[k]['p95'], b[k]['p95'])}"
            for k in ("filter_change", "page_change")
        )
        + f" | {ratio(a['peak_rss_mb'], b['peak_rss_mb'])} |"
    )


def _search_rows(results: dict[int, dict[str, Any]]) -> list[str]:
    lines = [
        "| N | engine | build | size | new query p50 / p95 | new query, warm p50 / p95 "
        "| filter change p50 / p95 | next page p50 / p95 | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n, r in results.items():
        engines = _engines_of(r)
        for engine in engines:
            b, e = (r[k] for k in ENGINE_KEYS[engine])
            lines.append(
                _search_row(n, ENGINE_LABELS[engine], e, b["cached"]["seconds"], b["index_mb"])
            )
        if "fts" in r:
            f = r["fts"]
            lines.append(_search_row(n, "SQLite FTS5", f, f["build_seconds"], f["size_mb"]))
        if "whoosh" in r and "tantivy" in r:
            bw, w, bt, t = r["build"], r["whoosh"], r["tantivy_build"], r["tantivy"]
            lines.append(
                _ratio_row(n, "ratio tantivy / Whoosh", t, w,
                           (bt["cached"]["seconds"], bw["cached"]["seconds"]),
                           (bt["index_mb"], bw["index_mb"]))
            )  # fmt: skip
        if "whoosh" in r and "fts" in r:
            b, w, f = r["build"], r["whoosh"], r["fts"]
            lines.append(
                _ratio_row(n, "ratio Whoosh / FTS5", w, f,
                           (b["cached"]["seconds"], f["build_seconds"]),
                           (b["index_mb"], f["size_mb"]))
            )  # fmt: skip
    return lines


def report(results: dict[int, dict[str, Any]], queries: int) -> str:
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; {queries} queries per N.",
        "",
        "Index:",
        "",
        *_index_rows(results),
        "",
        "Search (new query: cold, nothing of the query in memory; warm: what earlier queries "
        "read kept, as in a running app):",
        "",
        *_search_rows(results),
    ]
    if 10000 in results and "whoosh" in results[10000]:
        lines += ["", "Targets at 10,000 cases (Whoosh):", "",
                  "| target | measured | limit | met |", "|---|---|---|---|"]  # fmt: skip
        for label, (get, limit) in TARGETS_10K.items():
            value = get(results[10000])
            lines.append(
                f"| {label} | {value:.2f} | {limit} | {'yes' if value <= limit else 'NO'} |"
            )
    if 100000 in results:
        lines += ["", f"New query p95 at 100,000 cases against the {P95_AT_100K} ms mark:", "",
                  "| engine | p95 | met |", "|---|---|---|"]  # fmt: skip
        for engine in _engines_of(results[100000]):
            p95 = results[100000][ENGINE_KEYS[engine][1]]["new"]["p95"]
            met = "yes" if p95 <= P95_AT_100K else "NO"
            lines.append(f"| {ENGINE_LABELS[engine]} | {p95:.1f} ms | {met} |")
    return "\n".join(lines)


def plot(results: dict[int, dict[str, Any]], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(no plot: matplotlib is not installed; pip install -e '.[bench]')")
        return
    ns = sorted(results)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, key, title in (
        (axes[0], "new", "new query (facets + top 10 with snippets)"),
        (axes[1], "filter_change", "filter change on the same query"),
    ):
        for engine, label, colour in (
            ("whoosh", "Whoosh (archive)", "C0"),
            ("tantivy", "tantivy (archive)", "C2"),
            ("fts", "SQLite FTS5", "C1"),
        ):
            ns_with = [n for n in ns if engine in results[n]]
            if not ns_with:
                continue
            for pct, style in (("p50", "-o"), ("p95", "--s")):
                ax.plot(ns_with, [results[n][engine][key][pct] for n in ns_with], style,
                        color=colour, label=f"{label} {pct}")  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("cases")
        ax.set_title(title, fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("latency (ms)")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    print(f"plot written to {path}")


def measure_engines(args, cases: Path, base: Path, mix: list[dict[str, Any]]) -> dict[str, Any]:
    """Build and search with each engine; the first builds the entity cache (cold build),
    the others start from a copy of it. Whoosh's index is ``index/`` (FTS5 reads its
    entity cache), the others' ``index-ENGINE/``."""
    out: dict[str, Any] = {}
    first_index: Path | None = None
    for engine in args.engine:
        index = base / ("index" if engine == "whoosh" else f"index-{engine}")
        cache = None if first_index is None else first_index / "entities.sqlite"
        fresh = not args.reuse_entities or cache is not None
        build = run_phase(phase_build, cases, index, fresh, args.entities, engine, cache)
        first_index = first_index or index
        print(f"   {engine}: built, entities cached, in {build['cached']['seconds']:.1f} s",
              flush=True)  # fmt: skip
        search = run_phase(phase_search, cases, index, mix, args.entities, engine)
        print(f"   {engine}: new p50 {search['new']['p50']:.1f} ms, "
              f"p95 {search['new']['p95']:.1f} ms", flush=True)  # fmt: skip
        build_key, search_key = ENGINE_KEYS[engine]
        out[build_key], out[search_key] = build, search
    if "whoosh" not in args.engine and not args.skip_fts:  # FTS5 reads Whoosh's entity cache
        (base / "index").mkdir(parents=True, exist_ok=True)
        shutil.copy2(first_index / "entities.sqlite", base / "index" / "entities.sqlite")
    return out


def _compare_totals(r: dict[str, Any], queries: int) -> None:
    names = [ENGINE_KEYS[e][1] for e in _engines_of(r)] + (["fts"] if "fts" in r else [])
    first = names[0]
    for other in names[1:]:
        same = sum(a == b for a, b in zip(r[first]["totals"], r[other]["totals"], strict=True))
        print(f"   queries with the same number of matches, {first} and {other}: {same}/{queries}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000], help="archive sizes")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", type=Path, help="keep corpora and indexes here (reused)")
    parser.add_argument("--reuse-entities", action="store_true",
                        help="keep the entity cache of an earlier run in --workdir (the cold "
                        "build is then not cold)")  # fmt: skip
    parser.add_argument("--entities", choices=["model", "ruler"], default="model",
                        help="ruler: curated names only, without spaCy's model (for 100k, "
                        "where the model's cold pass would take about an hour)")  # fmt: skip
    parser.add_argument("--engine", nargs="+", choices=list(ENGINE_KEYS), default=["whoosh"],
                        help="the archive's engines to measure (the first builds the entity "
                        "cache the others start from)")  # fmt: skip
    parser.add_argument("--skip-fts", action="store_true", help="do not measure SQLite FTS5")
    parser.add_argument("--json", type=Path, help="write all figures here")
    parser.add_argument("--plot", type=Path, help="write a PNG of latency against N here")
    parser.add_argument("--from-json", type=Path, nargs="+", metavar="FILE",
                        help="run nothing: print the tables (and --plot) of earlier --json "
                        "files together")  # fmt: skip
    args = parser.parse_args()
    if args.from_json:
        merged: dict[int, dict[str, Any]] = {}
        for path in args.from_json:
            merged.update({int(n): r for n, r in json.loads(path.read_text()).items()})
        merged = dict(sorted(merged.items()))
        first = next(iter(merged.values()))
        print(report(merged, len(first[ENGINE_KEYS[_engines_of(first)[0]][1]]["totals"])))
        if args.plot:
            plot(merged, args.plot)
        return

    work = args.workdir or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    mix = query_mix(args.queries)
    results: dict[int, dict[str, Any]] = {}
    try:
        for n in args.n:
            base = work / f"n{n}"
            cases = base / "cases"
            print(f"== {n:,} cases ({base})", flush=True)
            run_phase(phase_corpus, cases, n)
            results[n] = measure_engines(args, cases, base, mix)
            if not args.skip_fts:
                fts = run_phase(phase_fts, cases, base / "index", base / "fts.sqlite", mix,
                                args.entities)  # fmt: skip
                print(f"   fts5: new p50 {fts['new']['p50']:.1f} ms", flush=True)
                results[n]["fts"] = fts
            _compare_totals(results[n], len(mix))
        print()
        print(report(results, len(mix)))
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
        if args.plot:
            plot(results, args.plot)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
