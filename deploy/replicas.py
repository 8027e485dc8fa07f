"""N app processes behind HAProxy, started and stopped together (``deploy/run``).

1. The index is brought up to date once (``archive index``), before any replica starts: the
   replicas then only read it (readers never block each other; a later change of the case
   files is picked up by whichever replica sees it first, under the index's write lock).
2. N replicas start warm (``archive serve``) on the ports after the proxy's, bound to
   127.0.0.1, sharing one cookie secret (a session that moves keeps its XSRF cookie valid).
3. HAProxy (Debian's package) listens on ``--address:--port`` with session affinity: a
   cookie set on the page sends the websocket that follows to the same replica.

A replica that exits is started again (its sessions reconnect through the proxy to another
one meanwhile and rebuild their view from the URL); ``replicas.json`` in the logs folder
names each one's process and port. SIGTERM or SIGINT stops the proxy first,
then the replicas, and exits 0; the folders are found as the command line finds them
(``--cases-dir``/``--index-dir``, else ARCHIVE_CASES_DIR/ARCHIVE_INDEX_DIR, else ./cases).

    deploy/run --replicas 2 --port 8501
    deploy/run --replicas 4 --address 0.0.0.0 --cases-dir /srv/archive/cases
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESTART_PAUSE = 1.0  # seconds before a replica that exited is started again


def log(message: str) -> None:
    print(f"deploy/run: {message}", file=sys.stderr, flush=True)


def healthy(port: int) -> bool:
    try:
        url = f"http://127.0.0.1:{port}/_stcore/health"
        return urllib.request.urlopen(url, timeout=2).read() == b"ok"
    except OSError:
        return False


class Replica:
    """One ``archive serve`` process on its own port."""

    def __init__(self, number: int, port: int, env: dict[str, str], logs: Path):
        self.number, self.port, self.env, self.logs = number, port, env, logs
        self.proc: subprocess.Popen | None = None
        self.started = 0.0

    def start(self) -> None:
        out = open(self.logs / f"replica-{self.number}.log", "a")  # noqa: SIM115 - the child owns it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "archive.cli", "serve", "--port", str(self.port),
             "--address", "127.0.0.1"],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        out.close()
        self.started = time.monotonic()

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not healthy(self.port):
            if self.proc is None or self.proc.poll() is not None:
                raise SystemExit(f"replica {self.number} exited; see {self.logs}")
            if time.monotonic() > deadline:
                raise SystemExit(f"replica {self.number} not healthy after {timeout:.0f} s")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()


def haproxy_config(address: str, port: int, replicas: list[Replica]) -> str:
    servers = "\n".join(
        f"    server r{r.number} 127.0.0.1:{r.port} cookie r{r.number}" for r in replicas
    )
    text = (HERE / "haproxy.cfg.in").read_text(encoding="utf-8")
    return (
        text.replace("@ADDRESS@", address).replace("@PORT@", str(port))
        .replace("@SERVERS@", servers)
    )  # fmt: skip


def build_index(env: dict[str, str]) -> None:
    """The one writer: the index brought up to date before the readers start."""
    done = subprocess.run([sys.executable, "-m", "archive.cli", "index"], cwd=ROOT, env=env)
    if done.returncode not in (0, 1):  # 1: some case files skipped, the index is usable
        raise SystemExit(f"archive index failed (exit {done.returncode})")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="deploy/run", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    ap.add_argument("--replicas", type=int, default=2, help="app processes (about one per core)")
    ap.add_argument("--port", type=int, default=8501, help="the proxy's port")
    ap.add_argument("--address", default="127.0.0.1", help="the proxy's address")
    ap.add_argument("--first-port", type=int, help="the first replica's port [default: port+1]")
    ap.add_argument("--cases-dir", type=Path)
    ap.add_argument("--index-dir", type=Path)
    ap.add_argument("--skip-index", action="store_true",
                    help="do not run 'archive index' first (the index is kept up to date elsewhere)")  # fmt: skip
    ap.add_argument("--haproxy", default=shutil.which("haproxy") or "/usr/sbin/haproxy")
    ap.add_argument("--logs", type=Path, help="folder for the logs [default: a temporary one]")
    args = ap.parse_args(argv)
    if not 1 <= args.replicas <= 32:
        ap.error("--replicas must be 1-32")
    if not Path(args.haproxy).exists():
        ap.error(f"{args.haproxy}: no haproxy (Debian: apt-get install haproxy)")
    return args


def environment(args: argparse.Namespace) -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from archive.locations import locate

    folders = locate(args.cases_dir, args.index_dir)
    if not folders.cases.is_dir():
        raise SystemExit(f"{folders.cases}: no such folder of case files (see --cases-dir)")
    env = dict(os.environ)
    env["ARCHIVE_CASES_DIR"] = str(folders.cases.absolute())
    env["ARCHIVE_INDEX_DIR"] = str(folders.index.absolute())
    # One secret for every replica: the XSRF cookie one replica set is valid on the others.
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    return env


def write_status(logs: Path, proxy: subprocess.Popen, replicas: list[Replica]) -> None:
    """logs/replicas.json: the proxy's and each replica's process id and port (replaced
    whole, so a reader never sees half of it)."""
    status = {
        "proxy": proxy.pid,
        "replicas": [{"name": f"r{r.number}", "port": r.port, "pid": r.proc.pid}
                     for r in replicas if r.proc is not None],
    }  # fmt: skip
    tmp = logs / ".replicas.json.tmp"
    tmp.write_text(json.dumps(status, indent=1), encoding="utf-8")
    tmp.replace(logs / "replicas.json")


def supervise(
    proxy: subprocess.Popen, replicas: list[Replica], stopping: list[bool], logs: Path
) -> None:
    """Until a stop signal: restart replicas that exit; stop if the proxy exits."""
    write_status(logs, proxy, replicas)
    while not stopping:
        if proxy.poll() is not None:
            log(f"haproxy exited with {proxy.returncode}")
            stopping.append(True)
            break
        for r in replicas:
            if r.proc is not None and r.proc.poll() is not None:
                log(f"replica {r.number} exited with {r.proc.returncode}; starting it again")
                time.sleep(RESTART_PAUSE)
                r.start()
                write_status(logs, proxy, replicas)
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = environment(args)
    logs = args.logs or Path(tempfile.mkdtemp(prefix="archive-deploy-"))
    logs.mkdir(parents=True, exist_ok=True)
    stopping: list[bool] = []

    def stop(signum, _frame) -> None:
        stopping.append(True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if not args.skip_index:
        build_index(env)
    first = args.first_port or args.port + 1
    replicas = [Replica(i + 1, first + i, env, logs) for i in range(args.replicas)]
    proxy = None
    try:
        for r in replicas:
            r.start()
        for r in replicas:
            r.wait_healthy(300)
        config = logs / "haproxy.cfg"
        config.write_text(haproxy_config(args.address, args.port, replicas), encoding="utf-8")
        checked = subprocess.run([args.haproxy, "-c", "-q", "-f", str(config)])
        if checked.returncode != 0:
            raise SystemExit(f"haproxy refused {config}")
        proxy = subprocess.Popen([args.haproxy, "-db", "-f", str(config)])
        log(f"{len(replicas)} replicas behind http://{args.address}:{args.port} (logs: {logs})")
        supervise(proxy, replicas, stopping, logs)
    finally:
        if proxy is not None and proxy.poll() is None:
            proxy.terminate()
            proxy.wait(timeout=10)
        for r in replicas:
            r.stop()
        for r in replicas:
            if r.proc is not None:
                try:
                    r.proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    r.proc.kill()
        log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
