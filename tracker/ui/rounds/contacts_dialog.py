"""A partner's contacts (name, e-mail, role): who its round e-mail drafts are addressed to, the
first as the main addressee. Each edit is an operation on the window's history."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.store import queries
from tracker.store.database import Store
from tracker.store.errors import ValidationError
from tracker.ui.history import History, own_history
from tracker.ui.widgets.field_error import FieldError


class ContactsDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None,
                 history: History | None = None, partner_id: int | None = None):
        super().__init__(parent)
        self.store = store
        self.history = history if history is not None else own_history(store, self)[0]
        self.contacts: list = []
        self.setWindowTitle("Partner contacts")
        self.resize(760, 480)

        self.partner = QComboBox()
        self.partner.setAccessibleName("Partner")
        for p in queries.list_partners(store):
            self.partner.addItem(p.name, p.id)
        if partner_id is not None:
            self.partner.setCurrentIndex(max(self.partner.findData(partner_id), 0))
        self.partner.currentIndexChanged.connect(lambda _i: self.reload())
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Name", "E-mail", "Role"])
        self.table.setAccessibleName("Contacts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)

        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Sam Taylor")
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@example.org")
        self.role = QLineEdit()
        self.role.setPlaceholderText("optional, e.g. Performance lead")
        self.errors = {"name": FieldError(self.name), "email": FieldError(self.email),
                       "role": FieldError(self.role)}
        for key, field in (("name", self.name), ("email", self.email), ("role", self.role)):
            field.textEdited.connect(self.errors[key].clear)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("", self.errors["name"])
        form.addRow("&E-mail", self.email)
        form.addRow("", self.errors["email"])
        form.addRow("R&ole", self.role)
        form.addRow("", self.errors["role"])

        self.add_button = QPushButton("&Add")
        self.add_button.clicked.connect(self.add)
        self.save_button = QPushButton("&Save changes")
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self.remove)
        self.up_button = QPushButton("Move &up")
        self.up_button.setToolTip("The first contact is the main addressee")
        self.up_button.clicked.connect(self.move_up)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        edit_buttons = QHBoxLayout()
        for button in (self.add_button, self.save_button, self.remove_button, self.up_button):
            edit_buttons.addWidget(button)
        edit_buttons.addStretch(1)
        edit_buttons.addWidget(close)

        top = QFormLayout()
        top.addRow("&Partner", self.partner)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(edit_buttons)
        self.reload()

    def partner_id(self) -> int | None:
        return self.partner.currentData()

    def reload(self, select: int | None = None) -> None:
        partner_id = self.partner_id()
        self.contacts = queries.list_contacts(self.store, partner_id) if partner_id else []
        self.table.setRowCount(len(self.contacts))
        for n, c in enumerate(self.contacts):
            for column, text in enumerate((c.name, c.email, c.role or "")):
                self.table.setItem(n, column, QTableWidgetItem(text))
        row = next((n for n, c in enumerate(self.contacts) if c.id == select), None)
        if row is not None:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
        self._selected()

    def selected(self):
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.contacts[rows.pop()] if len(rows) == 1 else None

    def _selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.name.setText(chosen.name)
            self.email.setText(chosen.email)
            self.role.setText(chosen.role or "")
        writable = not self.store.read_only and self.partner_id() is not None
        self.add_button.setEnabled(writable)
        for button in (self.save_button, self.remove_button):
            button.setEnabled(writable and chosen is not None)
        self.up_button.setEnabled(writable and chosen is not None
                                  and self.contacts.index(chosen) > 0)

    def _run(self, operation, text: str) -> ops.OpResult | None:
        for error in self.errors.values():
            error.clear()
        done = self.history.perform(operation, text, quiet=True)
        if isinstance(done, ops.OpResult):
            self.message.setText(done.summary + ".")
            return done
        if isinstance(done, ValidationError) and done.field in self.errors:
            self.errors[done.field].show_error(str(done))
        else:
            self.message.setText(str(done))
        return None

    def add(self) -> None:
        partner_id = self.partner_id()
        name, email, role = self.name.text(), self.email.text(), self.role.text()
        done = self._run(lambda s: ops.add_contact(s, partner_id, name, email, role or None),
                         "Add contact")
        if done is not None:
            self.reload(done.value)

    def save(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        name, email, role = self.name.text(), self.email.text(), self.role.text()
        if self._run(lambda s: ops.edit_contact(s, chosen.id, name, email, role or None),
                     "Edit contact") is not None:
            self.reload(chosen.id)

    def remove(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if self._run(lambda s: ops.remove_contact(s, chosen.id), "Remove contact") is not None:
            for field in (self.name, self.email, self.role):
                field.clear()
            self.reload()

    def move_up(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        place = self.contacts.index(chosen)
        if place and self._run(lambda s: ops.move_contact(s, chosen.id, place),
                               "Move contact") is not None:
            self.reload(chosen.id)
