"""The returns dialogs, driven as an officer would: read off the GUI thread, preview, tick,
apply, cancel, mark problems, send workbooks, see who replied, revert."""

from __future__ import annotations

import threading
import time

import pytest
from accessibility import label_shows
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from test_exchange_support import PARTNER, ROUND, answer, database_content, edit, export

from tracker.domain.status import Status
from tracker.exchange import layout
from tracker.exchange.errors import Cancelled
from tracker.exchange.return_read import read_return_file
from tracker.store import commitments, partners, returns
from tracker.store.backup import CheckpointInBackground
from tracker.ui.jobs import Job
from tracker.ui.returns import ExportReturnsDialog, ImportReturnDialog, RoundStatusDialog

C, IND = layout.COMMITMENTS, layout.INDICATORS


def _filled(store, tmp_path, edits=None):
    sent = export(store, tmp_path)
    return edit(sent, tmp_path / "back.xlsx", edits or {
        answer(C, "new_status", 2): "Complete", answer(C, "evidence", 3): "Opened a hub",
        answer(IND, "new_value", 4): 150000})


def _open(qtbot, store, path) -> ImportReturnDialog:
    dialog = ImportReturnDialog(store, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.running and dialog.summary.text() != "Reading the workbook…")
    return dialog


def test_import_dialog_previews_then_applies_only_the_ticked_changes(qtbot, store, tmp_path):
    path = _filled(store, tmp_path)
    dialog = _open(qtbot, store, path)
    assert dialog.changes.rowCount() == 3
    assert "Essex Police" in dialog.summary.text()
    assert "1 status change, 1 new evidence, 1 indicator value" in dialog.summary.text()
    assert dialog.apply_button.text() == "&Apply 3 changes"
    status_row = next(r for r in range(3) if dialog.changes.change(r).kind == "status")
    index = dialog.changes.index(status_row, 0)
    assert dialog.changes.setData(index, Qt.CheckState.Unchecked.value,
                                  Qt.ItemDataRole.CheckStateRole)
    assert dialog.apply_button.text() == "&Apply 2 changes"
    cid = dialog.changes.change(status_row).payload.commitment_id
    with qtbot.waitSignal(dialog.applied) as signal:
        dialog.apply_button.click()
    result = signal.args[0].value
    assert (result.statuses, result.evidence, result.values, result.skipped) == (0, 1, 1, 1)
    assert commitments.get_commitment(store, cid).status is Status.NOT_ASSESSED
    # The return named in words; its 18-digit id is the command line's handle, not the window's.
    assert "Imported Essex Police's 2020/21 Q4 return:" in label_shows(dialog.summary)
    assert str(result.record.id) not in dialog.summary.text()
    assert not dialog.apply_button.isEnabled()


def test_problems_are_listed_and_a_marked_copy_can_be_saved(qtbot, store, tmp_path):
    path = _filled(store, tmp_path, {answer(C, "new_status", 2): "almost",
                                     answer(C, "evidence", 3): "Fine"})
    dialog = _open(qtbot, store, path)
    assert dialog.problems.rowCount() == 1
    cell = dialog.problems.index(0, 0).data()
    assert cell == f"{C}!G2"
    assert not dialog.apply_button.isEnabled()
    dialog.valid_only.setChecked(True)
    assert dialog.apply_button.isEnabled()
    saved = dialog.write_marked_copy(tmp_path / "marked.xlsx")
    assert load_workbook(saved)[C]["G2"].comment is not None
    before = database_content(store)
    dialog.valid_only.setChecked(False)
    assert database_content(store) == before


