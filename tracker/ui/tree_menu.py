"""The plan tree's context menu (right-click, the Menu key or Shift+F10): what can be done with the
row under the mouse, the same actions as the menus (so they are enabled alike), then Copy and
the exports of what the tree shows.

Entry point for the main window (after its actions exist):
    install(window)
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QMainWindow, QMenu

from tracker.ui.models.plan_tree import COMMITMENT, PLAN, PRIORITY, key_of
from tracker.ui.table_export import install_table_menu


def install(window: QMainWindow) -> None:
    install_table_menu(window.workspace.tree, "Plan", row_actions(window))


def row_actions(window: QMainWindow) -> Callable[[QMenu, QModelIndex], None]:
    """What the menu offers for a row: it selects the row, then adds that row's actions."""
    tree = window.workspace.tree

    def extra(menu: QMenu, index: QModelIndex) -> None:
        if not index.isValid():
            return
        chosen = tree.selectionModel()
        # A row already among several chosen keeps them all chosen (Change status sets them all).
        keep = chosen.isRowSelected(index.row(), index.parent()) and len(chosen.selectedRows()) > 1
        chosen.setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.NoUpdate if keep
            else QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        kind = key_of(index)[0]
        if kind == COMMITMENT:
            for action in (window.status_action, window.evidence_action, window.add_sub_action):
                menu.addAction(action)
            menu.addSeparator()
            menu.addAction(window.delete_commitment_action)
        elif kind == PRIORITY:
            menu.addAction(window.add_commitment_action)
            expand = menu.addAction("&Open all its commitments")
            expand.triggered.connect(lambda _c=False: tree.expandRecursively(index, 1))
        elif kind == PLAN:
            menu.addAction(window.indicators_action)
            menu.addAction(window.report_action)
            expand = menu.addAction("&Expand priorities")
            expand.triggered.connect(lambda _c=False: window.expand_priorities())
        printing = getattr(window, "printing", None)
        if printing is not None:
            menu.addSeparator()
            menu.addAction(printing.print_action)
            menu.addAction(printing.preview_action)

    return extra
