"""The timeline of lock ownership: one lane per thread, holding solid, waiting hatched.

Every artist it draws carries a ``gid`` saying what it shows, so tests (and curious students) can
read the picture from the figure objects: ``hold|<thread>|<obj>``, ``wait|<thread>|<obj>``,
``blocked|<thread>``, ``cycle|<thread>|<obj>|<holder>``, ``mark|<op>``, ``permits|<obj>``,
``alive|<thread>``, ``run|<thread>``.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.ticker import MaxNLocator

from autograder.base.trace import Trace
from course.drawing import palette as colours
from course.drawing.figures import enable_figure_display
from course.drawing.palette import ALERT, trace_palette
from course.drawing.spans import Lanes, Mark, Span, lanes, merge, thin
from course.recording.moments import SHARED_KINDS, blocked_on

#: marker, size and label of each instant op drawn on a lane.
MARKERS: dict[str, tuple[str, float, str]] = {
    "set": ("^", 8, "event set"),
    "clear": ("v", 7, "event cleared"),
    "notify": ("D", 6, "notify"),
    "wake": ("o", 5, "wait returned at once"),
    "timeout": ("x", 8, "gave up (timeout)"),
    "error": ("X", 11, "exception"),
    "read": ("o", 3, "read"),
    "write": ("s", 3.5, "write"),
    "spawn": (">", 5, "started a thread"),
    "join": ("<", 5, "joined a thread"),
    "broken": ("*", 9, "broken"),
}

LANE = 0.8  # height of a lane's tallest bar, lanes being 1 apart
#: The least height, in pixels, of a mark's label (a step number or a variable's name).
LABEL_PX = 10
MAX_LEGEND_OBJECTS = 12

enable_figure_display()  # a returned Figure shows as a PNG in a notebook


def bar_height(level: int) -> float:
    """Nested holds are drawn thinner, on top of the outer ones."""
    return max(LANE * 0.7**level, 0.22)


def plot_timeline(
    trace: Trace,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    width: float = 10.0,
    dpi: float = 100,
    x: str = "auto",
    numbered: bool = False,
    label_every: int = 1,
) -> Figure:
    """Draw ``trace`` as a timeline; returns the figure (a new one unless ``ax`` is given).

    x is in steps for engine traces and in milliseconds for recorded runs (``x="time"`` draws an
    engine trace on its virtual clock). Lanes follow ``trace.threads``; semaphores get a lane of
    their own showing how many permits are out. ``numbered=True`` labels every read and write
    with its step number (the step table's, when the trace is ``report.numbered``), at least
    :data:`LABEL_PX` pixels high, instead of with its variable's name; ``label_every=k`` labels
    only the steps whose number is a multiple of ``k`` (so that labels do not collide).
    """
    lay = lanes(trace, x)
    pal = trace_palette(trace)
    shared = [o for o in pal if _kind_of(trace, o) in SHARED_KINDS]
    rows = [f"{o}\npermits" for o in shared] + lay.threads
    y_of = {t: len(shared) + i for i, t in enumerate(lay.threads)}
    own = ax is None
    if ax is None:
        height = 1.1 + 0.42 * max(len(rows), 2)
        fig = Figure(figsize=(width, height), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
    else:
        fig = ax.figure  # type: ignore[assignment]

    span = lay.x_end - lay.x_start
    min_w = span / 700
    drawn = merge([s for s in lay.spans if s.what in ("hold", "wait", "sleep")], span / 350,
                  min_w)
    drawn += [s for s in lay.spans if s.what not in ("hold", "wait", "sleep")]
    forever = _blocked_forever(trace, lay)
    right = span * (0.34 if trace.blocked else 0.02)

    _draw_background(ax, drawn, y_of)
    _draw_bars(ax, drawn, y_of, pal, forever, span)
    _draw_marks(ax, thin(lay.marks, span / 250), y_of, pal,
                label=lay.unit == "steps" and (numbered or span <= 24), numbered=numbered,
                text_size=label_points(fig.dpi), every=max(1, label_every))
    for i, obj in enumerate(shared):
        holds = [s for s in lay.spans if s.obj == obj and s.what == "hold"]
        _draw_permits(ax, trace, obj, i, holds, pal[obj], (lay.x_start, lay.x_end))
    _draw_blocked(ax, trace, lay, y_of, forever, span)
    if trace.cycle:
        _draw_cycle(ax, trace, y_of, lay.x_end + span * 0.24)

    ax.set_xlim(lay.x_start, lay.x_end + right)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)), rows, fontsize=9 if len(rows) <= 8 else 7)
    for y in range(len(rows) - 1):
        ax.axhline(y + 0.5, color=colours.LANE_RULE, lw=0.8, zorder=0)
    ax.set_xlabel("step" if lay.unit == "steps" else f"time ({lay.unit})")
    if lay.unit == "steps":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color=colours.GRID, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = _legend(trace, lay, pal, forever)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              borderaxespad=0.0, fontsize=8, frameon=False)
    heading = _title(trace) if title is None else title
    if heading:
        ax.set_title(heading, fontsize=11, loc="left")
    if own:
        _margins(fig, rows, [h.get_label() for h in handles], bool(heading))
    return fig


def _margins(fig: Figure, rows: list[str], legend: list[str], titled: bool) -> None:
    """Room for the lane names, the legend on the right, the title and the x axis.

    Computed from the text lengths: much cheaper than a layout engine measuring every text.
    """
    w, h = fig.get_size_inches()
    fs = 9 if len(rows) <= 8 else 7
    name = max((len(line) for r in rows for line in r.split("\n")), default=4)
    left = name * fs * 0.6 / 72 + 0.25
    right = max((len(s) for s in legend), default=0) * 8 * 0.58 / 72 + 0.7
    top = 0.4 if titled else 0.15
    fig.subplots_adjust(left=min(left / w, 0.4), right=max(1 - right / w, 0.55),
                        top=1 - top / h, bottom=0.55 / h)


def _kind_of(trace: Trace, obj: str) -> str | None:
    for e in trace.events:
        if e.obj == obj and e.kind:
            return e.kind
    return None


def _blocked_forever(trace: Trace, lay: Lanes) -> dict[str, str | None]:
    """thread -> what it waits for, for the threads that will never go on."""
    if trace.outcome in ("ok", "running"):
        return {}
    return {t: o for t, o in blocked_on(trace).items() if t in lay.threads}


def _draw_background(ax: Axes, spans: list[Span], y_of: dict[str, int]) -> None:
    for t, y in y_of.items():
        alive = [(s.start, s.end) for s in spans if s.thread == t and s.what == "alive"]
        if alive:
            ax.hlines([y] * len(alive), [a for a, _ in alive], [b for _, b in alive],
                      color=colours.ALIVE, lw=1.0, zorder=1, gid=f"alive|{t}")
        naps = [(s.start, s.end - s.start) for s in spans if s.thread == t and s.what == "sleep"]
        if naps:
            ax.broken_barh(naps, (y - 0.12, 0.24), facecolor=colours.PAPER, edgecolor=colours.SLEEP,
                           hatch="...", linewidth=0.8, zorder=6, gid=f"sleep|{t}")
        run = [(s.start, s.end - s.start) for s in spans if s.thread == t and s.what == "run"]
        if run:
            ax.broken_barh(run, (y - 0.46, 0.92), facecolor=colours.RUNS, edgecolor="none",
                           zorder=0.5, gid=f"run|{t}")


def _draw_bars(ax: Axes, spans: list[Span], y_of: dict[str, int], pal: dict[str, str],
               forever: dict[str, str | None], span: float) -> None:
    groups: dict[tuple, list[Span]] = {}
    for s in spans:
        if s.what in ("hold", "wait") and s.obj is not None and s.thread in y_of:
            stuck = s.what == "wait" and s.open and forever.get(s.thread) == s.obj
            groups.setdefault((s.thread, s.what, s.obj, s.level, stuck), []).append(s)
    for (t, what, obj, level, stuck), group in groups.items():
        y, h = y_of[t], bar_height(level)
        colour = pal.get(obj, colours.NO_COLOUR)
        ranges = [(s.start, s.end - s.start) for s in group]
        if what == "hold":
            ax.broken_barh(ranges, (y - h / 2, h), facecolor=colour, edgecolor=colours.PAPER,
                           linewidth=0.6, zorder=2 + level, gid=f"hold|{t}|{obj}")
        else:
            edge = ALERT if stuck else colour
            ax.broken_barh(ranges, (y - h / 2, h), facecolor=to_rgba(colour, 0.15),
                           edgecolor=edge, hatch="////", linewidth=1.2 if stuck else 0.8,
                           zorder=2 + level, gid=f"wait|{t}|{obj}")
        for s in group:
            if s.count > 1 and s.end - s.start > span / 12:
                ax.text((s.start + s.end) / 2, y, f"{s.count}×", ha="center", va="center",
                        fontsize=7, color=colours.PAPER if what == "hold" else colours.INK,
                        zorder=8)


def label_points(dpi: float) -> float:
    """The font size, in points, that is :data:`LABEL_PX` pixels at ``dpi``."""
    return max(6.5, LABEL_PX * 72 / dpi)


def _draw_marks(ax: Axes, marks: list[Mark], y_of: dict[str, int], pal: dict[str, str],
                *, label: bool, numbered: bool = False, text_size: float = 6.5,
                every: int = 1) -> None:
    by_op: dict[str, list[Mark]] = {}
    for m in marks:
        if m.thread in y_of and m.op in MARKERS:
            by_op.setdefault(m.op, []).append(m)
    for op, group in by_op.items():
        marker, size, _ = MARKERS[op]
        dy = 0.3 if op in ("read", "write") else 0.0
        fills = [ALERT if op == "error" else pal.get(m.obj or "", colours.LINE) for m in group]
        edges = {"edgecolors": colours.BLACK} if op in ("set", "notify", "clear") else {}
        ax.scatter([m.x for m in group], [y_of[m.thread] + dy for m in group], s=size**2,
                   marker=marker, c=fills, zorder=7, linewidths=1.5 if op == "timeout" else 0.6,
                   gid=f"mark|{op}", **edges)
        if label and op in ("read", "write"):
            for m in group:
                if numbered and int(m.x) % every:
                    continue
                # neighbours in a lane alternate between two heights, so labels do not collide
                up = 0.22 if int(m.x) % 2 else 0.0
                text = f"{int(m.x)}" if numbered else f"{op} {m.obj}"
                ax.text(m.x, y_of[m.thread] + 0.18 - up, text, fontsize=text_size,
                        ha="center", va="bottom", color=colours.INK, zorder=8, clip_on=True,
                        gid=f"label|{op}")
        if op == "set" and len(group) <= 20:
            for m in group:
                ax.axvline(m.x, color=pal.get(m.obj or "", colours.OUTLINE), ls=":", lw=1.0,
                           zorder=1.5, gid=f"setline|{m.obj}")


def _draw_permits(ax: Axes, trace: Trace, obj: str, row: int, holds: list[Span], colour: str,
                  x_range: tuple[float, float]) -> None:
    x_start, x_end = x_range
    changes = sorted([(s.start, 1) for s in holds] + [(s.end, -1) for s in holds])
    xs, counts, n = [changes[0][0] if changes else 0.0], [0], 0
    for x, d in changes:
        n += d
        xs.append(x)
        counts.append(n)
    xs.append(x_end)
    counts.append(counts[-1])
    capacity = max([*counts, _capacity(trace, obj), 1])
    top, bottom = row - 0.4, row + 0.4
    ys = [bottom - (bottom - top) * c / capacity for c in counts]
    ax.fill_between(xs, ys, bottom, step="post", color=colour, alpha=0.55, lw=0,
                    gid=f"permits|{obj}")
    ax.step(xs, ys, where="post", color=colour, lw=1.2)
    ax.axhline(top, color=colour, ls="--", lw=0.8)
    ax.text(x_start, top, f" {capacity} permits, at most {max(counts)} out at once",
            fontsize=7, va="top", ha="left", color=colours.INK, zorder=8)


def _capacity(trace: Trace, obj: str) -> int:
    for e in trace.events:
        if e.obj == obj and " of " in e.detail:
            try:
                return int(e.detail.split(" of ")[1].split()[0])
            except (IndexError, ValueError):
                return 0
    return 0


def _draw_blocked(ax: Axes, trace: Trace, lay: Lanes, y_of: dict[str, int],
                  forever: dict[str, str | None], span: float) -> None:
    for t, label in blocked_on(trace).items():
        if t not in y_of:
            continue
        obj = label or "something"
        y, x = y_of[t], lay.x_end
        if t in forever:
            ax.plot([x, x], [y - 0.45, y + 0.45], color=ALERT, lw=5, solid_capstyle="butt",
                    zorder=9, gid=f"blocked|{t}")
            ax.text(x + span * 0.015, y, f"blocked forever\non {obj}", color=ALERT,
                    fontsize=8, fontweight="bold", va="center", ha="left", zorder=9)
        else:
            ax.text(x + span * 0.015, y, f"still waiting\nfor {obj}", color=colours.QUIET,
                    fontsize=8, va="center", ha="left", zorder=9)


def _draw_cycle(ax: Axes, trace: Trace, y_of: dict[str, int], x: float) -> None:
    for edge in trace.cycle or []:
        if edge.thread not in y_of or edge.holder not in y_of:
            continue
        ya, yb = y_of[edge.thread], y_of[edge.holder]
        if ya == yb:
            posa, posb, rad = (x, ya - 0.3), (x, ya + 0.3), -1.6
        else:
            posa, posb, rad = (x, ya), (x, yb), 0.45
        arrow = FancyArrowPatch(posa, posb, arrowstyle="-|>", mutation_scale=14,
                                connectionstyle=f"arc3,rad={rad}", color=ALERT, lw=2,
                                zorder=10, gid=f"cycle|{edge.thread}|{edge.obj}|{edge.holder}")
        ax.add_patch(arrow)
        side = 1 if yb > ya else -1
        ax.annotate(edge.obj, xy=(x, (ya + yb) / 2), xytext=(side * 14, 0),
                    textcoords="offset points", ha="left" if side > 0 else "right",
                    va="center", fontsize=7, color=ALERT, zorder=10)


def _legend(trace: Trace, lay: Lanes, pal: dict[str, str], forever: dict[str, str | None]
            ) -> list:
    handles: list = []
    objs = list(pal)
    for obj in objs[:MAX_LEGEND_OBJECTS]:
        kind = _kind_of(trace, obj) or ""
        what = {"Event": "event", "Condition": "condition"}.get(kind, "held")
        handles.append(Patch(facecolor=pal[obj], label=f"{obj}: {what}"))
    if len(objs) > MAX_LEGEND_OBJECTS:
        handles.append(Patch(facecolor=colours.MORE,
                             label=f"… {len(objs) - MAX_LEGEND_OBJECTS} more"))
    if any(s.what == "wait" for s in lay.spans):
        handles.append(Patch(facecolor=colours.PAPER, edgecolor=colours.OUTLINE, hatch="////",
                             label="waiting"))
    if forever:
        handles.append(Line2D([], [], color=ALERT, lw=5, label="blocked forever"))
    if trace.cycle:
        handles.append(Line2D([], [], color=ALERT, lw=2, marker=">", label="waits for (cycle)"))
    if any(s.what == "sleep" for s in lay.spans):
        handles.append(Patch(facecolor=colours.PAPER, edgecolor=colours.SLEEP, hatch="...",
                             label="sleeping"))
    if any(s.what == "run" for s in lay.spans):
        handles.append(Patch(facecolor=colours.RUNS, label="runs this step"))
    present = {m.op for m in lay.marks}
    for op, (marker, size, text) in MARKERS.items():
        if op in present:
            handles.append(Line2D([], [], marker=marker, markersize=size * 0.9, ls="",
                                  color=ALERT if op == "error" else colours.OUTLINE, label=text))
    return handles


def _title(trace: Trace) -> str:
    if trace.outcome == "deadlock" and trace.cycle:
        names = [e.thread for e in trace.cycle]
        if len(names) == 1:
            return f"Deadlock: {names[0]} waits for a lock it holds itself"
        return "Deadlock: " + " → ".join([*names, names[0]])
    return {
        "deadlock": "Deadlock",
        "invariant": "This interleaving breaks the final check",
        "exception": "A thread raised an exception",
        "lock-order": "Locks taken in opposite orders: a deadlock waiting to happen",
        "spin": "A thread spins without making progress",
        "blocked": "A thread is blocked forever",
    }.get(trace.outcome, "")
