"""The report dialog: choices become options, the report is written off the GUI thread with
progress, opened when done, and can be cancelled without leaving a file."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from reports_helpers import docx_text, html_text, normalise

from tracker.reports import build
from tracker.store import partners, plans
from tracker.ui.report_dialog import ReportDialog


@pytest.fixture
def opened(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(ReportDialog, "open_file", classmethod(lambda cls, path: calls.append(path)))
    return calls


@pytest.fixture
def dialog(qtbot, store):
    plan = plans.find_plan(store, "pcp-2016-2020")
    widget = ReportDialog(store, plan.id)
    qtbot.addWidget(widget)
    yield widget
    if widget.running:
        widget.cancel()
        qtbot.waitUntil(lambda: not widget.running, timeout=60_000)


def test_choices_become_report_options(dialog, store):
    board = partners.find_partner(store, "domestic-abuse-board")
    dialog.priority_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.period_from.setText("2019/20")
    dialog.partner_combo.setCurrentIndex(dialog.partner_combo.findData(board.id))
    dialog.internal_check.setChecked(True)
    options = dialog.options()
    assert options.plan_id == plans.find_plan(store, "pcp-2016-2020").id
    assert options.priority_numbers == (2, 3, 4, 5, 6, 7)
    assert options.period_from == "2019/20" and options.period_to is None
    assert options.partner_id == board.id
    assert options.include_internal and options.closure  # the 2016-2020 plan is closed


def test_format_follows_the_choice_and_the_file_name(dialog):
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(".docx"))
    assert dialog.path_edit.text().endswith(".docx")
    dialog.path_edit.setText("/tmp/x.html")
    dialog.path_edit.textEdited.emit("/tmp/x.html")
    assert dialog.format_combo.currentData() == ".html"


def test_bad_choices_are_shown_and_nothing_starts(dialog, tmp_path):
    dialog.path_edit.setText(str(tmp_path / "report.txt"))
    dialog.start()
    assert ".pdf, .docx or .html" in dialog.error_label.text()
    assert not dialog.running
    dialog.path_edit.setText(str(tmp_path / "report.pdf"))
    dialog.period_from.setText("2021/22")
    dialog.period_to.setText("2019/20")
    dialog.start()
    assert "before it starts" in dialog.error_label.text()
    for i in range(dialog.priority_list.count()):
        dialog.priority_list.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.period_to.clear()
    dialog.start()
    assert "at least one priority" in dialog.error_label.text()
    assert not dialog.running and not (tmp_path / "report.pdf").exists()


def test_writes_the_report_off_the_gui_thread_and_opens_it(dialog, qtbot, tmp_path, opened,
                                                          monkeypatch):
    threads: list[threading.Thread] = []
    real = build._render

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "_render", spy)
    target = tmp_path / "closure.docx"
    dialog.path_edit.setText(str(target))
    seen: list[int] = []
    dialog.progress_bar.valueChanged.connect(seen.append)
    with qtbot.waitSignal(dialog.report_written, timeout=60_000) as written:
        dialog.create_button.click()
        assert dialog.running and not dialog.create_button.isEnabled()
    assert written.args == [str(target)]
    assert threads and threads[0] is not threading.main_thread()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert dialog.progress_bar.value() == 100 and len(set(seen)) > 3
    assert opened == [str(target)]
    text = normalise(docx_text(target))
    assert "Police and Crime Plan 2016-2020: Closure Report" in text
    assert "Tackle anti-social behaviour to prevent longer term and more serious crime." in text
    assert dialog.create_button.isEnabled()


def test_charts_are_drawn_for_a_report_with_indicators(qtbot, store, tmp_path, opened):
    plan = plans.find_plan(store, "pcp-2020-21")
    widget = ReportDialog(store, plan.id)
    qtbot.addWidget(widget)
    for i in range(1, widget.priority_list.count()):
        widget.priority_list.item(i).setCheckState(Qt.CheckState.Unchecked)
    widget.open_check.setChecked(False)
    target = tmp_path / "p1.html"
    widget.path_edit.setText(str(target))
    with qtbot.waitSignal(widget.report_written, timeout=60_000):
        widget.start()
    qtbot.waitUntil(lambda: not widget.running, timeout=60_000)
    parsed = html_text(target)
    assert len(parsed.images) == 3  # the status chart and the two indicators with values
    assert opened == []


def test_cancel_leaves_no_file(dialog, qtbot, tmp_path, opened, monkeypatch):
    import tracker.ui.report_dialog as module

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "cancelled.pdf"
    dialog.path_edit.setText(str(target))
    real = module.write_report
    started = threading.Event()

    def write_once_cancelled(store, options, path, *, progress=None, cancelled=None):
        # The report has started before the officer cancels it (no race with start()); the
        # real writer then sees the cancel and must leave nothing behind.
        started.set()
        pause = threading.Event()
        while not cancelled():
            pause.wait(0.01)
        return real(store, options, path, progress=progress, cancelled=cancelled)

    monkeypatch.setattr(module, "write_report", write_once_cancelled)
    dialog.start()
    qtbot.waitUntil(started.is_set, timeout=10_000)
    assert dialog.running
    with qtbot.waitSignal(dialog.report_cancelled, timeout=60_000):
        dialog.cancel()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert not target.exists()
    assert not list(folder.iterdir())  # no temporary file left either
    assert "Cancelled" in dialog.status_label.text()
    assert opened == []
