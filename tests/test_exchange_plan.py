"""The whole-plan workbook: export, import into an empty database, export again: same cells."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from tracker.exchange.errors import ExchangeError
from tracker.exchange.plan_workbook import ABOUT, export_plan_workbook, import_plan_workbook
from tracker.store import plans, transfer
from tracker.store.database import open_memory_store


def _cells(path):
    wb = load_workbook(path, read_only=True)
    found = {}
    for name in wb.sheetnames:
        rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
        if name == ABOUT:
            rows = [r for r in rows if r[0] not in ("exported_at", "exported_by")]
        found[name] = rows
    wb.close()
    return found


def test_export_import_export_gives_the_same_cells(store, tmp_path):
    first = tmp_path / "plan.xlsx"
    counts = export_plan_workbook(store, first)
    assert counts["commitment"] == 149 and counts["evidence"] == 319
    copy = open_memory_store("Someone Else")
    try:
        loaded = import_plan_workbook(copy, first)
        assert loaded == counts
        second = tmp_path / "again.xlsx"
        export_plan_workbook(copy, second)
        assert _cells(first) == _cells(second)
        # The copy is a working database, not just the same cells.
        original = plans.plan_tree(store, plans.default_plan(store).id)
        again = plans.plan_tree(copy, plans.default_plan(copy).id)
        assert again.counts.counts == original.counts.counts
        assert [p.priority.title for p in again.priorities] == \
            [p.priority.title for p in original.priorities]
        assert copy.execute("SELECT count(*) FROM evidence_fts WHERE evidence_fts MATCH "
                            "'domestic'").fetchone()[0] > 0
    finally:
        copy.close()


def test_every_table_is_in_the_workbook(store, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_plan_workbook(store, path)
    wb = load_workbook(path, read_only=True)
    assert len(wb.sheetnames) == 1 + len(transfer.TABLES)
    ws = wb["Commitment"]
    heads = next(ws.iter_rows(values_only=True))
    assert heads[:3] == ("uid", "priority_uid", "parent_uid")


def test_import_refuses_a_database_that_already_holds_a_plan(store, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_plan_workbook(store, path)
    with pytest.raises(ExchangeError, match="only into an empty database"):
        import_plan_workbook(store, path)


def test_a_broken_reference_names_its_cell_and_nothing_is_loaded(store, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_plan_workbook(store, path)
    wb = load_workbook(path)
    wb["Priority"]["B5"] = "no-such-plan"
    wb.save(path)
    copy = open_memory_store()
    try:
        with pytest.raises(ExchangeError, match=r"Priority!B5: this row points at a plan"):
            import_plan_workbook(copy, path)
        assert transfer.is_empty(copy)
        assert copy.execute("SELECT count(*) FROM partner").fetchone()[0] == 0
    finally:
        copy.close()


def test_a_bad_value_names_its_row_and_nothing_is_loaded(store, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_plan_workbook(store, path)
    wb = load_workbook(path)
    wb["Commitment"]["G3"] = "finished-ish"  # status
    wb.save(path)
    copy = open_memory_store()
    try:
        with pytest.raises(ExchangeError, match=r"^Commitment!G3: this row has 'finished-ish' "
                           r"under status, which must be one of: not_assessed, .*, discontinued; "
                           r"nothing was loaded\.$"):
            import_plan_workbook(copy, path)
        assert transfer.is_empty(copy)
    finally:
        copy.close()


def test_a_return_workbook_is_not_a_plan_workbook(store, tmp_path):
    from test_exchange_support import export

    sent = export(store, tmp_path)
    with pytest.raises(ExchangeError, match="not a whole-plan workbook"):
        import_plan_workbook(open_memory_store(), sent)
