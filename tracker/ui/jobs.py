"""The one way the window runs work off the GUI thread, with progress, cancel and errors.

A job is a plain function `job(progress, cancelled) -> result`: it reports progress through
`progress(done, total, what="")` and stops early when `cancelled()` is true (raising
tracker.errors.Cancelled). It never touches widgets and opens its own connection to the
database (`store.for_worker()`): a connection belongs to the thread that uses it. Its result,
or the exception it raised, comes back on the GUI thread through the Job's signals.

Three ways to show one:
    Job(fn).start()              the bare runner, for work shown in a widget of its own
    LongJobDialog                the base of dialogs that run a long job (report, export,
                                 import): a progress bar, a status line and Cancel; closing
                                 while it runs cancels first and closes when it has stopped
    run_with_progress(...)       a progress window that appears only if the job lasts
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.errors import Cancelled, TrackerError
from tracker.ui import collector

Progress = Callable[..., None]
IsCancelled = Callable[[], bool]
JobFunction = Callable[[Progress, IsCancelled], Any]

SHOW_AFTER_MS = 400
FIRST_FRAME_WAIT_MS = 250  # a shown dialog whose first frame never comes starts its work anyway
PROGRESS_EVERY = 0.05  # seconds between two progress signals of a job

__all__ = ["Cancelled", "Job", "JobFunction", "LongJobDialog", "ProgressTask",
           "run_with_progress"]


class Job(QObject):
    """One job on a thread of its own. Keep a reference until `ended` has fired.

    Signals:
        progressed(int, int, str): done, total, and what is being done, from the job.
        succeeded(object): the job's result.
        failed(object): the exception it raised (tracker.errors.Cancelled when stopped).
        ended(): after succeeded or failed; the thread has finished.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    ended = Signal()

    def __init__(self, fn: JobFunction, parent: QObject | None = None):
        super().__init__(parent)
        self._fn = fn
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._said: str | None = None  # the last progress said, and when
        self._said_at = 0.0
        self._outcome: tuple[bool, Any] | None = None
        self._done_relay = _Relay(self)
        self._done_relay.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> Job:
        if self._thread is not None:
            raise RuntimeError("a Job runs once")
        self._thread = threading.Thread(target=self._run, name="tracker-job", daemon=False)
        self._thread.start()
        collector.worker_started(self._thread)
        return self

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the thread ends (tests, shutdown); True if it has."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _progress(self, done: float, total: float = 1, what: str = "") -> None:
        # Said at most every PROGRESS_EVERY seconds (and always the first, the last and any
        # new words): a step per row of a 5,000-row return queued 7,000 redraws of the bar.
        moment = time.monotonic()
        if (what == self._said and 0 < done < total
                and moment - self._said_at < PROGRESS_EVERY):
            return
        self._said, self._said_at = what, moment
        try:
            self.progressed.emit(int(done), int(total), str(what))
        except RuntimeError:  # the receiver has gone; the job goes on
            pass

    def _run(self) -> None:
        try:
            result = self._fn(self._progress, self._stop.is_set)
        except BaseException as exc:  # handed to the GUI thread, which reports it
            self._outcome = (False, exc)
        else:
            self._outcome = (True, result)
        try:
            self._done_relay.done.emit()
        except RuntimeError:
            pass

    def _deliver(self) -> None:
        if self._thread is not None:
            self._thread.join()
        self._thread = None
        ok, value = self._outcome or (False, RuntimeError("the job ended without a result"))
        self._outcome = None
        if ok:
            self.succeeded.emit(value)
        else:
            self.failed.emit(value)
        self.ended.emit()


class _Relay(QObject):
    done = Signal()


def describe_failure(exc: BaseException) -> str:
    """A job's exception in words: its own message when it is one of ours."""
    if isinstance(exc, TrackerError | OSError):
        return str(exc)
    return f"Unexpected error ({type(exc).__name__}: {exc})"


