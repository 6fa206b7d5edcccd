"""Checks a screen reader and a bare machine's fonts care about, over real widgets.

- `unnamed_controls(root)`: every interactive control a keyboard can reach should have a name
  a screen reader says: its accessible name, the text of a button, or a label whose buddy it is.
- `stray_ampersands(root)`: a label's "&" marks its shortcut key only when the label has a buddy;
  without one Qt shows the "&" itself ("Save in &folder:").
- `missing_glyphs(root)`: every character the widgets show (labels, buttons, tabs, menus, items
  of lists, tables, trees and combo boxes, tooltips) must be drawn by DejaVu Sans, the only font
  a bare CI machine has; a character it lacks shows as an empty box.
"""

from __future__ import annotations

import re

from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tracker.reports.fonts import metrics

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
            QTextEdit, QPlainTextEdit)


def _reachable(widget: QWidget, root: QWidget) -> bool:
    """In `root`'s own window (not a combo box's pop-up list), shown, and focusable."""
    return (widget.window() is root.window() and widget.isVisibleTo(root.window())
            and widget.focusPolicy() != Qt.FocusPolicy.NoFocus)


def unnamed_controls(root: QWidget) -> list[str]:
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not _reachable(widget, root):
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox | QAbstractSpinBox):
            continue  # the editor inside a combo or spin box: the box carries the name
        if widget.accessibleName().strip() or id(widget) in buddies:
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        if widget.parent() is not None and type(widget.parent()).__name__ == "QScrollArea":
            continue
        found.append(f"{type(widget).__name__} {widget.objectName()!r} in "
                     f"{type(widget.window()).__name__} (tooltip {widget.toolTip()!r})")
    return found


def stray_ampersands(root: QWidget) -> list[str]:
    found = []
    for label in root.findChildren(QLabel):
        text = label.text()
        rich = label.textFormat() == Qt.TextFormat.RichText or "<" in text
        if not rich and re.search(r"&[^&\s]", text) and label.buddy() is None \
                and label.isVisibleTo(root.window()):
            found.append(f"{text!r} in {type(label.window()).__name__}")
    return found


def _model_texts(view: QAbstractItemView, limit: int = 400) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts = []
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list's model (columnCount is not public there): one column
        columns = 1
    for col in range(columns):
        texts.append(str(model.headerData(col, Qt.Orientation.Horizontal) or ""))

    def walk(parent: QModelIndex) -> None:
        for row in range(min(model.rowCount(parent), limit)):
            for col in range(columns):
                index = model.index(row, col, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if isinstance(value, str):
                        texts.append(value)
            first = model.index(row, 0, parent)
            if model.rowCount(first) and (not hasattr(view, "isExpanded") or view.isExpanded(first)):
                walk(first)

    walk(QModelIndex())
    return texts


def label_shows(label: QLabel) -> str:
    """The words a label puts on the screen: its text as Qt reads it (rich or plain, as the label
    decides), tags and entities resolved."""
    form = label.textFormat()
    rich = form == Qt.TextFormat.RichText or (
        form == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(label.text()))
    if not rich:
        return label.text()
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text the widgets under `root` show."""
    found: list[tuple[str, str]] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        name = type(w).__name__
        found.append((name, w.toolTip()))
        if isinstance(w, QLabel | QAbstractButton):
            found.append((name, w.text()))
        elif isinstance(w, QLineEdit):
            found += [(name, w.text()), (name, w.placeholderText())]
        elif isinstance(w, QComboBox):
            found += [(name, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTabBar):
            found += [(name, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QMenu):
            found += [(name, a.text()) for a in w.actions()]
        elif isinstance(w, QAbstractItemView):
            found += [(name, t) for t in _model_texts(w)]
        elif isinstance(w, QTextEdit | QPlainTextEdit):
            found.append((name, w.toPlainText()))
        if hasattr(w, "actions"):
            found += [(name, a.text()) for a in w.actions()]
            found += [(name, a.toolTip()) for a in w.actions()]
    return found


def missing_glyphs(root: QWidget) -> dict[str, str]:
    """Characters shown under `root` that DejaVu Sans does not draw, each with where it is."""
    font = metrics("DejaVu Sans")
    missing: dict[str, str] = {}
    for where, text in shown_texts(root):
        for ch in text or "":
            if ord(ch) < 32 or ch in "\u00ad\u200b\u2029":
                continue  # line breaks, soft hyphens: laid out, not drawn
            if not font.covers(ch) and ch not in missing:
                missing[ch] = f"{where}: {text[:60]!r}"
    return missing


def every_window() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]
