"""Benchmark figures of the course package: ``python -m course.costs [--quick]``.

- recording overhead per operation (recorded minus plain, in one thread, uncontended);
- PNG render time of each picture;
- redraw time of the live demos at the lessons' default sizes (budget: 300 ms);
- a click on the scheduler board (when the engine is there).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")

from autograder.base.trace import Event, Trace, WaitEdge  # noqa: E402
from course.recording.recorder import record  # noqa: E402

REDRAW_BUDGET_MS = 300.0


def per_op_ns(body: Callable[[Any, int], None], factory: str, n: int,
              recording: dict[str, Any] | None = None) -> float:
    """Best of 5: nanoseconds per iteration of ``body(primitive, n)``, the primitive made by
    ``threading.<factory>`` plainly or (``recording`` = options) in a fresh recording each time."""
    best = float("inf")
    for _ in range(5):
        if recording is None:
            prim = getattr(threading, factory)()
            start = time.perf_counter()
            body(prim, n)
            best = min(best, time.perf_counter() - start)
            continue
        with record(**recording):
            prim = getattr(threading, factory)()
            start = time.perf_counter()
            body(prim, n)
            best = min(best, time.perf_counter() - start)
    return best / n * 1e9


def _with(lock: Any, n: int) -> None:
    for _ in range(n):
        with lock:
            pass


def _explicit(lock: Any, n: int) -> None:
    for _ in range(n):
        lock.acquire()
        lock.release()


def _event(ev: Any, n: int) -> None:
    ev.set()
    for _ in range(n):
        ev.wait()


def _notify(cond: Any, n: int) -> None:
    with cond:
        for _ in range(n):
            cond.notify()


OPERATIONS: list[tuple[str, str, Callable[[Any, int], None], int]] = [
    # (what, factory name, body, events per iteration)
    ("with lock: (acquire + release)", "Lock", _with, 2),
    ("lock.acquire(); lock.release()", "Lock", _explicit, 2),
    ("with rlock:", "RLock", _with, 2),
    ("with semaphore:", "Semaphore", _with, 2),
    ("event.wait() (already set)", "Event", _event, 1),
    ("condition.notify()", "Condition", _notify, 1),
]


def recording_overhead(n: int) -> list[tuple[str, float, float, float, int]]:
    """(operation, plain ns, recorded ns, recorded without lines ns, events) per iteration."""
    rows = []
    for what, factory, body, events in OPERATIONS:
        plain = per_op_ns(body, factory, n)
        rec_lines = per_op_ns(body, factory, n, {})
        rec_bare = per_op_ns(body, factory, n, {"lines": False})
        rows.append((what, plain, rec_lines, rec_bare, events))
    return rows


def timed_ms(fn: Callable[[], Any], repeat: int) -> float:
    """Median milliseconds of ``fn()``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def synthetic(threads: int, per_thread: int) -> Trace:
    """A crowded engine-like trace: ``threads`` lanes, three locks, acquire/release pairs."""
    events, step = [], 0
    for _ in range(per_thread):
        for t in range(threads):
            lock = f"Lock {t % 3 + 1}"
            for op in ("acquire", "release"):
                events.append(Event(step=step, thread=f"T{t + 1}", op=op, obj=lock,
                                    kind="Lock", time=step / 1000))
                step += 1
    return Trace(events=events, threads=[f"T{t + 1}" for t in range(threads)])


def deadlock_trace() -> Trace:
    rows = [("T1", "acquire", "a"), ("T2", "acquire", "b"), ("T1", "block", "b"),
            ("T2", "block", "a")]
    events = [Event(step=i, thread=t, op=op, obj=o, kind="Lock") for i, (t, op, o) in
              enumerate(rows)]
    return Trace(events=events, threads=["T1", "T2"], outcome="deadlock",
                 blocked={"T1": "b", "T2": "a"},
                 cycle=[WaitEdge("T1", "b", "T2"), WaitEdge("T2", "a", "T1")])


def render_times(repeat: int) -> list[tuple[str, float]]:
    """Figure + PNG milliseconds per picture."""
    from course.drawing.figures import png
    from course.drawing.table import interleaving_table
    from course.drawing.timeline import plot_timeline
    from course.drawing.waitfor import plot_wait_for
    from course.widgets import demos

    with record() as rec:
        demos.counter(threads=4, iterations=1000)
    real = rec.trace
    crowd = synthetic(16, 20)
    dl = deadlock_trace()
    return [
        (f"timeline, engine deadlock ({len(dl.events)} events)",
         timed_ms(lambda: png(plot_timeline(dl)), repeat)),
        (f"timeline, real run 4 threads ({len(real.events)} events)",
         timed_ms(lambda: png(plot_timeline(real)), repeat)),
        (f"timeline, 16 threads ({len(crowd.events)} events)",
         timed_ms(lambda: png(plot_timeline(crowd)), repeat)),
        ("wait-for graph, deadlock", timed_ms(lambda: png(plot_wait_for(dl)), repeat)),
        (f"interleaving table, HTML ({len(crowd.events)} events)",
         timed_ms(lambda: interleaving_table(crowd)._repr_html_(), repeat)),
    ]


