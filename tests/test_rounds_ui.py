"""Rounds in the window: the rounds list, sending with e-mail drafts, reminding the overdue,
changing the due date, closing (Ctrl+Z takes it back), contacts and the drafts' wording."""

from __future__ import annotations

from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from ui_helpers import close_window, make_window

from tracker import ops
from tracker.exchange.email_draft import SEND_TEMPLATE
from tracker.store import queries
from tracker.ui import system_open
from tracker.ui.returns import ExportReturnsDialog
from tracker.ui.rounds import ContactsDialog, EmailTemplateDialog, RoundsDialog

ROUND = "2021/22 Q2"


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """What would have been opened in the officer's mail program or file manager."""
    seen: list[str] = []
    monkeypatch.setattr(system_open, "open_with_system", lambda path: seen.append(str(path)) or True)
    return seen


def _police(store) -> int:
    return queries.find_partner(store, "Essex Police").id


def test_send_from_the_window_writes_drafts_to_open_in_the_mail_program(qtbot, store, tmp_path,
                                                                          opened):
    ops.add_contact(store, _police(store), "Sam Taylor", "sam.taylor@essex.police.uk")
    dialog = ExportReturnsDialog(store, round_label=ROUND, folder=tmp_path / "out")
    qtbot.addWidget(dialog)
    assert dialog.drafts_box.isChecked()
    dialog.partner_box.setCurrentText("Essex Police")
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        dialog.export_button.click()
    [draft] = dialog.drafts
    item = dialog.results.item(0)
    assert item.text().endswith("; draft to sam.taylor@essex.police.uk")
    dialog.results.itemActivated.emit(item)
    assert opened == [str(draft.path)]
    message = message_from_bytes(draft.path.read_bytes(), policy=default)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == (tmp_path / "out" / attachment.get_filename()).read_bytes()
    assert queries.get_round(store, ROUND).due_date == dialog.due_edit.date().toPython().isoformat()


def test_the_round_box_offers_the_rounds_and_opens_on_the_latest_open_one(qtbot, store, tmp_path):
    ops.send_round(store, "2021/22 Q1", tmp_path / "q1", partner="Essex Police")
    ops.send_round(store, ROUND, tmp_path / "q2", partner="Essex Police",
                   due_date=date.today() + timedelta(days=9))
    ops.close_round(store, ROUND)
    dialog = ExportReturnsDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.round_edit.text() == "2021/22 Q1"
    listed = [dialog.round_box.itemData(n) for n in range(dialog.round_box.count())]
    assert listed == [ROUND, "2021/22 Q1"]
    assert "closed" in dialog.round_box.itemText(0)


def test_the_rounds_list_reminds_changes_the_due_date_and_closes(qtbot, store, tmp_path, opened,
                                                                  monkeypatch):
    ops.add_contact(store, _police(store), "Sam Taylor", "sam.taylor@essex.police.uk")
    ops.send_round(store, ROUND, tmp_path / "sent", due_date=date.today() - timedelta(days=3))
    window = make_window(qtbot, store, tmp_path)
    try:
        dialog = window.rounds.show_rounds()
        assert dialog.rounds.rowCount() == 1 and dialog.selected_label() == ROUND
        assert dialog.rounds.item(0, 5).text() == "21"  # overdue
        monkeypatch.setattr(RoundsDialog, "ask_folder",
                            staticmethod(lambda _parent, _title: str(tmp_path / "reminders")))
        dialog.remind_button.click()
        assert dialog.drafts.count() == 21 and dialog.rounds.item(0, 6).text() == "21"
        dialog.drafts.itemActivated.emit(dialog.drafts.item(0))
        assert opened[0].endswith("_reminder.eml")
        later = date.today() + timedelta(days=7)
        monkeypatch.setattr(RoundsDialog, "ask_date", staticmethod(lambda _p, _l, _c: later))
        dialog.due_button.click()
        assert queries.get_round(store, ROUND).due_date == later.isoformat()
        assert dialog.rounds.item(0, 5).text() == "0"  # no longer overdue
        assert not dialog.remind_button.isEnabled()
        dialog.close_round_button.click()
        assert queries.get_round(store, ROUND).is_closed
        assert dialog.close_round_button.text() == "Re&open round"
        assert not dialog.send_button.isEnabled() and not dialog.due_button.isEnabled()
        window.history.undo()  # Ctrl+Z: the close is taken back
        assert not queries.get_round(store, ROUND).is_closed
        dialog.close()
    finally:
        close_window(window)


def test_contacts_are_edited_in_the_window_and_bad_addresses_refused_at_the_field(qtbot, store):
    dialog = ContactsDialog(store, partner_id=_police(store))
    qtbot.addWidget(dialog)
    dialog.name.setText("Sam Taylor")
    dialog.email.setText("sam(at)essex")
    dialog.add_button.click()
    assert "is not an e-mail address" in dialog.errors["email"].text()
    assert queries.list_contacts(store, _police(store)) == []
    dialog.email.setText("sam.taylor@essex.police.uk")
    dialog.role.setText("Performance lead")
    dialog.add_button.click()
    dialog.table.clearSelection()
    dialog.name.setText("Jo Bloggs")
    dialog.email.setText("jo.bloggs@essex.police.uk")
    dialog.role.clear()
    dialog.add_button.click()
    assert dialog.table.rowCount() == 2 and dialog.selected().name == "Jo Bloggs"
    dialog.up_button.click()
    assert [c.name for c in queries.list_contacts(store, _police(store))] == ["Jo Bloggs",
                                                                               "Sam Taylor"]
    dialog.remove_button.click()
    assert [c.name for c in queries.list_contacts(store, _police(store))] == ["Sam Taylor"]


def test_the_offices_wording_is_checked_saved_and_reset(qtbot, store):
    dialog = EmailTemplateDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.text.toPlainText() == SEND_TEMPLATE
    dialog.text.setPlainText("Subject: ${round}\n\nDear ${nmes},")
    assert not dialog.save_button.isEnabled() and "${nmes}" in dialog.message.text()
    dialog.text.setPlainText("Subject: ${round} return\n\nDear ${names}, by ${due} please.")
    dialog.save_button.click()
    assert ops.email_template(store, "send").startswith("Subject: ${round} return")
    dialog.reset_button.click()
    assert ops.email_template(store, "send") == SEND_TEMPLATE


def test_send_round_from_the_rounds_list_opens_the_send_dialog_on_that_round(qtbot, store,
                                                                             tmp_path):
    ops.send_round(store, "2021/22 Q1", tmp_path / "q1", partner="Essex Police")
    ops.send_round(store, ROUND, tmp_path / "q2", partner="Essex Police")
    window = make_window(qtbot, store, tmp_path)
    try:
        dialog = window.rounds.show_rounds()
        dialog.select_round("2021/22 Q1")
        dialog.send_button.click()
        sends = dialog.findChildren(ExportReturnsDialog)
        assert [s.round_edit.text() for s in sends] == ["2021/22 Q1"]
        sends[0].close()
        dialog.close()
    finally:
        close_window(window)
