"""Keys every dialog of the window answers the same way.

`accept_on_ctrl_enter(dialog)`: Ctrl+Enter (either Enter key) accepts a dialog from anywhere in
it, a multi-line text box included, where plain Enter adds a line. The OK button's tooltip says
so. Call it once the dialog's buttons exist.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox

CTRL_ENTER = ("Ctrl+Return", "Ctrl+Enter")


def accept_on_ctrl_enter(dialog: QDialog, accept: Callable[[], None] | None = None
                         ) -> list[QShortcut]:
    """Ctrl+Enter runs `accept` (default: the dialog's accept(), which may refuse and say
    why, as OK would). Returns the shortcuts (they belong to the dialog)."""
    run = accept or dialog.accept
    made = []
    for keys in CTRL_ENTER:
        shortcut = QShortcut(QKeySequence(keys), dialog)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(run)
        made.append(shortcut)
    for box in dialog.findChildren(QDialogButtonBox):
        ok = (box.button(QDialogButtonBox.StandardButton.Ok)
              or box.button(QDialogButtonBox.StandardButton.Save))
        if ok is not None:
            tip = ok.toolTip()
            ok.setToolTip(f"{tip} (Ctrl+Enter)".strip() if tip else "Ctrl+Enter")
    return made
