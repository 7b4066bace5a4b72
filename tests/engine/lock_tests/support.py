"""What CPython's ``lock_tests`` takes from ``test.support`` and ``_thread``, on the engine's terms.

Threads are started through ``threading.Thread.start`` (which the engine manages), and every wait
loop sleeps with ``time.sleep`` (the engine's virtual clock), so a loop that waits for other
threads lets them run and never takes real time.
"""

from __future__ import annotations

import threading
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: The threads started through :func:`start_new_thread` that may still be running.
_started: list[threading.Thread] = []


def start_new_thread(function: Callable[..., Any], args: tuple[Any, ...],
                     kwargs: dict[str, Any] | None = None) -> int:
    """``_thread.start_new_thread`` through ``threading.Thread`` (so the engine manages it)."""
    thread = threading.Thread(target=function, args=args, kwargs=kwargs or {}, daemon=True)
    thread.start()
    _started.append(thread)
    return thread.ident or 0


def sleeping_retry(timeout: float, err_msg: str | None = None, *, init_delay: float = 0.010,
                   max_delay: float = 1.0, error: bool = True) -> Iterator[None]:
    """``test.support.sleeping_retry``: yield until the caller breaks, sleeping (virtual time)
    with exponential backoff in between; fail once ``timeout`` seconds have passed."""
    delay = init_delay
    deadline = time.monotonic() + timeout
    while True:
        yield
        if time.monotonic() >= deadline:
            if error:
                raise AssertionError(f"timeout ({timeout:g} s){': ' + err_msg if err_msg else ''}")
            break
        time.sleep(delay)
        delay = min(delay * 2, max_delay)


def _running() -> list[threading.Thread]:
    return [t for t in _started if t.is_alive()]


@contextmanager
def wait_threads_exit(timeout: float | None = None) -> Iterator[None]:
    """Wait, on exit, until the threads started inside the block have finished."""
    before = set(map(id, _running()))
    yield
    for _ in sleeping_retry(60.0 if timeout is None else timeout, "threads did not exit"):
        if not [t for t in _running() if id(t) not in before]:
            break


def threading_setup() -> tuple[int]:
    """The number of helper threads alive before a test."""
    return (len(_running()),)


def threading_cleanup(count: int) -> None:
    """Wait until no more helper threads are alive than before the test (none leaked)."""
    for _ in sleeping_retry(60.0, "a test left helper threads running"):
        if len(_running()) <= count:
            break
    _started[:] = _running()


support = types.SimpleNamespace(
    SHORT_TIMEOUT=30.0, LONG_TIMEOUT=5 * 60.0,
    # the controlled primitives have `_at_fork_reinit`; nothing forks under the engine
    has_fork_support=True,
    sleeping_retry=sleeping_retry,
    reap_children=lambda: None,  # no child processes are started
)
threading_helper = types.SimpleNamespace(
    wait_threads_exit=wait_threads_exit,
    threading_setup=threading_setup,
    threading_cleanup=threading_cleanup,
)
