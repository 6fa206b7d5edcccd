"""Importing a returned workbook: tolerant reading, the preview, applying, reverting."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook
from test_exchange_support import PARTNER, ROUND, answer, column, database_content, edit, export

from tracker.domain.status import Status
from tracker.exchange import layout
from tracker.exchange.cells import CellValueError, parse_date, parse_number, parse_status
from tracker.exchange.errors import ExchangeError
from tracker.exchange.marked_copy import save_marked_copy
from tracker.exchange.return_apply import apply_preview
from tracker.exchange.return_preview import EVIDENCE, STATUS, VALUE, preview_return
from tracker.store import commitments, evidence, indicators, partners, returns
from tracker.store.indicators import ValueInput

C, IND = layout.COMMITMENTS, layout.INDICATORS


@pytest.mark.parametrize("typed", ["On track", "on track", "  ON   TRACK ", "On Track\n",
                                   "on_track", "● On track"])
def test_status_words_in_any_case_and_spacing(typed):
    assert parse_status(typed) is Status.ON_TRACK


def test_unknown_status_names_the_choices():
    with pytest.raises(CellValueError, match="Not assessed, Not started, On track"):
        parse_status("Going well")


@pytest.mark.parametrize("typed", ["31/03/2022", "31/3/22", "31 March 2022", "31 Mar 2022",
                                   "31-Mar-22", "31st March 2022", "2022-03-31", "31.03.2022",
                                   "31 March, 2022"])
def test_uk_text_dates(typed):
    assert parse_date(typed, today=date(2022, 6, 1)) == date(2022, 3, 31)


@pytest.mark.parametrize("typed", ["03/31/2022", "31/02/2022", "soon", "2022"])
def test_text_that_is_not_a_uk_date_is_refused(typed):
    with pytest.raises(CellValueError):
        parse_date(typed, today=date(2022, 6, 1))


@pytest.mark.parametrize(("typed", "number"), [("1,234", 1234), ("52,732.5", 52732.5),
                                               ("45%", 45), (" 12 ", 12), ("£1,000", 1000),
                                               (7, 7), (0.5, 0.5), ("1 234", 1234)])
def test_numbers_with_separators_and_signs(typed, number):
    assert parse_number(typed) == number


def test_a_percentage_typed_into_excel_reads_back_as_per_cent():
    assert parse_number(0.45, "0%", percent=True) == 45
    assert parse_number(0.45, "0%", percent=False) == 0.45


@pytest.mark.parametrize("typed", ["n/a", "12a", "1.234,5", "1,23", True])
def test_things_that_are_not_numbers(typed):
    with pytest.raises(CellValueError):
        parse_number(typed)


def test_preview_lists_each_change_and_writes_nothing(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "  at RISK ",
        answer(C, "update", 2): "Recruitment delayed",
        answer(C, "evidence", 3): "Opened two new front counters",
        answer(C, "evidence_date", 3): "31-Mar-21",
        answer(C, "figure", 3): "1,250",
        answer(C, "update", 4): "Work continues with partners",
        answer(IND, "new_value", 2): "81%",
        answer(IND, "new_value", 4): "12,345",
        answer(IND, "note", 4): "Provisional",
    })
    before = database_content(store)
    preview = preview_return(store, filled)
    assert database_content(store) == before
    assert preview.partner_name == PARTNER and preview.round == ROUND
    assert not preview.problems
    kinds = [(c.kind, c.cell) for c in preview.changes]
    assert kinds == [
        (STATUS, f"{column(C, 'new_status')}2"),
        (EVIDENCE, f"{column(C, 'evidence')}3"),
        (EVIDENCE, f"{column(C, 'update')}4"),
        (VALUE, f"{column(IND, 'new_value')}2"),
        (VALUE, f"{column(IND, 'new_value')}4"),
    ]
    status = preview.changes[0]
    assert (status.before, status.after) == ("Not assessed", "At risk")
    assert status.payload.reason == "Recruitment delayed"
    assert preview.changes[1].after == "Opened two new front counters (31/03/2021) [figure 1,250]"
    assert preview.changes[3].after == "81"
    assert preview.changes[4].after == "12,345"


def test_apply_writes_every_change_with_the_return_and_records_it(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "Complete",
        answer(C, "evidence", 3): "-5% fewer calls, said the partner",
        answer(C, "evidence_date", 3): "31/03/2021",
        answer(IND, "new_value", 2): 81,
    })
    ws = load_workbook(sent)[C]
    first = commitments.find_commitment_by_uid(store, _uid_of(sent, "C001"))
    third = commitments.find_commitment_by_uid(store, _uid_of(sent, "C002"))  # row 3
    assert ws["A2"].value == "C001"
    result = apply_preview(store, preview_return(store, filled))
    record = result.record
    assert (result.statuses, result.evidence, result.values) == (1, 1, 1)
    assert commitments.get_commitment(store, first.id).status is Status.COMPLETE
    history = commitments.status_history(store, first.id)[0]
    assert history.to_status is Status.COMPLETE and "Reported by Essex Police" in history.reason
    added = evidence.list_evidence(store, third.id)[-1]
    assert added.text == "-5% fewer calls, said the partner"
    assert added.evidence_date == "2021-03-31" and added.partner_name == PARTNER
    assert added.period == ROUND and added.visibility.value == "internal"
    rows = store.execute("SELECT count(*) FROM evidence WHERE return_id = ?", (record.id,))
    assert rows.fetchone()[0] == 1
    assert store.execute("SELECT count(*) FROM status_change WHERE return_id = ?",
                         (record.id,)).fetchone()[0] == 1
    assert store.execute("SELECT value FROM indicator_value WHERE return_id = ?",
                         (record.id,)).fetchone()[0] == 81
    assert record.file_name == "back.xlsx" and len(record.sha256) == 64
    assert record.imported_by == "Test Officer" and record.imported_at
    assert record.counts["evidence"] == 1 and record.counts["statuses"] == 1
    states = {s.partner_name: s for s in returns.round_status(store, ROUND)}
    assert states[PARTNER].state == "back" and states[PARTNER].return_id == record.id


def _uid_of(path, ref):
    wb = load_workbook(path)
    for row in wb[layout.HIDDEN].iter_rows(values_only=True):
        if row[0] == ref:
            return row[2]
    raise AssertionError(ref)


def _what_a_revert_puts_back(store) -> dict:
    """The evidence, the indicator values and each commitment's status, as rows."""
    content = database_content(store)
    return {"evidence": content["evidence"], "indicator_value": content["indicator_value"],
            "statuses": [(r[0], r[7]) for r in content["commitment"]]}  # (id, status)


