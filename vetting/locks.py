"""Inter-process locks on local files (fcntl): the embedded store's one-writer rule, and writer liveness."""

from __future__ import annotations

import fcntl
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from vetting.kernel.errors import StoreBusy

_POLL_S = 0.02


def _flock(handle: IO[str], mode: int, timeout_s: float) -> bool:
    """Take an flock, polling until `timeout_s`; False when it could not be had in time."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(_POLL_S)


class StoreLock:
    """Readers share, a writer excludes, across processes and threads; a generation number says when others wrote.

    The embedded Chroma store keeps index state in each process's memory, so a process must reload it whenever
    another process has written since it last looked: `on_stale` is called (under the lock) in that case.
    """

    def __init__(self, path: Path, timeout_s: float, on_stale: Callable[[], None] | None = None) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self.on_stale = on_stale
        self._thread_lock = threading.RLock()
        self._handle: IO[str] | None = None
        self._mode = 0  # 0 unlocked, fcntl.LOCK_SH or fcntl.LOCK_EX while held by this process
        self._depth = 0
        self._seen: int | None = None

    def _open(self) -> IO[str]:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "a+", encoding="ascii")  # noqa: SIM115 - held for the process lifetime
        return self._handle

    def _generation(self, handle: IO[str]) -> int:
        handle.seek(0)
        text = handle.read().strip()
        return int(text) if text.isdigit() else 0

    def _busy(self) -> StoreBusy:
        return StoreBusy(
            f"The document store is busy: another program has been writing to it for over {self.timeout_s:g} "
            "seconds. Try again in a moment; for several users at once, run a Chroma server (see the README, "
            "Deployment)."
        )

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Hold the store for reading (other readers may read at the same time)."""
        with self._hold(fcntl.LOCK_SH):
            yield

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the store for writing: no other process reads or writes meanwhile."""
        with self._hold(fcntl.LOCK_EX):
            yield

    @contextmanager
    def _hold(self, mode: int) -> Iterator[None]:
        if not self._thread_lock.acquire(timeout=self.timeout_s):
            raise self._busy()
        try:
            if self._depth == 0:
                self._take(mode)
            elif mode == fcntl.LOCK_EX and self._mode != fcntl.LOCK_EX:
                raise RuntimeError("a store write may not start inside a store read")
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    fcntl.flock(self._open().fileno(), fcntl.LOCK_UN)
                    self._mode = 0
        finally:
            self._thread_lock.release()

    def _take(self, mode: int) -> None:
        handle = self._open()
        if not _flock(handle, mode, self.timeout_s):
            raise self._busy()
        self._mode = mode
        try:
            generation = self._generation(handle)
            if self._seen is not None and generation != self._seen and self.on_stale is not None:
                self.on_stale()
            if mode == fcntl.LOCK_EX:  # announce the write before making it: a writer killed midway still counts
                generation += 1
                handle.seek(0)
                handle.truncate()
                handle.write(str(generation))
                handle.flush()
            self._seen = generation
        except BaseException:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            self._mode = 0
            raise

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


# Marks held by this process, by directory: kept until the process exits, whatever happens to the objects using them.
_held_marks: dict[Path, tuple[str, IO[str]]] = {}
_marks_guard = threading.Lock()


class ProcessMark:
    """A lock file held for as long as this process lives; others test it to tell a crashed writer from a live one."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        with _marks_guard:
            held = _held_marks.get(directory.resolve())
        self.token = held[0] if held else f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    def _file(self, token: str) -> Path:
        return self.directory / (token.rsplit(":", 2)[-1] + ".lock")

    def hold(self) -> str:
        """Start holding this process's mark in the directory (idempotent) and return its token."""
        key = self.directory.resolve()
        with _marks_guard:
            held = _held_marks.get(key)
            if held is None:
                self.directory.mkdir(parents=True, exist_ok=True)
                handle = open(self._file(self.token), "w", encoding="utf-8")  # noqa: SIM115 - held for life
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
                handle.write(self.token)
                handle.flush()
                held = _held_marks[key] = (self.token, handle)
        self.token = held[0]
        return self.token

    def is_alive(self, token: str) -> bool | None:
        """True when the process that wrote `token` still runs, False when it died, None when it cannot be told here."""
        with _marks_guard:
            if any(token == mine for mine, _ in _held_marks.values()):
                return True
        if token.split(":", 1)[0] != socket.gethostname():
            return None
        path = self._file(token)
        try:
            handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            return None  # written under another data directory: only the age of its intents can tell
        with handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False

    def forget(self, token: str) -> None:
        """Remove the mark file of a dead process."""
        if self.is_alive(token) is False:
            self._file(token).unlink(missing_ok=True)
