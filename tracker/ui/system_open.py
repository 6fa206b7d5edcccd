"""Opening a file in the program the computer uses for its type (a finished report)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_with_system(path: str | Path) -> bool:
    """Open `path` with the system's program for it; False when nothing could open it.

    Windows: os.startfile, which raises when no program is associated with the extension (Word
    missing for .docx, say). Elsewhere: QDesktopServices, which runs xdg-open on Linux and is
    False when that cannot be started.
    """
    if sys.platform == "win32":
        try:
            os.startfile(str(path))  # the officer's own file, just written
        except OSError:
            return False
        return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
