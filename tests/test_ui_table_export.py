"""Any table to .xlsx and .csv (the Qt-free writer and the window's one utility), and Ctrl+Enter
accepting a multi-line dialog."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout
from ui_helpers import close_window, make_window

from tracker.exchange.table_file import Table, TableExportError, sheet_title, write_table
from tracker.store import queries
from tracker.ui import table_export
from tracker.ui.dialog_keys import accept_on_ctrl_enter
from tracker.ui.models.plan_tree import COMMITMENT, PRIORITY


def test_writer_keeps_text_as_text_and_numbers_as_numbers(tmp_path):
    table = Table("Evidence: P1/A", ["When", "Evidence", "Figure"],
                  [[date(2021, 9, 30), "=HYPERLINK(\"http://x\")", 500],
                   [None, "-5 officers", 2.5], ["2019/20", "#REF!", None]])
    xlsx = write_table(table, tmp_path / "t.xlsx")
    ws = load_workbook(xlsx).active
    assert ws.title == "Evidence P1 A"
    assert [c.value for c in ws[1]] == ["When", "Evidence", "Figure"]
    assert ws["A2"].value.date() == date(2021, 9, 30)
    assert ws["B2"].data_type == "s" and ws["B2"].value.startswith("=HYPERLINK")
    assert ws["C2"].value == 500 and ws["C3"].value == 2.5
    assert ws["B4"].data_type == "s" and ws["B4"].value == "#REF!"
    written = write_table(table, tmp_path / "t.csv")
    with written.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["When", "Evidence", "Figure"]
    assert rows[1] == ["2021-09-30", "'=HYPERLINK(\"http://x\")", "500"]
    assert rows[2][1] == "'-5 officers" and rows[2][2] == "2.5"


def test_writer_refuses_in_one_sentence(tmp_path):
    with pytest.raises(TableExportError, match=r"as \.xlsx or \.csv"):
        write_table(Table("x", ["a"]), tmp_path / "t.ods")
    with pytest.raises(TableExportError, match="does not exist"):
        write_table(Table("x", ["a"]), tmp_path / "nowhere" / "t.xlsx")
    assert not list(tmp_path.iterdir())
    assert sheet_title("[]:*?/\\") == "Table"
    assert len(sheet_title("x" * 40)) == 31


def _commitment_with_evidence(store):
    plan = queries.default_plan(store)
    for priority in queries.list_priorities(store, plan.id):
        for c in queries.list_commitments(store, priority.id):
            items = queries.list_evidence(store, c.id)
            if len(items) >= 2:
                return priority, c, items
    raise AssertionError("the sample has a commitment with two evidence items")


def test_evidence_table_exports_to_excel_and_reads_back(qtbot, store, tmp_path, monkeypatch):
    window = make_window(qtbot, store, tmp_path)
    priority, commitment, items = _commitment_with_evidence(store)
    window.workspace.expand_key((PRIORITY, priority.id))
    assert window.workspace.select_key((COMMITMENT, commitment.id))
    view = window.workspace.detail.commitment_page.table
    asked = []
    monkeypatch.setattr(table_export, "ask_path",
                        lambda _p, title, suffix: asked.append(title) or str(tmp_path / f"e{suffix}"))
    menu = table_export.table_menu(view, "Evidence")
    labels = [a.text() for a in menu.actions()]
    assert "Export to &Excel…" in labels and "Export to C&SV…" in labels
    next(a for a in menu.actions() if a.text() == "Export to &Excel…").trigger()
    ws = load_workbook(tmp_path / "e.xlsx").active
    # What the table shows is what is written: a column nobody uses (no figure, no file) is
    # hidden, and not exported.
    headers = [view.horizontalHeaderItem(c).text() for c in range(view.columnCount())
               if not view.isColumnHidden(c)]
    assert [c.value for c in ws[1]] == headers
    texts = [ws.cell(row=r, column=headers.index("Evidence") + 1).value
             for r in range(2, ws.max_row + 1)]
    assert texts == [view.item(r, headers.index("Evidence")).text() for r in range(view.rowCount())]
    assert {i.text for i in items} == set(texts)
    assert asked == ["Evidence"]
    assert "Exported Evidence" in window.statusBar().currentMessage()
    next(a for a in menu.actions() if a.text() == "Export to C&SV…").trigger()
    with (tmp_path / "e.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == view.rowCount() + 1
    menu.deleteLater()
    close_window(window)


def test_copy_rows_and_tree_export_keep_what_is_shown(qtbot, store, tmp_path):
    window = make_window(qtbot, store, tmp_path)
    plan = queries.default_plan(store)
    priority = queries.list_priorities(store, plan.id)[0]
    window.workspace.expand_key((PRIORITY, priority.id))
    tree = window.workspace.tree
    table = table_export.table_of(tree, "Plan")
    commitments = queries.list_commitments(store, priority.id)
    texts = [row[1] for row in table.rows]
    for c in commitments:
        assert c.text in texts
    depth = {row[1]: level for row, level in zip(table.rows, table.levels)}
    assert depth[priority.title] == 1 and depth[commitments[0].text] == 2
    window.workspace.select_key((COMMITMENT, commitments[0].id))
    assert table_export.copy_rows(tree) == 1
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0].split("\t")[1] == "Plan, priority or commitment"
    assert " ".join(commitments[0].text.split()) in copied[1]
    close_window(window)


def test_ctrl_enter_accepts_a_multi_line_dialog(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    text = QPlainTextEdit()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    accept_on_ctrl_enter(dialog)
    assert "Ctrl+Enter" in buttons.button(QDialogButtonBox.StandardButton.Ok).toolTip()
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    text.setFocus()
    qtbot.keyClicks(text, "first line")
    qtbot.keyClick(text, Qt.Key.Key_Return)
    qtbot.keyClicks(text, "second")
    assert dialog.isVisible() and text.toPlainText() == "first line\nsecond"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert text.toPlainText() == "first line\nsecond"
