"""A live demo: sliders that re-run a threaded function under the recorder and redraw its timeline.

    def run(threads=4, iterations=1000):
        ...  # create locks and threads, run them, join them
        return f"counter = {counter} (expected {threads * iterations})"

    demo(run, threads=(1, 16, 4), iterations=(100, 10_000, 1000))

Each control is given as ``(min, max, default)`` (an int or float slider), a bool (a checkbox),
a list of choices (a dropdown) or a ready ipywidget. ``run`` gets the control values as keyword
arguments; what it returns is shown as text (or HTML, if it has ``_repr_html_``); if it returns
an ``autograder.base.trace.Trace`` (say, from ``autograder.replay``), that is drawn instead of the
recording.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from autograder.base.trace import Trace
from course.drawing.figures import img_html, png
from course.drawing.palette import ALERT, FAINT
from course.drawing.timeline import plot_timeline
from course.recording.recorder import record
from course.widgets.fallback import mimebundle
from course.widgets.picture import Picture, revive_line


def control(name: str, spec: Any) -> widgets.ValueWidget:
    """The widget for one ``name=spec`` argument of :func:`demo`."""
    desc = name.replace("_", " ")
    style = {"description_width": "initial"}
    if isinstance(spec, widgets.Widget):
        return spec
    if isinstance(spec, bool):
        return widgets.Checkbox(value=spec, description=desc, style=style)
    if isinstance(spec, tuple) and len(spec) in (3, 4) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in spec):
        lo, hi, value = spec[:3]
        kind = widgets.IntSlider if all(isinstance(v, int) for v in spec) else \
            widgets.FloatSlider
        step = spec[3] if len(spec) == 4 else (1 if kind is widgets.IntSlider else None)
        extra = {"step": step} if step is not None else {}
        return kind(value=value, min=lo, max=hi, description=desc, continuous_update=False,
                    style=style, **extra)
    if isinstance(spec, (list, tuple)) and spec:
        return widgets.Dropdown(options=list(spec), value=spec[0], description=desc,
                                style=style)
    raise TypeError(f"cannot make a control of {name}={spec!r}: give (min, max, default), "
                    "a bool, a list of choices or a widget")


class Demo:
    """The state and the widgets of one live demo (see :func:`demo`)."""

    def __init__(self, run: Callable[..., Any], *, title: str = "", dpi: float = 80,
                 record_options: dict[str, Any] | None = None, **controls: Any) -> None:
        self.run = run
        self.title = title
        self.dpi = dpi
        self.record_options = record_options or {}
        self.controls = {name: control(name, spec) for name, spec in controls.items()}
        self.trace: Trace | None = None
        self.result: Any = None
        self.error: str = ""
        self.png: bytes = b""
        self.timings: dict[str, float] = {}
        self.runs = 0
        self.button = widgets.Button(description="Run again", icon="refresh",
                                     tooltip="Run the threads again with these settings")
        self.status = widgets.HTML()
        self.image = Picture("timeline of the demo")
        self.button.on_click(lambda _b: self.rerun())
        for w in self.controls.values():
            w.observe(lambda _change: self.rerun(), names="value")
        header = [widgets.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        self.widget = widgets.VBox([
            *header,
            widgets.HBox([*self.controls.values(), self.button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.status,
            self.image.widget,
            revive_line(),
        ])
        self.rerun()

    @property
    def values(self) -> dict[str, Any]:
        """The current control values, by name."""
        return {name: w.value for name, w in self.controls.items()}

    def set(self, **values: Any) -> Demo:
        """Change controls (each change re-runs, as a student's would); returns self."""
        for name, value in values.items():
            self.controls[name].value = value
        return self

    def rerun(self) -> Trace | None:
        """Run the demo with the current values, then redraw; returns the trace drawn."""
        started = time.perf_counter()
        self.error = ""
        try:
            with record(**self.record_options) as rec:
                result = self.run(**self.values)
            trace = result if isinstance(result, Trace) else rec.trace
            self.result = None if isinstance(result, Trace) else result
        except Exception as exc:  # a demo that fails says so instead of killing the widget
            self.error = f"{type(exc).__name__}: {exc}"
            self.result, trace = None, None
        ran = time.perf_counter()
        self.trace = trace
        if trace is not None:
            fig = plot_timeline(trace, title=self.title or None, dpi=self.dpi)
            self.png = png(fig)
            self.image.value = self.png
        drawn = time.perf_counter()
        self.timings = {"run_ms": (ran - started) * 1000, "draw_ms": (drawn - ran) * 1000,
                        "total_ms": (drawn - started) * 1000}
        self.runs += 1
        self.status.value = self._status_html()
        return trace

    def _result_html(self) -> str:
        if self.error:
            return f"<span style='color:{ALERT}'>{html.escape(self.error)}</span>"
        if self.result is None:
            return ""
        rich = getattr(self.result, "_repr_html_", None)
        return rich() if rich is not None else html.escape(str(self.result))

    def _status_html(self) -> str:
        n = len(self.trace.events) if self.trace is not None else 0
        return (f"{self._result_html()} <span style='color:{FAINT};font-size:smaller'>"
                f"({n} events recorded)</span>")

    def text(self) -> str:
        """What the demo shows, in words (the static fallback)."""
        if self.error:
            return self.error
        return "" if self.result is None else str(self.result)

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, Any]:
        static = self._result_html() + "<br>" + img_html(self.png, "timeline")
        return mimebundle(self.widget, png_bytes=self.png, html=static,
                          text=self.text() or "demo")


def demo(run: Callable[..., Any], *, title: str = "", **controls: Any) -> Demo:
    """A live demo of ``run`` with one control per keyword argument (see the module doc)."""
    return Demo(run, title=title, **controls)
