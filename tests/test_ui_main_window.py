"""The main window with every feature wired in: workspace, indicators tab, returns, reports."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_helpers import close_window, make_window

from tracker.store import plans
from tracker.ui.report_dialog import ReportDialog


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    yield w
    close_window(w)


def test_the_window_has_the_home_plan_and_indicator_tabs_and_every_menu(window):
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Home", "Plan",
                                                                          "Indicators"]
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Plan", "Returns", "Help"]


def test_ctrl_3_shows_the_indicators_of_the_selected_plan(window, store, qtbot):
    ext = plans.find_plan(store, "pcp-2020-21")
    assert window.workspace.select_key(("plan", ext.id))
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.indicators
    assert window.indicators.plan_id == ext.id
    names = [item.indicator.name for item in window.indicators.items()]
    assert "Number of anti-social behaviour incidents" in names
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.workspace


def test_refresh_reaches_the_indicators_tab(window, store):
    from tracker.store import indicators

    ext = plans.find_plan(store, "pcp-2020-21")
    window.indicators.set_plan(ext.id)
    before = len(window.indicators.items())
    first_priority = plans.list_priorities(store, ext.id)[0]
    indicators.add_indicator(store, first_priority.id, "Number of volunteer hours")
    window.refresh()
    assert len(window.indicators.items()) == before + 1


def test_report_action_opens_the_report_dialog_on_the_selected_plan(window, store, qtbot):
    old = plans.find_plan(store, "pcp-2016-2020")
    window.workspace.select_key(("plan", old.id))
    window.report_action.trigger()
    dialog = window.findChild(ReportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.options().plan_id == old.id
    dialog.reject()


def test_delete_commitment_asks_then_deletes_and_undo_brings_it_back(window, store, qtbot,
                                                                    monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from tracker.store import commitments, evidence

    ext = plans.find_plan(store, "pcp-2020-21")
    priority = plans.list_priorities(store, ext.id)[1]
    target = commitments.list_commitments(store, priority.id)[0]
    n_evidence = len(evidence.list_evidence(store, target.id))
    window.workspace.expand_key(("priority", priority.id))
    assert window.workspace.select_key(("commitment", target.id))
    asked = []

    def answer(_parent, _title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.delete_commitment_action.trigger()
    assert f"{n_evidence} evidence items" in asked[0]
    assert commitments.find_commitment_by_uid(store, target.uid) is None
    assert window.workspace.model.locate(("commitment", target.id)) is None or \
        not window.workspace.model.locate(("commitment", target.id)).isValid()

    window.undo_action.trigger()
    back = commitments.find_commitment_by_uid(store, target.uid)
    assert back is not None and back.position == target.position
    assert len(evidence.list_evidence(store, back.id)) == n_evidence
    assert window.workspace.current_key() == ("commitment", back.id)
    window.redo_action.trigger()
    assert commitments.find_commitment_by_uid(store, target.uid) is None


def test_the_settings_the_window_sets_as_it_opens_reach_the_file_once_it_is_painted(
        qtbot, store, tmp_path):
    from PySide6.QtCore import QSettings

    from tracker.ui.main_window import MainWindow

    path = str(tmp_path / "opening.ini")
    window = MainWindow(store, QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.recent_files() == [str(store.path)]  # known at once, in memory
    window.show()
    qtbot.waitUntil(lambda: window._first_painted)
    qtbot.waitUntil(lambda: QSettings(path, QSettings.Format.IniFormat).value("db/last")
                    == str(store.path))
    assert QSettings(path, QSettings.Format.IniFormat).value("db/recent") in (
        str(store.path), [str(store.path)])
    close_window(window)


def test_a_window_never_shown_writes_its_settings_as_before(qtbot, store, tmp_path):
    from PySide6.QtCore import QSettings

    from tracker.ui.main_window import MainWindow

    path = str(tmp_path / "hidden.ini")
    window = MainWindow(store, QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: QSettings(path, QSettings.Format.IniFormat).value("db/last")
                    == str(store.path))
    window.shutdown(close_store=False)


def test_open_recent_lists_the_files_when_it_is_opened(window, store):
    menu = window.recent_menu
    assert menu.isEnabled()
    menu.aboutToShow.emit()
    entries = [(a.text(), a.toolTip(), a.isEnabled()) for a in menu.actions()]
    assert entries[0] == (f"&1 {store.path.name}", str(store.path), True)
    menu.aboutToShow.emit()  # filled again, not twice over
    assert len(menu.actions()) == len(entries)
