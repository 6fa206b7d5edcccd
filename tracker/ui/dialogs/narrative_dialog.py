"""Report text: the narrative officers write for a plan's foreword, executive summary,
financial overview and closing, for each priority's chapter and each indicator's commentary,
per reporting period.

The text is typed in a small plain form (one paragraph a line, "- " bullets, **bold**,
[words](https://...) links, "[Figure: indicator]" where a figure goes; tracker.domain.narrative
reads it). Saving is one operation on the window's history, so Ctrl+Z and the Undo button take
it back as every other edit, and the list under the text says who wrote it when. Nothing here
decides what a report shows: that is tracker.reports.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.domain.narrative import PLAN_SECTIONS, editable_text
from tracker.domain.periods import PeriodError, financial_year_of, parse_period
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui.history import History, OpsBridge, own_history

HELP = ("One paragraph a line (start it with its number, \u201c4.2. \u201d, if it has one); "
        "\u201c- \u201d starts a bullet, two more spaces nest it; **bold**; "
        "[words](https://\u2026) for a link; [Figure: indicator name] where a chart goes.")


class NarrativeDialog(QDialog):
    """Write the text of one place of a plan's reports for one period."""

    def __init__(self, store: Store, plan_id: int | None = None, history: History | None = None,
                 bridge: OpsBridge | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        if history is None or bridge is None:
            history, bridge = own_history(store, self)
        self.history, self.bridge = history, bridge
        self.bridge.performed.connect(self._operation_done)
        self.setWindowTitle("Report text")
        self.resize(900, 640)
        self._loaded_text = ""

        self.plan_combo = QComboBox()
        for plan in queries.list_plans(store):
            self.plan_combo.addItem(f"{plan.title} ({plan.period})", plan.id)
        chosen = plan_id if plan_id is not None else getattr(queries.default_plan(store), "id",
                                                             None)
        if chosen is not None:
            self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(chosen)))
        self.place_combo = QComboBox()
        self.place_combo.setAccessibleName("Which text")
        self.period_combo = QComboBox()
        self.period_combo.setEditable(True)
        self.period_combo.setAccessibleName("Reporting period")
        self.period_combo.setToolTip("The reporting period the text is written for, e.g. 2021/22 "
                                     "or 2021/22 Q2")
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("The text")
        self.editor.setTabChangesFocus(True)
        help_label = QLabel(HELP)
        help_label.setWordWrap(True)

        bold = QPushButton("&Bold")
        bold.setToolTip("Mark the selected words bold (**words**)")
        bold.clicked.connect(self.make_bold)
        link = QPushButton("&Link\u2026")
        link.setToolTip("Make the selected words a link")
        link.clicked.connect(self.make_link)
        bullet = QPushButton("B&ullet")
        bullet.setToolTip("Make the selected lines bullets, or plain paragraphs again")
        bullet.clicked.connect(self.toggle_bullets)
        self.figure_button = QPushButton("&Figure\u2026")
        self.figure_button.setToolTip("Place an indicator's chart at the cursor")
        self.figure_menu = QMenu(self.figure_button)
        self.figure_button.setMenu(self.figure_menu)
        tools = QHBoxLayout()
        for button in (bold, link, bullet, self.figure_button):
            tools.addWidget(button)
        tools.addStretch(1)

        self.history_list = QListWidget()
        self.history_list.setAccessibleName("History of this text")
        self.history_list.setMaximumHeight(80)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b42318")
        self.error_label.setWordWrap(True)

        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton("&Delete this text")
        self.delete_button.clicked.connect(self.delete)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setToolTip("Undo the last step, as Ctrl+Z does in the window")
        self.undo_button.clicked.connect(self.undo)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

        form = QFormLayout()
        form.addRow("Plan", self.plan_combo)
        form.addRow("Text for", self.place_combo)
        form.addRow("Period", self.period_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(help_label)
        layout.addLayout(tools)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(QLabel("History of this text"))
        layout.addWidget(self.history_list)
        layout.addLayout(buttons)

        self.plan_combo.currentIndexChanged.connect(self._plan_changed)
        self.place_combo.currentIndexChanged.connect(self._place_changed)
        self.period_combo.currentTextChanged.connect(self._period_changed)
        self._plan_changed()

    # --- what is being written -----------------------------------------------------------------

    def place(self) -> queries.Place | None:
        return self.place_combo.currentData()

    def period(self) -> str:
        return self.period_combo.currentText().strip()

    def _plan_changed(self) -> None:
        plan_id = self.plan_combo.currentData()
        self.place_combo.blockSignals(True)
        self.place_combo.clear()
        self.figure_menu.clear()
        if plan_id is not None:
            for section in PLAN_SECTIONS:
                self.place_combo.addItem(section.label, queries.plan_place(plan_id, section))
            for priority in queries.list_priorities(self.store, plan_id):
                self.place_combo.addItem(f"Chapter: {priority.number}. {priority.title}",
                                         queries.chapter_place(self.store, priority.id))
            for indicator in queries.list_indicators(self.store, plan_id=plan_id):
                self.place_combo.addItem(f"Commentary: {indicator.name}",
                                         queries.commentary_place(self.store, indicator.id))
                self._figure_action(self.figure_menu, indicator.name)
            # A chapter may show another plan's measures (the extension's, in a closure report).
            for other in queries.list_plans(self.store):
                found = queries.list_indicators(self.store, plan_id=other.id)
                if other.id != plan_id and found:
                    menu = self.figure_menu.addMenu(other.title)
                    for indicator in found:
                        self._figure_action(menu, indicator.name)
        self.figure_button.setEnabled(not self.figure_menu.isEmpty())
        self.place_combo.blockSignals(False)
        self._place_changed()

    def _figure_action(self, menu: QMenu, name: str) -> None:
        menu.addAction(name).triggered.connect(lambda _=False: self.place_figure(name))

    def _place_changed(self) -> None:
        place = self.place()
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        periods = [n.period for n in queries.narratives_at(self.store, place)] if place else []
        self.period_combo.addItems(list(reversed(periods)))
        if not periods:
            self.period_combo.setEditText(financial_year_of(date.today()).label)
        self.period_combo.setCurrentIndex(0 if periods else -1)
        self.period_combo.blockSignals(False)
        self._period_changed()

    def _period_changed(self, _text: str = "") -> None:
        self.error_label.clear()
        self._show(self._current())

    def _current(self):
        place, period = self.place(), self.period()
        if place is None or not period:
            return None
        try:
            return queries.find_narrative(self.store, place, parse_period(period).label)
        except PeriodError:
            return None

    def _show(self, item) -> None:
        names = {i.uid: i.name for i in queries.list_indicators(self.store)}
        self._loaded_text = editable_text(item.blocks, names) if item else ""
        self.editor.setPlainText(self._loaded_text)
        self.delete_button.setEnabled(item is not None)
        self._fill_history()

    def _fill_history(self) -> None:
        self.history_list.clear()
        place, period = self.place(), self.period()
        if place is None or not period:
            return
        try:
            label = parse_period(period).label
        except PeriodError:
            return
        for line in ops.narrative_history(self.store, place, label):
            self.history_list.addItem(f"{line.at[:16].replace('T', ' ')}  {line.who}: "
                                      f"{line.what}")
        current = self._current()
        if current is not None and not self.history_list.count():  # before the activity log
            self.history_list.addItem(f"{current.updated_at[:16].replace('T', ' ')}  "
                                      f"{current.author or 'unknown'}: wrote this text")
        if not self.history_list.count():
            self.history_list.addItem("Not written yet.")

    # --- editing aids -----------------------------------------------------------------------

    def _wrap(self, before: str, after: str) -> None:
        cursor = self.editor.textCursor()
        words = cursor.selectedText() or "words"
        cursor.insertText(f"{before}{words}{after}")
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def make_bold(self) -> None:
        self._wrap("**", "**")

    def make_link(self, url: str | None = None) -> None:
        if url is None:
            url, ok = QInputDialog.getText(self, "Link", "Web or e-mail address (https://\u2026)")
            if not ok or not url.strip():
                return
        self._wrap("[", f"]({url.strip()})")

    def toggle_bullets(self) -> None:
        cursor = self.editor.textCursor()
        start, end = sorted((cursor.selectionStart(), cursor.selectionEnd()))
        cursor.setPosition(start)
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        lines = cursor.selectedText().split("\u2029")  # Qt's paragraph separator
        bulleted = all(line.lstrip().startswith("- ") for line in lines if line.strip())
        changed = [line.replace("- ", "", 1) if bulleted else (f"- {line}" if line.strip() else line)
                   for line in lines]
        cursor.insertText("\n".join(changed))
        self.editor.setFocus()

    def place_figure(self, name: str) -> None:
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.insertText(f"\n[Figure: {name}]")
        self.editor.setTextCursor(cursor)

    # --- saving -------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the text as one operation; a refusal is shown under the text."""
        place, period, text = self.place(), self.period(), self.editor.toPlainText()
        self.error_label.clear()
        if place is None:
            self.error_label.setText("Choose a plan first.")
            return False
        result = self.history.perform(
            lambda s: ops.write_narrative_text(s, place, period, text), None, quiet=True)
        if not isinstance(result, ops.OpResult):
            self.error_label.setText(str(result))
            return False
        self._after_write()
        return True

    def delete(self) -> None:
        item = self._current()
        if item is None:
            return
        result = self.history.perform(lambda s: ops.delete_narrative(s, item.id), None,
                                      quiet=True)
        if not isinstance(result, ops.OpResult):
            self.error_label.setText(str(result))
            return
        self._after_write()

    def undo(self) -> None:
        self.history.undo()

    def _after_write(self) -> None:
        keep = self.period()
        self._place_changed()
        index = self.period_combo.findText(keep)
        if index >= 0:
            self.period_combo.setCurrentIndex(index)
        else:
            self.period_combo.setEditText(keep)
        self._period_changed()

    def _operation_done(self, result: ops.OpResult) -> None:
        """Another window, a colleague's sync or an undo changed report text: show it again,
        unless the officer has unsaved words here."""
        if result.touches("narrative") and self.editor.toPlainText() == self._loaded_text:
            self._period_changed()
        else:
            self._fill_history()

    def has_unsaved_text(self) -> bool:
        return self.editor.toPlainText() != self._loaded_text


def open_narrative(store: Store, plan_id: int | None, history: History, bridge: OpsBridge,
                   parent: QWidget) -> NarrativeDialog:
    dialog = NarrativeDialog(store, plan_id, history, bridge, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