class JobPanel(QWidget):
    """A progress bar with a status line and a Cancel button, shown while a job runs."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def show_progress(self, done: int, total: int, what: str) -> None:
        """Per cent of the work, or a busy bar while the total is not known."""
        if total <= 0:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 100)
            self.bar.setValue(max(0, min(done * 100 // total, 100)))
        if what:
            self.status.setText(what)


class LongJobDialog(QDialog):
    """A dialog that runs one long job at a time in its JobPanel (`self.job_panel`).

    Subclasses call `start_job(fn, on_done, on_failed)`; while it runs, Close, Escape and the
    window's close button cancel it (the dialog closes once it has stopped), so no thread is
    ever left behind a closed dialog. `job_started` / `job_ended` let a subclass enable and
    disable its own controls.
    """

    hide_panel_when_done = True  # False: the bar and status stay to show how it ended

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.job: Job | None = None
        self._close_when_done = False
        self._painted = False
        self._after_first_frame: list[Callable[[], None]] = []
        self.job_panel = JobPanel()
        self.job_panel.cancel_button.clicked.connect(self.cancel)
        self.job_panel.hide()

    def after_first_frame(self, start: Callable[[], None]) -> None:
        """Call `start` once the dialog's first frame is drawn (at once if it has been, on the
        event loop's next turn if the dialog is not shown). Threads begun as a dialog opens
        share Python's lock with its first layout and paint, whose calls into Python then
        wait on them: an import dialog's opening froze the window 100-300 ms so."""
        if self._painted:
            start()
            return
        self._after_first_frame.append(start)
        if len(self._after_first_frame) == 1:
            QTimer.singleShot(0, self, self._start_unless_painting)

    def _start_unless_painting(self) -> None:
        if self.isVisible() and not self._painted:
            QTimer.singleShot(FIRST_FRAME_WAIT_MS, self, self._start_waiting)
        else:
            self._start_waiting()

    def _start_waiting(self) -> None:
        waiting, self._after_first_frame = self._after_first_frame, []
        for start in waiting:
            start()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            if self._after_first_frame:  # once this frame is flushed to the screen
                QTimer.singleShot(0, self, self._start_waiting)

    @property
    def running(self) -> bool:
        return self.job is not None

    def start_job(self, fn: JobFunction, on_done: Callable[[Any], None],
                  on_failed: Callable[[BaseException], None] | None = None,
                  status: str = "", cancellable: bool = True) -> Job | None:
        if self.job is not None:
            return None
        job = Job(fn, self)
        self.job = job
        job.progressed.connect(self.job_panel.show_progress)
        job.succeeded.connect(on_done)
        job.failed.connect(on_failed or self.job_failed)
        job.ended.connect(self._ended)
        self.job_panel.bar.setRange(0, 0)
        self.job_panel.status.setText(status)
        self.job_panel.cancel_button.setEnabled(cancellable)
        self.job_panel.show()
        self.job_started()
        self.after_first_frame(job.start)
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job_panel.status.setText("Stopping…")

    def job_started(self) -> None:
        """The job has started (disable what must not change meanwhile)."""

    def job_ended(self) -> None:
        """The job has ended, after its result or failure was handled."""

    def job_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self.job_panel.status.setText(str(exc))
        else:
            self.job_panel.status.setText(describe_failure(exc))

    def _ended(self) -> None:
        self.job = None
        if self.hide_panel_when_done:
            self.job_panel.hide()
        self.job_panel.cancel_button.setEnabled(False)
        self.job_ended()
        if self._close_when_done:
            self._close_when_done = False
            QDialog.reject(self)

    def reject(self) -> None:
        if self.job is not None:  # never leave a thread running behind a closed dialog
            self._close_when_done = True
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.job is not None:
            self._close_when_done = True
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.job is not None:
            self.reject()
            return
        super().keyPressEvent(event)


class ProgressTask(QObject):
    """A job with a progress window that appears only if it lasts (run_with_progress).

    Signals:
        done(): the job has ended and its callback has run.
    """

    done = Signal()

    def __init__(self, parent: QWidget, title: str, fn: JobFunction,
                 on_success: Callable[[Any], None], on_error: Callable[[BaseException], None],
                 cancellable: bool = True):
        super().__init__(parent)
        self.finished = False
        self.dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 1000, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.dialog.setValue(0)
        self.job = Job(fn, self)
        self.dialog.canceled.connect(self.job.cancel)
        self.job.progressed.connect(self._progress)
        self.job.succeeded.connect(on_success)
        self.job.failed.connect(on_error)
        self.job.ended.connect(self._ended)
        self.job.start()

    def _progress(self, done: int, total: int, what: str) -> None:
        if total > 0:
            self.dialog.setValue(int(max(0.0, min(done / total, 1.0)) * 1000))
        if what:
            self.dialog.setLabelText(what)

    def _ended(self) -> None:
        # Emitted here, at once: the job's callback has run (succeeded/failed come before
        # ended), and a callback that closes a dialog deleting this task only deletes it later,
        # so nothing queued can outlive the task and fire on a deleted object.
        self.finished = True
        self.dialog.close()
        self.dialog.deleteLater()
        self.done.emit()


def run_with_progress(parent: QWidget, title: str, fn: JobFunction,
                      on_success: Callable[[Any], None],
                      on_error: Callable[[BaseException], None],
                      cancellable: bool = True) -> ProgressTask:
    """Run `fn` off the GUI thread behind a progress window shown after SHOW_AFTER_MS."""
    return ProgressTask(parent, title, fn, on_success, on_error, cancellable)
