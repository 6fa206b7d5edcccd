"""Opening a file the tracker wrote (an e-mail draft, a folder of workbooks) in the program the
officer's system uses for it: Outlook or Thunderbird for an .eml, the file manager for a
folder. The tracker itself never sends mail."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_with_system(path: str | Path) -> bool:
    """Ask the system to open `path`; False when it could not (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).resolve())))
