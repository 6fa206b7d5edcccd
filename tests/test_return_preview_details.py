"""The preview shows everything the officer approves: the partner's reason, the whole evidence
text, its figure and date, and for a conflict what changed in the tracker since and by whom;
a change a return made says which return in the history."""

from __future__ import annotations

from test_exchange_support import PARTNER, ROUND, answer, edit, export

from tracker import ops
from tracker.cli import main
from tracker.domain.status import Status
from tracker.exchange import layout
from tracker.exchange.return_preview import EVIDENCE, STATUS, VALUE, preview_return
from tracker.store import commitments, partners, returns
from tracker.store.indicators import ValueInput

C, IND = layout.COMMITMENTS, layout.INDICATORS
LONG = ("Hotspot patrols ran in all ten districts through the summer, with the night-time "
        "economy covered on Friday and Saturday nights; the partnership reviewed the results "
        "each month and moved patrols where anti-social behaviour rose. " * 2).strip()


def test_reason_full_text_figure_and_date_are_in_the_preview(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "On track",
        answer(C, "update", 2): "Recruitment is on plan for the year.",
        answer(C, "evidence", 3): LONG,
        answer(C, "evidence_date", 3): "30/09/2021",
        answer(C, "figure", 3): 1250,
        answer(IND, "new_value", 2): 81,
        answer(IND, "note", 2): "Provisional until the ONS release.",
    })
    preview = preview_return(store, filled)
    by_kind = {c.kind: c for c in preview.changes}
    status, added, value = by_kind[STATUS], by_kind[EVIDENCE], by_kind[VALUE]
    assert status.reason == "Recruitment is on plan for the year."
    assert ("Reason", "Recruitment is on plan for the year.") in status.details()
    assert added.cut_short and "…" in added.after and ("Evidence", LONG) in added.details()
    assert ("Date", "30/09/2021") in added.details() and ("Figure", "1,250") in added.details()
    assert ("Note", "Provisional until the ONS release.") in value.details()


def test_a_conflict_says_what_changed_since_the_export_and_by_whom(store, tmp_path, monkeypatch):
    sent = export(store, tmp_path)
    partner = partners.find_partner(store, PARTNER)
    first = returns.partner_commitments(store, partner.id)[0]
    ind = returns.partner_indicator_rows(store, partner.id, ROUND)[1]
    store.officer = "Priya Shah"
    ops.set_status(store, first.id, Status.AT_RISK, "The recruitment campaign slipped")
    ops.add_values(store, ind.indicator_id, [ValueInput(ind.period, 7)])
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "new_status", 2): "Complete",
                                                 answer(IND, "new_value", 3): 8})
    status, value = preview_return(store, filled).conflicts
    [line] = status.since
    assert line.endswith(", Priya Shah: Not assessed → At risk. The recruitment campaign slipped")
    [touched] = value.since
    assert ", Priya Shah: " in touched
    assert ("Since the export", line) in status.details()


def test_the_command_line_preview_prints_the_reason_and_what_changed_since(store, sample_db,
                                                                            tmp_path, capsys):
    sent = export(store, tmp_path)
    partner = partners.find_partner(store, PARTNER)
    second = returns.partner_commitments(store, partner.id)[1]
    store.officer = "Priya Shah"
    ops.set_status(store, second.id, Status.OFF_TRACK, "Funding withdrawn")
    store.close()
    filled = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "On track",
        answer(C, "update", 2): "Recruitment is on plan for the year.",
        answer(C, "new_status", 3): "Complete",
        answer(C, "evidence", 4): LONG})
    assert main(["import-return", str(filled), "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert "      reason: Recruitment is on plan for the year." in out
    assert "      evidence: " + LONG[:80] in out
    assert "since the export: " in out and "Priya Shah: Not assessed → Off track. Funding withdrawn" \
        in " ".join(out.split())


def test_the_history_says_which_return_made_a_change(store, tmp_path):
    sent = export(store, tmp_path)
    partner = partners.find_partner(store, PARTNER)
    first = returns.partner_commitments(store, partner.id)[0]
    filled = edit(sent, tmp_path / "back.xlsx", {answer(C, "new_status", 2): "Complete",
                                                 answer(C, "update", 2): "Delivered in full."})
    ops.apply_return(store, preview_return(store, filled))
    [change] = [h for h in commitments.status_history(store, first.id) if h.return_partner]
    assert change.source == f"{PARTNER}'s {ROUND} return"
    line = ops.history_of(store, first.id)[0]
    assert line.origin == f"from {PARTNER}'s {ROUND} return"


def test_the_import_dialog_shows_the_selected_change_in_full(qtbot, store, tmp_path):
    from tracker.ui.returns import ImportReturnDialog

    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "On track",
        answer(C, "update", 2): "Recruitment is on plan for the year.",
        answer(C, "evidence", 3): LONG, answer(C, "figure", 3): 1250})
    dialog = ImportReturnDialog(store, filled)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.running and dialog.changes.rowCount() == 2)
    rows = {dialog.changes.change(r).kind: r for r in range(2)}
    assert dialog.changes.index(rows[STATUS], 8).data() == "Recruitment is on plan for the year."
    dialog.changes_view.setCurrentIndex(dialog.changes.index(rows[EVIDENCE], 1))
    shown = dialog.details.text_shown()
    assert LONG in " ".join(shown.split()) and "1,250" in shown
    dialog.changes_view.setCurrentIndex(dialog.changes.index(rows[STATUS], 1))
    assert "Reason" in dialog.details.text_shown()
    assert "Recruitment is on plan for the year." in dialog.details.text_shown()
