"""Export any table or tree of the window to Excel (.xlsx) or CSV, and copy its rows.

One entry point for every view: `export_view(view, title)` asks where, reads what the view
shows (its visible columns, its rows in the order shown, a tree's open rows indented) and writes
through the Qt-free tracker.exchange.table_file. `add_table_actions(menu, view, title)` puts
Copy / Export to Excel / Export to CSV into a context menu; `install_table_menu(view, title)`
gives a view that menu on right-click and the Menu key.

A model can answer `ExportRole` with the raw value of a cell (a number, a date) so that Excel
sorts and sums it; otherwise the text shown (DisplayRole) is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QMenu,
    QMessageBox,
    QTreeView,
    QWidget,
)

# The writer (openpyxl) is imported when a table is first exported: the window opens without it.
ExportRole = Qt.ItemDataRole.UserRole + 90
_FILTERS = {".xlsx": "Excel workbook (*.xlsx)", ".csv": "CSV file (*.csv)"}
_KINDS = {".xlsx": "an Excel workbook", ".csv": "a CSV file"}


def _visible_columns(view: QAbstractItemView) -> list[int]:
    model = view.model()
    header = view.header() if isinstance(view, QTreeView) else view.horizontalHeader()
    columns = [c for c in range(model.columnCount()) if not header.isSectionHidden(c)]
    return sorted(columns, key=header.visualIndex)


def _cell(index: QModelIndex):
    value = index.data(ExportRole)
    if value is None:
        value = index.data(Qt.ItemDataRole.DisplayRole)
    if isinstance(value, str):
        return value or None
    return value


def table_of(view: QAbstractItemView, title: str, selected_only: bool = False):
    """What `view` shows, as a tracker.exchange.table_file.Table: visible columns in their
    order, rows as sorted and filtered on screen; for a tree, the rows that are open, with their
    depth."""
    from tracker.exchange.table_file import Table

    model = view.model()
    columns = _visible_columns(view)
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
    table = Table(title, headers)
    chosen = {i.row() for i in view.selectionModel().selectedRows()} if selected_only else None
    if isinstance(view, QTreeView):
        table.levels = []
        picked = ({(i.row(), i.parent()) for i in view.selectionModel().selectedRows()}
                  if selected_only else None)

        def walk(parent: QModelIndex, level: int) -> None:
            for row in range(model.rowCount(parent)):
                if view.isRowHidden(row, parent):
                    continue
                first = model.index(row, 0, parent)
                if picked is None or (row, parent) in picked:
                    table.rows.append([_cell(model.index(row, c, parent)) for c in columns])
                    table.levels.append(level)
                if view.isExpanded(first):
                    walk(first, level + 1)

        walk(QModelIndex(), 0)
        return table
    for row in range(model.rowCount()):
        if hasattr(view, "isRowHidden") and view.isRowHidden(row):
            continue
        if chosen is not None and row not in chosen:
            continue
        table.rows.append([_cell(model.index(row, c)) for c in columns])
    return table


def copy_rows(view: QAbstractItemView, title: str = "") -> int:
    """The selected rows (or all, when none is selected) to the clipboard as tab-separated
    text with the headings, which pastes into Excel or Word as a table. Returns the count."""
    has_selection = bool(view.selectionModel() and view.selectionModel().selectedRows())
    table = table_of(view, title, selected_only=has_selection)
    lines = ["\t".join(table.headers)]
    for values in table.rows:
        lines.append("\t".join("" if v is None else " ".join(str(v).split()) for v in values))
    QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
    return len(table.rows)


def suggested_path(title: str, suffix: str) -> Path:
    folder = str(QSettings().value("export/folder", "") or "")
    base = Path(folder) if folder and Path(folder).is_dir() else Path.home()
    name = "".join(c for c in title if c not in '\\/:*?"<>|').strip() or "table"
    return base / f"{name}{suffix}"


def ask_path(parent: QWidget | None, title: str, suffix: str) -> str:
    """Where to save (tests replace this); "" when the officer cancels."""
    path, _ = QFileDialog.getSaveFileName(parent, f"Export {title}",
                                          str(suggested_path(title, suffix)), _FILTERS[suffix])
    if path and not Path(path).suffix:
        path += suffix
    return path


def export_view(view: QAbstractItemView, title: str, suffix: str = ".xlsx",
                path: str | Path | None = None, parent: QWidget | None = None) -> Path | None:
    """Write what `view` shows to a file (asked for unless `path` is given). Returns the file,
    or None when cancelled or refused (the refusal is said in a message box)."""
    from tracker.exchange.table_file import TableExportError, write_table

    parent = parent or view.window()
    target = path or ask_path(parent, title, suffix)
    if not target:
        return None
    try:
        written = write_table(table_of(view, title), target)
    except TableExportError as exc:
        QMessageBox.warning(parent, "Export", str(exc))
        return None
    QSettings().setValue("export/folder", str(written.parent))
    bar = getattr(parent, "statusBar", None)
    if callable(bar):
        bar().showMessage(f"Exported {title} to {written}.", 8000)
    return written


def add_table_actions(menu: QMenu, view: QAbstractItemView, title: str | Callable[[], str]
                      ) -> list[QAction]:
    """Copy, Export to Excel, Export to CSV, for `view`, added to `menu`."""
    name = title if callable(title) else (lambda: title)
    made = []
    copy = menu.addAction("&Copy rows")
    copy.setShortcut(QKeySequence.StandardKey.Copy)
    copy.triggered.connect(lambda _c=False: copy_rows(view, name()))
    made.append(copy)
    for suffix, label in ((".xlsx", "Export to &Excel…"), (".csv", "Export to C&SV…")):
        action = menu.addAction(label)
        action.setToolTip(f"Save this table as {_KINDS[suffix]}")
        action.triggered.connect(lambda _c=False, s=suffix: export_view(view, name(), s))
        made.append(action)
    return made


def install_table_menu(view: QAbstractItemView, title: str | Callable[[], str],
                       extra: Callable[[QMenu, QModelIndex], None] | None = None) -> None:
    """Right-click (or the Menu key, or Shift+F10) on `view` opens a menu: `extra` adds the
    view's own actions for the row under the mouse, then Copy and the exports follow."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(point: QPoint) -> None:
        index = view.indexAt(point)
        if not index.isValid() and view.currentIndex().isValid():
            # The Menu key (or a click beside the rows): the current row, the menu beside it.
            index = view.currentIndex()
            point = view.visualRect(index).center()
        menu = table_menu(view, title, extra, index)
        menu.exec(view.viewport().mapToGlobal(point))
        menu.deleteLater()

    view.customContextMenuRequested.connect(show)


def table_menu(view: QAbstractItemView, title: str | Callable[[], str],
               extra: Callable[[QMenu, QModelIndex], None] | None = None,
               index: QModelIndex | None = None) -> QMenu:
    """The menu `install_table_menu` shows (tests look at it without opening it)."""
    menu = QMenu(view)
    if extra is not None:
        extra(menu, index if index is not None else view.currentIndex())
        if menu.actions():
            menu.addSeparator()
    add_table_actions(menu, view, title)
    return menu
