"""Widgets that leave a static picture where no widget frontend exists.

A notebook that is converted (nbconvert, nbgrader feedback) keeps no widget state, and then
nbconvert falls back to the next richest output of a cell: :func:`mimebundle` puts a PNG (or
HTML) beside the widget view so that this fallback shows the picture the widget showed.
"""

from __future__ import annotations

import base64
from typing import Any


def mimebundle(widget: Any, *, png_bytes: bytes | None = None, html: str | None = None,
               text: str = "") -> dict[str, Any]:
    """The widget's own display data plus static fallbacks (PNG, HTML, text)."""
    bundle: dict[str, Any] = {}
    repr_widget = getattr(widget, "_repr_mimebundle_", None)
    if repr_widget is not None:
        data = repr_widget()
        if isinstance(data, tuple):
            data = data[0]
        bundle.update(data or {})
    if png_bytes:
        bundle["image/png"] = base64.b64encode(png_bytes).decode("ascii")
    if html:
        bundle["text/html"] = html
    if text:
        bundle["text/plain"] = text
    return bundle
