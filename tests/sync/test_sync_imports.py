"""A partner's return imported on one laptop reaches the others through team sync, and so
does its undo (the import logs a touched commitment by its changed columns alone)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sync_helpers import content, create_team

from tracker import ops
from tracker.exchange import layout
from tracker.exchange.return_export import export_partner
from tracker.exchange.return_preview import preview_return
from tracker.store import partners

ROUND = "2020/21 Q4"


@pytest.fixture
def team(_sample_template, tmp_path):
    return create_team(_sample_template, tmp_path, str(tmp_path / "share"), ["Alice", "Bob"])


def _filled_return(store, folder):
    partner = partners.find_partner(store, "Essex Police")
    sent = export_partner(store, partner.id, ROUND, folder).path
    keys = [c.key for c in layout.COMMITMENT_COLUMNS]
    wb = load_workbook(sent)
    sheet = wb[layout.COMMITMENTS]
    sheet[f"{get_column_letter(keys.index('new_status') + 1)}2"] = "Complete"
    sheet[f"{get_column_letter(keys.index('evidence') + 1)}3"] = "Two new counters opened"
    filled = folder / "back.xlsx"
    wb.save(filled)
    return filled


def test_an_import_and_its_undo_reach_the_other_laptop(team, tmp_path):
    alice, bob = team
    with alice.store() as s:
        imported = ops.apply_return(s, preview_return(s, _filled_return(s, tmp_path)))
        assert any(c.partial for c in imported.changes if c.table == "commitment")
    alice.sync()
    bob.sync()
    assert bob.one("SELECT count(*) FROM evidence WHERE text = 'Two new counters opened'") == 1
    assert bob.one("SELECT count(*) FROM status_change WHERE to_status = 'complete' AND "
                   "return_id IS NOT NULL") == 1
    assert content(alice.path) == content(bob.path)
    assert bob.one("SELECT count(*) FROM activity WHERE origin = 'sync' AND changes LIKE "
                   "'%Two new counters opened%'") == 1
    with alice.store() as s:
        ops.undo(s, imported.short_id)
    alice.sync()
    bob.sync()
    assert bob.one("SELECT count(*) FROM evidence WHERE text = 'Two new counters opened'") == 0
    assert content(alice.path) == content(bob.path)