def test_revert_takes_back_the_whole_return(store, tmp_path):
    sent = export(store, tmp_path)
    partner = partners.find_partner(store, PARTNER)
    row = next(r for r in returns.partner_indicator_rows(store, partner.id, ROUND)
               if r.current_value is not None)
    ref = next(r[0] for r in load_workbook(sent)[layout.HIDDEN].iter_rows(values_only=True)
               if r[2] == row.uid)
    line = int(ref[1:]) + 1
    filled = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "On track",
        answer(C, "evidence", 5): "New evidence",
        answer(IND, "new_value", line): 99999,
        answer(IND, "new_value", 2): 55,
    })
    before = _what_a_revert_puts_back(store)
    result = apply_preview(store, preview_return(store, filled))
    assert database_content(store)["indicator_value"] != before["indicator_value"]
    reverted = returns.revert_return(store, result.record.id)
    assert (reverted.evidence_removed, reverted.statuses_restored, reverted.values_restored) \
        == (1, 1, 2)
    assert _what_a_revert_puts_back(store) == before
    assert returns.get_return(store, result.record.id).reverted_at
    with pytest.raises(Exception, match="already reverted"):
        returns.revert_return(store, result.record.id)
    # Reverted, the same file may come in again.
    again = apply_preview(store, preview_return(store, filled))
    assert again.applied and again.record.id != result.record.id


def _filled_for_revert(store, tmp_path):
    sent = export(store, tmp_path)
    return edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "On track", answer(C, "new_status", 4): "At risk",
        answer(C, "evidence", 5): "New evidence", answer(IND, "new_value", 2): 55})


