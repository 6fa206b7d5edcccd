"""An office's own delivery plan spreadsheet becomes a plan: mapping, preview, one transaction."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color
from plan_sheet_fixtures import (
    HEADINGS,
    P1,
    PRIORITY_1,
    delivery_plan,
    save_with_cached_values,
    write_delivery_plan,
)

from tracker.domain.status import Status
from tracker.exchange.errors import ExchangeError, WorkbookRefused
from tracker.exchange.plan_sheet.build import SheetMapping, build_draft
from tracker.exchange.plan_sheet.create import create_plan
from tracker.exchange.plan_sheet.grid import read_plan_workbook
from tracker.exchange.plan_sheet.mapping import (
    MappingError,
    guess_columns,
    parse_column_spec,
    parse_status_spec,
)
from tracker.store import commitments, evidence, partners, plans

MAP = "text=Actions,due=Timescale,partners=Sponsor,lead=Lead officer,notes=E,status=R/A/G"


def draft_of(path, spec: str = MAP, statuses: str = "", **kwargs):
    return build_draft(read_plan_workbook(path),
                       SheetMapping(parse_column_spec(spec), parse_status_spec(statuses), **kwargs))


def test_the_issues_layout_becomes_a_tree_with_every_cell_read(tmp_path):
    path = tmp_path / "Delivery plan.xlsx"
    rows = delivery_plan(path)
    draft = draft_of(path)
    assert draft.problems == []
    assert (draft.sheet, draft.header_row) == ("Delivery Plan", rows["header"])
    assert [(p.number, p.title) for p in draft.priorities] == [
        (1, "More Local, Visible and Accessible Policing"),
        (2, "Crack down on Anti-Social Behaviour")]
    first, second, third = draft.priorities[0].commitments
    assert first.text == P1[0][0] and first.place == f"Delivery Plan!A{rows['p1.0']}"
    assert (first.status, first.status_from) == (Status.ON_TRACK, "green fill")
    assert (second.status, third.status) == (Status.AT_RISK, Status.OFF_TRACK)
    assert draft.priorities[1].commitments[1].status is Status.COMPLETE  # blue fill
    assert [c.due.due for c in (first, second, third)] == [
        date(2019, 9, 30), date(2021, 3, 31), date(2020, 12, 31)]
    assert second.partners == ["Essex County Fire and Rescue Service", "Essex Police"]
    assert (first.lead, first.notes) == ("Chief Inspector, Local Policing", "Hotspot patrols in place.")
    messages = [str(w) for w in draft.warnings]
    assert messages == [
        f"Delivery Plan!B{rows['p2.1']}: 'Ongoing' is not a date: write a day (31/03/2021), a "
        "month (March 2021 or Sep '19), a quarter (Q3 2020/21) or a financial year (2020/21); "
        "the commitment gets no due date.",
        f"Delivery Plan!{rows['hidden']}:{rows['hidden']}: row {rows['hidden']} is hidden in the "
        "spreadsheet and left out; unhide it to bring it in."]


def test_creating_writes_the_whole_plan_once_with_statuses_partners_and_notes(tmp_path, store):
    path = tmp_path / "Delivery plan.xlsx"
    rows = delivery_plan(path)
    draft = draft_of(path)
    created = create_plan(store, draft, "Delivery Plan 2020/21", "2020/21")
    plan = plans.get_plan(store, created.plan_id)
    assert (plan.title, plan.period) == ("Delivery Plan 2020/21", "2020/21")
    tree = plans.plan_tree(store, plan.id)
    assert [len(p.commitments) for p in tree.priorities] == [3, 2]
    first = tree.priorities[0].commitments[0].commitment
    assert (first.lead, first.due_date, first.status) == (
        "Chief Inspector, Local Policing", "2019-09-30", Status.ON_TRACK)
    assert first.source == f"Delivery plan.xlsx, Delivery Plan!A{rows['p1.0']}"
    history = commitments.status_history(store, first.id)
    assert [(h.to_status, h.reason) for h in history] == [
        (Status.ON_TRACK, f"As the office's plan recorded it: 'green fill' "
                          f"(Delivery Plan!A{rows['p1.0']}).")]
    notes = evidence.list_evidence(store, first.id)
    assert [(e.text, e.visibility.value) for e in notes] == [("Hotspot patrols in place.", "internal")]
    police = partners.find_partner(store, "Essex Police")
    assert police.id in partners.commitment_partner_ids(store, first.id)
    assert created.message == "2 priorities, 5 commitments and 0 sub-points."


def test_a_plan_with_problems_is_not_created_and_nothing_is_written(tmp_path, store):
    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Delivery Plan"
    write_delivery_plan(ws)
    ws["F6"] = "Amber/Green"
    wb.save(path)
    draft = draft_of(path)
    assert [str(p) for p in draft.problems] == [
        "Delivery Plan!F6: the status 'Amber/Green' maps to no tracker status: add it to the "
        "status mapping, for example \"Amber/Green=At risk\"."]
    before = len(plans.list_plans(store))
    with pytest.raises(ExchangeError, match="Nothing was created"):
        create_plan(store, draft, "Delivery plan", "2020/21")
    assert len(plans.list_plans(store)) == before
    fixed = draft_of(path, statuses="Amber/Green=At risk")
    assert fixed.problems == []
    assert fixed.priorities[0].commitments[0].status is Status.AT_RISK


def test_the_officers_statuses_come_before_the_usual_rag_meaning(tmp_path):
    path = tmp_path / "plan.xlsx"
    delivery_plan(path)
    draft = draft_of(path, statuses="Green=Complete,Red=At risk")
    first, _second, third = draft.priorities[0].commitments
    assert (first.status, third.status) == (Status.COMPLETE, Status.AT_RISK)
    assert draft.statuses_used["green fill"] is Status.COMPLETE


def test_the_commitment_text_unmapped_is_named_with_the_likely_column(tmp_path):
    path = tmp_path / "plan.xlsx"
    rows = delivery_plan(path)
    draft = draft_of(path, "due=B,status=F")
    assert [str(p) for p in draft.problems] == [
        f"Delivery Plan!{rows['header']}:{rows['header']}: the commitment text is not mapped: say "
        "which column holds it (for example text=A, the column headed 'Actions')."]
    assert not draft.can_create


def test_a_column_the_header_row_does_not_have_is_named_with_the_headings(tmp_path):
    path = tmp_path / "plan.xlsx"
    delivery_plan(path)
    draft = draft_of(path, "text=Actions,lead=Owner")
    assert "Lead: there is no column 'Owner' in the header row; the headings are A 'Actions', " \
           "B 'Timescale'" in str(draft.problems[0])


def test_the_mapping_is_guessed_from_the_headings(tmp_path):
    headings = dict(enumerate(HEADINGS, start=1))
    assert guess_columns(headings) == {"text": "A", "lead": "D", "partners": "C", "due": "B",
                                       "status": "F", "notes": "E"}


def test_bad_mappings_are_refused_in_words():
    with pytest.raises(MappingError, match="'owner' is not something a column can hold"):
        parse_column_spec("text=A,owner=B")
    with pytest.raises(MappingError, match="text is mapped twice"):
        parse_column_spec("text=A,text=B")
    with pytest.raises(MappingError, match="'Greenish' has no '='"):
        parse_status_spec("Greenish")
    with pytest.raises(MappingError, match="'Sort of' \\(for Amber\\) is not a tracker status"):
        parse_status_spec("Amber=Sort of")


def test_a_heading_merged_across_columns_takes_its_sub_headings(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws["A1"] = "Delivery plan"
    for column, text in enumerate(("Priority", "Action", "Lead"), start=1):
        ws.cell(2, column, text)
        ws.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    ws["D2"] = "Progress"
    ws.merge_cells("D2:E2")
    ws["D3"], ws["E3"] = "Commentary", "RAG"
    ws.append(["1. Local policing", P1[0][0], "Chief Inspector", "Patrols in place.", "Green"])
    ws.append([None, P1[1][0], "Estates lead", None, "Amber"])
    ws.merge_cells("A4:A5")
    wb.save(path)
    draft = draft_of(path, "priority=Priority,text=Action,lead=Lead,notes=Commentary,status=RAG")
    assert draft.problems == []
    [priority] = draft.priorities
    assert (priority.number, priority.title) == (1, "Local policing")
    assert [(c.text, c.status, c.notes) for c in priority.commitments] == [
        (P1[0][0], Status.ON_TRACK, "Patrols in place."), (P1[1][0], Status.AT_RISK, None)]


def test_a_heading_merged_over_two_columns_must_be_mapped_by_letter(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Priority", "Action", "Status", None])
    ws.merge_cells("C1:D1")
    ws.append(["1. Local policing", P1[0][0], "Green", "On track"])
    ws.append(["1. Local policing", P1[1][0], "Amber", "At risk"])
    wb.save(path)
    draft = draft_of(path, "priority=A,text=B,status=Status")
    assert [str(p) for p in draft.problems] == [
        "Plan!C1:D1: the heading 'Status' is over 2 columns (C, D); map status by its letter "
        "(status=C or status=D)."]
    assert draft_of(path, "priority=A,text=B,status=D").problems == []


def test_cells_merged_down_count_for_each_row_and_codes_make_sub_points(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(["Priority", "Ref", "Action", "Owner"])
    ws.append(["Priority 1 - More Local, Visible and Accessible Policing", "1.1", P1[0][0], "Ch Insp"])
    ws.append([None, "1.2", P1[1][0], None])
    ws.append([None, "1.2.1", "in fire stations", None])
    ws.merge_cells("A2:A4")
    ws.merge_cells("D2:D4")
    wb.save(path)
    draft = draft_of(path, "priority=A,code=B,text=C,lead=D")
    assert draft.problems == []
    [priority] = draft.priorities
    assert priority.title == "More Local, Visible and Accessible Policing"
    assert [(c.code, c.lead, [s.text for s in c.children]) for c in priority.commitments] == [
        ("1.1", "Ch Insp", []), ("1.2", "Ch Insp", ["in fire stations"])]


def test_formulas_count_by_their_saved_value_and_one_without_is_a_problem(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Delivery Plan"
    rows = write_delivery_plan(ws, hidden_row=False)
    wb.create_sheet("RAG").append(["Green"])
    ws[f"F{rows['p1.0']}"] = "=RAG!A1"
    ws[f"F{rows['p1.1']}"] = '=IF(1=1,"Amber","Red")'
    ws[f"B{rows['p2.0']}"] = "=TODAY()"
    wb.save(path)
    save_with_cached_values(path, {f"F{rows['p1.0']}": "Green", f"F{rows['p1.1']}": "Amber"})
    draft = draft_of(path)
    first, second, _third = draft.priorities[0].commitments
    assert (first.status, second.status) == (Status.ON_TRACK, Status.AT_RISK)
    assert [str(p) for p in draft.problems] == [
        f"Delivery Plan!B{rows['p2.0']}: this cell holds a formula (=TODAY()) with no saved "
        "result, and the tracker never runs formulas: open the workbook in Excel and save it, or "
        "type the value."]
    assert f"Delivery Plan!F{rows['p1.0']}: 2 status cells are formulas; the value saved with " \
           "each is used, never recalculated." in [str(w) for w in draft.warnings]


def test_two_sheets_that_look_like_plans_must_be_chosen_between(tmp_path):
    path = tmp_path / "plans.xlsx"
    wb = Workbook()
    write_delivery_plan(wb.active)
    wb.active.title = "2020-21"
    write_delivery_plan(wb.create_sheet("2021-22"))
    wb.save(path)
    draft = draft_of(path)
    assert [str(p) for p in draft.problems] == [
        "plans.xlsx: '2020-21' and '2021-22' both look like plans; choose the sheet to bring in "
        "(--sheet NAME)."]
    chosen = draft_of(path, sheet="2021-22")
    assert chosen.problems == [] and chosen.sheet == "2021-22"


def test_fills_given_as_theme_or_palette_colours_are_read_too(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Delivery Plan"
    rows = write_delivery_plan(ws, hidden_row=False)
    ws[f"F{rows['p1.0']}"].fill = PatternFill("solid", fgColor=Color(theme=6))  # Office green
    ws[f"F{rows['p1.1']}"].fill = PatternFill("solid", fgColor=Color(indexed=10))  # palette red
    wb.save(path)
    first, second, _ = draft_of(path).priorities[0].commitments
    assert (first.status_from, second.status_from) == ("green fill", "red fill")


def test_a_commitment_before_any_priority_is_a_problem(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Action", "Lead", "Due"])
    ws.append([P1[0][0], "Ch Insp", "March 2021"])
    wb.save(path)
    draft = draft_of(path, "text=A,lead=B,due=C")
    assert [str(p) for p in draft.problems] == [
        "Plan!A2: this commitment comes before any priority: map the priority column "
        "(priority=A), or put a heading row such as 'Priority 1 - ...' above it."]


def test_a_heading_with_no_commitments_under_it_is_a_warning(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Action", "Lead"])
    ws.append([PRIORITY_1])
    ws.append(["Priority 2 - Crack down on Anti-Social Behaviour"])
    ws.append([P1[0][0], "ASB lead"])
    wb.save(path)
    draft = draft_of(path, "text=A,lead=B")
    assert draft.problems == []
    assert [str(w) for w in draft.warnings] == [
        "Plan!A2: priority 1 ('More Local, Visible and Accessible Policing') has no commitments "
        "under it."]


def test_unsafe_files_are_refused_before_they_are_read(tmp_path):
    macro = tmp_path / "plan.xlsm"
    macro.write_bytes(b"PK\x03\x04")
    with pytest.raises(WorkbookRefused, match="macro-enabled"):
        read_plan_workbook(macro)
    text = tmp_path / "plan.xlsx"
    text.write_text("Actions,Timescale\n")
    with pytest.raises(WorkbookRefused, match="not an Excel workbook"):
        read_plan_workbook(text)


def test_a_sheet_beyond_a_plans_size_is_refused(tmp_path):
    path = tmp_path / "big.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["Action"])
    ws.cell(6000, 1, "far down")
    wb.save(path)
    with pytest.raises(WorkbookRefused, match="at most 5,000 rows"):
        read_plan_workbook(path)


def test_the_file_read_is_the_file_checked(tmp_path):
    path = tmp_path / "plan.xlsx"
    delivery_plan(path)
    grid = read_plan_workbook(path)
    assert len(grid.sha256) == 64
    assert [s.name for s in grid.sheets] == ["Delivery Plan", "Lookups"]
    assert load_workbook(path).sheetnames == ["Delivery Plan", "Lookups"]