def test_a_refused_workbook_says_why_and_cannot_be_applied(qtbot, store, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    dialog = _open(qtbot, store, bad)
    assert "cannot be imported" in dialog.summary.text()
    assert "password-protected" in dialog.summary.text()
    assert not dialog.apply_button.isEnabled()


def test_reading_can_be_cancelled(store, tmp_path):
    path = _filled(store, tmp_path)
    with pytest.raises(Cancelled):
        read_return_file(path, cancelled=lambda: True)


def test_a_job_reports_progress_and_stops_when_cancelled(qtbot):
    started = threading.Event()

    def job(progress, cancelled):
        progress(1, 10, "first")
        started.set()
        while not cancelled():  # the job has started before it is cancelled: no race
            started.wait(0.01)
        raise Cancelled()

    runner = Job(job)
    seen = []
    runner.progressed.connect(lambda done, total, what: seen.append((done, total, what)))
    with qtbot.waitSignal(runner.failed, timeout=10_000) as failed:
        runner.start()
        assert started.wait(10)
        runner.cancel()
    qtbot.waitUntil(lambda: not runner.running, timeout=10_000)
    assert isinstance(failed.args[0], Cancelled)
    assert seen == [(1, 10, "first")]


def test_export_dialog_writes_the_workbooks_off_the_gui_thread(qtbot, store, tmp_path):
    dialog = ExportReturnsDialog(store, round_label="2020/21 q4", folder=tmp_path / "out")
    qtbot.addWidget(dialog)
    dialog.partner_box.setCurrentText(PARTNER)
    with qtbot.waitSignal(dialog.exported, timeout=20000) as signal:
        dialog.export_button.click()
    (written,) = signal.args[0]
    assert written.path.exists() and written.partner_name == PARTNER
    assert dialog.results.count() == 1
    dialog.round_edit.setText("sometime")
    assert not dialog.export_button.isEnabled()
    assert "not a reporting round" in dialog.message.text()


def _one_back_one_awaited(qtbot, store, tmp_path):
    """The round with PARTNER's return imported and the roads partnership's sent, and the
    who-has-replied dialog on it."""
    path = _filled(store, tmp_path)
    dialog = _open(qtbot, store, path)
    with qtbot.waitSignal(dialog.applied):
        dialog.apply_button.click()
    roads = partners.find_partner(store, "Safer Essex Roads Partnership")
    export(store, tmp_path / "roads", "Safer Essex Roads Partnership")
    status = RoundStatusDialog(store, round_label=ROUND)
    qtbot.addWidget(status)
    return roads, status


def _choose_to_revert(status, monkeypatch, partner: str = PARTNER) -> None:
    """Select the partner's row and answer Yes to the question before reverting."""
    names = [status.table.item(r, 0).text() for r in range(status.table.rowCount())]
    status.table.selectRow(names.index(partner))
    monkeypatch.setattr(status, "confirm_revert", lambda record: True)


def test_round_status_says_a_round_it_cannot_read_as_it_was_typed(qtbot, store):
    status = RoundStatusDialog(store, round_label="<b>Q9 & co")
    qtbot.addWidget(status)
    assert label_shows(status.summary).startswith("'<b>Q9 & co' is not a reporting round")


def test_round_status_shows_who_replied_and_reverts_a_return(qtbot, store, tmp_path, monkeypatch):
    roads, status = _one_back_one_awaited(qtbot, store, tmp_path)
    names = [status.table.item(r, 0).text() for r in range(status.table.rowCount())]
    states = {n: status.table.item(r, 1).text() for r, n in enumerate(names)}
    assert states[PARTNER] == "✔ Back"
    assert states[roads.name] == "✉ Awaited"
    assert "1 back, 1 awaited" in status.summary.text()
    status.table.selectRow(names.index(PARTNER))
    assert status.revert_button.isEnabled()
    return_id = status.selected().return_id
    monkeypatch.setattr(status, "confirm_revert", lambda record: True)
    with qtbot.waitSignal(status.reverted):
        status.revert_button.click()
    assert "Reverted Essex Police's 2020/21 Q4 return:" in label_shows(status.summary)
    assert str(return_id) not in status.summary.text()
    assert returns.round_status(store, ROUND)[0] is not None
    states = {s.partner_name: s.state for s in returns.round_status(store, ROUND)}
    assert states[PARTNER] == "sent"


def test_a_revert_runs_off_the_window_thread_and_goes_on_the_undo_history(
        qtbot, store, tmp_path, monkeypatch):
    from tracker import ops

    _roads, status = _one_back_one_awaited(qtbot, store, tmp_path)
    _choose_to_revert(status, monkeypatch)
    threads: list[threading.Thread] = []
    revert = ops.revert_return

    def watched(own, return_id):
        threads.append(threading.current_thread())
        return revert(own, return_id)

    monkeypatch.setattr(ops, "revert_return", watched)
    with qtbot.waitSignal(status.reverted):
        status.revert_button.click()
        assert status.running and not status.revert_button.isEnabled()
    qtbot.waitUntil(lambda: not status.running)
    assert threads and threads[0] is not threading.main_thread()
    assert {s.partner_name: s.state for s in returns.round_status(store, ROUND)}[PARTNER] == "sent"
    assert status.history.stack.canUndo()
    status.history.stack.undo()
    assert {s.partner_name: s.state for s in returns.round_status(store, ROUND)}[PARTNER] == "back"


def test_a_revert_that_is_refused_says_why_and_changes_nothing(qtbot, store, tmp_path, monkeypatch):
    _roads, status = _one_back_one_awaited(qtbot, store, tmp_path)
    _choose_to_revert(status, monkeypatch)
    record = returns.get_return(store, status.selected().return_id)
    changed = store.execute(
        "SELECT c.uid FROM status_change s JOIN commitment c ON c.id = s.commitment_id "
        "WHERE s.return_id = ?", (record.id,)).fetchone()[0]
    commitment = commitments.find_commitment_by_uid(store, changed)
    commitments.set_status(store, commitment.id, Status.AT_RISK, "Changed since the return")
    before = database_content(store)
    status.revert_button.click()
    qtbot.waitUntil(lambda: not status.running and "Not reverted" in status.summary.text())
    assert "changed status since the return" in status.summary.text()
    assert database_content(store) == before
    assert status.revert_button.isEnabled()


def test_the_window_does_not_close_while_a_revert_is_being_written(
        qtbot, store, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    from ui_helpers import close_window, make_window

    from tracker import ops

    path = _filled(store, tmp_path)
    dialog = _open(qtbot, store, path)
    with qtbot.waitSignal(dialog.applied):
        dialog.apply_button.click()
    window = make_window(qtbot, store, tmp_path)
    release = threading.Event()
    revert = ops.revert_return

    def held(own, return_id):
        assert release.wait(60)
        return revert(own, return_id)

    monkeypatch.setattr(ops, "revert_return", held)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: said.append(text))
    try:
        status = window.returns.round_status(ROUND)
        _choose_to_revert(status, monkeypatch)
        status.revert_button.click()
        qtbot.waitUntil(lambda: status.running)
        window.close()
        assert window.isVisible() and said == ["Please wait: work on the database is still running."]
        with qtbot.waitSignal(status.reverted):
            release.set()
    finally:
        release.set()
        close_window(window)
    assert {s.partner_name: s.state for s in returns.round_status(store, ROUND)}[PARTNER] == "sent"


def test_who_has_replied_sorts_by_state_and_date_and_reverts_the_partner_chosen(
        qtbot, store, tmp_path, monkeypatch):
    roads, status = _one_back_one_awaited(qtbot, store, tmp_path)
    table = status.table

    def column(n):
        return [table.item(r, n).text() for r in range(table.rowCount())]

    assert table.isSortingEnabled()  # a click on a heading sorts
    assert column(0) == sorted(column(0), key=str.casefold)  # by partner at first
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # a click on State
    states = column(1)
    rank = ["▲ Overdue", "✉ Awaited", "○ Not sent", "✔ Back"]
    assert states == sorted(states, key=rank.index) and states[-1] == "✔ Back"
    assert column(0)[states.index("✉ Awaited")] == roads.name
    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # Sent: latest first, by the day
    assert column(0)[0] == roads.name
    # The row chosen after sorting is the partner it names, not the row it was read in at.
    table.selectRow(column(0).index(PARTNER))
    assert status.selected().partner_name == PARTNER and status.revert_button.isEnabled()
    monkeypatch.setattr(status, "confirm_revert", lambda record: True)
    with qtbot.waitSignal(status.reverted):
        status.revert_button.click()
    states = {s.partner_name: s.state for s in returns.round_status(store, ROUND)}
    assert states[PARTNER] == "sent" and states[roads.name] == "sent"


def test_the_window_has_the_returns_menu_and_takes_dropped_workbooks(qtbot, store, tmp_path):
    from ui_helpers import close_window, make_window

    window = make_window(qtbot, store, tmp_path)
    try:
        actions = window.returns
        titles = [a.text() for a in window.menuBar().actions()]
        assert titles.count("&Returns") == 1
        assert titles.index("&Returns") == titles.index("&Help") - 1
        path = _filled(store, tmp_path)
        window.on_xlsx_dropped.emit(str(path))
        dialog = window.findChild(ImportReturnDialog)
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.preview is not None)
        assert dialog.changes.rowCount() == 3
        with qtbot.waitSignal(dialog.applied):
            dialog.apply_button.click()
        dialog.close()
        assert actions.status_action.text() == "&Who has replied…"
    finally:
        close_window(window)


