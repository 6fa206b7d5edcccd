"""The window's icons: SVG files shipped in resources/icons (installed as tracker.resources),
read through importlib.resources. A missing file gives an empty icon, never a failure: the
action keeps its words."""

from __future__ import annotations

import functools
from importlib.resources import files

from PySide6.QtGui import QIcon

ICONS_PACKAGE = "tracker.resources"


@functools.cache
def icon(name: str) -> QIcon:
    """The icon `name` (the file resources/icons/<name>.svg)."""
    try:
        found = files(ICONS_PACKAGE).joinpath("icons", f"{name}.svg")
        present = found.is_file()
    except (ImportError, OSError):
        present = False
    return QIcon(str(found)) if present else QIcon()
