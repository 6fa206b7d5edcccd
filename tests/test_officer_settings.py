"""The officer's name: one settings file for the window and the command line, TRACKER_OFFICER
over it, asked for on the window's first run."""

from __future__ import annotations

import json

import pytest
from ui_helpers import close_window, extension_commitment, make_window, when_dialog

from tracker.cli import main
from tracker.store import commitments, user_settings
from tracker.store.database import default_officer, open_store
from tracker.store.errors import ValidationError


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    path = tmp_path / "config" / "settings.json"
    monkeypatch.setenv("TRACKER_SETTINGS", str(path))
    monkeypatch.delenv("TRACKER_OFFICER", raising=False)
    return path


def test_the_name_saved_is_who_the_command_line_records(settings_file, sample_db):
    assert user_settings.officer_name() is None
    user_settings.set_officer_name("  Priya   Shah ")
    assert json.loads(settings_file.read_text(encoding="utf-8"))["officer_name"] == "Priya Shah"
    assert default_officer() == "Priya Shah"
    assert main(["export-returns", "--round", "2021/22 Q2", "--partner", "Essex Police",
                 "--out", str(settings_file.parent / "out"), "--db", str(sample_db)]) == 0
    store = open_store(sample_db, mode="read")
    try:
        sent_by = store.execute("SELECT exported_by FROM partner_return").fetchone()[0]
    finally:
        store.close()
    assert sent_by == "Priya Shah"


def test_tracker_officer_still_overrides_the_file(settings_file, monkeypatch):
    user_settings.set_officer_name("Priya Shah")
    monkeypatch.setenv("TRACKER_OFFICER", "Batch Job")
    assert default_officer() == "Batch Job"
    assert user_settings.saved_officer_name() == "Priya Shah"


def test_a_damaged_settings_file_counts_as_empty_and_is_replaced_whole(settings_file):
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text("{not json", encoding="utf-8")
    assert user_settings.officer_name() is None
    user_settings.set_officer_email("priya.shah@example.org")
    assert json.loads(settings_file.read_text(encoding="utf-8")) == {
        "officer_email": "priya.shah@example.org"}
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]


def test_bad_names_and_addresses_are_refused_in_words(settings_file):
    with pytest.raises(ValidationError, match="Type your name"):
        user_settings.set_officer_name("   ")
    with pytest.raises(ValidationError, match="holds a control character"):
        user_settings.set_officer_name("Priya\x07")
    with pytest.raises(ValidationError, match="'priya@' is not an e-mail address"):
        user_settings.set_officer_email("priya@")
    assert not settings_file.exists()


def test_the_window_asks_on_first_run_and_records_the_name(settings_file, qtbot, store, tmp_path):
    from tracker.domain.status import Status
    from tracker.ui.dialogs.officer_dialog import OfficerDialog

    window = make_window(qtbot, store, tmp_path)
    try:
        seen = []

        def answer(dialog: OfficerDialog) -> None:
            seen.append(dialog.windowTitle())
            dialog.buttons.button(dialog.buttons.StandardButton.Save).click()  # empty: refused
            assert dialog.isVisible() and "Type your name" in dialog.name_error.text()
            dialog.name.setText("Priya Shah")
            dialog.email.setText("priya.shah@example.org")
            dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

        when_dialog(qtbot, OfficerDialog, answer)
        window.ensure_officer_name()
        assert seen == ["Your name"]
        assert store.officer == "Priya Shah"
        assert user_settings.officer_email() == "priya.shah@example.org"
        window.ensure_officer_name()  # asked once only
        assert seen == ["Your name"]
        commitment = extension_commitment(store)  # an open plan (row ids are random)
        commitments.set_status(store, commitment.id, Status.AT_RISK, "Checking who")
        assert commitments.status_history(store, commitment.id)[0].changed_by == "Priya Shah"
    finally:
        close_window(window)


def test_a_name_the_window_kept_before_moves_into_the_file(settings_file, qtbot, store, tmp_path):
    from PySide6.QtCore import QSettings

    legacy = QSettings(str(tmp_path / "old.ini"), QSettings.Format.IniFormat)
    legacy.setValue("officer/name", "Jo Bloggs")
    legacy.sync()
    window = make_window(qtbot, store, tmp_path, name="old.ini")
    try:
        assert store.officer == "Jo Bloggs"
        assert user_settings.saved_officer_name() == "Jo Bloggs"
    finally:
        close_window(window)


@pytest.mark.parametrize("first_run", [True, False])
def test_the_name_dialog_shows_the_whole_of_its_explanation(settings_file, qtbot, first_run):
    """The welcome says why the name is asked for: every line of it is on screen, not cut off
    by a dialog sized for one line fewer."""
    from PySide6.QtWidgets import QLabel

    from tracker.ui.dialogs.officer_dialog import OfficerDialog

    dialog = OfficerDialog(first_run=first_run)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    [intro] = [w for w in dialog.findChildren(QLabel) if "recorded with every change" in w.text()]
    assert intro.height() >= intro.heightForWidth(intro.width())
    assert intro.geometry().bottom() < dialog.name.geometry().top()
