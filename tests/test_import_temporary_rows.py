"""An import, and taking one back, keep the rows they record (and their statements' journals)
in memory, not in a temporary file, and leave the connection as they found it: later
operations on the same store are still recorded and can be undone."""

from __future__ import annotations

from test_exchange_support import answer, edit, export

from tracker import ops
from tracker.exchange import layout
from tracker.exchange.return_preview import preview_return
from tracker.store.evidence import EvidenceInput

MEMORY = 2  # PRAGMA temp_store


def test_an_import_records_its_rows_in_memory_and_later_edits_are_still_recorded(
        store, tmp_path):
    commitment_id = store.execute(
        "SELECT c.id FROM commitment c JOIN priority pr ON pr.id = c.priority_id JOIN plan p "
        "ON p.id = pr.plan_id WHERE c.parent_id IS NULL AND p.state != 'closed' ORDER BY c.id "
        "LIMIT 1").fetchone()[0]
    ops.add_evidence(store, commitment_id, EvidenceInput("Before the import"))  # capture set up
    before = store.execute("PRAGMA temp_store").fetchone()[0]
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx",
                  {answer(layout.COMMITMENTS, "evidence", 3): "Opened a hub"})
    seen: list[int] = []

    result = ops.apply_return(store, preview_return(store, filled), step=lambda _n: seen.append(
        store.execute("PRAGMA temp_store").fetchone()[0]))

    assert result.value.applied and result.changes
    assert seen and set(seen) == {MEMORY}
    assert store.execute("PRAGMA temp_store").fetchone()[0] == before

    after = ops.add_evidence(store, commitment_id, EvidenceInput("After the import"))
    assert [c.table for c in after.changes].count("evidence") == 1
    texts = [r[0] for r in store.execute(
        "SELECT text FROM evidence WHERE commitment_id = ?", (commitment_id,))]
    assert "After the import" in texts
    ops.undo(store, after.op_id)
    texts = [r[0] for r in store.execute(
        "SELECT text FROM evidence WHERE commitment_id = ?", (commitment_id,))]
    assert "After the import" not in texts and "Before the import" in texts


def test_taking_a_return_back_likewise_records_in_memory_and_puts_the_setting_back(
        store, tmp_path, monkeypatch):
    from tracker.store import returns

    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx",
                  {answer(layout.COMMITMENTS, "evidence", 3): "Opened a hub"})
    imported = ops.apply_return(store, preview_return(store, filled))
    before = store.execute("PRAGMA temp_store").fetchone()[0]
    seen: list[int] = []
    revert = returns.revert_return

    def watched(own, return_id):
        seen.append(own.execute("PRAGMA temp_store").fetchone()[0])
        return revert(own, return_id)

    monkeypatch.setattr(returns, "revert_return", watched)
    reverted = ops.revert_return(store, imported.value.record.id)
    assert seen == [MEMORY] and reverted.changes
    assert store.execute("PRAGMA temp_store").fetchone()[0] == before
    assert store.execute("SELECT count(*) FROM evidence WHERE text = 'Opened a hub'"
                         ).fetchone()[0] == 0
    ops.undo(store, reverted.op_id)  # the revert was recorded: undo puts the evidence back
    assert store.execute("SELECT count(*) FROM evidence WHERE text = 'Opened a hub'"
                         ).fetchone()[0] == 1
