"""The main window: the plan tree (to be grown by the workspace issue)."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QMainWindow, QTreeView

from tracker.store import plans
from tracker.store.database import Store


class MainWindow(QMainWindow):
    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        title = "Commitment Tracker"
        if store.path is not None:
            title += f" — {store.path.name}"
        if store.read_only:
            title += " (read-only)"
        self.setWindowTitle(title)
        self.tree = QTreeView()
        self.model = QStandardItemModel()
        self.model.setHorizontalHeaderLabels(["Code", "Commitment", "Status"])
        self.tree.setModel(self.model)
        self.setCentralWidget(self.tree)
        self.resize(1200, 800)
        self._fill()
        if store.read_only:
            self.statusBar().showMessage(f"Read-only: {store.read_only_reason}")

    def _fill(self) -> None:
        for plan in plans.list_plans(self.store):
            tree = plans.plan_tree(self.store, plan.id)
            plan_item = QStandardItem(plan.title)
            for node in tree.priorities:
                pr = QStandardItem(f"{node.priority.number}. {node.priority.title}")
                for c in node.commitments:
                    s = c.commitment.status
                    pr.appendRow([QStandardItem(c.commitment.code or ""),
                                  QStandardItem(c.commitment.text),
                                  QStandardItem(f"{s.shape} {s.label}")])
                plan_item.appendRow([QStandardItem(""), pr, QStandardItem(node.counts.describe())])
            self.model.appendRow([plan_item])

    def shutdown(self) -> None:
        self.store.close()
