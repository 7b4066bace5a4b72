"""The live demo widget, driven headless by setting widget values."""

from __future__ import annotations

import threading

import course_synth as cs
import ipywidgets as widgets
import pytest

from course.widgets.livedemo import Demo, control, demo


def counter_run(threads: int = 2, iterations: int = 10, locked: bool = True) -> str:
    lock = threading.Lock()
    total = 0

    def work() -> None:
        nonlocal total
        for _ in range(iterations):
            if locked:
                with lock:
                    total += 1
            else:
                total += 1

    ts = [threading.Thread(target=work, name=f"T{i + 1}") for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return f"counter = {total}"


def test_first_draw_and_controls():
    d = demo(counter_run, threads=(1, 16, 2), iterations=(1, 100, 10), locked=True,
             title="Counter")
    assert isinstance(d, Demo) and d.runs == 1
    assert isinstance(d.controls["threads"], widgets.IntSlider)
    assert isinstance(d.controls["locked"], widgets.Checkbox)
    assert d.controls["threads"].max == 16 and d.controls["threads"].value == 2
    assert d.values == {"threads": 2, "iterations": 10, "locked": True}
    assert d.trace is not None and d.trace.threads == ["T1", "T2"]
    assert d.image.value[:4] == b"\x89PNG"
    assert "counter = 20" in d.status.value
    assert set(d.timings) == {"run_ms", "draw_ms", "total_ms"}


def test_moving_a_slider_reruns_and_redraws():
    d = demo(counter_run, threads=(1, 16, 2), iterations=(1, 100, 10))
    before = d.image.value
    d.controls["threads"].value = 5
    assert d.runs == 2
    assert d.trace.threads == [f"T{i}" for i in range(1, 6)]
    assert "counter = 50" in d.status.value
    assert d.image.value != before
    d.set(iterations=3)
    assert d.runs == 3 and d.result == "counter = 15"
    acquires = [e for e in d.trace.events if e.op == "acquire"]
    assert len(acquires) == 15


def test_run_again_button():
    d = demo(counter_run, threads=(1, 4, 1))
    d.button.click()
    assert d.runs == 2


def test_a_failing_run_says_so():
    def broken(n: int = 1) -> None:
        raise RuntimeError("oops")

    d = demo(broken, n=(1, 3, 1))
    assert d.error == "RuntimeError: oops"
    assert "oops" in d.status.value and d.trace is None
    assert d.text() == "RuntimeError: oops"


def test_a_run_returning_a_trace_is_drawn_as_is():
    d = demo(lambda kind="deadlock": cs.deadlock(), kind=["deadlock", "other"])
    assert d.trace.outcome == "deadlock" and d.result is None
    assert isinstance(d.controls["kind"], widgets.Dropdown)


def test_static_fallback_beside_the_widget():
    d = demo(counter_run, threads=(1, 4, 2))
    bundle = d._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/png"]  # base64 PNG for nbconvert and feedback
    assert "<img" in bundle["text/html"] and "counter = 20" in bundle["text/html"]
    assert bundle["text/plain"] == "counter = 20"


def test_control_specs():
    assert isinstance(control("x", (0.0, 1.0, 0.5)), widgets.FloatSlider)
    assert control("x", (0, 10, 2, 2)).step == 2
    ready = widgets.IntText(3)
    assert control("x", ready) is ready
    with pytest.raises(TypeError):
        control("x", object())
