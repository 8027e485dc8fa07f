"""Load test of the app as people use it: real Chromium sessions (Debian's, driven by
Playwright) open search links, type queries, change filters and pages, against one app
process or against the replicas behind the proxy (``deploy/run``). Loopback only; every
phase is bounded in sessions and seconds.

What it reports, per phase:

- in the browser: the latency of each interaction, from the action to the end of the rerun
  it caused (the app's ``data-test-script-state`` going from running to not running), p50
  and p95, by kind (page load, new query, filter, page change);
- on the server: the CPU time of the server processes (every process of the app or of
  the deployment, the proxy included, read from /proc) divided by the interactions served,
  and the interactions per second.

Phases: ``first-page`` (a server started with its index built; the time until the search
page shows its heading), ``cost`` (one session, each kind of interaction repeated, alone on
the server: its CPU per interaction), and ``load`` at each ``--sessions`` count (the
sessions are opened, a few at a time, then every one repeats query, page, filter as fast
as the answers come, for ``--seconds``: the figures of that part).

    .venv/bin/python scripts/load_test.py --cases cases --target single --sessions 1 10 30
    .venv/bin/python scripts/load_test.py --target replicas --replicas 2 --sessions 10 30
    .venv/bin/python scripts/load_test.py --target cold --phases first-page cost   # streamlit run

Targets: ``single`` (``archive serve``: warm), ``cold`` (plain ``streamlit run``, as the app
was started before issue #18), ``replicas`` (``deploy/run --replicas N``: HAProxy in front),
``trivial`` (the floor: a page with only the widgets the sessions use, `streamlit run`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]  # fmt: skip
QUERIES = ["apology", "data breach", "recall", "boycott", "kebocoran data", "CEO resigned",
           "fraud", "lawsuit", "social media", "customers", "scandal", "regulator", "fine",
           "trust", "comeback", "investigation", "privacy", "safety", "strike", "bank"]  # fmt: skip
SITUATIONS = ["an e-commerce company, customer data leaked, the ministry is asking questions",
              "a food maker recalls a contaminated product after children fall ill",
              "a bank's system error changed customer balances overnight",
              "a celebrity arrested for drugs plans a comeback"]  # fmt: skip
MAX_SESSIONS, MAX_SECONDS = 40, 600
TICK = os.sysconf("SC_CLK_TCK")

# Records each change of the app's script state with its time (performance.now()), and
# each message the page's websocket receives. The rerun an action caused has ended when a
# change away from "running" follows the action, or, for a rerun too quick for the page to
# show "running" at all, when messages came and then none for QUIET ms.
OBSERVER = """
window.__runs = [];
window.__msgs = [];
new MutationObserver(records => {
  for (const r of records) window.__runs.push({old: r.oldValue, t: performance.now()});
}).observe(document, {attributes: true, subtree: true, attributeOldValue: true,
                      attributeFilter: ["data-test-script-state"]});
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", () => window.__msgs.push(performance.now()));
  }
};
"""
QUIET = 300
DONE = """t0 => {
  const app = document.querySelector('[data-test-script-state]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (window.__runs.some(r => r.t > t0 && r.old === 'running')) return true;
  const msgs = window.__msgs.filter(t => t > t0);
  return msgs.length > 0 && performance.now() - msgs[msgs.length - 1] > QUIET;
}""".replace("QUIET", str(QUIET))
ENDED = """t0 => Math.max(
  ...window.__runs.filter(r => r.t > t0 && r.old === 'running').map(r => r.t),
  ...window.__msgs.filter(t => t > t0))"""


# The floor: a trivial page with the widgets the sessions use (a text box, a filter, ten
# lines of Markdown, a next button), served by plain `streamlit run`.
TRIVIAL = """
import streamlit as st
st.title("Comeback Case Archive")
q = st.text_input("Search", key="q")
with st.sidebar:
    st.multiselect("Outcome", ["Recovered (3)", "Ongoing (2)", "Not recovered (1)"], key="f_outcome")
for i in range(10):
    st.markdown(f"**Result {i}** for {q!r}: a line of text about a case.")
st.button("Next", key="next", on_click=lambda: st.session_state.update(p=st.session_state.get("p", 0) + 1))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the server ----------------------------------------------------------------------------


class Server:
    """The app under test, started in its own process group and stopped with it."""

    def __init__(self, target: str, cases: Path, index: Path, replicas: int, log: Path):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
        env.update(ARCHIVE_CASES_DIR=str(cases), ARCHIVE_INDEX_DIR=str(index),
                   ARCHIVE_PYTHON=sys.executable)  # fmt: skip
        py = sys.executable
        flags = ["--server.address", "127.0.0.1", "--server.headless", "true",
                 "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
        if target in ("cold", "trivial"):
            script = ROOT / "streamlit_app.py"
            if target == "trivial":
                script = log.parent / "trivial_app.py"
                script.write_text(TRIVIAL, encoding="utf-8")
            cmd = [py, "-m", "streamlit", "run", str(script), "--server.port", str(self.port),
                   *flags]  # fmt: skip
        elif target == "single":
            cmd = [py, "-m", "archive.cli", "serve", "--port", str(self.port), *flags]
        else:
            cmd = [str(ROOT / "deploy" / "run"), "--replicas", str(replicas),
                   "--port", str(self.port), "--skip-index"]  # fmt: skip
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        try:
            self.ready_after = self._wait_healthy(log)
        except BaseException:
            self.stop()
            raise

    def _wait_healthy(self, log: Path) -> float:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped: {log.read_text()[-3000:]}")
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return time.monotonic() - self.started
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"no health answer in 180 s: {log.read_text()[-3000:]}")

    def cpu_seconds(self) -> float:
        """User + system CPU of every process in the server's session (the app processes,
        their children and the proxy)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.proc.pid:  # the session id: start_new_session above
                total += int(fields[11]) + int(fields[12])
        return total / TICK

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


# -- the sessions --------------------------------------------------------------------------


@dataclass
class Tally:
    """Latencies (seconds) by kind of interaction, and the errors seen."""

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.times.setdefault(kind, []).append(seconds)

    def count(self) -> int:
        return sum(len(v) for v in self.times.values())

    def summary(self) -> dict:
        out = {}
        for kind, values in sorted(self.times.items()):
            values = sorted(values)
            out[kind] = {
                "n": len(values),
                "p50_ms": round(1000 * statistics.median(values), 1),
                "p95_ms": round(1000 * values[min(len(values) - 1, int(0.95 * len(values)))], 1),
            }
        return out


async def new_context(browser):
    """A browser context of its own (cookies, cache: another person) that records reruns."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(OBSERVER)
    return context


async def _timed(page, action) -> float:
    t0 = await page.evaluate("performance.now()")
    await action()
    await page.wait_for_function(DONE, arg=t0, timeout=120_000, polling=20)
    t1 = await page.evaluate(ENDED, t0)
    return (t1 - t0) / 1000


async def open_session(context, url: str, tally: Tally):
    page = await context.new_page()
    page.set_default_timeout(120_000)
    t0 = time.perf_counter()
    await page.goto(f"{url}/?q={random.choice(QUERIES).replace(' ', '+')}")
    await page.wait_for_function(DONE, arg=0, timeout=120_000, polling=20)
    await page.locator(".st-key-q input").wait_for()
    await page.locator(".st-key-f_outcome").wait_for()
    tally.add("page load", time.perf_counter() - t0)
    return page


async def new_query(page, tally: Tally, word: str) -> None:
    box = page.locator(".st-key-q input")
    if (await box.input_value()).strip() == word:  # the same query would not rerun
        word = f"{word} crisis"

    async def act():
        await box.fill(word)
        await box.press("Enter")

    tally.add("new query", await _timed(page, act))


async def next_page(page, tally: Tally) -> bool:
    button = page.locator(".st-key-next button")
    if not await button.count() or await button.is_disabled():
        return False
    tally.add("page change", await _timed(page, button.click))
    return True


async def toggle_filter(page, tally: Tally, chosen: dict) -> bool:
    """Add the first outcome offered, or take the chosen one away; ``chosen`` remembers,
    per page, which was done last."""
    box = page.locator(".st-key-f_outcome")
    if chosen.get(id(page)):
        remove = box.locator('button[aria-label^="Remove"]:visible').first
        if not await remove.count():
            chosen[id(page)] = False
            return False
        tally.add("filter", await _timed(page, remove.click))
        chosen[id(page)] = False
        return True
    await box.click()
    # One value (the options end in their count; "Select all" does not)
    option = page.get_by_role("option").filter(has_text=re.compile(r"\(\d+\)$")).first
    try:
        await option.wait_for(timeout=5_000)
    except Exception:  # nothing to pick in these results
        await page.keyboard.press("Escape")
        return False
    tally.add("filter", await _timed(page, option.click))
    await page.keyboard.press("Escape")
    chosen[id(page)] = True
    return True


OPENING = 3  # sessions opening at once: a page load costs the browser more than the server


async def open_sessions(browser, url: str, count: int, tally: Tally) -> list:
    """``count`` sessions opened (a few at a time); their page loads go into ``tally``."""
    gate = asyncio.Semaphore(OPENING)

    async def one():
        async with gate:
            context = await new_context(browser)
            try:
                return await open_session(context, url, tally)
            except Exception as exc:
                tally.errors.append(f"opening: {type(exc).__name__}: {str(exc)[:300]}")
                await context.close()
                return None

    return [p for p in await asyncio.gather(*(one() for _ in range(count))) if p is not None]


async def interact(page, tally: Tally, until: float, seed: int) -> None:
    """One person: query, next page, filter, again, as fast as the answers come."""
    rnd = random.Random(seed)
    step, chosen = 0, {}
    try:
        while time.monotonic() < until:
            kind = step % 3
            step += 1
            if kind == 0:
                await new_query(page, tally, rnd.choice(QUERIES))
            elif kind == 1:
                await next_page(page, tally)
            else:
                await toggle_filter(page, tally, chosen)
            alert = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
            if await alert.count():
                tally.errors.append((await alert.first.inner_text())[:300])
    except Exception as exc:  # a lost session is a finding, not a crash of the test
        tally.errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")


# -- the phases ----------------------------------------------------------------------------


async def phase_first_page(server: Server, browser) -> dict:
    context = await new_context(browser)
    tally = Tally()
    start = time.perf_counter()
    page = await context.new_page()
    await page.goto(server.url)
    await page.get_by_role("heading", name="Comeback Case Archive").wait_for(timeout=120_000)
    seconds = time.perf_counter() - start
    del page, tally
    await context.close()
    return {"health_after_start_s": round(server.ready_after, 2),
            "heading_after_request_s": round(seconds, 2)}  # fmt: skip


async def phase_cost(server: Server, browser, repeat: int) -> dict:
    """One session; each kind of interaction repeated alone: server CPU per interaction."""
    out = {}
    context = await new_context(browser)
    page = await open_session(context, server.url, Tally())  # warm the browser's cache
    await context.close()

    async def measure(kind: str, run) -> None:
        tally = Tally()
        cpu0 = server.cpu_seconds()
        done = await run(tally)
        cpu = server.cpu_seconds() - cpu0
        out[kind] = {
            **tally.summary().get(kind, {}),
            "server_cpu_ms": round(1000 * cpu / max(done, 1), 1),
        }

    async def page_loads(tally: Tally) -> int:
        for _ in range(repeat):
            ctx = await new_context(browser)
            await open_session(ctx, server.url, tally)
            await ctx.close()
        return repeat

    primed = await new_context(browser)  # its browser cache holds the app's files
    await (await open_session(primed, server.url, Tally())).close()

    async def cached_loads(tally: Tally) -> int:
        """A new session in a new tab of the same browser: its static files are cached."""
        inner = Tally()
        for _ in range(repeat):
            page = await open_session(primed, server.url, inner)
            await page.close()
        tally.times["page load, files cached"] = inner.times["page load"]
        return repeat

    context = await new_context(browser)
    page = await open_session(context, server.url, Tally())

    async def queries(tally: Tally) -> int:
        for i in range(repeat):
            await new_query(page, tally, QUERIES[i % len(QUERIES)])
        return repeat

    async def pages(tally: Tally) -> int:
        await new_query(page, Tally(), "crisis")
        done = 0
        while done < repeat and await next_page(page, tally):
            done += 1
        return done

    async def filters(tally: Tally) -> int:
        await new_query(page, Tally(), "")
        done, chosen = 0, {}
        for _ in range(repeat):
            done += await toggle_filter(page, tally, chosen)
        return done

    async def situations(tally: Tally) -> int:
        """The precedent finder: a new situation typed and submitted each time."""
        finder = await context.new_page()
        await finder.goto(f"{server.url}/precedents")
        box = finder.locator(".st-key-fp_text textarea")
        await box.wait_for()
        await finder.wait_for_function(DONE, arg=0, timeout=120_000, polling=20)
        for i in range(repeat):

            async def act(i=i):
                await box.fill(f"{SITUATIONS[i % len(SITUATIONS)]} {i}")
                await finder.get_by_role("button", name="Find precedents").click()

            tally.add("finder situation", await _timed(finder, act))
        await finder.close()
        return repeat

    await measure("page load", page_loads)
    await measure("page load, files cached", cached_loads)
    await primed.close()
    await measure("new query", queries)
    await measure("page change", pages)
    await measure("filter", filters)
    await measure("finder situation", situations)
    await context.close()
    return out


async def phase_load(
    server: Server, browser, sessions: int, seconds: float, rebuild: list[str] | None = None
) -> dict:
    """The sessions are opened first (their page loads reported apart); then every one
    interacts for ``seconds``, and only that part counts for the throughput and the CPU.
    ``rebuild``: a command (``archive index --rebuild``) started with the interactions; its
    CPU is not the server's (it is another process), its exit status is reported."""
    loads = Tally()
    pages = await open_sessions(browser, server.url, sessions, loads)
    tally = Tally(errors=loads.errors)
    cpu0, start = server.cpu_seconds(), time.monotonic()
    until = start + seconds
    writer = None
    if rebuild:
        writer = await asyncio.create_subprocess_exec(
            *rebuild, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
    await asyncio.gather(*(interact(p, tally, until, i) for i, p in enumerate(pages)))
    for page in pages:
        await page.context.close()
    wall = time.monotonic() - start
    cpu = server.cpu_seconds() - cpu0
    rebuilt = None
    if writer is not None:
        _, err = await writer.communicate()
        rebuilt = {"exit": writer.returncode, "seconds": round(time.monotonic() - start, 1),
                   "stderr": err.decode()[-500:]}  # fmt: skip
    n = tally.count()
    every = [t for values in tally.times.values() for t in values]
    return {
        "sessions": sessions,
        "sessions_open": len(pages),
        "seconds": round(wall, 1),
        "interactions": n,
        "per_second": round(n / wall, 2),
        "p50_ms": round(1000 * statistics.median(every), 1) if every else None,
        "p95_ms": round(1000 * sorted(every)[int(0.95 * (len(every) - 1))], 1) if every else None,
        "server_cpu_ms_per_interaction": round(1000 * cpu / max(n, 1), 1),
        "server_cpu_share": round(cpu / wall, 2),
        "by_kind": tally.summary(),
        "page_loads": loads.summary().get("page load"),
        "errors": tally.errors,
        **({"rebuild": rebuilt} if rebuilt else {}),
    }


async def run(args) -> dict:
    from playwright.async_api import async_playwright

    work = Path(tempfile.mkdtemp(prefix="archive-load-"))
    results: dict = {"target": args.target, "replicas": args.replicas, "cases": str(args.cases)}
    try:
        index = args.index or work / "index"
        if args.index is None:  # built before the server starts: the first page is timed warm
            env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
            subprocess.run([sys.executable, "-m", "archive.cli", "--cases-dir", str(args.cases),
                            "--index-dir", str(index), "index"], check=True, env=env,
                           capture_output=True)  # fmt: skip
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            if "first-page" in args.phases:
                server = Server(args.target, args.cases, index, args.replicas, work / "first.log")
                try:
                    results["first_page"] = await phase_first_page(server, browser)
                finally:
                    server.stop()
            server = Server(args.target, args.cases, index, args.replicas, work / "server.log")
            rebuild = None
            if args.rebuild_during:  # the writer: a full rebuild of the index the app reads
                rebuild = [sys.executable, "-m", "archive.cli", "--cases-dir", str(args.cases),
                           "--index-dir", str(index), "index", "--rebuild"]  # fmt: skip
            try:
                if "cost" in args.phases:
                    results["cost"] = await phase_cost(server, browser, args.repeat)
                if "load" in args.phases:
                    results["load"] = [
                        await phase_load(server, browser, n, args.seconds, rebuild)
                        for n in args.sessions
                    ]
            finally:
                server.stop()
            await browser.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cases", type=Path, default=ROOT / "cases")
    ap.add_argument("--index", type=Path, help="an index already built (default: build one)")
    ap.add_argument("--target", choices=("single", "cold", "replicas", "trivial"), default="single")
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--phases", nargs="+", choices=("first-page", "cost", "load"),
                    default=["first-page", "cost", "load"])  # fmt: skip
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--repeat", type=int, default=10, help="interactions per kind in 'cost'")
    ap.add_argument("--rebuild-during", action="store_true",
                    help="run 'archive index --rebuild' during each load phase")  # fmt: skip
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    args = ap.parse_args(argv)
    if max(args.sessions) > MAX_SESSIONS or args.seconds > MAX_SECONDS:
        ap.error(f"at most {MAX_SESSIONS} sessions and {MAX_SECONDS} s per phase")
    if not Path(CHROMIUM).exists():
        ap.error(f"{CHROMIUM} is missing: apt-get install chromium")
    args.cases = args.cases.absolute()
    results = asyncio.run(run(args))
    print(json.dumps(results, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
