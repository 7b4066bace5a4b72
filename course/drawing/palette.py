"""One colour per primitive, the same in every picture of a trace."""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib import colormaps
from matplotlib.colors import to_hex

from autograder.trace import Trace

#: Drawn for a thread blocked forever and for a deadlock's wait-for cycle.
ALERT = "#d62728"


def primitive_order(trace: Trace) -> list[str]:
    """Labels of the primitives a trace uses, in order of first use."""
    seen: dict[str, None] = {}
    for e in trace.events:
        if e.obj is not None and e.kind not in (None, "sleep", "variable") and e.op not in (
                "read", "write", "sleep"):
            seen.setdefault(e.obj, None)
    return list(seen)


def palette(labels: Iterable[str]) -> dict[str, str]:
    """label -> hex colour from a qualitative colormap (tab10, tab20 past ten labels).

    Red is skipped: it means "blocked forever" and "deadlock" in every picture.
    """
    labels = list(labels)
    name = "tab10" if len(labels) <= 9 else "tab20"
    cmap = colormaps[name]
    colours = [to_hex(cmap(i)) for i in range(cmap.N)]
    reds = {to_hex(colormaps["tab10"](3)), to_hex(colormaps["tab20"](6)),
            to_hex(colormaps["tab20"](7))}
    colours = [c for c in colours if c not in reds]
    return {label: colours[i % len(colours)] for i, label in enumerate(labels)}


def trace_palette(trace: Trace) -> dict[str, str]:
    """The colours of a trace's primitives."""
    return palette(primitive_order(trace))
