"""Driving the workspace like an officer: a window on a copy of the sample, and modal dialogs
answered by typing into them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from tracker.store import commitments, plans
from tracker.ui.main_window import MainWindow


def make_window(qtbot, store, tmp_path, name: str = "settings.ini", home: bool = False
                ) -> MainWindow:
    """The window on `store`. It opens on the Home tab; unless `home`, the Plan tab is brought
    forward, as the officer does before working in the tree (most tests drive the tree)."""
    settings = QSettings(str(tmp_path / name), QSettings.Format.IniFormat)
    window = MainWindow(store, settings)
    qtbot.addWidget(window)
    if not home:
        window.tabs.setCurrentWidget(window.workspace)
    window.show()
    activate(qtbot, window)
    return window


def activate(qtbot, window: QWidget) -> None:
    """Make the window active again (after a dialog), so its shortcuts reach it."""
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def close_window(window: MainWindow) -> None:
    """pyqtgraph must be gone before the interpreter exits (MEASURED.md trap 2)."""
    window.save_settings()
    window.shutdown(close_store=False)
    window.close()


def when_dialog(qtbot, kind: type[QWidget], act: Callable[[QWidget], None]) -> list:
    """Answer the next modal dialog of `kind` with `act` once it is showing."""
    seen: list = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            seen.append(dialog)
            act(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def answer_yes(monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def capture_warnings(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: said.append(text))
    return said


def extension_commitment(store, with_evidence: bool = True):
    """A top-level commitment of the 2020/21 extension (which has evidence in the sample)."""
    from tracker.store import evidence

    plan = plans.find_plan(store, "2020/21")
    for p in plans.list_priorities(store, plan.id):
        for c in commitments.list_commitments(store, p.id):
            if not with_evidence or evidence.list_evidence(store, c.id):
                return c
    raise AssertionError("no commitment in the sample")


def reject(dialog: QDialog) -> None:
    dialog.reject()


def click_commitment(window, qtbot, commitment_id: int,
                     modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Open the tree down to the commitment, then click its row (with `modifier`, Ctrl or
    Shift, to choose several) as an officer would."""
    from tracker.ui.models.plan_tree import COMMITMENT, TEXT

    ws = window.workspace
    index = ws.model.locate((COMMITMENT, commitment_id))
    parent = index.parent()
    while parent.isValid():
        ws.tree.expand(parent)
        parent = parent.parent()
    ws.tree.scrollTo(index)
    rect = ws.tree.visualRect(index.siblingAtColumn(TEXT))
    qtbot.mouseClick(ws.tree.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