def test_cancelling_the_import_dialog_while_reading_writes_nothing(qtbot, store, tmp_path,
                                                                  monkeypatch):
    import tracker.exchange.return_read as module  # (the dialog's worker imports it when run)

    path = _filled(store, tmp_path)
    reading = threading.Event()

    def slow_read(target, progress, cancelled):
        progress(1, 100)
        reading.set()
        while not cancelled():
            reading.wait(0.01)
        raise Cancelled()

    monkeypatch.setattr(module, "read_return_file", slow_read)
    before = database_content(store)
    dialog = ImportReturnDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(reading.is_set)
    assert dialog.busy.isVisible() and not dialog.close_button.isEnabled()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.summary.text() == "Stopped. Nothing was written."
    assert not dialog.apply_button.isEnabled()
    assert database_content(store) == before


def test_whole_plan_workbook_from_the_menu_opens_as_a_new_database(qtbot, store, tmp_path,
                                                                   monkeypatch):
    from ui_helpers import capture_warnings, close_window, make_window

    from tracker.store import plans

    titles = [p.title for p in plans.list_plans(store)]
    said = capture_warnings(monkeypatch)
    window = make_window(qtbot, store, tmp_path)
    try:
        actions = window.returns  # the window's own Returns menu, the one the officer uses
        assert [a.text() for a in window.menuBar().actions()].count("&Returns") == 1
        assert actions.export_plan_action in actions.menu.actions()
        out = tmp_path / "plan.xlsx"
        actions.export_plan(out)
        qtbot.waitUntil(lambda: not actions.tasks)
        assert out.exists()
        target = tmp_path / "copy.db"
        actions.import_plan(out, target)
        qtbot.waitUntil(lambda: not actions.tasks)
        assert window.store.path == target
        assert [p.title for p in plans.list_plans(window.store)] == titles
        assert actions.import_plan(out, target) is None  # never over an existing file
        assert "copy.db already exists" in said[-1]
    finally:
        close_window(window)


