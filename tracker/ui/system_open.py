"""Opening a file the tracker wrote in the program the officer's system uses for its type: a
finished report in the PDF reader or Word, an e-mail draft in Outlook or Thunderbird, a folder
of workbooks in the file manager. The tracker itself never sends mail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_with_system(path: str | Path) -> bool:
    """Open `path` with the system's program for it; False when nothing could open it.

    Windows: os.startfile, which raises when no program is associated with the extension (Word
    missing for .docx, say). Elsewhere: QDesktopServices, which runs xdg-open on Linux and is
    False when that cannot be started. xdg-open itself starts (and Qt says True) even when no
    program is registered for the file's type, and then fails where nobody sees it: so on Linux
    the desktop's own registry (xdg-mime) is asked first, and no program there is False. A
    relative path is opened as the file it names here.
    """
    if sys.platform == "win32":
        try:
            os.startfile(str(path))  # the officer's own file, just written
        except OSError:
            return False
        return True
    if sys.platform.startswith("linux") and not linux_has_program_for(path):
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).resolve())))


def linux_has_program_for(path: str | Path) -> bool:
    """Whether the desktop names a program for the file's type (xdg-mime); True when that
    cannot be asked (no xdg-mime): then xdg-open is left to try."""
    if Path(path).is_dir() or shutil.which("xdg-mime") is None:
        return True
    try:
        kind = subprocess.run(["xdg-mime", "query", "filetype", str(path)], capture_output=True,
                              text=True, timeout=10).stdout.strip()
        if not kind:
            return True
        program = subprocess.run(["xdg-mime", "query", "default", kind], capture_output=True,
                                 text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(program)
