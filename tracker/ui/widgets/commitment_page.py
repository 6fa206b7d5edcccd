"""The selected commitment: its fields edited in place, its status with the reason asked for,
its evidence (add, edit, delete, reorder) and its status history."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.domain.model import Commitment, Evidence
from tracker.domain.wording import day, moment
from tracker.errors import TrackerError
from tracker.ops import team as team_ops
from tracker.store import overview, queries
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.ui.dialogs.evidence_dialog import EvidenceDialog
from tracker.ui.dialogs.status_dialog import StatusDialog
from tracker.ui.history import History
from tracker.ui.table_export import install_table_menu
from tracker.ui.widgets.attachments_panel import AttachmentsPanel
from tracker.ui.widgets.evidence_table import EvidenceTable
from tracker.ui.widgets.field_form import FieldForm


def add_menu_rows(menu: QMenu, rows: list) -> None:
    """(text, slot, enabled) per action; None is a separator."""
    for row in rows:
        if row is None:
            menu.addSeparator()
            continue
        text, slot, enabled = row
        action = menu.addAction(text)
        action.setEnabled(bool(enabled))
        action.triggered.connect(lambda _c=False, run=slot: run())


def label_of(c: Commitment) -> str:
    return f"commitment {c.code}" if c.code else "commitment"


class PartnersDialog(QDialog):
    def __init__(self, store: Store, chosen: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Partners of this commitment")
        self.list = QListWidget()
        for p in queries.list_partners(store):
            item = QListWidgetItem(p.name)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if p.id in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick the partners who deliver or report on this commitment:"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


class CommitmentPage(QWidget):
    """Signals:
        open_commitment(int): the officer asked to go to another commitment (the origin).
    """

    open_commitment = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.undo_history: History | None = None
        self.commitment: Commitment | None = None
        self.items: list[Evidence] = []
        self.editable = False
        self.highlighted: int | None = None

        self.crumb = QLabel()
        self.crumb.setObjectName("crumb")
        self.crumb.setStyleSheet("color: #555;")
        self.crumb.setWordWrap(True)
        self.closed_note = QLabel()
        self.closed_note.setWordWrap(True)  # a long plan title must not widen the pane
        self.closed_note.setStyleSheet("background:#eeeeee; color:#333; padding:4px; border-radius:3px;")
        self.closed_note.hide()
        self.form = FieldForm([
            ("code", "&Code", "line", "The letter or number of the commitment in the plan"),
            ("text", "&We will", "text", "What the plan promises (Ctrl+Enter or leaving the field saves)"),
            ("lead", "&Lead", "line", "The officer who leads this commitment"),
            ("due_date", "D&ue / review", "date", "The day it is due, or due for review"),
        ], self._commit_field)

        self.partners_label = QLabel()
        self.partners_label.setWordWrap(True)
        self.partners_button = QPushButton("&Partners…")
        self.partners_button.setToolTip("Choose the partners who deliver or report on this commitment")
        self.partners_button.clicked.connect(self.edit_partners)
        partners_row = QHBoxLayout()
        partners_row.addWidget(QLabel("Partners:"))
        partners_row.addWidget(self.partners_label, 1)
        partners_row.addWidget(self.partners_button)
        self.origin = QLabel()
        self.origin.setTextFormat(Qt.TextFormat.RichText)
        self.origin.linkActivated.connect(lambda href: self.open_commitment.emit(int(href)))
        self.origin.setToolTip("The commitment of an earlier plan this one carries forward")
        self.source_note = QLabel()
        self.source_note.setObjectName("sourceNote")
        self.source_note.setWordWrap(True)
        self.source_note.setStyleSheet("color:#555;")
        self.source_note.setToolTip("Where the plan's text of this commitment was taken from "
                                    "(a note for the records, not a field to edit)")

        self.status_label = QLabel()
        self.status_label.setObjectName("statusBadge")
        self.status_button = QPushButton("Change &status…")
        self.status_button.setToolTip("Change the status; you will be asked for the reason (F2)")
        self.status_button.clicked.connect(self.change_status)
        self.period_label = QLabel()
        self.period_label.setStyleSheet("color: #444;")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label)
        status_row.addWidget(self.status_button)
        status_row.addStretch(1)

        self.table = EvidenceTable()
        self.table.setToolTip("Enter or double-click edits; Delete removes; Alt+Up/Down "
                              "reorders; the selected row shows its whole text")
        self.table.cellDoubleClicked.connect(lambda *_: self.edit_evidence())
        self.table.itemSelectionChanged.connect(self._selection_moved)
        self.files = AttachmentsPanel()
        self.add_button = QPushButton("&Add evidence…")
        self.add_button.setToolTip("Write a new update for this commitment (Ctrl+E)")
        self.edit_button = QPushButton("&Edit…")
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setToolTip("Delete the selected evidence (Ctrl+Z brings it back)")
        self.up_button = QPushButton("Move up")
        self.up_button.setToolTip("Move the selected evidence up (Alt+Up)")
        self.down_button = QPushButton("Move down")
        self.down_button.setToolTip("Move the selected evidence down (Alt+Down)")
        self.add_button.clicked.connect(self.add_evidence)
        self.edit_button.clicked.connect(self.edit_evidence)
        self.delete_button.clicked.connect(self.delete_evidence)
        self.up_button.clicked.connect(lambda: self.move_evidence(-1))
        self.down_button.clicked.connect(lambda: self.move_evidence(+1))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button, self.up_button,
                  self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        evidence_page = QWidget()
        ev_layout = QVBoxLayout(evidence_page)
        ev_layout.addWidget(self.table, 1)
        ev_layout.addLayout(buttons)
        ev_layout.addWidget(self.files)

        self.history = QTableWidget(0, 5)
        self.history.setHorizontalHeaderLabels(["When", "Who", "From", "To", "Why"])
        self.history.setAccessibleName("Status history")
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setTabKeyNavigation(False)  # rows, not cells: Tab moves on to the buttons
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setWordWrap(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        h = self.history.horizontalHeader()
        h.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        h.sectionResized.connect(lambda *_: self._fit_history.start())
        for col in range(4):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self._fit_history = QTimer(self)
        self._fit_history.setSingleShot(True)
        self._fit_history.setInterval(0)
        self._fit_history.timeout.connect(self.history.resizeRowsToContents)
        # Right-click or the Menu key: the row's own actions, then Copy and the exports.
        install_table_menu(self.table, self._table_title("Evidence"), self._evidence_menu)
        install_table_menu(self.history, self._table_title("Status history"), self._history_menu)

        self.tabs = QTabWidget()
        self.tabs.addTab(evidence_page, "Evidence")
        self.tabs.addTab(self.history, "Status history")

        layout = QVBoxLayout(self)
        layout.addWidget(self.crumb)
        layout.addWidget(self.closed_note)
        layout.addWidget(self.form)
        layout.addLayout(partners_row)
        layout.addWidget(self.origin)
        layout.addWidget(self.source_note)
        layout.addLayout(status_row)
        layout.addWidget(self.period_label)
        layout.addWidget(self.tabs, 1)

        for keys, slot in ((QKeySequence.StandardKey.Delete, self.delete_evidence),
                           ("Return", self.edit_evidence), ("Alt+Up", lambda: self.move_evidence(-1)),
                           ("Alt+Down", lambda: self.move_evidence(+1))):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    # --- showing -------------------------------------------------------------------------

    def show_commitment(self, store: Store, history: History, commitment_id: int,
                        writable: bool) -> None:
        self.store, self.undo_history = store, history
        c = queries.get_commitment(store, commitment_id)
        self.commitment = c
        priority = queries.get_priority(store, c.priority_id)
        plan = queries.get_plan(store, priority.plan_id)
        self.editable = writable and not plan.is_closed
        crumb = f"{plan.title} › P{priority.number} {priority.title}"
        if c.parent_id is not None:
            parent = queries.get_commitment(store, c.parent_id)
            crumb += f" › {parent.code or ''} {parent.text[:40]}…"
        self.crumb.setText(crumb)
        if plan.is_closed:
            self.closed_note.setText(f"{plan.title} is closed: its commitments are read-only.")
        elif not writable:
            self.closed_note.setText("This database is open read-only.")
        self.closed_note.setVisible(not self.editable)
        self.form.load({"code": c.code, "text": c.text, "lead": c.lead, "due_date": c.due_date},
                       self.editable)
        chosen = queries.commitment_partner_ids(store, c.id)
        names = [p.name for p in queries.list_partners(store) if p.id in chosen]
        self.partners_label.setText(", ".join(names) or "none")
        if c.carried_forward_from_id:
            try:
                origin = queries.get_commitment(store, c.carried_forward_from_id)
                o_priority = queries.get_priority(store, origin.priority_id)
                o_plan = queries.get_plan(store, o_priority.plan_id)
                self.origin.setText(f"Carried forward from <a href='{origin.id}'>{o_plan.title} › "
                                    f"P{o_priority.number} {origin.code or ''}</a>")
            except StoreError:
                self.origin.setText("Carried forward from a commitment no longer in this database")
            self.origin.show()
        else:
            self.origin.hide()
        source = queries.source_words(store, c.source)
        self.source_note.setText(f"Source: {source}" if source else "")
        self.source_note.setVisible(bool(source))
        s = c.status
        self.status_label.setText(f"<span style='font-size:14pt; color:{s.colour}'><b>{s.shape} "
                                  f"{s.label}</b></span>")
        self.status_label.setToolTip(f"Status: {s.label}")
        ps = overview.status_this_and_last_period(store, c.id)
        self.period_label.setText(
            f"This period ({ps.this_period}): <b>{ps.this_status.shape} {ps.this_status.label}</b>"
            f" &nbsp;|&nbsp; Last period ({ps.last_period}): "
            f"<b>{ps.last_status.shape} {ps.last_status.label}</b>")
        self._fill_evidence()
        self._fill_history()
        for w in (self.partners_button, self.status_button, self.add_button):
            w.setEnabled(self.editable)
        self._update_buttons()

    def _fill_evidence(self) -> None:
        self.items = queries.list_evidence(self.store, self.commitment.id)
        self.tabs.setTabText(0, f"Evidence ({len(self.items)})")
        files = queries.attachments_for(self.store, [i.id for i in self.items])
        self.table.fill(self.items, files, self.highlighted)
        self._show_files()

    def _show_files(self) -> None:
        self.files.show_for(self.store, self.undo_history, self.table.selected(), self.editable)

    def _selection_moved(self) -> None:
        self._update_buttons()
        self._show_files()

    def _fill_history(self) -> None:
        history = queries.status_history(self.store, self.commitment.id)
        synced = team_ops.synced_status_changes(self.store, self.commitment.id)  # a colleague's
        self.tabs.setTabText(1, f"Status history ({len(history)})")
        self.history.setRowCount(len(history))
        for i, change in enumerate(history):
            who = change.changed_by + (f", from {change.source}" if change.source else "")
            if change.id in synced:
                who += " (through team sync)"
            cells = [day(change.changed_at), who,
                     f"{change.from_status.shape} {change.from_status.label}" if change.from_status else "—",
                     f"{change.to_status.shape} {change.to_status.label}", change.reason]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if col == 0:
                    cell.setToolTip(moment(change.changed_at))
                elif col == 4:
                    cell.setToolTip(change.reason)
                if col == 3:
                    cell.setForeground(QBrush(QColor(change.to_status.colour)))
                self.history.setItem(i, col, cell)
        self._fit_history.start()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_history.start()

    def highlight_evidence(self, evidence_id: int | None) -> None:
        """Mark the evidence a search matched, and scroll to it."""
        self.highlighted = evidence_id
        if self.commitment is None:
            return
        self._fill_evidence()
        if evidence_id is not None and self.table.select_id(evidence_id):
            self.tabs.setCurrentIndex(0)

    def selected_evidence(self) -> Evidence | None:
        return self.table.selected()

    def _update_buttons(self) -> None:
        chosen = self.selected_evidence() is not None and self.editable
        for b in (self.edit_button, self.delete_button):
            b.setEnabled(chosen)
        row = self.table.currentRow()
        self.up_button.setEnabled(chosen and row > 0)
        self.down_button.setEnabled(chosen and row < len(self.items) - 1)

    # --- edits -----------------------------------------------------------------------------

    def _perform(self, operation, text: str, what: str) -> bool:
        return isinstance(self.undo_history.perform(operation, text, f"Could not {what}"), ops.OpResult)

    def _commit_field(self, name: str, value: str) -> TrackerError | None:
        c = self.commitment
        done = self.undo_history.perform(lambda s: ops.edit_commitment(s, c.id, **{name: value}),
                                    f"Edit {label_of(c)} {name.replace('_', ' ')}")
        return None if isinstance(done, ops.OpResult) else done

    def change_status(self) -> None:
        if not self.editable:
            return
        chosen = StatusDialog.ask(self.store, self.commitment.id, parent=self)
        if chosen is not None:
            status, reason = chosen
            c = self.commitment
            self._perform(lambda s: ops.set_status(s, c.id, status, reason),
                          f"Set {label_of(c)} to {status.label}", "change the status")

    def edit_partners(self) -> None:
        old = queries.commitment_partner_ids(self.store, self.commitment.id)
        dialog = PartnersDialog(self.store, old, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and sorted(dialog.chosen()) != sorted(old):
            c, chosen = self.commitment, dialog.chosen()
            self._perform(lambda s: ops.set_partners(s, c.id, chosen),
                          f"Change partners of {label_of(c)}", "change the partners")

    def add_evidence(self) -> None:
        if not self.editable:
            return
        value = EvidenceDialog.ask(self.store, self.commitment.id, parent=self)
        if value is not None:
            c = self.commitment
            done = self.undo_history.perform(lambda s: ops.add_evidence(s, c.id, value),
                                             f"Add evidence to {label_of(c)}",
                                             "Could not add the evidence")
            if isinstance(done, ops.OpResult) and self.commitment is not None:
                # The new item, selected and scrolled into view once its row has its height.
                self.tabs.setCurrentIndex(0)
                self.table.select_id(done.value)
                self.table.setFocus()

    def edit_evidence(self) -> None:
        item = self.selected_evidence()
        if item is None or not self.editable:
            return
        value = EvidenceDialog.ask(self.store, self.commitment.id, item, parent=self)
        if value is not None:
            self._perform(lambda s: ops.edit_evidence(s, item.id, value), "Edit evidence",
                          "save the evidence")

    def delete_evidence(self) -> None:
        item = self.selected_evidence()
        if item is None or not self.editable:
            return
        answer = QMessageBox.question(
            self, "Delete evidence", f"Delete this evidence?\n\n{item.text[:200]}\n\n"
            "You can bring it back with Undo (Ctrl+Z).")
        if answer == QMessageBox.StandardButton.Yes:
            self._perform(lambda s: ops.delete_evidence(s, item.id), "Delete evidence",
                          "delete the evidence")

    def move_evidence(self, step: int) -> None:
        item = self.selected_evidence()
        if item is None or not self.editable:
            return
        row = self.items.index(item)
        target = row + step
        if not 0 <= target < len(self.items):
            return
        if self._perform(lambda s: ops.move_evidence(s, item.id, target + 1), "Move evidence",
                         "move the evidence"):
            self.table.select_id(item.id)

    # --- context menus -----------------------------------------------------------------------

    def _table_title(self, what: str):
        def title() -> str:
            c = self.commitment
            return f"{what} {c.code}" if c is not None and c.code else what
        return title

    def _evidence_menu(self, menu: QMenu, index) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
        chosen = self.selected_evidence() is not None
        rows = [("&Add evidence…", self.add_evidence, self.editable),
                ("&Edit…", self.edit_evidence, chosen and self.editable),
                ("Move &up", lambda: self.move_evidence(-1), self.up_button.isEnabled()),
                ("Move do&wn", lambda: self.move_evidence(+1), self.down_button.isEnabled()),
                ("&Delete", self.delete_evidence, chosen and self.editable), None,
                ("A&ttach file…", self.files.attach, self.files.attach_button.isEnabled()),
                ("&Open file", self.files.open_selected, self.files.open_button.isEnabled()),
                None,
                ("Copy &text", self._copy_evidence, chosen)]
        add_menu_rows(menu, rows)

    def _history_menu(self, menu: QMenu, index) -> None:
        if index.isValid():
            self.history.selectRow(index.row())
        add_menu_rows(menu, [("Change &status…", self.change_status, self.editable),
                             None, ("Copy &reason", self._copy_reason, index.isValid())])

    def _copy_evidence(self) -> None:
        item = self.selected_evidence()
        if item is not None:
            QApplication.clipboard().setText(item.text)

    def _copy_reason(self) -> None:
        row = self.history.currentRow()
        cell = self.history.item(row, 4) if row >= 0 else None
        if cell is not None:
            QApplication.clipboard().setText(cell.text())
