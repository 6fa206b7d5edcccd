"""One indicator opened: a larger chart, its values as an editable table, its definition.

Every accepted edit is an operation (tracker.ops) on the window's history, written at once; a
refused one shows a message naming the row and writes nothing. The dialog redraws after any
operation that touches its indicator, wherever it came from (an import, an undo in the window).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tracker import ops
from tracker.domain.model import Frequency, Polarity, Series, Unit, ValueState
from tracker.domain.series import ChartData, chart_data
from tracker.reports.charts import (
    configure_plot,
    dispose_plot_widget,
    make_plot_widget,
)
from tracker.store import queries
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.ui.history import History, OpCommand, OpsBridge, own_history
from tracker.ui.indicators import export
from tracker.ui.indicators.panel import headline_html
from tracker.ui.indicators.values_model import SERIES, STATE, STATE_LABELS, ValuesModel

UNIT_LABELS = {Unit.COUNT: "Count", Unit.PERCENT: "Per cent", Unit.RATE: "Rate",
               Unit.SCORE: "Score", Unit.POUNDS: "Pounds (£)"}
FREQUENCY_LABELS = {Frequency.ANNUAL: "Annual (financial years)",
                    Frequency.QUARTERLY: "Quarterly", Frequency.MONTHLY: "Monthly"}


def _combo(choices: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    for label, data in choices:
        box.addItem(label, data)
    return box


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down for the series and state columns."""

    def __init__(self, choices: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        box = QComboBox(parent)
        for label, data in self.choices:
            box.addItem(label, data)
        return box

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model, index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class IndicatorDialog(QDialog):
    def __init__(self, store: Store, indicator_id: int, history: History | None = None,
                 bridge: OpsBridge | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.indicator_id = indicator_id
        # The window's history when opened from the grid (so Ctrl+Z there reaches these edits),
        # else one of our own.
        if history is None or bridge is None:
            history, bridge = own_history(store, self)
        self.history, self.bridge = history, bridge
        self.undo_stack = history.stack
        self.bridge.performed.connect(self._operation_done)
        self.indicator = queries.get_indicator(store, indicator_id)
        self.data: ChartData | None = None
        self.setWindowTitle(self.indicator.name)
        available = (parent.screen() if parent is not None else QApplication.primaryScreen()
                     ).availableGeometry()
        self.resize(min(1100, available.width() - 40), min(820, available.height() - 60))

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a name as typed: "Arrests & charges"
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600; color: #111827;")
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setStyleSheet("font-size: 10.5pt;")
        self.plot = make_plot_widget(self, self.indicator.unit)
        self.plot.setMinimumHeight(280)

        self.model = ValuesModel(store, self.indicator, self.history, self)
        self.model.refused.connect(self.show_error)
        self.table = QTableView()
        self.table.setAccessibleName("Values")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for column, mode in enumerate([QHeaderView.ResizeMode.ResizeToContents] * 4
                                      + [QHeaderView.ResizeMode.Stretch] * 2):
            header.setSectionResizeMode(column, mode)
        self._series_delegate = ChoiceDelegate([(s.label, s.value) for s in Series], self)
        self._state_delegate = ChoiceDelegate(
            [(STATE_LABELS[s], s.value) for s in ValueState], self)
        self.table.setItemDelegateForColumn(SERIES, self._series_delegate)
        self.table.setItemDelegateForColumn(STATE, self._state_delegate)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b42318; font-weight: 600;")
        self.error.setAccessibleName("Message")
        self.error.hide()

        tabs = QTabWidget()
        tabs.addTab(self._values_tab(), "&Values")
        # Scrolls rather than setting the dialog's least height (a 1280 x 800 laptop).
        definition = QScrollArea()
        definition.setWidget(self._definition_tab())
        definition.setWidgetResizable(True)
        definition.setFrameShape(QScrollArea.Shape.NoFrame)
        tabs.addTab(definition, "&Definition")
        self.tabs = tabs

        self.export_png = QPushButton("Export &PNG…")
        self.export_svg = QPushButton("Export &SVG…")
        self.copy_button = QPushButton("&Copy chart")
        close = QPushButton("Close")
        self.export_png.clicked.connect(lambda: self._ask_export("png"))
        self.export_svg.clicked.connect(lambda: self._ask_export("svg"))
        self.copy_button.clicked.connect(self.copy_chart)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        note = QLabel("Exports leave out withheld values.")
        note.setStyleSheet("color: #4b5563;")
        buttons.addWidget(note)
        buttons.addStretch(1)
        for button in (self.export_png, self.export_svg, self.copy_button, close):
            buttons.addWidget(button)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.title)
        top_layout.addWidget(self.headline)
        top_layout.addWidget(self.plot, 1)
        hint = QLabel("Point at a value for its exact figure, period, note and source. "
                      "Hollow markers and dashed lines are provisional; a break in the line is "
                      "a period with no value.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #4b5563; font-size: 8.5pt;")
        top_layout.addWidget(hint)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        for action_text, key, slot in (("Undo", QKeySequence.StandardKey.Undo, self.undo_own),
                                       ("Redo", QKeySequence.StandardKey.Redo, self.redo_own)):
            action = QAction(action_text, self)
            action.setShortcut(key)
            action.triggered.connect(slot)
            self.addAction(action)
        # Enter belongs to the table and the form fields, never to a default button.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self._update_chart()
        self._fill_definition()
        if store.read_only:
            for widget in (self.add_button, self.delete_button, self.paste_button,
                           self.save_definition):
                widget.setEnabled(False)
            self.show_error(f"Read-only: {store.read_only_reason}")

    # --- values --------------------------------------------------------------------------

    def _values_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.new_period = QLineEdit()
        self.new_period.setPlaceholderText("2022/23")
        self.new_period.setAccessibleName("New value: period")
        self.new_series = _combo([(s.label, s) for s in Series])
        self.new_series.setAccessibleName("New value: series")
        self.new_value = QLineEdit()
        self.new_value.setPlaceholderText("value")
        self.new_value.setAccessibleName("New value: value")
        self.new_state = _combo([(STATE_LABELS[s], s) for s in ValueState])
        self.new_state.setCurrentIndex(self.new_state.findData(ValueState.FINAL))
        self.new_state.setAccessibleName("New value: state")
        self.new_note = QLineEdit()
        self.new_note.setPlaceholderText("note")
        self.new_note.setAccessibleName("New value: note")
        self.new_source = QLineEdit()
        self.new_source.setPlaceholderText("source")
        self.new_source.setAccessibleName("New value: source")
        self.add_button = QPushButton("&Add value")
        self.add_button.clicked.connect(self.add_from_form)
        self.new_value.returnPressed.connect(self.add_from_form)
        self.paste_button = QPushButton("Paste ro&ws")
        self.paste_button.setToolTip(
            "Add rows copied from a spreadsheet: period, value, and optionally note and "
            "source, one row a line. They go into the series and state chosen above.")
        self.paste_button.clicked.connect(lambda: self.paste_rows(QApplication.clipboard().text()))
        paste = QAction("Paste rows", self.table)
        paste.setShortcut(QKeySequence.StandardKey.Paste)
        paste.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        paste.triggered.connect(lambda: self.paste_rows(QApplication.clipboard().text()))
        self.table.addAction(paste)
        self.delete_button = QPushButton("De&lete selected")
        self.delete_button.clicked.connect(self.delete_selected)
        # No Undo button of its own: Ctrl+Z here is the window's Edit > Undo, limited to this
        # indicator's edits while the dialog is in front.
        undo_note = QLabel("Ctrl+Z (Edit ▸ Undo) takes back an edit.")
        undo_note.setStyleSheet("color: #4b5563;")
        form = QHBoxLayout()
        form.addWidget(QLabel("New:"))
        for widget, stretch in ((self.new_period, 1), (self.new_series, 0), (self.new_value, 1),
                                (self.new_state, 0), (self.new_note, 2), (self.new_source, 2),
                                (self.add_button, 0)):
            form.addWidget(widget, stretch)
        actions = QHBoxLayout()
        actions.addWidget(self.delete_button)
        actions.addWidget(self.paste_button)
        actions.addStretch(1)
        actions.addWidget(undo_note)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(actions)
        return page

    # The stack is the window's (Ctrl+Z there reaches these edits after the dialog closed);
    # here Undo and Redo take back only this indicator's edits, never a workspace edit.

    def _own(self, index: int) -> bool:
        command = self.undo_stack.command(index) if 0 <= index < self.undo_stack.count() else None
        return (isinstance(command, OpCommand)
                and self.indicator_id in command.result.indicator_ids())

    def undo_own(self) -> None:
        if self._own(self.undo_stack.index() - 1):
            self.history.undo()

    def redo_own(self) -> None:
        if self._own(self.undo_stack.index()):
            self.history.redo()

    def new_value_input(self) -> ops.ValueInput:
        return ops.ValueInput(self.new_period.text(), self.new_value.text(),
                              self.new_series.currentData(), self.new_state.currentData(),
                              self.new_note.text().strip() or None,
                              self.new_source.text().strip() or None)

    def add_from_form(self) -> bool:
        item = self.new_value_input()
        try:
            label = queries.check_value(self.store, self.indicator_id, item)
        except StoreError as exc:
            self.show_error(f"New row ({item.period.strip() or 'no period'}): {exc} "
                            "Nothing was saved.")
            return False
        item.period = label
        if not self._performed(lambda s: ops.add_values(s, self.indicator_id, item),
                               f"Add {label} value"):
            return False
        for field in (self.new_period, self.new_value, self.new_note):
            field.clear()
        # A state is chosen for one value: the next starts final again (a withheld value
        # must never carry over to the next one unnoticed).
        self.new_state.setCurrentIndex(self.new_state.findData(ValueState.FINAL))
        self.new_period.setFocus()
        self.show_error("")
        return True

    def paste_rows(self, text: str) -> bool:
        """Add the rows of tab-separated text (period, value, note, source), all or none."""
        series, state = self.new_series.currentData(), self.new_state.currentData()
        try:
            rows = ops.parse_pasted_rows(text, series, state)
            queries.check_new_values(self.store, self.indicator_id, rows, "Pasted line")
        except StoreError as exc:
            self.show_error(f"{exc} Nothing was saved.")
            return False
        if not self._performed(lambda s: ops.paste_values(s, self.indicator_id, text, series, state),
                               f"Add {len(rows)} values" if len(rows) != 1 else "Add a value"):
            return False
        self.show_error("")
        return True

    def _performed(self, operation, text: str) -> bool:
        """Run the operation through the history; False when it was refused."""
        return isinstance(self.history.perform(operation, text, "Nothing was saved"),
                          ops.OpResult)

    def delete_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows:
            self.show_error("Select the rows to delete first.")
            return
        values = [self.model.value_at(row) for row in rows]
        periods = ", ".join(v.period for v in values[:3]) + (" ..." if len(values) > 3 else "")
        if self._performed(lambda s: ops.delete_values(s, [v.id for v in values]),
                           f"Delete {periods}"):
            self.show_error("")

    # --- definition ----------------------------------------------------------------------

    def _definition_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.name_edit = QLineEdit()
        self.unit_box = _combo([(UNIT_LABELS[u], u.value) for u in Unit])
        self.polarity_box = _combo([(p.label, p.value) for p in Polarity])
        self.frequency_box = _combo([(FREQUENCY_LABELS[f], f.value) for f in Frequency])
        self.baseline_edit = QLineEdit()
        self.baseline_edit.setPlaceholderText("e.g. 2015/16")
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText("none")
        self.target_period_edit = QLineEdit()
        self.target_period_edit.setPlaceholderText("e.g. 2024/25")
        self.band_edit = QLineEdit()
        self.band_edit.setPlaceholderText("none: any change is better or worse")
        self.band_edit.setToolTip("A change of at most this many per cent (percentage points for "
                                  "a percentage) reads \u201cabout the same\u201d, as the "
                                  "closure report calls 850 to 846 \u201crelatively constant\u201d")
        self.priority_box = QComboBox()
        self.partner_list = QListWidget()
        self.partner_list.setMaximumHeight(110)
        self.source_edit = QLineEdit()
        self.save_definition = QPushButton("&Save definition")
        self.save_definition.clicked.connect(self.apply_definition)
        for label, widget in (("&Name", self.name_edit), ("U&nit", self.unit_box),
                              ("P&olarity", self.polarity_box),
                              ("&Frequency", self.frequency_box),
                              ("&Baseline period", self.baseline_edit),
                              ("&Target value", self.target_edit),
                              ("Target &period", self.target_period_edit),
                              ("About the sa&me within", self.band_edit),
                              ("Pr&iority", self.priority_box),
                              ("Par&tners", self.partner_list), ("Sou&rce", self.source_edit)):
            form.addRow(label, widget)
        form.addRow("", self.save_definition)
        return page

    def _fill_definition(self) -> None:
        ind = queries.get_indicator(self.store, self.indicator_id)
        self.name_edit.setText(ind.name)
        self.unit_box.setCurrentIndex(self.unit_box.findData(ind.unit.value))
        self.polarity_box.setCurrentIndex(self.polarity_box.findData(ind.polarity.value))
        self.frequency_box.setCurrentIndex(self.frequency_box.findData(ind.frequency.value))
        self.baseline_edit.setText(ind.baseline_period or "")
        self.target_edit.setText("" if ind.target_value is None else f"{ind.target_value:g}")
        self.target_period_edit.setText(ind.target_period or "")
        self.band_edit.setText("" if ind.steady_band is None else f"{ind.steady_band:g}")
        self.source_edit.setText(ind.source or "")
        self.priority_box.clear()
        plan_id = queries.plan_id_of_priority(self.store, ind.priority_id)
        for priority in queries.list_priorities(self.store, plan_id):
            self.priority_box.addItem(f"{priority.number}. {priority.title}", priority.id)
        self.priority_box.setCurrentIndex(self.priority_box.findData(ind.priority_id))
        chosen = set(queries.indicator_partner_ids(self.store, ind.id))
        self.partner_list.clear()
        # The indicator's own partners first, so they are seen without scrolling.
        for partner in sorted(queries.list_partners(self.store),
                              key=lambda p: (p.id not in chosen, p.name.lower())):
            item = QListWidgetItem(partner.name)
            item.setData(Qt.ItemDataRole.UserRole, partner.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if partner.id in chosen
                               else Qt.CheckState.Unchecked)
            self.partner_list.addItem(item)

    def definition_fields(self) -> tuple[dict, list[int]]:
        fields = {
            "name": self.name_edit.text(),
            "unit": self.unit_box.currentData(),
            "polarity": self.polarity_box.currentData(),
            "frequency": self.frequency_box.currentData(),
            "baseline_period": self.baseline_edit.text(),
            "target_value": self.target_edit.text(),
            "target_period": self.target_period_edit.text(),
            "steady_band": self.band_edit.text(),
            "priority_id": self.priority_box.currentData(),
            "source": self.source_edit.text(),
        }
        chosen = [self.partner_list.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.partner_list.count())
                  if self.partner_list.item(i).checkState() == Qt.CheckState.Checked]
        return fields, chosen

    def apply_definition(self) -> bool:
        fields, chosen = self.definition_fields()
        try:
            fields = queries.check_definition(self.store, self.indicator_id, fields)
        except StoreError as exc:
            self.show_error(f"Definition: {exc} Nothing was saved.")
            return False
        current = queries.get_indicator(self.store, self.indicator_id)
        unchanged = all(
            (getattr(current, k).value if hasattr(getattr(current, k), "value")
             else getattr(current, k)) == v for k, v in fields.items())
        if unchanged and sorted(chosen) == sorted(
                queries.indicator_partner_ids(self.store, self.indicator_id)):
            self.show_error("")
            return True
        if not self._performed(lambda s: ops.edit_indicator(s, self.indicator_id, fields, chosen),
                               "Edit indicator"):
            return False
        self.show_error("")
        return True

    # --- following the store -------------------------------------------------------------

    def _operation_done(self, result: ops.OpResult) -> None:
        if self.indicator_id in result.indicator_ids():
            if self.table.state() == QAbstractItemView.State.EditingState:
                # A cell's editor committed this edit and is still open: reloading the model
                # now would take the editor from the view while its delegate still holds it
                # (Qt warns "commitData called with an editor that does not belong to this
                # view"). Once the editor has closed, the table and chart follow.
                QTimer.singleShot(0, self, lambda: self._changed(self.indicator_id))
            else:
                self._changed(self.indicator_id)

    def _changed(self, indicator_id: int) -> None:
        if indicator_id != self.indicator_id:
            return
        self.indicator = queries.get_indicator(self.store, indicator_id)
        self.model.reload()
        self._update_chart()
        self._fill_definition()

    def _update_chart(self) -> None:
        self.data = chart_data(self.indicator, queries.list_values(self.store, self.indicator_id),
                               include_withheld=True)
        self.setWindowTitle(self.indicator.name)
        self.title.setText(self.indicator.name)
        self.headline.setText(headline_html(self.data))
        configure_plot(self.plot.getPlotItem(), self.data, legend=True, compact=False)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # --- export --------------------------------------------------------------------------

    def chart_bytes(self, fmt: str) -> bytes:
        """The chart as it leaves the tracker: withheld values left out."""
        return export.chart_bytes(self.store, self.indicator_id, fmt)

    def export_chart(self, path: str | Path) -> Path:
        return export.export_chart(self.store, self.indicator_id, path)

    def copy_chart(self) -> None:
        export.copy_chart(self.store, self.indicator_id)
        self.show_error("")

    @classmethod
    def ask_export_path(cls, parent: QWidget, fmt: str, suggested: str) -> str:
        """The file to export to, or "" if the officer cancels (tests replace this)."""
        return export.ask_export_path(parent, fmt, suggested)

    def _ask_export(self, fmt: str) -> None:
        self.show_error(export.ask_and_export(self, self.store, self.indicator_id, fmt,
                                              self.ask_export_path))

    def dispose(self) -> None:
        """Stop following changes and delete the plot (pyqtgraph crashes at exit otherwise)."""
        try:
            self.bridge.performed.disconnect(self._operation_done)
        except (RuntimeError, TypeError):
            pass
        dispose_plot_widget(self.plot)