def test_cancelling_a_whole_plan_workbook_load_makes_no_database(qtbot, store, tmp_path,
                                                                  monkeypatch):
    from ui_helpers import capture_warnings, close_window, make_window

    import tracker.exchange.plan_workbook as module

    real_snapshot = module.take_snapshot
    reading = threading.Event()

    def snapshot_when_stopped(path, limits, cancelled):
        """The real gate, entered only once the officer has pressed Cancel."""
        reading.set()
        for _ in range(1000):  # at most 10 s, so a failing test cannot leave it spinning
            if cancelled():
                break
            time.sleep(0.01)
        return real_snapshot(path, limits, cancelled)

    said = capture_warnings(monkeypatch)  # a message box would wait for a click
    window = make_window(qtbot, store, tmp_path)
    try:
        actions = window.returns
        out = tmp_path / "plan.xlsx"
        actions.export_plan(out)
        qtbot.waitUntil(lambda: not actions.tasks)
        monkeypatch.setattr(module, "take_snapshot", snapshot_when_stopped)
        target = tmp_path / "copy.db"
        task = actions.import_plan(out, target)
        qtbot.waitUntil(reading.is_set)
        from PySide6.QtWidgets import QPushButton

        task.dialog.findChild(QPushButton).click()  # the progress window's Cancel
        qtbot.waitUntil(lambda: not actions.tasks)
        assert window.store.path == store.path  # still the database it had open
        assert not any(tmp_path.glob("copy.db*"))  # nothing half-made left behind
        assert window.statusBar().currentMessage() == (
            "Loading the plan workbook stopped; nothing was made.")
        assert said == []  # stopping is not a failure to warn about
    finally:
        close_window(window)


def test_the_preview_models_pass_the_qt_model_tester(qtbot, store, tmp_path, qtmodeltester):
    from tracker.ui.returns.preview_models import ChangesModel, ProblemsModel

    path = _filled(store, tmp_path, {answer(C, "new_status", 2): "almost",
                                     answer(C, "evidence", 3): "Opened a hub",
                                     answer(IND, "new_value", 4): 150000})
    dialog = _open(qtbot, store, path)
    changes, problems = ChangesModel(), ProblemsModel()
    changes.set_preview(dialog.preview)
    problems.set_problems(dialog.preview.problems)
    assert changes.rowCount() == 2 and problems.rowCount() == 1
    qtmodeltester.check(changes, force_py=True)
    qtmodeltester.check(problems, force_py=True)
    # Unticking through the model is what the Apply button counts.
    index = changes.index(0, 0)
    assert changes.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert changes.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert changes.change(0).accepted is False


def _evidence_in_the_file_alone(store, tmp_path) -> int:
    """The evidence the database file holds without its write-ahead log."""
    import shutil
    import sqlite3

    alone = tmp_path / "file-alone.db"
    shutil.copyfile(store.path, alone)
    conn = sqlite3.connect(alone)
    try:
        return conn.execute("SELECT count(*) FROM evidence").fetchone()[0]
    finally:
        conn.close()


def test_an_applied_return_reaches_the_database_file_on_a_thread_after_the_dialog_says_so(
        qtbot, store, tmp_path):
    path = _filled(store, tmp_path)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _evidence_in_the_file_alone(store, tmp_path)
    dialog = _open(qtbot, store, path)
    with qtbot.waitSignal(dialog.applied):
        dialog.apply_button.click()
    assert store.execute("SELECT count(*) FROM evidence").fetchone()[0] == before + 1
    assert store.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    [checkpoint] = [b for b in store.background if isinstance(b, CheckpointInBackground)]
    checkpoint.wait()
    assert _evidence_in_the_file_alone(store, tmp_path) == before + 1
    store.close()  # waits for anything still running on the file; nothing is left behind
    assert store.background == []
