"""A plan or priority at a glance: commitments by status per priority (the painted bars of the
home screen, with the priorities' titles and a count on each part), the share evidenced in a
period, and the commitments overdue for an update.

Signals:
    priority_clicked(int): a bar's title was clicked, or Enter pressed on it (priority id).
    part_clicked(int, str): a part of a bar was clicked: priority id and Status value.
    commitment_clicked(int): an overdue row was chosen (commitment id).
    updated(): new counts are shown (they are made on a worker thread).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.status import Status
from tracker.reports.palette import STATUS_INK
from tracker.store import overview as store_overview
from tracker.store.database import Store
from tracker.ui.dashboard.status_bars import StatusBars
from tracker.ui.jobs import Job
from tracker.ui.models.plan_tree import short_date, status_text
from tracker.ui.table_export import install_table_menu


class OverviewPanel(QWidget):
    priority_clicked = Signal(object)
    part_clicked = Signal(object, str)
    commitment_clicked = Signal(object)
    updated = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.plan_id: int | None = None
        self.priority_id: int | None = None
        self.data: store_overview.Overview | None = None
        self._closed = False
        self.pending = False
        self.generation = 0
        self.jobs: list[Job] = []  # counting now (an older one finishes unseen)
        self.busy = QLabel("Counting…")
        self.busy.setStyleSheet("color:#555;")
        self.busy.hide()

        self.chart = StatusBars()
        self.chart.setToolTip("Commitments by status in each priority: click a title to open "
                              "the priority, a part of a bar to list its commitments")
        self.chart.priority_chosen.connect(self.priority_clicked.emit)
        self.chart.part_chosen.connect(self.part_clicked.emit)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)

        self.period = QComboBox()
        self.period.setToolTip("The financial year the evidenced share is counted for")
        self.period.currentIndexChanged.connect(self._period_changed)
        self.share_bar = QProgressBar()
        self.share_bar.setRange(0, 100)
        self.share_bar.setTextVisible(True)
        self.share_label = QLabel()
        share_row = QHBoxLayout()
        period_label = QLabel("E&videnced in")
        period_label.setBuddy(self.period)
        share_row.addWidget(period_label)
        share_row.addWidget(self.period)
        share_row.addWidget(self.share_bar, 1)
        share_row.addWidget(self.share_label)

        self.overdue_title = QLabel()
        self.overdue = QTableWidget(0, 4)
        self.overdue.setHorizontalHeaderLabels(["Code", "Commitment", "Status", "Why overdue"])
        self.overdue.verticalHeader().hide()
        self.overdue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.overdue.setTabKeyNavigation(False)  # rows, not cells: Tab moves on to the buttons
        self.overdue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.overdue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.overdue.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.overdue.setToolTip("Open commitments not updated for 90 days or past their due date; "
                                "Enter or double-click opens one")
        self.overdue.cellActivated.connect(self._row_chosen)
        self.overdue.cellDoubleClicked.connect(self._row_chosen)
        self.overdue.setAccessibleName("Overdue for an update")
        # Oldest update first until the officer sorts by a column (click its heading).
        self.overdue.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        install_table_menu(self.overdue, "Overdue for an update")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.busy)
        layout.addWidget(self.chart)
        layout.addWidget(self.legend)
        layout.addLayout(share_row)
        layout.addWidget(self.overdue_title)
        layout.addWidget(self.overdue, 2)
        layout.addStretch(0)

    def show_for(self, store: Store, plan_id: int, priority_id: int | None = None) -> None:
        """Count for this plan (or priority); on a file, off the GUI thread."""
        self.store, self.plan_id, self.priority_id = store, plan_id, priority_id
        self._request(None)

    def _period_changed(self) -> None:
        if self.store is not None and self.plan_id is not None and self.period.currentText():
            self._request(self.period.currentText())

    def _request(self, period_label: str | None) -> None:
        self.generation += 1
        args = (self.plan_id, self.priority_id, period_label)
        if self.store.path is None:  # in memory: nothing else can open it
            self._done(self.generation, *store_overview.overview_report(self.store, *args))
            return
        self.pending = True
        self.busy.show()
        store, generation = self.store, self.generation

        def count(_progress, _cancelled):  # on a connection of its own
            with store.for_worker() as worker:
                return store_overview.overview_report(worker, *args)

        job = Job(count, self)
        job.succeeded.connect(lambda found: self._done(generation, *found))
        job.failed.connect(lambda exc: self._failed(generation, exc))
        job.ended.connect(lambda: self.jobs.remove(job) if job in self.jobs else None)
        self.jobs.append(job)
        job.start()

    def _done(self, generation: int, labels: list[str], data: store_overview.Overview) -> None:
        if generation != self.generation or self._closed:
            return  # an older request, or the panel is going
        self.pending = False
        self.busy.hide()
        self.period.blockSignals(True)
        self.period.clear()
        self.period.addItems(labels)
        self.period.setCurrentText(data.period)
        self.period.blockSignals(False)
        self._show(data)
        self.updated.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self.generation or self._closed:
            return
        self.pending = False
        self.busy.setText(f"Could not count: {exc}")

    def _show(self, data: store_overview.Overview) -> None:
        self.data = data
        self.chart.set_rows(data.priorities)
        present = [s for s in Status if any(p.counts[s] for p in data.priorities)]
        self.legend.setText("  ".join(
            f"<span style='color:{STATUS_INK[s]}'>{s.shape} {s.label}</span>" for s in present)
            or "No commitments yet.")
        share = round(100 * data.share)
        self.share_bar.setValue(share)
        self.share_bar.setFormat(f"{share}%")
        self.share_label.setText(f"{data.evidenced} of {data.total} commitments")
        self.share_bar.setToolTip(f"{data.evidenced} of {data.total} commitments have evidence "
                                  f"dated in {data.period}")
        self.overdue_title.setText(
            f"<b>Overdue for an update</b> ({len(data.overdue)})" if data.overdue
            else "<b>Overdue for an update</b>: none")
        self.overdue.setVisible(bool(data.overdue))
        self.overdue.setSortingEnabled(False)  # rows go in where they are put, then sort
        self.overdue.setRowCount(len(data.overdue))
        for i, row in enumerate(data.overdue):
            cells = [row.code or "", row.text, status_text(row.status), row.why]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.commitment_id)
                if col == 1:
                    item.setToolTip(f"{row.text}\nLast updated {short_date(row.updated_at)}")
                self.overdue.setItem(i, col, item)
        self.overdue.setSortingEnabled(True)

    def click_bar(self, number_index: int) -> None:
        """Open the n-th priority shown (keyboard and tests)."""
        self.chart.choose(number_index)

    def _row_chosen(self, row: int, _col: int = 0) -> None:
        item = self.overdue.item(row, 0)
        if item is not None:
            self.commitment_clicked.emit(item.data(Qt.ItemDataRole.UserRole))

    def stop(self) -> None:
        """Wait for the counts still running (before the window goes)."""
        for job in list(self.jobs):
            job.wait(10)

    def close_chart(self) -> StatusBars:
        """Stop counting (before the window goes); the chart is painted, nothing to free."""
        self._closed = True
        self.stop()
        return self.chart
