"""Review findings in the exchange layer."""

from __future__ import annotations

import gc
import sys

import pytest
from openpyxl import load_workbook

from tracker.exchange.errors import ExchangeError
from tracker.exchange.plan_workbook import export_plan_workbook


@pytest.mark.parametrize("where", ["missing/plan.xlsx", "."])
def test_export_plan_to_an_unwritable_place_says_so_in_one_line(store, tmp_path, monkeypatch, where):
    noise = []
    monkeypatch.setattr(sys, "unraisablehook", noise.append)
    out = tmp_path / where
    with pytest.raises(ExchangeError, match="Cannot write"):
        export_plan_workbook(store, out)
    gc.collect()
    assert noise == []  # no "Exception ignored ... LxmlSyntaxError" wall after the message


def test_import_plan_with_a_damaged_format_version_is_refused_in_words(store, tmp_path):
    from openpyxl import load_workbook

    from tracker.exchange.errors import WorkbookRefused
    from tracker.exchange.plan_workbook import ABOUT, import_plan_workbook
    from tracker.store.database import open_memory_store

    path = tmp_path / "plan.xlsx"
    export_plan_workbook(store, path)
    wb = load_workbook(path)
    for row in wb[ABOUT].iter_rows():
        if row[0].value == "format_version":
            row[1].value = "one"
    wb.save(path)
    copy = open_memory_store()
    try:
        with pytest.raises(WorkbookRefused, match="format_version 'one' is not a number"):
            import_plan_workbook(copy, path)
    finally:
        copy.close()


def test_two_partners_whose_names_make_the_same_file_name_get_a_workbook_each(store, tmp_path):
    from tracker.exchange.return_export import export_round
    from tracker.store import commitments, partners, plans

    plan = plans.default_plan(store)
    priority = plans.list_priorities(store, plan.id)[0]
    names = ["Thurrock CSP", "Thurrock-CSP", "thurrock csp"]
    for name in names:
        partner_id = partners.add_partner(store, name)
        commitment_id = commitments.add_commitment(store, priority.id, f"We will work with {name}")
        partners.set_commitment_partners(store, commitment_id, [partner_id])
    written = export_round(store, "2021/22 Q2", tmp_path)
    ours = [w for w in written if w.partner_name in names]
    assert len(ours) == 3
    assert len({str(w.path).lower() for w in ours}) == 3  # distinct, even where case is ignored
    for w in ours:
        wb = load_workbook(w.path, read_only=True)
        texts = [r[3] for r in wb["Commitments"].iter_rows(min_row=2, values_only=True)]
        wb.close()
        assert texts == [f"We will work with {w.partner_name}"]
