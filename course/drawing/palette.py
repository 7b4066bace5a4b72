"""Every colour the course shows: one per primitive, the same in every picture of a trace, and
the named colours of the pictures, tables and widgets.

No other module of ``course`` spells a colour (``tests/test_repository.py`` checks it): to restyle,
change it here. Matplotlib colours are hex strings, names or grey levels (``"0"`` black to ``"1"``
white); the HTML ones are CSS colours.
"""

from __future__ import annotations

from collections.abc import Iterable

from autograder.base.trace import Trace

#: Drawn for a thread blocked forever, a deadlock's wait-for cycle and an error (tab10's red,
#: which :func:`palette` never gives a primitive).
ALERT = "#d62728"
#: The scheduler board's "goal reached" (tab10's green).
SUCCESS = "#2ca02c"

# -- pictures (matplotlib) ---------------------------------------------------------------------
#: Hollow patches (waiting, sleeping in the legend), edges between bars, text on a coloured bar,
#: the name on a primitive's node.
PAPER = "white"
#: The title of a wait-for graph without a deadlock; the outline of set, clear and notify marks.
BLACK = "black"
#: Text on a picture (counts, labels, the permits line); the outline of a primitive's node.
INK = "0.2"
#: Marks and wait-for arrows of no primitive's colour.
LINE = "0.25"
#: Outlines of legend patches and thread nodes, legend markers, an event's set line by default.
OUTLINE = "0.3"
#: "still waiting for ..." (a thread that is not blocked forever).
QUIET = "0.35"
#: The outline of a thread's sleep.
SLEEP = "0.45"
#: A timeline bar of a primitive that has no colour of its own.
NO_COLOUR = "0.5"
#: A thread's life line on the timeline.
ALIVE = "0.55"
#: A wait-for graph's node of a primitive that has no colour of its own.
NO_COLOUR_NODE = "0.6"
#: The "... more" patch of a long legend.
MORE = "0.8"
#: The rules between the timeline's lanes.
LANE_RULE = "0.88"
#: Behind the step a thread runs (engine traces).
RUNS = "0.9"
#: The timeline's vertical grid.
GRID = "0.93"
#: A thread's node in the wait-for graph.
THREAD_FACE = "#e8eef7"

# -- HTML (tables and widgets; CSS colours) ----------------------------------------------------
#: The scheduler board's status line while the goal is not reached.
TEXT = "#333"
#: What a thread's column says it is doing.
STATUS = "#555"
#: Secondary text: the lines not being run, a thread's last step, the log of the last steps.
SOFT = "#444"
#: Asides: where a thread is outside the code shown, a demo's run time.
FAINT = "#888"
#: The rules between a table's rows.
TABLE_RULE = "#ddd"
#: The thread stripe of a table row whose thread has no colour.
NO_THREAD_COLOUR = "#999"
#: The line a thread runs next, and a shared variable just written.
HIGHLIGHT = "#fff3b0"
#: A shared variable just read.
READ_HIGHLIGHT = "#e3f0ff"


def primitive_order(trace: Trace) -> list[str]:
    """Labels of the primitives a trace uses, in order of first use."""
    seen: dict[str, None] = {}
    for e in trace.events:
        if e.obj is not None and e.kind not in (None, "sleep", "variable") and e.op not in (
                "read", "write", "sleep"):
            seen.setdefault(e.obj, None)
    return list(seen)


#: matplotlib's qualitative colormaps tab10 and tab20, spelled here so that a step table (HTML)
#: needs no matplotlib: a grading kernel that draws no picture never imports it (not_drawn;
#: tests/course/test_not_drawn.py checks them against matplotlib's).
TAB10 = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
         "#7f7f7f", "#bcbd22", "#17becf")
TAB20 = ("#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728",
         "#ff9896", "#9467bd", "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2",
         "#7f7f7f", "#c7c7c7", "#bcbd22", "#dbdb8d", "#17becf", "#9edae5")
#: Their reds (tab10's 4th, tab20's 7th and 8th), never given to a primitive.
_REDS = frozenset({TAB10[3], TAB20[6], TAB20[7]})


def palette(labels: Iterable[str]) -> dict[str, str]:
    """label -> hex colour from a qualitative colormap (tab10, tab20 past ten labels).

    Red is skipped: it means "blocked forever" and "deadlock" in every picture.
    """
    labels = list(labels)
    colours = [c for c in (TAB10 if len(labels) <= 9 else TAB20) if c not in _REDS]
    return {label: colours[i % len(colours)] for i, label in enumerate(labels)}


def trace_palette(trace: Trace) -> dict[str, str]:
    """The colours of a trace's primitives."""
    return palette(primitive_order(trace))
