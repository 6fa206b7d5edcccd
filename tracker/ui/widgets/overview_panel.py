"""A plan or priority at a glance: stacked bars of commitments by status per priority, the share
evidenced in a period, and the commitments overdue for an update.

Signals:
    priority_clicked(int): a bar was clicked (priority id).
    commitment_clicked(int): an overdue row was chosen (commitment id).
    updated(): new counts are shown (they are made on a worker thread).

Call `close_chart()` before the application exits (pyqtgraph, MEASURED.md trap 2).
"""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

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
from tracker.store import overview as store_overview
from tracker.store.database import Store, open_store
from tracker.ui.jobs import Job
from tracker.ui.models.plan_tree import short_date, status_text


class OverviewPanel(QWidget):
    priority_clicked = Signal(object)
    commitment_clicked = Signal(object)
    updated = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.plan_id: int | None = None
        self.priority_id: int | None = None
        self.data: store_overview.Overview | None = None
        self._bars: list[tuple[float, int]] = []  # (x, priority id)
        self._closed = False
        self.pending = False
        self.generation = 0
        self.jobs: list[Job] = []  # counting now (an older one finishes unseen)
        self.busy = QLabel("Counting…")
        self.busy.setStyleSheet("color:#555;")
        self.busy.hide()

        # The chart (pyqtgraph) is made when there is something to draw: the window opens on
        # the plan tree, and this pane may never be shown.
        self.chart = None
        self.chart_box = QVBoxLayout()
        self.chart_box.setContentsMargins(0, 0, 0, 0)
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
        share_row.addWidget(QLabel("Evidenced in"))
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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.busy)
        layout.addLayout(self.chart_box, 3)
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
        path, generation = self.store.path, self.generation

        def count(_progress, _cancelled):  # on its own read-only connection to the file
            store = open_store(path, mode="read")
            try:
                return store_overview.overview_report(store, *args)
            finally:
                store.close()

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

    def _make_chart(self):
        import pyqtgraph as pg

        chart = pg.PlotWidget(background="w")
        chart.setMinimumHeight(200)
        chart.setMenuEnabled(False)
        chart.setMouseEnabled(x=False, y=False)
        chart.hideButtons()
        chart.getPlotItem().setLabel("left", "Commitments")
        chart.setToolTip("Commitments by status in each priority; click a bar to open the priority")
        chart.scene().sigMouseClicked.connect(self._chart_clicked)
        self.chart_box.addWidget(chart)
        self.chart = chart
        return chart

    def _show(self, data: store_overview.Overview) -> None:
        import pyqtgraph as pg

        self.data = data
        plot = (self.chart or self._make_chart()).getPlotItem()
        plot.clear()
        self._bars = []
        xs = list(range(1, len(data.priorities) + 1))
        bottoms = [0.0] * len(xs)
        present = []
        for status in Status:
            heights = [p.counts[status] for p in data.priorities]
            if not any(heights):
                continue
            present.append(status)
            bars = pg.BarGraphItem(x=xs, height=heights, y0=list(bottoms), width=0.6,
                                   brush=status.colour, pen=pg.mkPen("w", width=1))
            plot.addItem(bars)
            bottoms = [b + h for b, h in zip(bottoms, heights)]
        self._bars = [(x, p.priority_id) for x, p in zip(xs, data.priorities)]
        axis = plot.getAxis("bottom")
        axis.setTicks([[(x, f"P{p.number}") for x, p in zip(xs, data.priorities)]])
        plot.setXRange(0.4, max(len(xs), 1) + 0.6, padding=0)
        plot.setYRange(0, max([*bottoms, 1]) * 1.1, padding=0)
        self.legend.setText("  ".join(
            f"<span style='color:{s.colour}'>{s.shape} {s.label}</span>" for s in present)
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
        self.overdue.setRowCount(len(data.overdue))
        for i, row in enumerate(data.overdue):
            cells = [row.code or "", row.text, status_text(row.status), row.why]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.commitment_id)
                if col == 1:
                    item.setToolTip(f"{row.text}\nLast updated {short_date(row.updated_at)}")
                self.overdue.setItem(i, col, item)

    def _chart_clicked(self, event) -> None:
        plot = self.chart.getPlotItem()
        point = plot.vb.mapSceneToView(event.scenePos())
        for x, priority_id in self._bars:
            if abs(point.x() - x) <= 0.3:
                self.priority_clicked.emit(priority_id)
                return

    def click_bar(self, number_index: int) -> None:
        """Select the bar of the n-th priority shown (keyboard and tests)."""
        if 0 <= number_index < len(self._bars):
            self.priority_clicked.emit(self._bars[number_index][1])

    def _row_chosen(self, row: int, _col: int = 0) -> None:
        item = self.overdue.item(row, 0)
        if item is not None:
            self.commitment_clicked.emit(item.data(Qt.ItemDataRole.UserRole))

    def stop(self) -> None:
        """Wait for the counts still running (before the window goes)."""
        for job in list(self.jobs):
            job.wait(10)

    def close_chart(self):
        """Delete the chart now (None when it was never made); returns it."""
        if self._closed:
            return self.chart
        self._closed = True
        self.stop()
        if self.chart is not None:
            self.chart.getPlotItem().clear()
            self.chart.close()
            self.chart.deleteLater()
        return self.chart
