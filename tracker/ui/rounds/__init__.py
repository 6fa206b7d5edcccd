"""Reporting rounds in the window: the rounds list (due dates, who has replied, send, remind,
close), partners' contacts, and the wording of the e-mail drafts.

Entry point for the main window:
    install(window) -> RoundsActions   adds Rounds, Partner contacts and E-mail wording to the
                                       Returns menu
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from tracker.ui.rounds.contacts_dialog import ContactsDialog
    from tracker.ui.rounds.rounds_dialog import RoundsDialog
    from tracker.ui.rounds.template_dialog import EmailTemplateDialog

__all__ = ["ContactsDialog", "EmailTemplateDialog", "RoundsActions", "RoundsDialog", "install"]

# The dialogs (and through them ops and the workbook code) load when first opened, not with
# the window.
_DIALOGS = {"ContactsDialog": "contacts_dialog", "RoundsDialog": "rounds_dialog",
            "EmailTemplateDialog": "template_dialog"}


def __getattr__(name: str):
    if name in _DIALOGS:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_DIALOGS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class RoundsActions(QObject):
    """The window needs `store`, `history`, `menus["Returns"]` and `returns` (its
    ReturnsActions, whose Send dialog a round's Send opens)."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        menu = window.menus["Returns"]
        first = menu.actions()[0] if menu.actions() else None
        self.rounds_action = QAction("&Rounds…", window)
        self.rounds_action.setShortcut("Ctrl+Shift+R")
        self.rounds_action.setStatusTip("Each round's due date and who has replied; send, remind, "
                                        "close")
        self.rounds_action.triggered.connect(lambda _checked=False: self.show_rounds())
        self.contacts_action = QAction("Partner &contacts…", window)
        self.contacts_action.setStatusTip("Who each partner's e-mail drafts are addressed to")
        self.contacts_action.triggered.connect(lambda _checked=False: self.show_contacts())
        self.wording_action = QAction("E-mail &wording…", window)
        self.wording_action.setStatusTip("The office's wording of the round and reminder drafts")
        self.wording_action.triggered.connect(lambda _checked=False: self.show_wording())
        menu.insertAction(first, self.rounds_action)
        separator = menu.insertSeparator(first)
        for action in (self.contacts_action, self.wording_action):
            menu.insertAction(separator, action)

    def _open(self, dialog):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_rounds(self) -> RoundsDialog:
        from tracker.ui.rounds.rounds_dialog import RoundsDialog

        dialog = RoundsDialog(self.window.store, self.window, self.window.history)
        dialog.send_requested.connect(lambda label: self._send(dialog, label))
        return self._open(dialog)

    def _send(self, rounds: RoundsDialog, label: str):
        from tracker.ui.returns import ExportReturnsDialog

        dialog = ExportReturnsDialog(self.window.store, rounds, round_label=label or None)
        dialog.exported.connect(lambda _written: rounds.reload(dialog._round()))
        return self._open(dialog)

    def show_contacts(self, partner_id: int | None = None) -> ContactsDialog:
        from tracker.ui.rounds.contacts_dialog import ContactsDialog

        return self._open(ContactsDialog(self.window.store, self.window, self.window.history,
                                         partner_id))

    def show_wording(self) -> EmailTemplateDialog:
        from tracker.ui.rounds.template_dialog import EmailTemplateDialog

        return self._open(EmailTemplateDialog(self.window.store, self.window, self.window.history))


def install(window: QMainWindow) -> RoundsActions:
    return RoundsActions(window)
