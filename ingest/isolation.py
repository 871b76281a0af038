"""Run parses in child worker processes; a parse that overruns its time bound has its worker killed, never the batch."""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from vetting.kernel.errors import ParseTimeout, UnreadableDocument, VettingError

__all__ = ["run_isolated", "shutdown_workers"]

T = TypeVar("T")
_PRELOAD = ["ingest.loaders"]  # imported once by the fork server, so every worker starts with the parsers loaded
_START_TIMEOUT_S = 120.0  # starting a worker (not counted in the parse bound)
_TASKS_PER_WORKER = 200  # a worker is replaced after this many parses, so no leak can build up
_MAX_IDLE = 2
_MEMORY_CAP = 3 * 1024**3  # bytes of address space per worker
_log = logging.getLogger(__name__)
_lock = threading.Lock()
_idle: list[_Worker] = []
_context: Any = None
_unavailable = False


class _StartFailed(Exception):
    """The worker process could not be started in this environment."""


def _get_context() -> Any:
    """A fork-server context where available (workers fork from a small clean process, never from a threaded app)."""
    global _context
    if _context is None:
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        _context = multiprocessing.get_context(method)
        if method == "forkserver":
            _context.set_forkserver_preload(_PRELOAD)
    return _context


def _limit_memory() -> None:
    """Cap the worker's address space, so a decompression bomb ends in MemoryError instead of exhausting the host."""
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = _MEMORY_CAP if hard == resource.RLIM_INFINITY else min(_MEMORY_CAP, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):  # not available on this platform: the time bound still applies
        pass


def _serve(conn: Connection) -> None:
    """Worker loop: answer each (func, args, label) with ("ok", result) or ("error", VettingError) until EOF."""
    _limit_memory()
    conn.send("ready")
    while True:
        try:
            func, args, label = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", func(*args))
        except VettingError as exc:
            reply = ("error", exc)
        except MemoryError:
            reply = ("error", UnreadableDocument(f"{label} needs too much memory to read; it may be damaged."))
        except RecursionError:
            reply = ("error", UnreadableDocument(f"{label} is nested too deeply to read; it may be damaged."))
        except Exception as exc:
            reply = ("error", UnreadableDocument(f"{label} could not be read ({type(exc).__name__})."))
        conn.send(reply)


class _Worker:
    """One child process and its pipe."""

    def __init__(self) -> None:
        context = _get_context()
        self.conn, child_end = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child_end,), daemon=True, name="document-parser")
        self.tasks = 0
        try:
            self.process.start()
        except (OSError, AssertionError) as exc:  # e.g. a daemonic caller, which may not have children
            raise _StartFailed(str(exc)) from exc
        finally:
            child_end.close()
        try:
            ready = self.conn.poll(_START_TIMEOUT_S) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise _StartFailed("the worker did not start")

    def kill(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


def _acquire() -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.process.is_alive():
                return worker
            worker.kill()
    return _Worker()


def _release(worker: _Worker) -> None:
    with _lock:
        if worker.tasks < _TASKS_PER_WORKER and len(_idle) < _MAX_IDLE:
            _idle.append(worker)
            return
    worker.kill()


@atexit.register
def shutdown_workers() -> None:
    """Stop every idle worker (they also exit by themselves when this process goes away)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.kill()


def run_isolated(func: Callable[..., T], args: tuple[Any, ...], timeout_s: float, label: str) -> T:
    """`func(*args)` in a worker process; ParseTimeout after `timeout_s` seconds (that worker is killed)."""
    global _unavailable
    try:
        if _unavailable:
            raise _StartFailed("worker processes are unavailable here")
        worker = _acquire()
    except _StartFailed as exc:
        _unavailable = True
        _log.warning("parsing %s in this process, without a time bound: %s", label, exc)
        return _in_process(func, args, label)
    healthy = False
    try:
        worker.conn.send((func, args, label))
        worker.tasks += 1
        if not worker.conn.poll(timeout_s):
            raise ParseTimeout(
                f"{label} took longer than {timeout_s:g} seconds to read and was stopped; the file may be damaged "
                "or built to be slow. Ask for a re-saved copy."
            )
        status, payload = worker.conn.recv()
        healthy = True
    except (EOFError, OSError) as exc:
        raise UnreadableDocument(f"{label} could not be read: the reader stopped unexpectedly.") from exc
    finally:
        if healthy:
            _release(worker)
        else:
            worker.kill()
    if status == "ok":
        return payload
    raise payload


def _in_process(func: Callable[..., T], args: tuple[Any, ...], label: str) -> T:
    try:
        return func(*args)
    except VettingError:
        raise
    except Exception as exc:
        raise UnreadableDocument(f"{label} could not be read ({type(exc).__name__}).") from exc
