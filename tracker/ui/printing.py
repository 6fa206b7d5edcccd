"""File ▸ Print and Print preview: what is in front of the officer, on paper.

On the Home tab the plan's overview; on the Plan tab the selected commitment (with its evidence
and status history), priority (with its commitments and their evidence) or plan (its overview);
on the Indicators tab the overview of the plan shown there. The pages come from
tracker.ui.print_pages, set in the fonts bundled for the reports (so a page looks the same on
every machine, and its text copies as the words).

Entry point for the main window:
    install(window) -> PrintActions   adds Print… (Ctrl+P) and Print preview… to the File menu
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QMarginsF, QObject
from PySide6.QtGui import QAction, QFont, QFontDatabase, QKeySequence, QPageLayout, QTextDocument
from PySide6.QtWidgets import QComboBox, QLineEdit, QMainWindow, QMessageBox

from tracker.reports.fonts import TEXT_FAMILY, font_folder
from tracker.store.errors import StoreError
from tracker.ui import print_pages
from tracker.ui.models.plan_tree import COMMITMENT, PLAN, PRIORITY

PAGE_MARGIN_MM = 15


@functools.cache
def document_family() -> str:
    """The bundled text font, registered with Qt once (DejaVu beside it for the shapes)."""
    folder = font_folder()
    for name in sorted(p.name for p in folder.iterdir() if p.suffix == ".ttf"):
        QFontDatabase.addApplicationFont(str(folder / name))
    return TEXT_FAMILY if TEXT_FAMILY in QFontDatabase.families() else QFont().family()


def page_html(store, target: tuple[str, int], today: date | None = None) -> str:
    kind, item_id = target
    if kind == COMMITMENT:
        return print_pages.commitment_html(store, item_id, today)
    if kind == PRIORITY:
        return print_pages.priority_html(store, item_id, today)
    return print_pages.overview_html(store, item_id, today)


def make_document(html: str) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(QFont(document_family(), 10))
    document.setHtml(html)
    return document


def print_html(html: str, printer) -> None:
    """Lay `html` out on `printer`'s pages (a QPrinter: a real one, or PDF in tests)."""
    from PySide6.QtPrintSupport import QPrinter

    margin = PAGE_MARGIN_MM
    printer.setPageMargins(QMarginsF(margin, margin, margin, margin), QPageLayout.Unit.Millimeter)
    document = make_document(html)
    # Laid out in the printer's own pages: a line never straddles two of them.
    document.documentLayout().setPaintDevice(printer)
    document.setPageSize(printer.pageRect(QPrinter.Unit.DevicePixel).size())
    document.print_(printer)


class PrintActions(QObject):
    """The window needs `store`, `tabs`, `workspace`, `indicators`, `menus["File"]`; `home`
    (the dashboard) when it has one."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.today: date | None = None  # tests fix the day printed in the footer
        menu = window.menus["File"]
        before = next((a for a in menu.actions() if a.text().replace("&", "") == "Officer name…"),
                      None)
        self.print_action = self._action("&Print…", self.print_current, QKeySequence.StandardKey.Print,
                                         "Print the selected commitment, priority or plan overview")
        self.preview_action = self._action("Print pre&view…", self.preview_current, None,
                                           "See the pages before printing them")
        if before is not None:
            menu.insertAction(before, self.print_action)
            menu.insertAction(before, self.preview_action)
            menu.insertSeparator(before)
        else:
            menu.addAction(self.print_action)
            menu.addAction(self.preview_action)

    def _action(self, text: str, slot: Callable[[], object], shortcut, tip: str) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _c=False: slot())
        return action

    # --- what to print ------------------------------------------------------------------

    def target(self) -> tuple[str, int] | None:
        """(kind, id) of what Print would print now, or None."""
        w = self.window
        current = w.tabs.currentWidget()
        home = getattr(w, "home", None)
        if home is not None and current is home:
            plan_id = home.plan_box.currentData()
            return (PLAN, plan_id) if plan_id is not None else None
        if current is w.indicators:
            return (PLAN, w.indicators.plan_id) if w.indicators.plan_id is not None else None
        key = w.workspace.current_key()
        if key is None:
            return None
        return (key[0], key[1]) if key[0] in (PLAN, PRIORITY, COMMITMENT) else None

    def title(self, target: tuple[str, int]) -> str:
        return {COMMITMENT: "Print commitment", PRIORITY: "Print priority"}.get(
            target[0], "Print plan overview")

    def html(self, target: tuple[str, int]) -> str | None:
        try:
            return page_html(self.window.store, target, self.today)
        except StoreError as exc:
            self.window.show_error("Could not print", exc)
            return None

    # --- printing -----------------------------------------------------------------------

    @classmethod
    def ask_printer(cls, parent, title: str):
        """A printer chosen in the print dialog, or None (tests replace this with a PDF
        printer)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(title)
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    def _chosen(self, action: str) -> tuple[tuple[str, int], str] | None:
        """What Print or Print preview would put on paper now, with its page; None (having
        said why) when nothing is chosen or it cannot be read."""
        target = self.target()
        if target is None:
            QMessageBox.information(self.window, action, "Select a commitment, a priority or a "
                                    "plan in the tree to print it.")
            return None
        html = self.html(target)
        return None if html is None else (target, html)

    def print_current(self) -> bool:
        chosen = self._chosen("Print")
        if chosen is None:
            return False
        target, html = chosen
        printer = self.ask_printer(self.window, self.title(target))
        if printer is None:
            return False
        print_html(html, printer)
        self.window.statusBar().showMessage(f"{self.title(target).replace('Print', 'Printed')}.",
                                            6000)
        return True

    def preview_current(self):
        """The print preview dialog (open, not modal to the test); None when nothing to print."""
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        chosen = self._chosen("Print preview")
        if chosen is None:
            return None
        target, html = chosen
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self.window)
        dialog.setWindowTitle(self.title(target).replace("Print", "Print preview:"))
        dialog.paintRequested.connect(lambda p: print_html(html, p))
        # Qt's own tool bar leaves its zoom and page boxes unnamed for a screen reader.
        for combo in dialog.findChildren(QComboBox):
            combo.setAccessibleName("Zoom")
        for edit in dialog.findChildren(QLineEdit):
            if not isinstance(edit.parent(), QComboBox):
                edit.setAccessibleName("Page")
        dialog.resize(900, 700)
        dialog.open()
        return dialog


def install(window: QMainWindow) -> PrintActions:
    return PrintActions(window)
