"""The replicas behind the proxy (deploy/run) in a real browser: affinity, a case file
change seen by every replica, a replica killed under a session, a clean stop.

Skipped (with the reason) where Debian's chromium or haproxy is missing; `.ci/run` installs
both.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, SOURCE_CASES, copy_cases
from .test_browser import ARGS, CHROMIUM, _free_port, settle

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.skipif(not Path(HAPROXY).exists(), reason="Debian haproxy is not installed"),
]
NEW_CASE = "zephyr-2020-quake-recall"


def _health(url: str) -> bool:
    try:
        return urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok"
    except OSError:
        return False


def _wait(check, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.2)


def _session_processes(leader: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == leader and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


@pytest.fixture
def deployment(tmp_path: Path):
    cases = copy_cases(*SOURCE_CASES, dest=tmp_path / "cases")
    port, logs = _free_port(), tmp_path / "logs"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
    env.update(ARCHIVE_PYTHON=sys.executable, ARCHIVE_CASES_DIR=str(cases),
               ARCHIVE_INDEX_DIR=str(tmp_path / "index"))  # fmt: skip
    out = open(tmp_path / "deploy.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(ROOT / "deploy" / "run"), "--replicas", "2", "--port", str(port), "--logs", str(logs)],
        cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _health(url) or proc.poll() is not None, "the proxy")
        assert proc.poll() is None, (tmp_path / "deploy.log").read_text()
        yield url, proc, logs, cases
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        out.close()


def _replicas(logs: Path) -> dict[str, dict]:
    return {r["name"]: r for r in json.loads((logs / "replicas.json").read_text())["replicas"]}


def _search(page, query: str) -> None:
    box = page.locator(".st-key-q input")
    box.fill(query)
    box.press("Enter")
    settle(page)


def test_replicas_behind_the_proxy(deployment, tmp_path: Path):
    url, proc, logs, cases = deployment
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in "ab"]
        pages = []
        for context in contexts:  # one after the other: the second goes to the idle replica
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{url}/?q=breach")
            page.get_by_text("Target's 2013 holiday card data breach").first.wait_for()
            settle(page)
            pages.append(page)
        served = [
            next(c["value"] for c in ctx.cookies() if c["name"] == "ARCHIVE_REPLICA")
            for ctx in contexts
        ]
        assert sorted(served) == ["r1", "r2"]  # affinity cookies, one session on each

        # A case added on disk is found through both replicas at the next interaction.
        text = (cases / "lux-accc-2012-unfair-sales.md").read_text(encoding="utf-8")
        text = text.replace("id: lux-accc-2012-unfair-sales", f"id: {NEW_CASE}")
        text = text.replace("title: Lux vacuum", "title: Zephyrquake Lux vacuum")
        (cases / f"{NEW_CASE}.md").write_text(text, encoding="utf-8")
        for page in pages:
            _search(page, "zephyrquake")
            page.get_by_text("Zephyrquake Lux vacuum").first.wait_for()

        # The replica under the first session is killed: the page reconnects through the
        # proxy to the other one and shows the same view, rebuilt from the URL.
        victim = _replicas(logs)[served[0]]
        os.kill(victim["pid"], signal.SIGKILL)
        page = pages[0]
        page.get_by_text("Zephyrquake Lux vacuum").first.wait_for()
        _search(page, "kebocoran data zephyrquake")
        _search(page, "zephyrquake")
        page.get_by_text("Zephyrquake Lux vacuum").first.wait_for()
        assert "q=zephyrquake" in page.url
        for p_ in pages:
            assert p_.locator('[data-testid="stException"]').count() == 0
        moved = next(c["value"] for c in contexts[0].cookies() if c["name"] == "ARCHIVE_REPLICA")
        assert moved == served[1]
        browser.close()

    # The supervisor started the killed replica again, healthy on its port.
    _wait(lambda: _replicas(logs)[served[0]]["pid"] != victim["pid"], "the restart")
    _wait(lambda: _health(f"http://127.0.0.1:{victim['port']}"), "the restarted replica")

    # SIGTERM stops the proxy and every replica; deploy/run exits 0.
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    _wait(lambda: not _session_processes(proc.pid), "every process to stop", 20)
    log = (tmp_path / "deploy.log").read_text()
    assert "starting it again" in log and "stopped" in log
