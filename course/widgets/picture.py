"""What a board or a demo shows that must survive the notebook being saved and reopened.

A reopened notebook shows its widgets from the widget state saved with it, with no kernel behind
them: their buttons do nothing. :data:`REVIVE` is the one line every board and demo shows under
itself, saying how to bring it back. :class:`Picture` is a PNG shown through an HTML widget (an
``<img>`` with the picture inline): its value is text, which the saved widget state keeps, where
an ``Image`` widget's bytes come back as a broken-link icon.
"""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as widgets

from course.drawing import palette as colours

#: The line under every board and demo.
REVIVE = (f"<div style='font-size:11px;color:{colours.SOFT}'>Buttons that do nothing? The "
          "notebook was reopened without its kernel: run this cell again (Shift+Enter) to bring "
          "this back.</div>")


def revive_line() -> Any:
    """The :data:`REVIVE` line, as a widget."""
    return widgets.HTML(REVIVE)


class Picture:
    """A PNG in an HTML widget: ``picture.value = png_bytes``; ``picture.widget`` to lay out."""

    def __init__(self, alt: str = "timeline") -> None:
        self.alt = alt
        self._png = b""
        self.widget = widgets.HTML()

    @property
    def value(self) -> bytes:
        """The PNG shown (b"" when none)."""
        return self._png

    @value.setter
    def value(self, data: bytes) -> None:
        self._png = data
        b64 = base64.b64encode(data).decode("ascii")
        self.widget.value = (f"<img alt='{self.alt}' style='max-width:100%' "
                             f"src='data:image/png;base64,{b64}'/>") if data else ""