def test_an_import_lists_only_its_indicator_values_in_return_change(store, tmp_path):
    result = apply_preview(store, preview_return(store, _filled_for_revert(store, tmp_path)))
    assert (result.statuses, result.evidence, result.values) == (2, 1, 1)
    listed = store.execute("SELECT kind FROM return_change WHERE return_id = ?",
                           (result.record.id,)).fetchall()
    assert listed == [("value_added",)]  # evidence and statuses: found by their return's id
    assert store.execute("SELECT lists_every_change FROM partner_return WHERE id = ?",
                         (result.record.id,)).fetchone()[0] == 0


def test_an_import_recorded_before_schema_8_is_taken_back_from_its_full_list(store, tmp_path):
    before = _what_a_revert_puts_back(store)
    result = apply_preview(store, preview_return(store, _filled_for_revert(store, tmp_path)))
    return_id = result.record.id
    # As an earlier version recorded it: every change listed, after the values.
    listed = [("evidence_added", uid, None, json.dumps({"updated_at": stamp}))
              for uid, stamp in store.execute("SELECT uid, updated_at FROM evidence "
                                              "WHERE return_id = ?", (return_id,))]
    listed += [("status_changed", uid, json.dumps({"status": old}), json.dumps({"status": new}))
               for uid, old, new in store.execute(
                   "SELECT c.uid, s.from_status, s.to_status FROM status_change s JOIN commitment "
                   "c ON c.id = s.commitment_id WHERE s.return_id = ?", (return_id,))]
    with store.transaction():
        for seq, (kind, uid, old, new) in enumerate(listed, start=2):
            store.execute("INSERT INTO return_change (id, return_id, seq, kind, target_uid, "
                          "before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          (10_000 + seq, return_id, seq, kind, uid, old, new))
        store.execute("UPDATE partner_return SET lists_every_change = 1 WHERE id = ?",
                      (return_id,))
    reverted = returns.revert_return(store, return_id)
    # Each change taken back once: a status listed and also found by its return's id would
    # have been refused the second time (no longer the status the return gave).
    assert (reverted.evidence_removed, reverted.statuses_restored, reverted.values_restored) \
        == (1, 2, 1)
    assert _what_a_revert_puts_back(store) == before


def test_revert_refuses_when_the_tracker_changed_the_item_since(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "new_status", 2): "On track",
                                                 answer(C, "evidence", 3): "Something"})
    result = apply_preview(store, preview_return(store, filled))
    cid = commitments.find_commitment_by_uid(store, _uid_of(sent, "C001")).id
    commitments.set_status(store, cid, Status.AT_RISK, "Officer's own view")
    before = database_content(store)
    with pytest.raises(returns.ReturnConflictError, match="changed status since"):
        returns.revert_return(store, result.record.id)
    assert database_content(store) == before


def test_revert_refuses_when_its_evidence_or_value_was_changed_since_and_writes_nothing(
        store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "evidence", 3): "Something",
                                                 answer(IND, "new_value", 2): 55})
    result = apply_preview(store, preview_return(store, filled))
    added = store.execute("SELECT id, text FROM evidence WHERE return_id = ?",
                          (result.record.id,)).fetchone()
    evidence.update_evidence(store, added[0], evidence.EvidenceInput(added[1] + " (checked)"))
    before = database_content(store)
    with pytest.raises(returns.ReturnConflictError, match="edited since"):
        returns.revert_return(store, result.record.id)
    assert database_content(store) == before

    evidence.delete_evidence(store, added[0])  # gone since: nothing of it to take back
    value = store.execute("SELECT id FROM indicator_value WHERE return_id = ?",
                          (result.record.id,)).fetchone()[0]
    store.execute("UPDATE indicator_value SET value = 56, updated_at = '2030-01-01' WHERE id = ?",
                  (value,))
    before = database_content(store)
    with pytest.raises(returns.ReturnConflictError, match="value this return wrote"):
        returns.revert_return(store, result.record.id)
    assert database_content(store) == before


