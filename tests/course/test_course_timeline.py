"""The timeline, read back from the figure's artists (never from pixels)."""

from __future__ import annotations

import threading

import course_synth as cs
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.patches import FancyArrowPatch

from autograder.base.trace import Trace
from course.drawing.palette import ALERT, trace_palette
from course.drawing.spans import Mark, Span, lanes, merge, thin
from course.drawing.timeline import plot_timeline
from course.recording.recorder import record


def artists(fig, prefix: str) -> dict[str, object]:
    ax = fig.axes[0]
    found = {}
    for a in [*ax.collections, *ax.patches, *ax.lines, *ax.texts]:
        gid = a.get_gid()
        if gid and gid.startswith(prefix):
            found[gid] = a
    return found


def extents(coll: PolyCollection) -> list[tuple[float, float]]:
    out = []
    for path in coll.get_paths():
        xs = path.vertices[:, 0]
        out.append((float(xs.min()), float(xs.max())))
    return sorted(out)


def y_centre(coll: PolyCollection) -> float:
    ys = coll.get_paths()[0].vertices[:, 1]
    return float((ys.min() + ys.max()) / 2)


def test_one_lane_per_thread_in_trace_order():
    fig = plot_timeline(cs.contended())
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["T1", "T2"]
    assert ax.get_xlabel() == "step"
    holds = artists(fig, "hold|")
    assert y_centre(holds["hold|T1|L1"]) == pytest.approx(0)
    assert y_centre(holds["hold|T2|L1"]) == pytest.approx(1)


def test_holding_is_solid_in_the_locks_colour_waiting_is_hatched():
    trace = cs.contended()
    colour = trace_palette(trace)["L1"]
    fig = plot_timeline(trace)
    holds = artists(fig, "hold|")
    assert set(holds) == {"hold|T1|L1", "hold|T2|L1"}
    # T1 acquires at step 1 and releases at step 4; T2 holds from 5 to its release at 6
    assert extents(holds["hold|T1|L1"]) == [(1, 5)]
    assert extents(holds["hold|T2|L1"]) == [(5, 7)]
    for coll in holds.values():
        assert to_hex(coll.get_facecolor()[0]) == colour
        assert not coll.get_hatch()
    waits = artists(fig, "wait|")
    assert set(waits) == {"wait|T2|L1"}
    wait = waits["wait|T2|L1"]
    assert extents(wait) == [(2, 5)]
    assert wait.get_hatch() == "////"
    assert to_hex(wait.get_edgecolor()[0]) == colour
    assert wait.get_facecolor()[0][3] < 0.5  # a light tint, not solid


