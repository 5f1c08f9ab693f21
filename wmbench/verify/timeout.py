"""Bounded-time math-verify: a small pool of worker processes, killed and replaced on a deadline.

math-verify's own timeouts use ``signal.alarm``, which only works on the main thread; lm-eval
and HTTP servers call the verifier from threads. Here each comparison runs in a child process
(``python -m wmbench.verify._worker``, one JSON line in, one out) with math-verify's timeouts
disabled, and the parent waits at most ``call_timeout`` seconds. A worker that misses the
deadline is killed; the next call starts a fresh one. Safe to call from any thread.

:func:`response_deadline` bounds all the calls made while grading one response: a call never
waits past it, and none starts once it has passed.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

Mode = Literal["scalar", "general", "full"]  # see wmbench.verify._worker

POOL_SIZE = max(1, min(4, os.cpu_count() or 1))
QUEUE_TIMEOUT = 60.0  # longest wait for a free worker when many threads grade at once
STARTUP_TIMEOUT = 120.0  # importing sympy on a busy CI machine can take many seconds


_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # where ``import wmbench`` works


class _Worker:
    def __init__(self) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wmbench.verify._worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )
        self._read(STARTUP_TIMEOUT)  # the worker says it is ready once math-verify is imported

    def _read(self, wait: float) -> dict:
        assert self.proc.stdout is not None
        with selectors.DefaultSelector() as selector:  # epoll: no FD_SETSIZE limit, unlike select()
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            ready = selector.select(wait)
        if not ready:
            self.kill()
            raise TimeoutError
        line = self.proc.stdout.readline()
        if not line:
            raise OSError("worker exited")
        return json.loads(line)

    def ask(self, gold: str, pred: str, deadline: float, mode: Mode) -> dict:
        """The worker's reply (``result``, ``extracted``), or raises TimeoutError / OSError."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {"gold": gold, "pred": pred, "mode": mode}
        self.proc.stdin.write((json.dumps(request) + "\n").encode())
        self.proc.stdin.flush()
        return self._read(deadline)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


_idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
_slots = threading.BoundedSemaphore(POOL_SIZE)
_all: list[_Worker] = []
_lock = threading.Lock()
_timeouts = threading.local()


def timeouts_in_this_thread() -> int:
    """How many calls from the current thread have hit their deadline so far."""
    return getattr(_timeouts, "count", 0)


@contextmanager
def response_deadline(seconds: float) -> Iterator[None]:
    """Calls from this thread inside the block end within ``seconds`` of entering it (nested blocks keep the earliest)."""
    previous = getattr(_timeouts, "deadline", None)
    ends = time.monotonic() + seconds
    _timeouts.deadline = ends if previous is None else min(previous, ends)
    try:
        yield
    finally:
        _timeouts.deadline = previous


def _time_left(call_timeout: float) -> float:
    deadline = getattr(_timeouts, "deadline", None)
    return call_timeout if deadline is None else min(call_timeout, deadline - time.monotonic())


def math_verify_equal(gold: str, pred: str, call_timeout: float | None = 3.0, *,
                      general: bool = False) -> bool | None:
    """math-verify's verdict on two LaTeX expressions; None if unparsable, on timeout or failure.

    ``general`` runs math-verify as lm-eval does on general maths (string answers, units);
    otherwise only sympy-parsed expressions count. ``call_timeout=None`` asks nothing (None):
    no worker process is started.
    """
    return _ask(gold, pred, call_timeout, "general" if general else "scalar").get("result")


def math_verify_response(gold: str, response: str, call_timeout: float | None = 3.0) -> tuple[bool | None, str | None]:
    """math-verify's own parse-and-verify of a whole response: (verdict, the answer it extracted)."""
    reply = _ask(gold, response, call_timeout, "full")
    return reply.get("result"), reply.get("extracted")


def _ask(gold: str, pred: str, call_timeout: float | None, mode: Mode) -> dict:
    if call_timeout is None:
        return {}
    call_timeout = _time_left(call_timeout)
    if call_timeout <= 0 or not _slots.acquire(timeout=min(QUEUE_TIMEOUT, call_timeout)):
        _timeouts.count = timeouts_in_this_thread() + 1
        return {}
    try:
        return _ask_idle_worker(gold, pred, call_timeout, mode)
    finally:
        _slots.release()


def _ask_idle_worker(gold: str, pred: str, call_timeout: float, mode: Mode) -> dict:
    try:
        worker = _idle.get_nowait()
    except queue.Empty:
        try:
            worker = _start()
        except (OSError, TimeoutError):
            return {}
    try:
        reply = worker.ask(gold, pred, call_timeout, mode)
    except TimeoutError:
        _retire(worker)
        _timeouts.count = timeouts_in_this_thread() + 1
        return {}
    except (OSError, ValueError, KeyError):
        _retire(worker)
        return {}
    _idle.put(worker)
    return reply


def warm_up() -> None:
    """Start every worker now (each takes about a second to import sympy) and compile each mode's parsers.

    The calls run in one thread per worker at once, so each worker gets its own (called one
    after another, they would all go to the first idle worker).
    """
    def one() -> None:
        math_verify_equal("1", "1")
        math_verify_equal("1", "1", general=True)
        math_verify_response("1", "The answer is $\\boxed{1}$.")

    threads = [threading.Thread(target=one, name=f"wmbench-warm-up-{i}") for i in range(POOL_SIZE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _start() -> _Worker:
    worker = _Worker()
    with _lock:
        _all.append(worker)
    return worker


def _retire(worker: _Worker) -> None:
    worker.kill()
    with _lock:
        if worker in _all:
            _all.remove(worker)


@atexit.register
def shutdown() -> None:
    """Stop every worker (also run at interpreter exit)."""
    with _lock:
        workers = list(_all)
        _all.clear()
    for worker in workers:
        try:
            worker.kill()
        except OSError:
            pass
    while not _idle.empty():
        _idle.get_nowait()