def test_the_same_file_twice_changes_nothing(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "evidence", 2): "Delivered"})
    first = apply_preview(store, preview_return(store, filled))
    before = database_content(store)
    preview = preview_return(store, filled)
    assert preview.duplicate_of.id == first.record.id
    second = apply_preview(store, preview)
    assert not second.applied and "already imported" in second.message
    assert database_content(store) == before


def test_another_file_for_the_same_export_is_blocked_until_the_first_is_reverted(store, tmp_path):
    sent = export(store, tmp_path)
    one = edit(sent, tmp_path / "one.xlsx", {answer(C, "evidence", 2): "First"})
    two = edit(sent, tmp_path / "two.xlsx", {answer(C, "evidence", 2): "Second"})
    first = apply_preview(store, preview_return(store, one))
    preview = preview_return(store, two)
    assert "Revert that return first" in preview.blocked
    with pytest.raises(ExchangeError, match="already imported"):
        apply_preview(store, preview)
    returns.revert_return(store, first.record.id)
    assert apply_preview(store, preview_return(store, two)).applied


def test_rows_resorted_and_blank_rows_added_are_read_by_their_ref(store, tmp_path):
    sent = export(store, tmp_path)

    def shuffle(wb):
        ws = wb[C]
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        rows.reverse()
        for n, values in enumerate(rows):
            target = 2 + n * 2  # a blank row between every two
            for m, value in enumerate(values, start=1):
                ws.cell(target, m).value = value
                ws.cell(target + 1, m).value = None
        last = rows[0]
        assert last[0] == "C013"
        ws.cell(2, [c.key for c in layout.COMMITMENT_COLUMNS].index("new_status") + 1).value = \
            "Off track"

    filled = edit(sent, tmp_path / "back.xlsx", change=shuffle)
    preview = preview_return(store, filled)
    assert not preview.problems
    (change,) = preview.changes
    assert change.ref == "C013" and change.after == "Off track"
    assert change.payload.commitment_id == commitments.find_commitment_by_uid(
        store, _uid_of(sent, "C013")).id


def test_formula_counts_by_its_saved_value_and_without_one_is_an_error(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(IND, "new_value", 2): "=40+41",
                                                 answer(IND, "new_value", 4): 500})
    _save_cached_value(filled, "Indicators", f"{column(IND, 'new_value')}2", None)
    preview = preview_return(store, filled)
    (problem,) = preview.problems
    assert (problem.sheet, problem.cell) == (IND, f"{column(IND, 'new_value')}2")
    assert "formula with no saved result" in problem.message
    assert [c.cell for c in preview.changes] == [f"{column(IND, 'new_value')}4"]

    cached = edit(sent, tmp_path / "cached.xlsx", {answer(IND, "new_value", 2): "=40+41"})
    _save_cached_value(cached, "Indicators", f"{column(IND, 'new_value')}2", "81")
    preview = preview_return(store, cached)
    assert not preview.problems
    assert [(c.cell, c.after) for c in preview.changes] == [(f"{column(IND, 'new_value')}2", "81")]


def _save_cached_value(path, sheet_name, coordinate, value):
    """Rewrite the sheet XML as a spreadsheet program would: formula plus its saved result."""
    import re
    import shutil
    import zipfile

    index = ["Instructions", "Commitments", "Indicators"].index(sheet_name) + 1
    member = f"xl/worksheets/sheet{index}.xml"
    tmp = path.with_suffix(".tmp")
    shutil.move(path, tmp)
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == member:
                text = data.decode()
                pattern = re.compile(rf'(<c r="{coordinate}"[^>]*>)(<f>[^<]*</f>)(<v>[^<]*</v>|<v\s*/>)?')
                assert pattern.search(text), text[:500]
                saved = f"<v>{value}</v>" if value is not None else ""
                text = pattern.sub(lambda m, saved=saved: m.group(1) + m.group(2) + saved, text)
                data = text.encode()
            dst.writestr(item, data)
    tmp.unlink()


