"""Hostile queries against an index: how long the worst of them take, with the query limits
of ``archive.search.query_text`` and without them (Whoosh's stock parser, no length, pattern
or expansion limits) in the same run.

Queries are drawn with a seed from the same pieces as the fuzz test: query syntax, field
names, wildcards, control and invisible characters, random Unicode, and short patterns
repeated to 10,000 characters. Each query gets ``--timeout`` seconds (a SIGALRM); a query
still running then is counted as timed out.

    python scripts/hostile_queries.py --cases-dir /tmp/b10k/cases --index-dir /tmp/b10k/index
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whoosh import qparser  # noqa: E402

from archive.engine import query as engine_query  # noqa: E402
from archive.engine.analysis import analyzer  # noqa: E402
from archive.engine.parse import convert  # noqa: E402
from archive.fields import BOOSTS, TEXT_FIELDS  # noqa: E402
from archive.search import Archive, SearchRequest, matching, open_archive, query_text  # noqa: E402  # noqa: E402

SYNTAX = ['"', "(", ")", "[", "]", "{", "}", "*", "?", "~", "^", ":", "\\", "-", "+", "/",
          " AND ", " OR ", " NOT ", " ANDNOT ", " ANDMAYBE ", " REQUIRE ", "title:",
          "nosuchfield:", "tactic:", "year:", "year:[1990 TO", "TO]", "*a*", "e*", "data",
          "breach", "kebocoran", "\x00", "\u200b", "\u202e", "🙂", "~2", "^9", " "]  # fmt: skip


def _piece(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(SYNTAX)
    return "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(160, 0x2FFF)]))
                   for _ in range(rng.randrange(1, 8)))  # fmt: skip


def queries(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        shape = i % 3
        if shape == 0:  # a few pieces
            out.append("".join(_piece(rng) for _ in range(rng.randrange(1, 12))))
        elif shape == 1:  # many pieces
            out.append("".join(_piece(rng) for _ in range(rng.randrange(12, 60))))
        else:  # a short pattern repeated to 10,000 characters
            pattern = "".join(_piece(rng) for _ in range(rng.randrange(1, 4))) or "a"
            out.append((pattern * (10_000 // len(pattern) + 1))[:10_000])
    return out


class _TimedOut(BaseException):  # not an Exception: the search's own fallback must not catch it
    pass


def _alarm(*_: object) -> None:
    raise _TimedOut


def _stock_parse(text: str):
    """Whoosh's stock parser (its operator groups build each side twice)."""
    from whoosh import fields

    schema = fields.Schema(
        **{f.name: fields.TEXT(analyzer=analyzer(f.analyzer)) for f in TEXT_FIELDS}
    )
    stock = qparser.MultifieldParser(
        query_text.DEFAULT_FIELDS, schema, fieldboosts=BOOSTS, group=qparser.AndGroup
    )
    return convert(stock.parse(text))


def without_limits() -> None:
    """The state before the limits: stock parser, no length, pattern or expansion limits."""
    matching.parse = _stock_parse
    matching.bounded = lambda text: query_text.BoundedText(" ".join(text.split()), None)
    engine_query.MAX_EXPANSIONS = 10**9
    engine_query.MAX_PATTERNS = 10**9
    engine_query.MAX_PATTERN_CHARS = 10**9
    engine_query.MAX_PATTERN_WILDCARDS = 10**9


def run(archive: Archive, texts: list[str], timeout: float) -> dict:
    signal.signal(signal.SIGALRM, _alarm)
    times, timed_out, errors = [], [], []
    for text in texts:
        archive._snap.matches.clear()  # every query cold
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            archive.search(SearchRequest(text, per_page=10))
        except _TimedOut:
            timed_out.append(text)
        except Exception as exc:  # counted, not hidden
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        times.append((time.perf_counter() - start, text))
    seconds = sorted(t for t, _ in times)
    worst = sorted(times, reverse=True)[:5]
    return {
        "queries": len(texts),
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(seconds[int(0.95 * (len(seconds) - 1))] * 1000, 1),
        "max_ms": round(seconds[-1] * 1000, 1),
        "timed_out": len(timed_out),
        "errors": errors,
        "worst": [{"ms": round(t * 1000, 1), "query": q[:60]} for t, q in worst],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cases-dir", type=Path, default=ROOT / "cases")
    ap.add_argument("--index-dir", type=Path, help="default: a temporary index of --cases-dir")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per query")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if args.index_dir is None:
        import tempfile

        args.index_dir = Path(tempfile.mkdtemp()) / "index"
    archive = open_archive(args.cases_dir, args.index_dir, update="never")
    archive.search(SearchRequest("warm"))
    texts = queries(args.n, args.seed)
    results = {"cases": archive.search(SearchRequest("")).total, "timeout_s": args.timeout}
    results["with_limits"] = run(archive, texts, args.timeout)
    without_limits()
    results["without_limits"] = run(archive, texts, args.timeout)
    print(f"{results['cases']} cases, {args.n} hostile queries (seed {args.seed}), "
          f"{args.timeout:g} s per query at most")  # fmt: skip
    print(f"{'':16} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>9} {'timed out':>10} {'errors':>7}")
    for name in ("with_limits", "without_limits"):
        r = results[name]
        print(f"{name:16} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>9} "
              f"{r['timed_out']:>10} {len(r['errors']):>7}")  # fmt: skip
    for name in ("with_limits", "without_limits"):
        print(f"slowest {name}:")
        for w in results[name]["worst"]:
            print(f"  {w['ms']:>9} ms  {w['query']!r}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 1 if results["with_limits"]["timed_out"] or results["with_limits"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
