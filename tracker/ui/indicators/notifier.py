"""One signal for "this indicator changed", shared by the grid and the open dialogs.

The undo commands call the notifier after every write (do, undo, redo), so whichever views
are open redraw, even when the change is undone from the main window after the dialog closed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeNotifier(QObject):
    """Signals:
        changed(int): the indicator id.
        refused(str): an undo command could not write the store; what to tell the officer.
    """

    changed = Signal(object)  # ids are 63-bit: a C int would overflow
    refused = Signal(str)

    def refuse(self, message: str) -> None:
        try:
            self.refused.emit(message)
        except RuntimeError:
            pass

    def __call__(self, indicator_id: int) -> None:
        try:
            self.changed.emit(indicator_id)
        except RuntimeError:  # the views are gone; the store is written all the same
            pass
