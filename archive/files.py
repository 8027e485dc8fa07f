"""Whole-file writes that never leave a half-written file: the one helper for all of them.

The data goes to a temporary file in the same folder, is flushed and fsynced, and is then
renamed over the target; the folder is fsynced too, so the rename survives a crash. A
reader sees the old file or the new one, never a mix.

Example::

    >>> write_atomic(Path(".archive/CURRENT"), b"gen-000004\\n")
    >>> write_atomic(Path("editors.toml"), data, mode=0o600)  # readable by its owner only
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

CASE_EXTENSIONS = (".md", ".yaml", ".yml")  # the files in a cases folder that are cases


def temp_beside(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """A new hidden temporary file beside ``path`` holding ``data``, fsynced (not renamed)."""
    folder = path.parent if str(path.parent) else Path(".")
    stamp = dt.datetime.now().strftime("%H%M%S%f")
    tmp = folder / f".{path.name}.{os.getpid()}.{stamp}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)  # the umask does not loosen or tighten it
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def fsync_dir(folder: Path) -> None:
    """Make the folder's entries (a rename, a new link) durable."""
    fd = os.open(folder if str(folder) else ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes | str, mode: int = 0o644) -> None:
    """Write a whole file or leave the old one: a temp file beside it, fsync, rename, fsync
    the folder. ``str`` data is written as UTF-8."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = temp_beside(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


class FileLock:
    """An exclusive lock on a file, across processes (``fcntl.flock``): ``acquire`` waits up
    to ``timeout`` seconds and says whether it got the lock. The lock goes with the process."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self, timeout: float) -> bool:
        import fcntl
        import time

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(0.05)
                continue
            self._fd = fd
            return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
