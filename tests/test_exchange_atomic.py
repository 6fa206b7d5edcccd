"""A return is applied exactly as previewed, or not at all: property tests, injected faults,
and a process killed in the middle of an apply."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_exchange_support import answer, database_content, edit, export, memory_copy

from tracker.domain.status import Status
from tracker.exchange import layout
from tracker.exchange.errors import ExchangeError
from tracker.exchange.return_apply import apply_preview
from tracker.exchange.return_preview import EVIDENCE, STATUS, VALUE, preview_return
from tracker.store import returns
from tracker.store.database import open_store

C, IND = layout.COMMITMENTS, layout.INDICATORS
COMMITMENT_ROWS = range(2, 15)  # Essex Police: 13 commitments
INDICATOR_ROWS = range(2, 29)  # and 27 indicators


class Injected(Exception):
    pass


@pytest.fixture(scope="module")
def exported(_sample_template, tmp_path_factory):
    """One database and the Essex Police workbook exported from it, shared by the examples."""
    folder = tmp_path_factory.mktemp("atomic")
    db = folder / "tracker.db"
    shutil.copy(_sample_template, db)
    store = open_store(db, officer="Test Officer")
    path = export(store, folder)
    yield store, path, folder
    store.close()


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30) | \
    st.sampled_from(["", "  ", "=1+2", "+44 line", "-5% calls", "@home", "Done"])
statuses = st.sampled_from([s.label for s in Status]).map(str.upper) | \
    st.sampled_from(["on track", " At  risk ", "complete", "nearly", "", "done"])
dates = st.sampled_from(["31/03/2021", "1 April 2020", "31-Mar-21", "2021-02-28", "31/02/2021",
                         "next week", "", "03/31/2021"])
numbers = st.integers(-10, 200_000) | st.floats(-1, 1e6, allow_nan=False) | \
    st.sampled_from(["1,234", "45%", "abc", "", "12.5", "1.2.3"])
commitment_edit = st.tuples(st.sampled_from(list(COMMITMENT_ROWS)), st.one_of(
    st.tuples(st.just("new_status"), statuses), st.tuples(st.just("update"), texts),
    st.tuples(st.just("evidence"), texts), st.tuples(st.just("evidence_date"), dates),
    st.tuples(st.just("figure"), numbers)))
indicator_edit = st.tuples(st.sampled_from(list(INDICATOR_ROWS)), st.one_of(
    st.tuples(st.just("new_value"), numbers), st.tuples(st.just("note"), texts)))


def _state(store):
    return {
        "status": dict(store.conn.execute("SELECT id, status FROM commitment")),
        "evidence": store.conn.execute(
            "SELECT id, commitment_id, text, evidence_date, figure, position FROM evidence "
            "ORDER BY id").fetchall(),
        "values": store.conn.execute(
            "SELECT indicator_id, period, series, value, note FROM indicator_value "
            "ORDER BY indicator_id, period, series").fetchall(),
    }


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(c_edits=st.lists(commitment_edit, max_size=8), i_edits=st.lists(indicator_edit, max_size=6),
       accept_valid=st.booleans(), fail_at=st.none() | st.integers(1, 6), data=st.data())
def test_any_partner_edits_are_applied_exactly_or_refused(exported, tmp_path_factory, c_edits,
                                                          i_edits, accept_valid, fail_at, data):
    base, sent, folder = exported
    store = memory_copy(base)
    try:
        edits = {answer(C, key, row): value for row, (key, value) in c_edits}
        edits |= {answer(IND, key, row): value for row, (key, value) in i_edits}
        filled = edit(sent, folder / f"filled-{data.draw(st.uuids())}.xlsx", edits)
        before_content = database_content(store)
        before = _state(store)
        preview = preview_return(store, filled)
        assert database_content(store) == before_content  # a preview writes nothing
        bad_refs = {p.ref for p in preview.problems}
        assert not bad_refs & {c.ref for c in preview.changes}  # rows with problems left out

        def step(n):
            if fail_at is not None and n >= fail_at:
                raise Injected(n)

        try:
            result = apply_preview(store, preview, accept_valid=accept_valid, step=step,
                                   backup=False)
        except ExchangeError:
            assert preview.problems and not accept_valid
            assert database_content(store) == before_content
            event("refused: problems")
            return
        except Injected:
            assert database_content(store) == before_content  # never half-applied
            event("fault injected")
            return
        assert not (preview.problems and not accept_valid)
        assert fail_at is None or fail_at > len(preview.changes)
        event(f"applied {min(len(preview.changes), 3)}+ changes")
        after = _state(store)
        rid = result.record.id
        # Exactly the previewed statuses changed, and nothing else.
        expected_status = dict(before["status"])
        for c in preview.changes:
            if c.kind == STATUS:
                expected_status[c.payload.commitment_id] = Status(c.payload.status).value
        assert after["status"] == expected_status
        # Exactly the previewed evidence was added; older evidence untouched.
        new_ids = {r[0] for r in store.conn.execute("SELECT id FROM evidence WHERE return_id = ?",
                                                     (rid,))}
        assert [r for r in after["evidence"] if r[0] not in new_ids] == before["evidence"]
        added = Counter((r[1], r[2]) for r in after["evidence"] if r[0] in new_ids)
        assert added == Counter((c.payload.commitment_id, c.payload.item.text)
                                for c in preview.changes if c.kind == EVIDENCE)
        # Exactly the previewed values were written.
        expected_values = {(r[0], r[1], r[2]): r[3] for r in before["values"]}
        for c in preview.changes:
            if c.kind == VALUE:
                expected_values[(c.payload.indicator_id, "2020/21", "actual")] = \
                    float(c.payload.item.value)
        assert {(r[0], r[1], r[2]): r[3] for r in after["values"]} == expected_values
        # And the whole return can be taken back.
        returns.revert_return(store, rid)
        reverted = _state(store)
        assert reverted["status"] == before["status"]
        assert reverted["evidence"] == before["evidence"]
        assert reverted["values"] == before["values"]
    finally:
        store.close()


def _filled(store, tmp_path) -> Path:
    sent = export(store, tmp_path)
    return edit(sent, tmp_path / "back.xlsx", {
        answer(C, "new_status", 2): "Complete", answer(C, "new_status", 3): "At risk",
        answer(C, "evidence", 4): "Delivered", answer(C, "evidence", 5): "Also delivered",
        answer(IND, "new_value", 4): 1000, answer(IND, "new_value", 5): 2000,
    })


def test_an_exception_in_the_middle_of_an_apply_leaves_the_database_as_it_was(store, tmp_path):
    preview = preview_return(store, _filled(store, tmp_path))
    assert len(preview.changes) == 6
    before = database_content(store)

    def step(n):
        if n == 4:
            raise Injected(n)

    with pytest.raises(Injected):
        apply_preview(store, preview, step=step)
    assert database_content(store) == before
    assert apply_preview(store, preview).statuses == 2  # and it still applies afterwards


KILLER = """
import os, signal, sys
from tracker.store.database import open_store
from tracker.exchange.return_preview import preview_return
from tracker.exchange.return_apply import apply_preview

store = open_store(sys.argv[1], officer="Killed")
preview = preview_return(store, sys.argv[2])

def step(n):
    if n == 4:
        open(sys.argv[3], "w").write(f"killed after {n} changes")
        os.kill(os.getpid(), signal.SIGKILL)

apply_preview(store, preview, step=step)
print("not reached")
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_during_an_apply_leaves_the_database_as_it_was(sample_db, tmp_path):
    store = open_store(sample_db, officer="Test Officer")
    try:
        filled = _filled(store, tmp_path)
        before = database_content(store)
    finally:
        store.close()
    marker = tmp_path / "marker"
    done = subprocess.run([sys.executable, "-c", KILLER, str(sample_db), str(filled), str(marker)],
                          capture_output=True, text=True, env={**os.environ})
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert marker.read_text() == "killed after 4 changes"
    assert "not reached" not in done.stdout
    store = open_store(sample_db, officer="Test Officer")
    try:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert database_content(store) == before
        assert apply_preview(store, preview_return(store, filled)).applied
    finally:
        store.close()
