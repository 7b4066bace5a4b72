"""The wait-for graph of one moment: threads, the primitives they hold and wait for, the cycle.

Artists carry ``gid``s: ``node|thread|<name>``, ``node|obj|<label>``,
``edge|holds|<obj>|<thread>`` (obj is held by thread) and ``edge|waits|<thread>|<obj>``.
Edges on a deadlock cycle are drawn in red, thicker.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

from autograder.base.trace import Trace, WaitEdge
from course.drawing import palette as colours
from course.drawing.figures import enable_figure_display
from course.drawing.palette import ALERT, palette, trace_palette
from course.recording.moments import find_cycle, moment

enable_figure_display()  # a returned Figure shows as a PNG in a notebook


def plot_wait_for(
    trace: Trace | None = None,
    *,
    at: int | None = None,
    holds: dict | None = None,
    waits: dict | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Draw who holds what and who waits for what, with any wait-for cycle in red.

    Either from ``trace`` (after its events up to step ``at``; all of them by default), or from
    ``holds`` (primitive -> holding thread, or a list of them) and ``waits`` (thread -> the
    primitive it waits for), as in the ``find_deadlock`` exercise.
    """
    if trace is not None:
        events = [e for e in trace.events if at is None or e.step <= at]
        m = moment(events)
        holders, waiting = m.holders, m.waiting
        threads = list(trace.threads)
        pal = trace_palette(trace)
    else:
        holders = {str(k): ([str(v)] if isinstance(v, str) or not _listlike(v)
                            else [str(x) for x in v]) for k, v in (holds or {}).items()}
        waiting = {str(k): str(v) for k, v in (waits or {}).items()}
        threads = []
        pal = palette(list(holders) + [o for o in waiting.values() if o not in holders])
    for t in [*(x for ts in holders.values() for x in ts), *waiting]:
        if t not in threads:
            threads.append(t)
    objs = list(dict.fromkeys([*holders, *waiting.values()]))
    for o in objs:
        pal.setdefault(o, colours.NO_COLOUR_NODE)
    cycle = find_cycle(holders, waiting, threads) or []

    if ax is None:
        fig = Figure(figsize=(6.4, 4.8), dpi=100, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
    else:
        fig = ax.figure  # type: ignore[assignment]
    pos = _layout(threads, objs, cycle)
    nodes: dict[tuple[str, str], Text] = {}
    for t in threads:
        nodes["thread", t] = ax.text(*pos["thread", t], t, ha="center", va="center", fontsize=9,
                                     zorder=3, gid=f"node|thread|{t}",
                                     bbox={"boxstyle": "round,pad=0.5", "fc": colours.THREAD_FACE,
                                           "ec": colours.OUTLINE})
    for o in objs:
        nodes["obj", o] = ax.text(*pos["obj", o], o, ha="center", va="center", fontsize=9,
                                  zorder=3, gid=f"node|obj|{o}", color=colours.PAPER,
                                  fontweight="bold",
                                  bbox={"boxstyle": "square,pad=0.5", "fc": pal[o],
                                        "ec": colours.INK})

    on_cycle_waits = {(e.thread, e.obj) for e in cycle}
    on_cycle_holds = {(e.obj, e.holder) for e in cycle}
    for o, ts in holders.items():
        for t in ts:
            _edge(ax, nodes["obj", o], nodes["thread", t], f"edge|holds|{o}|{t}",
                  (o, t) in on_cycle_holds, dashed=False)
    for t, o in waiting.items():
        _edge(ax, nodes["thread", t], nodes["obj", o], f"edge|waits|{t}|{o}",
              (t, o) in on_cycle_waits, dashed=True)

    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.45, max(ys) + 0.45)
    ax.set_aspect("equal", adjustable="box")
    ax.axis("off")
    ax.legend(handles=[
        Line2D([], [], color=colours.LINE, lw=1.4, marker=">", label="is held by"),
        Line2D([], [], color=colours.LINE, lw=1.4, ls="--", marker=">", label="waits for"),
        *([Line2D([], [], color=ALERT, lw=2.6, marker=">", label="deadlock cycle")]
          if cycle else []),
    ], loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    if title is None:
        when = "at the end" if trace is None or at is None else f"after step {at}"
        title = f"Wait-for graph {when}" + (": deadlock" if cycle else "")
    if title:
        ax.set_title(title, fontsize=11, loc="left", color=ALERT if cycle else colours.BLACK)
    return fig


def _listlike(v: object) -> bool:
    return isinstance(v, (list, tuple, set, frozenset))


def _layout(threads: list[str], objs: list[str], cycle: list[WaitEdge]
            ) -> dict[tuple[str, str], tuple[float, float]]:
    """Cycle members around a ring (thread, obj, thread, ...), the others in columns beside it."""
    pos: dict[tuple[str, str], tuple[float, float]] = {}
    ring: list[tuple[str, str]] = []
    for e in cycle:
        ring += [("thread", e.thread), ("obj", e.obj)]
    n = len(ring)
    radius = 0.0 if n == 0 else max(0.9, 0.32 * n)
    for i, node in enumerate(ring):
        angle = math.pi / 2 - 2 * math.pi * i / n
        pos[node] = (radius * math.cos(angle), radius * math.sin(angle))
    rest_t = [t for t in threads if ("thread", t) not in pos]
    rest_o = [o for o in objs if ("obj", o) not in pos]
    x0 = radius + 1.6 if n else 0.0
    for col, (kind, names) in enumerate((("thread", rest_t), ("obj", rest_o))):
        for i, name in enumerate(names):
            pos[kind, name] = (x0 + 2.2 * col, (len(names) - 1) / 2 * 0.9 - 0.9 * i)
    return pos


def _edge(ax: Axes, a: Text, b: Text, gid: str, alert: bool, *, dashed: bool) -> None:
    arrow = FancyArrowPatch(
        a.get_position(), b.get_position(), patchA=a.get_bbox_patch(),
        patchB=b.get_bbox_patch(), arrowstyle="-|>", mutation_scale=16,
        connectionstyle="arc3,rad=0.12", color=ALERT if alert else colours.LINE,
        lw=2.6 if alert else 1.4, ls="--" if dashed else "-", zorder=4, gid=gid,
    )
    ax.add_patch(arrow)
