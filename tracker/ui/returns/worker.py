"""A job run on a QThread, with progress and cancel, for the returns dialogs.

The job is a plain function `job(progress, cancelled)`: `progress(done, total)` and
`cancelled() -> bool`, the shape tracker.exchange's functions take. It never touches widgets;
its result or exception comes back to the GUI thread through the signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class JobThread(QThread):
    """Runs one job. Keep a reference until `finished_with` or `failed_with` has fired.

    Give it a parent (the dialog) and let it be deleted with the parent: calling deleteLater
    on a finished JobThread crashed PySide6 6.11 when a nested event loop was running.

    Signals:
        progressed(int, int): done and total, from the job.
        finished_with(object): the job's result.
        failed_with(object): the exception the job raised (Cancelled when stopped).
    """

    progressed = Signal(int, int)
    finished_with = Signal(object)
    failed_with = Signal(object)

    def __init__(self, job: Job, parent=None):
        super().__init__(parent)
        self._job = job
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        try:
            result = self._job(self.progressed.emit, self._stop.is_set)
        except BaseException as exc:  # handed to the GUI thread, which reports it
            self.failed_with.emit(exc)
        else:
            self.finished_with.emit(result)
