"""Starting a plan from the office's spreadsheet or outline in the window: mapping, preview,
create; nothing is written before Create."""

from __future__ import annotations

from openpyxl import Workbook
from plan_sheet_fixtures import P1, delivery_plan, write_delivery_plan
from ui_helpers import close_window, make_window

from tracker.domain.status import Status
from tracker.exchange.plan_sheet.grid import read_plan_workbook
from tracker.store import plans
from tracker.ui.plan_import import PlanOutlineDialog, PlanSheetDialog


def _tree_rows(dialog) -> list[tuple[str, ...]]:
    tree = dialog.preview.tree
    rows = []
    for n in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(n)
        rows.append((top.text(0), top.text(5)))
        for m in range(top.childCount()):
            child = top.child(m)
            rows.append((child.text(0), child.text(1), child.text(5)))
    return rows


def test_the_window_maps_previews_and_creates_a_plan_from_an_unseen_layout(qtbot, store, tmp_path):
    path = tmp_path / "Delivery plan.xlsx"
    rows = delivery_plan(path)
    window = make_window(qtbot, store, tmp_path)
    try:
        before = len(plans.list_plans(store))
        window.plan_import.from_spreadsheet(path)  # read off the GUI thread
        qtbot.waitUntil(lambda: isinstance(window.plan_import.dialog, PlanSheetDialog))
        dialog = window.plan_import.dialog
        qtbot.waitUntil(lambda: dialog.draft is not None)
        assert dialog.columns["text"].currentText() == "A: Actions"  # guessed from the headings
        assert dialog.columns["status"].currentText() == "F: R/A/G"
        assert _tree_rows(dialog)[:2] == [
            ("1. More Local, Visible and Accessible Policing", f"Delivery Plan!A{rows['p1']}"),
            (P1[0][0], "● On track (green fill)", f"Delivery Plan!A{rows['p1.0']}")]
        assert [dialog.preview.findings.item(n).text() for n in range(dialog.preview.findings.count())] == [
            f"Warning: Delivery Plan!B{rows['p2.1']}: 'Ongoing' is not a date: write a day "
            "(31/03/2021), a month (March 2021 or Sep '19), a quarter (Q3 2020/21) or a financial "
            "year (2020/21); the commitment gets no due date.",
            f"Warning: Delivery Plan!{rows['hidden']}:{rows['hidden']}: row {rows['hidden']} is "
            "hidden in the spreadsheet and left out; unhide it to bring it in."]
        assert not dialog.create_button.isEnabled()  # no title or period yet
        dialog.set_status("green fill", Status.COMPLETE)  # this office's green means done
        dialog.rebuild()
        assert _tree_rows(dialog)[1][1] == "✔ Complete (green fill)"
        assert len(plans.list_plans(store)) == before  # nothing written by the preview
        qtbot.keyClicks(dialog.fields.title, "Delivery Plan 2020/21")
        qtbot.keyClicks(dialog.fields.period, "2020/21")
        assert dialog.create_button.isEnabled()
        with qtbot.waitSignal(dialog.created, timeout=20000):  # written off the GUI thread
            dialog.create_button.click()
        created = [p for p in plans.list_plans(store) if p.title == "Delivery Plan 2020/21"]
        assert len(created) == 1 and created[0].period == "2020/21"
        tree = plans.plan_tree(store, created[0].id)
        assert tree.priorities[0].commitments[0].commitment.status is Status.COMPLETE
        assert ("plan", created[0].id) in [n.key for n in window.workspace.model.plan_nodes()]
        assert window.workspace.current_key() == ("plan", created[0].id)
    finally:
        close_window(window)


def test_problems_keep_create_disabled_until_the_mapping_fixes_them(qtbot, store, tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Delivery Plan"
    rows = write_delivery_plan(ws)
    ws[f"F{rows['p1.0']}"] = "Amber/Green"
    wb.save(path)
    dialog = PlanSheetDialog(store, read_plan_workbook(path))
    qtbot.addWidget(dialog)
    dialog.fields.title.setText("Plan")
    dialog.fields.period.setText("2020/21")
    dialog.rebuild()
    assert [str(p) for p in dialog.draft.problems] == [
        f"Delivery Plan!F{rows['p1.0']}: the status 'Amber/Green' maps to no tracker status: add "
        "it to the status mapping, for example \"Amber/Green=At risk\"."]
    assert not dialog.create_button.isEnabled()
    assert dialog.preview.findings.item(0).text().startswith("Problem: Delivery Plan!F")
    dialog.set_status("Amber/Green", Status.AT_RISK)
    dialog.rebuild()
    assert dialog.draft.problems == [] and dialog.create_button.isEnabled()
    dialog.set_column("text", None)
    dialog.rebuild()
    assert "the commitment text is not mapped" in str(dialog.draft.problems[0])
    assert not dialog.create_button.isEnabled()


def test_an_outline_pasted_into_the_window_becomes_a_plan(qtbot, store):
    dialog = PlanOutlineDialog(store)
    qtbot.addWidget(dialog)
    dialog.text.setPlainText("Priority 1 - Local policing\nA. Patrol hotspots\n"
                             "    i) town centres\nC. Shared spaces\n")
    dialog.rebuild()
    assert _tree_rows(dialog) == [
        ("1. Local policing", "line 1"), ("A. Patrol hotspots", "○ Not assessed", "line 2"),
        ("C. Shared spaces", "○ Not assessed", "line 4")]
    assert dialog.preview.findings.item(0).text() == (
        "Warning: line 4: 'C' follows 'A' in Priority 1: 'B' is missing.")
    dialog.fields.title.setText("Outline plan")
    dialog.fields.period.setText("2021-2024")
    dialog._update_button()
    with qtbot.waitSignal(dialog.created, timeout=20000):
        dialog.create_button.click()
    [plan] = [p for p in plans.list_plans(store) if p.title == "Outline plan"]
    assert len(plans.plan_tree(store, plan.id).priorities[0].commitments) == 2


def test_a_word_document_opens_into_the_outline_preview(qtbot, store, tmp_path, monkeypatch):
    import docx

    path = tmp_path / "outline.docx"
    document = docx.Document()
    document.add_paragraph("Priority 1 - Local policing", style="Heading 1")
    document.add_paragraph("A. Patrol hotspots")
    document.save(path)
    dialog = PlanOutlineDialog(store)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(PlanOutlineDialog, "ask_document", staticmethod(lambda _parent: str(path)))
    dialog.open_button.click()
    assert _tree_rows(dialog) == [("1. Local policing", "paragraph 1"),
                                  ("A. Patrol hotspots", "○ Not assessed", "paragraph 2")]
    assert dialog.source.text().startswith("From outline.docx.")
