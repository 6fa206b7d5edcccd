"""Indicator edits when the database file has gone behind the application's back: refused with
a message, the undo stack left in step with the database (found in review)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from test_indicators_view import host, indicator_named, open_dialog, view  # noqa: F401

from tracker.store import indicators


@pytest.fixture
def said(monkeypatch):
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: messages.append(text))
    return messages


def periods(store, indicator_id):
    return [v.period for v in indicators.list_values(store, indicator_id)]


def test_adding_a_value_to_a_vanished_file_is_refused(open_dialog, store, said):  # noqa: F811
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    before = periods(store, ind.id)
    moved = store.path.with_name("moved.db")
    store.path.rename(moved)
    try:
        dialog.new_period.setText("2017/18")
        dialog.new_value.setText("130000")
        dialog.add_button.click()
    finally:
        moved.rename(store.path)
    assert said and "has disappeared" in said[0]
    assert periods(store, ind.id) == before
    assert dialog.undo_stack.count() == 0


def test_undo_into_a_vanished_file_is_refused_and_dropped(open_dialog, view, store, said):  # noqa: F811
    dialog = open_dialog("all crime offences")
    ind = indicator_named(store, "Number of all crime offences")
    dialog.new_period.setText("2017/18")
    dialog.new_value.setText("130000")
    dialog.add_button.click()
    assert "2017/18" in periods(store, ind.id)
    dialog.accept()
    moved = store.path.with_name("moved.db")
    store.path.rename(moved)
    try:
        view.undo_stack.undo()
    finally:
        moved.rename(store.path)
    assert said and "has disappeared" in said[0]
    assert "2017/18" in periods(store, ind.id)
    assert not view.undo_stack.canRedo()


# --- a laptop screen (1280 x 800) and the keyboard ----------------------------------------


def test_the_indicator_dialog_fits_a_1280_by_800_screen(open_dialog):  # noqa: F811
    dialog = open_dialog("all crime offences")
    available = dialog.screen().availableGeometry()
    assert dialog.minimumSizeHint().height() <= 800 - 80  # room for a taskbar and title bar
    assert dialog.minimumSizeHint().width() <= 1280
    assert dialog.height() <= available.height() and dialog.width() <= available.width()


def test_every_mnemonic_on_the_values_tab_is_unique(open_dialog):  # noqa: F811
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QAbstractButton

    dialog = open_dialog("all crime offences")
    keys = [QKeySequence.mnemonic(b.text()).toString()
            for b in dialog.findChildren(QAbstractButton) if b.isVisible()]
    keys = [k for k in keys if k]
    assert len(keys) == len(set(keys)), sorted(keys)
