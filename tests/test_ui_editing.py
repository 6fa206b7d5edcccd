"""Editing as an officer does it, through the real widgets: a UK date typed once, a PDF attached
to evidence and opened again, five statuses set at once and undone in one step, the new
evidence selected and in view, the plan's own periods."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QLabel
from ui_helpers import (
    activate,
    click_commitment,
    close_window,
    extension_commitment,
    make_window,
    when_dialog,
)

from tracker.domain.status import Status
from tracker.store import attachments, commitments, evidence, plans
from tracker.ui import system_open
from tracker.ui.dialogs.evidence_dialog import EvidenceDialog
from tracker.ui.dialogs.status_dialog import StatusDialog
from tracker.ui.models.plan_tree import COMMITMENT, PLAN, PRIORITY
from tracker.ui.widgets.attachments_panel import AttachmentsPanel
from tracker.ui.widgets.evidence_table import TEXT as EVIDENCE_TEXT

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    w.resize(1280, 720)
    yield w
    close_window(w)


def answered(qtbot, kind, act):
    """when_dialog, but a failed check closes the dialog (else its loop would never end) and
    is raised once the dialog is gone."""
    failures: list[BaseException] = []

    def safe(dialog) -> None:
        try:
            act(dialog)
        except BaseException as exc:
            failures.append(exc)
            dialog.reject()

    seen = when_dialog(qtbot, kind, safe)
    return seen, failures


# The offscreen platform cannot raise a popup or give it the keyboard (the calendar is one).
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_a_uk_date_typed_in_the_due_field_is_saved_at_the_first_try(window, store, qtbot):
    c = extension_commitment(store)
    click_commitment(window, qtbot, c.id)
    page = window.workspace.detail.commitment_page
    due = page.form.fields["due_date"]
    due.setFocus()
    qtbot.keyClicks(due.line, "15/11/2026")
    qtbot.keyClick(due.line, Qt.Key.Key_Return)
    assert commitments.get_commitment(store, c.id).due_date == "2026-11-15"
    assert due.line.text() == "15 Nov 2026"
    assert not page.form.errors["due_date"].isVisible()
    # The calendar: Alt+Down opens it on the day shown; a day clicked is saved.
    qtbot.keyClick(due.line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = due.calendar
    assert calendar.isVisible() and calendar.selectedDate() == QDate(2026, 11, 15)
    calendar.clicked.emit(QDate(2026, 12, 1))
    assert not calendar.isVisible()
    assert commitments.get_commitment(store, c.id).due_date == "2026-12-01"
    assert due.line.text() == "1 Dec 2026"
    # Something that is no day is refused under the field, in words, and nothing is written.
    due.line.selectAll()
    qtbot.keyClicks(due.line, "31/02/2026")
    qtbot.keyClick(due.line, Qt.Key.Key_Return)
    assert "type it as 15/11/2026" in page.form.errors["due_date"].text()
    assert commitments.get_commitment(store, c.id).due_date == "2026-12-01"
    window.undo_action.trigger()
    assert commitments.get_commitment(store, c.id).due_date == "2026-11-15"
    # The ISO form is read too, and shown the one way.
    due.line.selectAll()
    qtbot.keyClicks(due.line, "2026-11-20")
    qtbot.keyClick(due.line, Qt.Key.Key_Return)
    assert commitments.get_commitment(store, c.id).due_date == "2026-11-20"
    assert due.line.text() == "20 Nov 2026"


def test_a_pdf_attached_to_evidence_opens_again_with_the_same_bytes(window, store, qtbot,
                                                                    tmp_path, monkeypatch):
    c = extension_commitment(store)
    item = evidence.list_evidence(store, c.id)[0]
    source = tmp_path / "Scrutiny panel report.pdf"
    source.write_bytes(PDF)
    monkeypatch.setattr(AttachmentsPanel, "ask_file", staticmethod(lambda _parent: str(source)))
    opened: list[Path] = []
    monkeypatch.setattr(system_open, "open_with_system", lambda path: opened.append(Path(path)) or True)
    click_commitment(window, qtbot, c.id)
    page = window.workspace.detail.commitment_page
    page.table.select_id(item.id)
    panel = page.files
    assert panel.attach_button.isEnabled()
    qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
    [kept] = attachments.list_attachments(store, item.id)
    assert (kept.file_name, kept.size, kept.visibility.value) == (
        "Scrutiny panel report.pdf", len(PDF), "internal")
    # The table says the evidence has a file; the panel lists it, internal only.
    row = page.table.row_of(item.id)
    assert page.table.item(row, 5).text() == "1 file"
    assert "Scrutiny panel report.pdf" in page.table.item(row, 5).toolTip()
    assert panel.list.count() == 1 and "internal only" in panel.list.item(0).text()
    source.write_bytes(b"changed on disk since")  # the tracker keeps its own copy
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    [path] = opened
    assert path.name == "Scrutiny panel report.pdf"
    assert path.read_bytes() == PDF
    assert not path.stat().st_mode & 0o222  # a read-only copy
    window.undo_action.trigger()  # one step takes the file off again
    assert attachments.list_attachments(store, item.id) == []


def test_five_statuses_set_at_once_and_undone_in_one_step(window, store, qtbot):
    plan = plans.find_plan(store, "2020/21")
    priority = plans.list_priorities(store, plan.id)[0]
    chosen = commitments.list_commitments(store, priority.id)[:5]
    click_commitment(window, qtbot, chosen[0].id)
    for c in chosen[1:]:
        click_commitment(window, qtbot, c.id, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.selected_commitment_ids() == [c.id for c in chosen]
    assert window.status_action.isEnabled()
    assert window.statusBar().currentMessage().startswith("5 commitments chosen: Change status")
    # The tree's menu on one of them keeps all five chosen, and offers Change status.
    from PySide6.QtWidgets import QMenu

    from tracker.ui.tree_menu import row_actions
    menu = QMenu(window)
    row_actions(window)(menu, window.workspace.model.locate((COMMITMENT, chosen[2].id)))
    assert window.status_action in menu.actions()
    assert window.workspace.selected_commitment_ids() == [c.id for c in chosen]
    menu.deleteLater()

    def answer(dialog: StatusDialog) -> None:
        assert dialog.windowTitle() == "Change status — 5 commitments"
        named = dialog.findChild(QLabel).text().splitlines()[1:]
        assert len(named) == 5 and all(line.endswith("…") or len(line) < 80 for line in named)
        activate(qtbot, dialog)  # shortcuts (Ctrl+Enter) reach the active window only
        dialog.status.setCurrentIndex(dialog.status.findData(Status.ON_TRACK.value))
        qtbot.keyClicks(dialog.reason, "Quarterly review with Essex Police")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # Enter adds a line
        assert dialog.isVisible()
        qtbot.keyClicks(dialog.reason, "All five on plan.")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    seen, failures = answered(qtbot, StatusDialog, answer)
    activate(qtbot, window)
    qtbot.keyClick(window.workspace.tree, Qt.Key.Key_F2)
    if failures:
        raise failures[0]
    assert seen
    assert [commitments.get_commitment(store, c.id).status for c in chosen] == [Status.ON_TRACK] * 5
    reasons = {commitments.status_history(store, c.id)[0].reason for c in chosen}
    assert reasons == {"Quarterly review with Essex Police All five on plan."}
    assert window.undo_stack.count() == 1
    assert "Set 5 commitments to On track" in window.undo_action.text()
    activate(qtbot, window)
    qtbot.keyClick(window.workspace.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [commitments.get_commitment(store, c.id).status for c in chosen] == [
        c.status for c in chosen]
    assert all(commitments.status_history(store, c.id) == [] for c in chosen)


def test_new_evidence_is_selected_and_in_view(window, store, qtbot):
    c = extension_commitment(store)
    for n in range(12):  # enough rows that the last is out of sight at 1280 x 720
        evidence.add_evidence(store, c.id, evidence.EvidenceInput(
            f"Earlier update {n}: " + "a long statement of what was delivered " * 4,
            period="2020/21"))
    window.refresh()
    click_commitment(window, qtbot, c.id)
    page = window.workspace.detail.commitment_page

    def add(dialog: EvidenceDialog) -> None:
        qtbot.keyClicks(dialog.text, "Rural crime team started in March.")
        qtbot.keyClicks(dialog.date, "31/03/2021")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    _seen, failures = answered(qtbot, EvidenceDialog, add)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    if failures:
        raise failures[0]
    new = evidence.list_evidence(store, c.id)[-1]
    assert (new.text, new.evidence_date) == ("Rural crime team started in March.", "2021-03-31")
    table = page.table
    qtbot.waitUntil(lambda: table.selected_id() == new.id)
    row = table.row_of(new.id)
    assert table.item(row, 0).text() == "31 Mar 2021"

    def in_view() -> bool:
        rect = table.visualRect(table.model().index(row, EVIDENCE_TEXT))
        return table.viewport().rect().contains(rect)

    qtbot.waitUntil(in_view)
    assert table.verticalScrollBar().value() > 0  # it was scrolled to, not already there


def test_evidence_table_gives_the_statement_the_width_and_bounds_rows(window, store, qtbot):
    c = extension_commitment(store)
    long = "Anti-social behaviour fell " + "year on year across every district " * 12
    evidence.add_evidence(store, c.id, evidence.EvidenceInput(long, period="2019/20-2020/21"))
    window.refresh()
    click_commitment(window, qtbot, c.id)
    table = window.workspace.detail.commitment_page.table
    qtbot.waitUntil(lambda: table.columnWidth(EVIDENCE_TEXT) > 0)
    widths = {col: table.columnWidth(col) for col in range(table.columnCount())
              if not table.isColumnHidden(col)}
    assert max(widths, key=widths.get) == EVIDENCE_TEXT
    assert table.isColumnHidden(3)  # no figure anywhere: the column is not shown
    assert table.horizontalScrollBar().maximum() == 0
    row = table.row_of(evidence.list_evidence(store, c.id)[-1].id)
    line = table.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: 0 < table.rowHeight(row) <= line * 3 + 8)
    assert long.strip() in table.item(row, EVIDENCE_TEXT).toolTip()
    table.select_id(evidence.list_evidence(store, c.id)[-1].id)
    qtbot.waitUntil(lambda: table.rowHeight(row) > line * 3 + 8)  # the selected row opens


def test_this_period_is_the_plans_own(window, store, qtbot):
    c = extension_commitment(store)
    click_commitment(window, qtbot, c.id)
    page = window.workspace.detail.commitment_page
    # The extension is 2020/21: long ended, so its last quarter, not today's.
    assert "This period (2020/21 Q4)" in page.period_label.text()
    assert "Last period (2020/21 Q3)" in page.period_label.text()
    assert page.source_note.text().startswith(
        "Source: Police and Crime Plan 2016-2020: Extension 2020/21 (EXT)")
    assert isinstance(page.source_note, QLabel)  # a note to read, not a field to edit
    plan = plans.find_plan(store, "2021-2024")
    window.workspace.select_key((PLAN, plan.id))
    overview = window.workspace.detail.plan_page.overview
    qtbot.waitUntil(lambda: not overview.pending and overview.data is not None
                    and overview.data.plan_id == plan.id)
    assert overview.period.currentText() == "2023/24"  # within the plan, its last year


def test_the_partnership_field_shows_the_start_of_its_text(window, store, qtbot):
    plan = plans.find_plan(store, "2020/21")
    priority = next(p for p in plans.list_priorities(store, plan.id)
                    if p.partnership and len(p.partnership) > 60)
    window.workspace.select_key((PRIORITY, priority.id))
    field = window.workspace.detail.priority_page.form.fields["partnership"]
    assert field.text() == priority.partnership
    assert field.cursorPosition() == 0
    field.resize(200, field.height())
    QApplication.processEvents()
    assert field.cursorRect().left() < 20  # the start is what shows


def test_a_commitment_is_added_whole_and_one_undo_takes_it_all_back(window, store, qtbot):
    from tracker.store import partners
    from tracker.ui.dialogs.commitment_dialog import CommitmentDialog

    plan = plans.find_plan(store, "2020/21")
    priority = plans.list_priorities(store, plan.id)[1]
    before = [c.id for c in commitments.list_commitments(store, priority.id)]
    window.workspace.select_key((PRIORITY, priority.id))
    essex = next(p for p in partners.list_partners(store) if p.name == "Essex Police")

    def fill(dialog: CommitmentDialog) -> None:
        dialog.code.setText("Z")
        qtbot.keyClicks(dialog.text, "Publish a yearly rural crime report.")
        qtbot.keyClicks(dialog.lead, "Head of Performance")
        qtbot.keyClicks(dialog.due.line, "15/11/2026")
        row = next(i for i in range(dialog.partners.count())
                   if dialog.partners.item(i).text() == "Essex Police")
        dialog.partners.item(row).setCheckState(Qt.CheckState.Checked)
        qtbot.keyClicks(dialog.sub_points, "Hotspots by district")
        qtbot.keyClick(dialog.sub_points, Qt.Key.Key_Return)  # Enter: the next sub-point
        qtbot.keyClicks(dialog.sub_points, "Farm thefts by month")
        dialog.ok_button.click()

    seen, failures = answered(qtbot, CommitmentDialog, fill)
    window.add_commitment_action.trigger()
    if failures:
        raise failures[0]
    assert seen
    added = commitments.list_commitments(store, priority.id)[-1]
    assert (added.code, added.text, added.lead, added.due_date) == (
        "Z", "Publish a yearly rural crime report.", "Head of Performance", "2026-11-15")
    assert partners.commitment_partner_ids(store, added.id) == [essex.id]
    assert [c.text for c in commitments.children(store, added.id)] == [
        "Hotspots by district", "Farm thefts by month"]
    assert window.workspace.current_key() == (COMMITMENT, added.id)
    assert window.undo_stack.count() == 1
    window.undo_action.trigger()
    assert [c.id for c in commitments.list_commitments(store, priority.id)] == before


def test_evidence_and_history_have_their_own_menus_and_export(window, store, qtbot):
    from tracker.ui import table_export

    c = extension_commitment(store)
    click_commitment(window, qtbot, c.id)
    page = window.workspace.detail.commitment_page
    item = evidence.list_evidence(store, c.id)[0]
    index = page.table.model().index(page.table.row_of(item.id), EVIDENCE_TEXT)
    menu = table_export.table_menu(page.table, "Evidence", page._evidence_menu, index)
    labels = [a.text() for a in menu.actions() if a.text()]
    assert labels[:2] == ["&Add evidence…", "&Edit…"]
    assert {"A&ttach file…", "Export to &Excel…", "Export to C&SV…"} <= set(labels)
    assert page.table.selected_id() == item.id  # the menu's row became the selected one
    menu.deleteLater()
    menu = table_export.table_menu(page.history, "Status history", page._history_menu,
                                   page.history.model().index(0, 0))
    labels = [a.text() for a in menu.actions() if a.text()]
    assert labels[0] == "Change &status…" and "Export to &Excel…" in labels
    menu.deleteLater()
    assert page.table.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    assert page.history.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
