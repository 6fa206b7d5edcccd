"""Starting Qt without a Qt abort: no display, or a platform plugin that cannot load, is one line.

Qt ends the process (SIGABRT, exit 134) when no platform plugin can start, with a message that
blames libxcb-cursor0 whatever the cause. `no_display()` catches the common case before Qt is
touched; `create_application()` catches the rest while the QApplication is being made.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

HEADLESS_HINT = "use QT_QPA_PLATFORM=offscreen for headless commands"


def no_display(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> str | None:
    """The sentence to print when the window has nowhere to appear (Linux and other X11/Wayland
    systems with neither display set and no platform chosen), else None."""
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    if environ.get("QT_QPA_PLATFORM") or environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return ("No display found: the window needs a desktop session (neither DISPLAY nor "
            f"WAYLAND_DISPLAY is set); set DISPLAY, or {HEADLESS_HINT}.")


def platform_failure(messages: list[str], plugin: str) -> str:
    """One sentence for a platform plugin that could not start, from what Qt said before it gave up."""
    for text in messages:
        if "could not connect to display" in text:
            shown = text.rsplit("display", 1)[1].strip() or "(none)"
            return (f"No display found: could not connect to display {shown}; set DISPLAY "
                    f"to a running desktop, or {HEADLESS_HINT}.")
    if any("Could not find the Qt platform plugin" in text for text in messages):
        return (f"The window cannot start: Qt has no platform plugin named '{plugin}' "
                f"(QT_QPA_PLATFORM); set DISPLAY to a running desktop, or {HEADLESS_HINT}.")
    return (f"The window cannot start: Qt could not load its '{plugin}' platform plugin (a system "
            "library is missing; bash .ci/install installs them, QT_DEBUG_PLUGINS=1 names the one "
            f"missing); set DISPLAY to a running desktop, or {HEADLESS_HINT}.")


def create_application(argv: list[str]):
    """A new QApplication; if Qt cannot start a platform plugin, one line on stderr and exit 1."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    said: list[str] = []

    def handler(kind, context, message):
        if kind == QtMsgType.QtFatalMsg:
            plugin = os.environ.get("QT_QPA_PLATFORM") or "xcb"
            print(f"tracker: {platform_failure(said, plugin)}", file=sys.stderr, flush=True)
            os._exit(1)  # Qt aborts as soon as this returns
        said.append(f"{context.category}: {message}" if context.category not in (None, "", "default")
                    else message)

    previous = qInstallMessageHandler(handler)
    try:
        app = QApplication(argv)
    finally:
        qInstallMessageHandler(previous)
    for text in said:  # what Qt said while starting, as its own handler would have shown it
        print(text, file=sys.stderr)
    return app