#: The lessons' demos at their default sizes, as a lesson builds them.
DEMOS: list[tuple[str, str, dict[str, Any]]] = [
    ("counter, 4 threads x 1000, locked", "counter",
     {"threads": (1, 16, 4), "iterations": (100, 10_000, 1000), "locked": True}),
    ("counter, 16 threads x 1000 (max slider)", "counter",
     {"threads": (1, 16, 16), "iterations": (100, 10_000, 1000), "locked": True}),
    ("pool, 6 threads, 2 permits", "pool", {"threads": (1, 16, 6), "size": (1, 8, 2)}),
    ("start gate, 4 threads", "start_gate", {"threads": (1, 16, 4)}),
    ("transfers, 2 threads", "transfers", {"threads": (2, 4, 2), "ordered": False}),
    ("bounded buffer, 2+2, capacity 2", "bounded_buffer",
     {"producers": (1, 4, 2), "consumers": (1, 4, 2), "capacity": (1, 8, 2)}),
]


def redraw_times(repeat: int) -> list[tuple[str, float, float, int]]:
    """(demo, median run ms, median redraw ms, events) after a slider change."""
    from course.widgets import demos
    from course.widgets.livedemo import demo

    rows = []
    for what, fn, controls in DEMOS:
        d = demo(getattr(demos, fn), **controls)
        runs, totals = [], []
        for _ in range(repeat):
            d.rerun()
            runs.append(d.timings["run_ms"])
            totals.append(d.timings["total_ms"])
        rows.append((what, statistics.median(runs), statistics.median(totals),
                     len(d.trace.events) if d.trace else 0))
    return rows


#: A board's program, written to a file outside ``course/`` (whose code the engine never traces).
BOARD_PROGRAM = """
import threading
from types import SimpleNamespace


def setup():
    return SimpleNamespace(a=threading.Lock(), b=threading.Lock())


def one_way(s):
    with s.a:
        with s.b:
            pass


def other_way(s):
    with s.b:
        with s.a:
            pass
"""


def _board_module() -> Any:
    import importlib.util
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp(prefix="course-bench-")) / "board_program.py"
    path.write_text(BOARD_PROGRAM)
    spec = importlib.util.spec_from_file_location("board_program", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scheduler_click(repeat: int) -> float | None:
    """Median ms of one click on the scheduler board (step + redraw), or None without engine."""
    try:
        import autograder

        if not hasattr(autograder, "ManualSession"):
            return None
        from course.bridge.game import deadlock
        from course.widgets.game_view import scheduler
    except ImportError:
        return None
    prog = _board_module()
    view = scheduler(prog.setup, {"T1": prog.one_way, "T2": prog.other_way}, deadlock())
    try:
        times = []
        for _ in range(repeat):
            view.reset()
            start = time.perf_counter()
            view.step("T1")
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)
    finally:
        view.game.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.costs", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    n, repeat = (20_000, 3) if args.quick else (100_000, 7)
    print(f"course benchmark, Python {sys.version.split()[0]}, matplotlib "
          f"{matplotlib.__version__}\n")

    print(f"Recording overhead per operation (best of 5 x {n:,}, one thread, uncontended)")
    print(f"  {'operation':<34}{'plain':>9}{'recorded':>10}{'overhead':>10}"
          f"{'no lines':>10}{'per event':>11}")
    for what, plain, rec, bare, events in recording_overhead(n):
        print(f"  {what:<34}{plain:>7.0f}ns{rec:>8.0f}ns{rec - plain:>8.0f}ns"
              f"{bare - plain:>8.0f}ns{(rec - plain) / events:>9.0f}ns")

    print("\nPicture to PNG (median, ms)")
    for what, ms in render_times(repeat):
        print(f"  {what:<48}{ms:>8.1f}")

    print(f"\nDemo redraw after a slider change: run + trace + timeline + PNG (median of "
          f"{repeat}, ms; budget {REDRAW_BUDGET_MS:.0f} at the lessons' default sizes)")
    worst = 0.0
    for what, run, total, events in redraw_times(repeat):
        default = "max slider" not in what
        flag = "" if total <= REDRAW_BUDGET_MS or not default else "  OVER BUDGET"
        worst = max(worst, total) if default else worst
        print(f"  {what:<40}{events:>7} events  run {run:>6.1f}  total {total:>6.1f}{flag}")

    click = scheduler_click(repeat)
    if click is not None:
        print(f"\nScheduler board, one click (step + redraw): {click:.1f} ms")
    print(f"\nslowest default-size demo redraw: {worst:.1f} ms "
          f"({'within' if worst <= REDRAW_BUDGET_MS else 'OVER'} the {REDRAW_BUDGET_MS:.0f} ms "
          "budget)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