def test_problems_are_named_by_sheet_and_cell_and_their_rows_are_left_out(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "Nearly there",
        answer(C, "evidence", 2): "Good evidence on a bad row",
        answer(C, "evidence_date", 3): "soon",
        answer(C, "evidence", 3): "x",
        answer(C, "figure", 4): "12",
        answer(C, "evidence", 5): "Fine row",
        answer(IND, "new_value", 2): "lots",
        answer(IND, "note", 3): "a note with no value",
        answer(IND, "new_value", 4): -5,
        ("Commitments", "A6"): "C999",
    })
    ws = load_workbook(filled)[C]
    ws_answer = f"{column(C, 'evidence')}6"
    assert ws[ws_answer].value is None
    edit(filled, filled, {(C, ws_answer): "answer under a bad ref"})
    preview = preview_return(store, filled)
    cells = {(p.sheet, p.cell) for p in preview.problems}
    assert cells == {
        (C, f"{column(C, 'new_status')}2"), (C, f"{column(C, 'evidence_date')}3"),
        (C, f"{column(C, 'figure')}4"), (C, "A6"), (IND, f"{column(IND, 'new_value')}2"),
        (IND, f"{column(IND, 'note')}3"), (IND, f"{column(IND, 'new_value')}4"),
    }
    assert [c.ref for c in preview.changes] == ["C004"]
    before = database_content(store)
    with pytest.raises(ExchangeError, match="7 problem"):
        apply_preview(store, preview)
    assert database_content(store) == before
    result = apply_preview(store, preview, accept_valid=True)
    assert result.evidence == 1 and result.skipped == 7
    marked = save_marked_copy(filled, preview.problems, tmp_path / "marked.xlsx")
    wb = load_workbook(marked)
    for sheet, cell in cells:
        assert wb[sheet][cell].comment is not None
        assert wb[sheet][cell].fill.fgColor.rgb.endswith("FFC7CE")
    assert "not a status" in wb[C][f"{column(C, 'new_status')}2"].comment.text
    assert wb[layout.HIDDEN].sheet_state == "veryHidden"
    assert load_workbook(filled)[C][f"{column(C, 'new_status')}2"].comment is None


def test_conflicts_are_shown_and_left_out_unless_accepted(store, tmp_path):
    sent = export(store, tmp_path)
    partner = partners.find_partner(store, PARTNER)
    first = returns.partner_commitments(store, partner.id)[0]
    ind = returns.partner_indicator_rows(store, partner.id, ROUND)[1]
    commitments.set_status(store, first.id, Status.AT_RISK, "Changed by the office")
    indicators.set_value(store, ind.indicator_id, ValueInput("2020/21", 7))
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "new_status", 2): "Complete",
                                                 answer(IND, "new_value", 3): 8,
                                                 answer(C, "evidence", 3): "Unrelated"})
    preview = preview_return(store, filled)
    assert len(preview.conflicts) == 2
    assert "Not assessed when sent and is now At risk" in preview.conflicts[0].conflict
    assert not any(c.accepted for c in preview.conflicts)
    result = apply_preview(store, preview)
    assert (result.statuses, result.values, result.evidence, result.skipped) == (0, 0, 1, 2)
    assert commitments.get_commitment(store, first.id).status is Status.AT_RISK
    returns.revert_return(store, result.record.id)
    preview = preview_return(store, filled)
    for change in preview.conflicts:
        change.accepted = True
    result = apply_preview(store, preview)
    assert commitments.get_commitment(store, first.id).status is Status.COMPLETE
    assert indicators.list_values(store, ind.indicator_id)[-1].value == 8


def test_a_change_in_the_tracker_between_preview_and_apply_stops_the_apply(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "new_status", 2): "Complete",
                                                 answer(C, "evidence", 3): "Also this"})
    preview = preview_return(store, filled)
    cid = preview.changes[0].payload.commitment_id
    commitments.set_status(store, cid, Status.AT_RISK, "Meanwhile")
    before = database_content(store)
    with pytest.raises(returns.ReturnConflictError, match="changed in the tracker"):
        apply_preview(store, preview)
    assert database_content(store) == before


def test_values_for_a_per_cent_indicator_must_be_between_0_and_100(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {answer(IND, "new_value", 2): 140})
    (problem,) = preview_return(store, filled).problems
    assert problem.cell == f"{column(IND, 'new_value')}2" and "between 0 and 100" in problem.message

