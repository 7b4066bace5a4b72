"""Ready-made threaded programs for live demos: each returns a one-line result to show.

    demo(demos.counter, threads=(1, 16, 4), iterations=(100, 5000, 1000), locked=True)

Threads are named T1, T2, ... so that lanes keep their names from one run to the next.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable

from course.recording.recorder import label


def run_threads(target: Callable[[int], None], n: int) -> None:
    """Start ``n`` threads running ``target(i)`` (named T1..Tn) and wait for all of them."""
    threads = [threading.Thread(target=target, args=(i,), name=f"T{i + 1}") for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def counter(threads: int = 4, iterations: int = 1000, locked: bool = True) -> str:
    """Threads increment a shared counter, with or without a lock."""
    lock = label(threading.Lock(), "counter lock")
    box = [0]

    def work(_i: int) -> None:
        for _ in range(iterations):
            if locked:
                with lock:
                    box[0] += 1
            else:
                box[0] += 1

    run_threads(work, threads)
    expected = threads * iterations
    lost = expected - box[0]
    return f"counter = {box[0]:,} (expected {expected:,}; {lost:,} updates lost)"


def pool(threads: int = 6, size: int = 2, work_ms: float = 2.0) -> str:
    """Threads share ``size`` connections through a semaphore; each works ``work_ms``."""
    sem = label(threading.Semaphore(size), "pool")
    peak, inside, guard = [0], [0], threading.Lock()

    def work(_i: int) -> None:
        with sem:
            with guard:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            time.sleep(work_ms / 1000)
            with guard:
                inside[0] -= 1

    label(guard, "stats lock")
    run_threads(work, threads)
    return f"at most {peak[0]} of {threads} threads held a connection at once (pool of {size})"


def start_gate(threads: int = 4, delay_ms: float = 5.0) -> str:
    """Workers wait on an Event that the main thread sets after ``delay_ms``."""
    go = label(threading.Event(), "go")
    started: list[float] = []

    def work(_i: int) -> None:
        go.wait()
        started.append(time.perf_counter())

    workers = [threading.Thread(target=work, args=(i,), name=f"T{i + 1}")
               for i in range(threads)]
    for t in workers:
        t.start()
    time.sleep(delay_ms / 1000)
    go.set()
    for t in workers:
        t.join()
    spread = (max(started) - min(started)) * 1000 if started else 0.0
    return f"{threads} workers released together, within {spread:.2f} ms"


def transfers(threads: int = 2, rounds: int = 10, ordered: bool = False,
              timeout_ms: float = 5.0) -> str:
    """Threads move money between two accounts, each taking both locks.

    Unordered, they can deadlock: here each waits at most ``timeout_ms`` for the second lock,
    then backs off, so the demo never hangs and the timeouts show where a deadlock would be.
    """
    locks = [label(threading.Lock(), "account A"), label(threading.Lock(), "account B")]
    gave_up = [0]

    def work(i: int) -> None:
        first, second = (locks[0], locks[1]) if ordered or i % 2 == 0 else (locks[1], locks[0])
        rng = random.Random(i)
        done = tries = 0
        while done < rounds and tries < 3 * rounds:
            tries += 1
            with first:
                time.sleep(0.0002)  # widen the window in which the other thread can interleave
                if second.acquire(timeout=timeout_ms / 1000):
                    second.release()
                    done += 1
                else:
                    gave_up[0] += 1
            time.sleep(rng.uniform(0.0001, 0.002))  # back off, each thread its own time

    run_threads(work, threads)
    order = "in one order" if ordered else "in opposite orders"
    return f"locks taken {order}: {gave_up[0]} times a thread gave up waiting (would-be deadlocks)"


def bounded_buffer(producers: int = 2, consumers: int = 2, capacity: int = 2,
                   items: int = 20) -> str:
    """Producers and consumers share a buffer guarded by a Condition."""
    cond = label(threading.Condition(), "buffer")
    buf: deque[int] = deque()
    got: list[int] = []
    per_producer = items // max(producers, 1)
    total = per_producer * producers
    per_consumer = [total // consumers + (1 if i < total % consumers else 0)
                    for i in range(consumers)]

    def produce(i: int) -> None:
        for k in range(per_producer):
            with cond:
                cond.wait_for(lambda: len(buf) < capacity)
                buf.append(i * per_producer + k)
                cond.notify_all()

    def consume(i: int) -> None:
        for _ in range(per_consumer[i]):
            with cond:
                cond.wait_for(lambda: len(buf) > 0)
                got.append(buf.popleft())
                cond.notify_all()

    ts = [threading.Thread(target=produce, args=(i,), name=f"P{i + 1}") for i in range(producers)]
    ts += [threading.Thread(target=consume, args=(i,), name=f"C{i + 1}") for i in range(consumers)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return f"{len(got)} of {total} items passed through a buffer of {capacity}"
