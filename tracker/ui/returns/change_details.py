"""Everything the officer approves with one proposed change, in full: the partner's reason,
the whole evidence text, its date and figure, the note, and for a conflict what changed in the
tracker since the export and by whom (tracker.exchange.return_preview.Change.details)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTextBrowser, QWidget

from tracker.domain.text import html_escape

if TYPE_CHECKING:
    from tracker.exchange.return_preview import Change

EMPTY = "Select a change to see all of it: the partner's reason, the whole text, its date and figure."


class ChangeDetails(QTextBrowser):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName("The selected change in full")
        self.setMinimumHeight(90)
        self.show_change(None)

    def show_change(self, change: Change | None) -> None:
        if change is None:
            self.setPlainText(EMPTY)
            return
        rows = "".join(
            f"<tr><th align='left' valign='top' style='padding-right:12px'>{html_escape(label)}"
            f"</th><td>{html_escape(text).replace(chr(10), '<br>')}</td></tr>"
            for label, text in change.details())
        self.setHtml(f"<b>{html_escape(change.kind_label)}</b><table>{rows}</table>")

    def text_shown(self) -> str:
        return self.toPlainText()
