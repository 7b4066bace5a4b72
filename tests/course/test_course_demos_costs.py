"""The ready-made demo programs, the display helpers and ``course.costs``' pieces (tiny sizes)."""

from __future__ import annotations

import course_synth as cs

from course import costs
from course.drawing.figures import img_html, png
from course.drawing.timeline import plot_timeline
from course.recording.recorder import record
from course.widgets import demos
from course.widgets.fallback import mimebundle


def test_counter_demo():
    with record() as rec:
        text = demos.counter(threads=3, iterations=50, locked=True)
    assert text.startswith("counter = 150 (expected 150; 0 updates lost)")
    assert rec.trace.threads == ["T1", "T2", "T3"]
    assert {e.obj for e in rec.trace.events if e.obj} == {"counter lock"}


def test_pool_demo_never_exceeds_its_size():
    with record() as rec:
        text = demos.pool(threads=5, size=2, work_ms=1)
    assert text.startswith("at most ") and "(pool of 2)" in text
    assert int(text.split()[2]) <= 2
    assert any(e.kind == "Semaphore" and e.obj == "pool" for e in rec.trace.events)


def test_start_gate_and_transfers_and_buffer():
    with record() as rec:
        assert "4 workers released together" in demos.start_gate(threads=4, delay_ms=1)
    assert [e.op for e in rec.trace.events if e.op == "set"] == ["set"]
    assert "in one order: 0 times" in demos.transfers(threads=2, rounds=3, ordered=True)
    with record() as rec:
        assert demos.bounded_buffer(2, 2, 1, 8).startswith("8 of 8 items")
    assert any(e.kind == "Condition" for e in rec.trace.events)


def test_display_helpers():
    fig = plot_timeline(cs.contended())
    data = png(fig)
    assert data[:4] == b"\x89PNG"
    assert img_html(data, "t").startswith("<img alt='t' src='data:image/png;base64,")
    bundle = mimebundle(None, png_bytes=data, html="<b>x</b>", text="x")
    assert set(bundle) == {"image/png", "text/html", "text/plain"}


def test_costs_pieces_run():
    rows = costs.recording_overhead(200)
    assert [r[0] for r in rows][:2] == ["with lock: (acquire + release)",
                                         "lock.acquire(); lock.release()"]
    assert all(r[2] > 0 for r in rows)
    assert costs.timed_ms(lambda: None, 3) >= 0
    assert len(costs.synthetic(4, 5).events) == 40
    assert costs.deadlock_trace().cycle


def test_the_package_gives_its_api_and_the_demos_by_name():
    """What lessons import from ``course`` (``from course import demos`` included), wherever in
    the package's groups it lives."""
    import course
    from course import demos as by_name

    assert by_name is demos and course.demos is demos
    assert set(course.__all__) <= set(dir(course))
    for name in course.__all__:
        value = getattr(course, name)
        home = value.__name__ if name == "demos" else value.__module__
        assert home.startswith("course."), name
    assert course.record.label is course.label
