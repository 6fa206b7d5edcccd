"""Running work off the GUI thread, with a progress dialog that appears only if it lasts.

The job is a plain function `job(progress, cancelled) -> result`: it reports progress as a
fraction (0..1) through `progress(fraction)` and stops early when `cancelled()` is true. It
never touches widgets. The result (or the exception) comes back on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

SHOW_AFTER_MS = 400

Job = Callable[[Callable[[float], None], Callable[[], bool]], Any]


class Cancelled(Exception):
    """The officer cancelled the job."""


class _Signals(QObject):
    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, job: Job, signals: _Signals, stop: threading.Event):
        super().__init__()
        self.job, self.signals, self.stop = job, signals, stop
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.job(self.signals.progress.emit, self.stop.is_set)
        except BaseException as exc:  # handed to the GUI thread, which reports it
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class BackgroundTask(QObject):
    """One job on the global thread pool. Keep a reference until `done` fires."""

    done = Signal()

    def __init__(self, parent: QWidget, title: str, job: Job,
                 on_success: Callable[[Any], None], on_error: Callable[[BaseException], None],
                 cancellable: bool = True):
        super().__init__(parent)
        self.on_success, self.on_error = on_success, on_error
        self.stop = threading.Event()
        self.signals = _Signals()
        self.dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 1000, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.dialog.canceled.connect(self.stop.set)
        self.dialog.setValue(0)
        self.signals.progress.connect(lambda f: self.dialog.setValue(int(max(0.0, min(f, 1.0)) * 1000)))
        self.signals.finished.connect(self._finished)
        self.signals.failed.connect(self._failed)
        self.finished = False
        QThreadPool.globalInstance().start(_Runnable(job, self.signals, self.stop))

    def _close(self) -> None:
        self.finished = True
        self.dialog.close()
        self.dialog.deleteLater()
        QTimer.singleShot(0, self.done.emit)

    def _finished(self, result: Any) -> None:
        self._close()
        self.on_success(result)

    def _failed(self, exc: BaseException) -> None:
        self._close()
        self.on_error(exc)
