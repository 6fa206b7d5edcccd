"""A label's text in a colour of its own, set in its palette rather than by a style sheet: a
widget with a style sheet is drawn and measured through Qt's style-sheet style, which parses the
sheet when the widget is first shown (the window's first frame waited for it)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget


def set_text_colour(widget: QWidget, colour: str) -> None:
    """The text of `widget` in `colour` ("#555"), in every state, as `color: ...` in a style
    sheet gives it."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    widget.setPalette(palette)