def test_no_cycle_no_arrows_no_blocked_marker():
    fig = plot_timeline(cs.contended())
    assert not [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert not artists(fig, "blocked|")


def test_deadlock_cycle_arrows_between_lanes_and_blocked_forever():
    fig = plot_timeline(cs.deadlock())
    ax = fig.axes[0]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert {a.get_gid() for a in arrows} == {"cycle|T1|L2|T2", "cycle|T2|L1|T1"}
    for a in arrows:
        assert to_hex(a.get_edgecolor()) == ALERT
    blocked = artists(fig, "blocked|")
    assert set(blocked) == {"blocked|T1", "blocked|T2"}
    for line in blocked.values():
        assert to_hex(line.get_color()) == ALERT and line.get_linewidth() >= 4
    texts = [t.get_text() for t in ax.texts]
    assert "blocked forever\non L2" in texts and "blocked forever\non L1" in texts
    waits = artists(fig, "wait|")
    # waiting while holding: drawn over the hold (a higher level), edged in red
    assert extents(waits["wait|T1|L2"]) == [(4, 6)]
    assert to_hex(waits["wait|T1|L2"].get_edgecolor()[0]) == ALERT
    holds = artists(fig, "hold|")
    assert extents(holds["hold|T1|L1"]) == [(2, 6)]
    assert waits["wait|T1|L2"].get_zorder() > holds["hold|T1|L1"].get_zorder()
    assert ax.get_title(loc="left") == "Deadlock: T1 → T2 → T1"


def test_blocked_thread_without_a_block_event_still_waits():
    # as the engine reports it: T1's blocking attempt was never scheduled
    trace = cs.deadlock()
    trace.events = [e for e in trace.events if not (e.thread == "T1" and e.op == "block")]
    trace.blocked = {"T1": "waits for L2 (held by T2)", "T2": "waits for L1 (held by T1)"}
    fig = plot_timeline(trace)
    waits = artists(fig, "wait|")
    assert "wait|T1|L2" in waits and extents(waits["wait|T1|L2"])[0][1] == 6
    assert "blocked forever\non L2" in [t.get_text() for t in fig.axes[0].texts]


def test_self_deadlock_draws_a_loop():
    trace = cs.make([("T", "acquire", "L1"), ("T", "block", "L1")], outcome="deadlock",
                    blocked={"T": "L1"}, cycle=[cs.WaitEdge("T", "L1", "T")])
    fig = plot_timeline(trace)
    assert set(artists(fig, "cycle|")) == {"cycle|T|L1|T"}
    assert "itself" in fig.axes[0].get_title(loc="left")


def test_still_waiting_is_not_called_forever_in_an_ok_run():
    trace = cs.make([("T", "acquire", "L1"), ("U", "block", "L1")], blocked={"U": "L1"})
    fig = plot_timeline(trace)
    assert not artists(fig, "blocked|")
    assert "still waiting\nfor L1" in [t.get_text() for t in fig.axes[0].texts]


def test_events_conditions_and_marks():
    rows = [
        ("W", "wait", "E1"), ("M", "set", "E1"), ("W", "wake", "E1"),
        ("W", "acquire", "C1"), ("W", "release", "C1"), ("W", "wait", "C1"),
        ("M", "notify", "C1", "one waiter"), ("W", "wake", "C1"), ("W", "acquire", "C1"),
        ("W", "release", "C1"), ("M", "acquire", "L1"), ("M", "timeout", "L2", "after 1 s"),
        ("M", "release", "L1"),
    ]
    fig = plot_timeline(cs.make(rows))
    waits = artists(fig, "wait|")
    assert extents(waits["wait|W|E1"]) == [(0, 2)]
    assert extents(waits["wait|W|C1"]) == [(5, 7)]
    marks = artists(fig, "mark|")
    assert {"mark|set", "mark|notify", "mark|timeout"} <= set(marks)
    assert artists(fig, "setline|E1")
    assert len(marks["mark|set"].get_offsets()) == 1
    # marks sit in the middle of their step, in their thread's lane
    assert tuple(marks["mark|set"].get_offsets()[0]) == (1.5, 1.0)


def test_semaphore_gets_a_permits_lane():
    rows = [
        ("A", "acquire", "S1", "1 of 2 left"), ("B", "acquire", "S1", "0 of 2 left"),
        ("C", "block", "S1"), ("A", "release", "S1"), ("C", "acquire", "S1", "0 of 2 left"),
        ("B", "release", "S1"), ("C", "release", "S1"),
    ]
    fig = plot_timeline(cs.make(rows))
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["S1\npermits", "A", "B", "C"]
    assert set(artists(fig, "permits|")) == {"permits|S1"}
    holds = artists(fig, "hold|")
    assert extents(holds["hold|A|S1"]) == [(0, 4)]
    assert extents(holds["hold|C|S1"]) == [(4, 7)]
    assert any("2 permits, at most 2 out" in t.get_text() for t in ax.texts)


def test_nested_holds_are_drawn_on_top_and_thinner():
    rows = [("T", "acquire", "L1"), ("T", "acquire", "L2"), ("T", "release", "L2"),
            ("T", "release", "L1")]
    fig = plot_timeline(cs.make(rows))
    holds = artists(fig, "hold|")
    outer, inner = holds["hold|T|L1"], holds["hold|T|L2"]
    ys = [c.get_paths()[0].vertices[:, 1] for c in (outer, inner)]
    height = [float(y.max() - y.min()) for y in ys]
    assert height[1] < height[0]
    assert inner.get_zorder() > outer.get_zorder()
    assert to_hex(outer.get_facecolor()[0]) != to_hex(inner.get_facecolor()[0])


def test_rlock_reentry_is_one_hold():
    rows = [("T", "acquire", "R1"), ("T", "acquire", "R1", "re-entered, depth 2"),
            ("T", "release", "R1", "still held, depth 1"), ("T", "release", "R1")]
    fig = plot_timeline(cs.make(rows))
    assert extents(artists(fig, "hold|")["hold|T|R1"]) == [(0, 4)]


def test_real_run_axis_in_milliseconds():
    with record() as rec:
        lock = threading.Lock()

        def work():
            for _ in range(5):
                with lock:
                    pass

        ts = [threading.Thread(target=work, name=f"W{i}") for i in range(3)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    trace = rec.trace
    fig = plot_timeline(trace)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "time (ms)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["W0", "W1", "W2"]
    first = next(e for e in trace.events if e.op == "acquire" and e.thread == "W0")
    spans = extents(artists(fig, "hold|W0|")["hold|W0|Lock 1"])
    assert spans[0][0] == pytest.approx(first.time * 1000)
    assert len(artists(fig, "alive|")) == 3


def test_legend_is_outside_the_data():
    fig = plot_timeline(cs.deadlock())
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[:2] == ["L1: held", "L2: held"]
    assert "waiting" in labels and "blocked forever" in labels and "waits for (cycle)" in labels
    renderer = fig.canvas.get_renderer()
    assert legend.get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x1
    assert legend.get_window_extent(renderer).x1 <= fig.bbox.x1 + 1


def crowd(threads: int, per_thread: int) -> Trace:
    rows = []
    for _ in range(per_thread):
        for t in range(threads):
            lock = f"L{t % 3 + 1}"
            rows += [(f"T{t + 1}", "acquire", lock), (f"T{t + 1}", "release", lock)]
    return cs.make(rows)


def test_sixteen_threads_and_hundreds_of_events_stay_legible():
    trace = crowd(16, 20)  # 640 events
    fig = plot_timeline(trace)
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 16
    holds = artists(fig, "hold|")
    assert len(holds) == 16
    assert all(len(c.get_paths()) <= 20 for c in holds.values())
    width, _ = fig.get_size_inches()
    assert fig.get_size_inches()[1] <= 9 and width == 10


def test_crowded_lane_spans_are_merged_with_a_count():
    rows = []
    for _ in range(300):
        rows += [("T", "acquire", "L1"), ("T", "release", "L1")]
    rows += [("U", "acquire", "L1"), ("U", "release", "L1")]
    trace = cs.make(rows, unit="seconds", dt=0.00001)
    fig = plot_timeline(trace)
    holds = artists(fig, "hold|")
    assert len(holds["hold|T|L1"].get_paths()) == 1
    assert "300×" in [t.get_text() for t in fig.axes[0].texts]


def test_merge_and_thin():
    spans = [Span("T", "hold", float(i), i + 0.5, "L") for i in range(50)]
    merged = merge(spans, min_gap=0.6, min_width=0.01)
    assert len(merged) == 1 and merged[0].count == 50 and merged[0].end == 49.5
    few = merge(spans[:3], min_gap=0.6, min_width=0.01)
    assert len(few) == 3  # not crowded: left as they are
    tiny = merge([Span("T", "hold", 0.0, 0.0, "L")], 0.1, 0.2)
    assert tiny[0].end == pytest.approx(0.2)
    marks = [Mark("T", "set", x / 10, "E") for x in range(10)] + [Mark("U", "set", 0.0, "E")]
    thinned = thin(marks, 0.35)
    assert [(m.thread, m.x, m.count) for m in thinned if m.thread == "T"] == [
        ("T", 0.0, 4), ("T", 0.4, 4), ("T", 0.8, 2)]
    assert len([m for m in thinned if m.thread == "U"]) == 1


def test_lanes_of_an_engine_lost_update():
    rows = [("T1", "start", None), ("T1", "read", "x"), ("T2", "start", None),
            ("T2", "read", "x"), ("T2", "write", "x"), ("T2", "end", None),
            ("T1", "write", "x"), ("T1", "end", None)]
    lay = lanes(cs.make(rows, outcome="invariant"))
    runs = [(s.thread, s.start, s.end) for s in lay.spans if s.what == "run"]
    assert sorted(runs) == [("T1", 0, 2), ("T1", 6, 8), ("T2", 2, 6)]
    assert [(m.thread, m.op) for m in lay.marks] == [("T1", "read"), ("T2", "read"),
                                                     ("T2", "write"), ("T1", "write")]
    fig = plot_timeline(cs.make(rows, outcome="invariant"))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("read x") == 2 and texts.count("write x") == 2
    assert "final check" in fig.axes[0].get_title(loc="left")


def test_empty_trace_draws_an_empty_timeline():
    fig = plot_timeline(Trace(events=[], threads=[]))
    assert not artists(fig, "hold|")


def test_draws_on_a_given_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert plot_timeline(cs.contended(), ax=ax) is fig
    assert artists(fig, "hold|")


def test_same_colours_in_every_picture_of_a_trace():
    trace = cs.deadlock()
    pal = trace_palette(trace)
    assert len(set(pal.values())) == 2
    assert ALERT not in pal.values()
    assert to_rgba(pal["L1"]) != to_rgba(ALERT)


def test_engine_trace_on_its_virtual_clock_and_sleeps():
    rows = [("T", "acquire", "L1"), ("T", "sleep", "0.5 s"), ("U", "block", "L1"),
            ("T", "wake", "0.5 s"), ("T", "release", "L1"), ("U", "acquire", "L1"),
            ("U", "release", "L1")]
    trace = cs.make(rows, dt=0.25)
    for i, e in enumerate(trace.events):
        if e.op in ("sleep", "wake"):
            trace.events[i] = type(e)(**{**e.__dict__, "kind": "sleep"})
    assert "0.5 s" not in trace_palette(trace)
    steps = plot_timeline(trace)
    assert extents(artists(steps, "sleep|")["sleep|T"]) == [(1, 3)]
    clock = plot_timeline(trace, x="time")
    assert clock.axes[0].get_xlabel() == "time (virtual s)"
    assert extents(artists(clock, "hold|")["hold|T|L1"]) == [(0, 1.0)]
    assert extents(artists(clock, "sleep|")["sleep|T"]) == [(0.25, 0.75)]
    with pytest.raises(ValueError):
        plot_timeline(trace, x="fortnights")
