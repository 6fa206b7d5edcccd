"""The window's one job runner with a progress window (run_with_progress): its `done` comes
after the callback, and a dialog that closes (and is deleted) as its job ends is safe. A dialog
that runs a job as it opens begins it once its first frame is drawn."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog

from tracker.ui.jobs import LongJobDialog, run_with_progress


def test_a_dialog_deleted_as_its_job_ends_takes_its_task_with_it_quietly(qtbot):
    dialog = QDialog()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    told: list[str] = []
    gone: list[bool] = []
    dialog.destroyed.connect(lambda *_: gone.append(True))

    def succeeded(value) -> None:
        told.append(value)
        dialog.close()  # deleted at the next turn of the event loop, the task with it

    task = run_with_progress(dialog, "Working…", lambda _p, _c: "made", succeeded,
                             lambda exc: told.append(f"failed: {exc}"), cancellable=False)
    task.done.connect(lambda: told.append("done"))
    qtbot.waitUntil(lambda: bool(gone), timeout=10_000)
    for _ in range(3):  # anything still queued for the deleted task runs now
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
    assert told == ["made", "done"]


def test_done_follows_the_failure_callback_too(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    told: list[str] = []

    def job(_progress, _cancelled):
        raise OSError("the disk is full")

    task = run_with_progress(dialog, "Working…", job, lambda v: told.append("ok"),
                             lambda exc: told.append(str(exc)))
    with qtbot.waitSignal(task.done, timeout=10_000):
        pass
    assert told == ["the disk is full"] and task.finished


def test_a_job_of_many_steps_says_its_progress_a_few_times_first_last_and_every_new_word(qtbot):
    from tracker.ui.jobs import Job

    said: list[tuple[int, int, str]] = []

    def work(progress, _cancelled):
        for n in range(20_000):
            progress(n, 20_000)
        progress(0, 0, "Writing")
        progress(20_000, 20_000)
        return "done"

    job = Job(work)
    job.progressed.connect(lambda done, total, what: said.append((done, total, what)))
    results: list[str] = []
    job.succeeded.connect(results.append)
    job.start()
    qtbot.waitUntil(lambda: results == ["done"])
    assert said[0] == (0, 20_000, "")
    assert (0, 0, "Writing") in said and said[-1] == (20_000, 20_000, "")
    assert len(said) < 1_000  # not one signal (and one redraw of the bar) per step


class _Paints(QObject):
    def __init__(self, widget):
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_a_job_begun_as_its_dialog_opens_runs_once_the_first_frame_is_drawn(qtbot):
    dialog = LongJobDialog()
    qtbot.addWidget(dialog)
    paints = _Paints(dialog)
    begun: list[int] = []
    results: list[str] = []
    job = dialog.start_job(lambda _p, _c: begun.append(paints.count) or "read", results.append)
    assert job is not None and dialog.running and not begun  # its thread waits for the frame
    dialog.show()
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results == ["read"] and begun[0] >= 1  # the dialog had painted before it began
    dialog.after_first_frame(lambda: results.append("at once"))
    assert results[-1] == "at once"  # once drawn, later work begins at once


def test_a_job_of_a_dialog_not_shown_begins_on_the_next_turn(qtbot):
    dialog = LongJobDialog()
    qtbot.addWidget(dialog)
    results: list[str] = []
    dialog.start_job(lambda _p, _c: "read", results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results == ["read"] and not dialog.isVisible()
