"""Figures as PNG bytes and inline ``<img>`` tags, and bare figures shown by IPython.

The static fallback of widgets (``course.widgets.fallback``) and the failing test's picture
(``course.bridge.failure_picture``) are made of these.
"""

from __future__ import annotations

import base64
import io

from matplotlib.figure import Figure


def png(fig: Figure, *, dpi: float | None = None) -> bytes:
    """The figure rendered to PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()


def img_html(data: bytes, alt: str = "") -> str:
    """An ``<img>`` tag with the PNG inline."""
    b64 = base64.b64encode(data).decode("ascii")
    return f"<img alt='{alt}' src='data:image/png;base64,{b64}'/>"


def enable_figure_display() -> None:
    """Let a bare matplotlib Figure returned by a cell show as a PNG in IPython.

    The course draws on ``Figure`` objects, not through pyplot (no global state, no leaks in
    widgets); IPython shows them only once a PNG formatter for ``Figure`` is registered.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is there wherever notebooks are
        return
    ip = get_ipython()
    if ip is None:
        return
    formatter = ip.display_formatter.formatters["image/png"]
    try:
        formatter.lookup_by_type(Figure)
    except KeyError:
        formatter.for_type(Figure, lambda fig: png(fig))
