"""Team sync merges field by field: what each laptop ends with, and what waits for review."""

from __future__ import annotations

import pytest
from sync_helpers import checks, content, create_team, open_plan_commitments

from tracker import ops
from tracker.domain.status import Status
from tracker.ops.log import LogFilter
from tracker.ops.team import resolve_conflict as resolve
from tracker.store import commitments, evidence, indicators
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput
from tracker.store.search import search
from tracker.sync import conflicts as conflict_store
from tracker.sync.errors import ConflictError


@pytest.fixture
def team(_sample_template, tmp_path):
    return create_team(_sample_template, tmp_path, str(tmp_path / "share"),
                       ["Alice", "Bob", "Carol"])


def waiting(laptop):
    with laptop.store() as s:
        return conflict_store.waiting(s.conn)


def settle(*laptops):
    for _ in range(2):
        for laptop in laptops:
            laptop.sync()


def test_different_fields_of_one_row_never_conflict(team):
    alice, bob, carol = team
    c = open_plan_commitments(alice)[0]
    with alice.store() as s:
        commitments.update_commitment(s, c, lead="DCI Hart")
    with bob.store() as s:
        commitments.update_commitment(s, c, text="We will publish the rural crime strategy")
    with carol.store() as s:
        commitments.set_status(s, c, Status.ON_TRACK, "strategy agreed")
    for laptop in team:
        laptop.sync()
    settle(*team)
    for laptop in team:
        assert waiting(laptop) == []
        assert laptop.query("SELECT lead, text, status FROM commitment WHERE id = ?", (c,)) == [
            ("DCI Hart", "We will publish the rural crime strategy", "on_track")]
    assert content(alice.path) == content(bob.path) == content(carol.path)


def test_one_field_changed_two_ways_waits_for_review_on_the_laptop_that_synced_last(team):
    alice, bob, carol = team
    c = open_plan_commitments(alice)[0]
    before = alice.one("SELECT lead FROM commitment WHERE id = ?", (c,))
    with alice.store() as s:
        commitments.update_commitment(s, c, lead="DCI Hart")
    with bob.store() as s:
        commitments.update_commitment(s, c, lead="Supt Okafor")
    assert alice.sync().summary() == "pushed 1 change, pulled 0, 0 conflicts wait for review"
    result = bob.sync()
    assert result.summary() == "pushed 0 changes, pulled 1, 1 conflict waits for review"
    [conflict] = waiting(bob)
    assert (conflict.label, conflict.base, conflict.mine, conflict.theirs, conflict.theirs_by) == (
        "commitment.lead", before, "Supt Okafor", "DCI Hart", "Alice")
    assert waiting(alice) == [] and waiting(carol) == []
    settle(*team)
    # The team's value stands everywhere while Bob's waits in the list.
    for laptop in team:
        assert laptop.one("SELECT lead FROM commitment WHERE id = ?", (c,)) == "DCI Hart"
    with bob.store() as s:
        done = resolve(s, conflict.number, keep="mine")
        logged = ops.log_entries(s, limit=1)[0]
    assert done.changed and (logged.kind, logged.who, logged.origin) == (
        "resolve_conflict", "Bob", "script")
    assert waiting(bob) == []
    settle(*team)
    for laptop in team:
        assert laptop.one("SELECT lead FROM commitment WHERE id = ?", (c,)) == "Supt Okafor"
    assert content(alice.path) == content(bob.path) == content(carol.path)


def test_a_field_a_colleague_changed_and_changed_back_is_not_a_conflict(team):
    alice, bob, _carol = team
    c = open_plan_commitments(alice)[0]
    original = alice.one("SELECT lead FROM commitment WHERE id = ?", (c,))
    with alice.store() as s:
        commitments.update_commitment(s, c, lead="Temporary")
    alice.sync()
    with alice.store() as s:
        commitments.update_commitment(s, c, lead=original)
    alice.sync()
    with bob.store() as s:
        commitments.update_commitment(s, c, lead="Bob's lead")
    bob.sync()
    assert waiting(bob) == []
    alice.sync()
    assert alice.one("SELECT lead FROM commitment WHERE id = ?", (c,)) == "Bob's lead"


def test_a_status_conflict_is_resolved_as_a_status_change_with_its_history(team):
    alice, bob, _carol = team
    c = open_plan_commitments(alice)[1]
    with alice.store() as s:
        commitments.set_status(s, c, Status.ON_TRACK, "milestones met")
    with bob.store() as s:
        commitments.set_status(s, c, Status.AT_RISK, "funding unclear")
    alice.sync()
    bob.sync()
    [conflict] = waiting(bob)
    assert (conflict.field, conflict.mine, conflict.theirs) == ("status", "at_risk", "on_track")
    with bob.store() as s:
        resolve(s, conflict.number, value="Off track")
        history = commitments.status_history(s, c)
    assert history[0].to_status is Status.OFF_TRACK and history[0].changed_by == "Bob"
    assert "Sync conflict" in history[0].reason
    settle(alice, bob)
    assert alice.one("SELECT status FROM commitment WHERE id = ?", (c,)) == "off_track"
    # Both officers' own changes stay in the history, each under its author's name.
    who = {r[0] for r in alice.query("SELECT changed_by FROM status_change WHERE commitment_id = ?",
                                     (c,))}
    assert {"Alice", "Bob"} <= who


def test_evidence_deleted_by_a_colleague_while_edited_here_can_be_put_back(team):
    alice, bob, _carol = team
    c = open_plan_commitments(alice)[0]
    with alice.store() as s:
        e = evidence.add_evidence(s, c, EvidenceInput("Rural crime survey published"))
    settle(alice, bob)
    with alice.store() as s:
        evidence.delete_evidence(s, e)
    with bob.store() as s:
        evidence.update_evidence(s, e, EvidenceInput("Rural crime survey published, 812 replies",
                                                     figure=812))
    alice.sync()
    bob.sync()
    [conflict] = waiting(bob)
    assert (conflict.kind, conflict.table, conflict.theirs_by) == ("deleted_by_them", "evidence",
                                                                   "Alice")
    assert bob.query("SELECT id FROM evidence WHERE id = ?", (e,)) == []  # their delete stands
    with bob.store() as s:
        resolve(s, conflict.number, keep="mine")
    settle(alice, bob)
    for laptop in (alice, bob):
        assert laptop.query("SELECT text, figure FROM evidence WHERE id = ?", (e,)) == [
            ("Rural crime survey published, 812 replies", 812.0)]
    with alice.store() as s:
        assert [h.item_id for h in search(s, "812 replies")] == [e]  # in the search index too


def test_evidence_deleted_here_that_a_colleague_changed_comes_back_until_reviewed(team):
    alice, bob, _carol = team
    c = open_plan_commitments(alice)[0]
    with alice.store() as s:
        e = evidence.add_evidence(s, c, EvidenceInput("Patrol hours logged"))
    settle(alice, bob)
    with alice.store() as s:
        evidence.update_evidence(s, e, EvidenceInput("Patrol hours logged: 1,200 in Q1"))
    with bob.store() as s:
        evidence.delete_evidence(s, e)
    alice.sync()
    bob.sync()
    [conflict] = waiting(bob)
    assert (conflict.kind, conflict.table) == ("deleted_by_me", "evidence")
    assert bob.one("SELECT text FROM evidence WHERE id = ?", (e,)) == "Patrol hours logged: 1,200 in Q1"
    with bob.store() as s:
        resolve(s, conflict.number, keep="mine")  # delete it again
    settle(alice, bob)
    assert alice.query("SELECT 1 FROM evidence WHERE id = ?", (e,)) == []
    assert content(alice.path) == content(bob.path)


def test_a_commitment_deleted_by_a_colleague_keeps_the_evidence_added_here_for_review(team):
    alice, bob, carol = team
    c = open_plan_commitments(alice)[2]
    before = content(alice.path)
    with alice.store() as s:
        commitments.remove_commitment(s, c)
    with bob.store() as s:
        new = evidence.add_evidence(s, c, EvidenceInput("Added on the train"))
    alice.sync()
    bob.sync()
    [conflict] = waiting(bob)
    assert (conflict.kind, conflict.table, conflict.key) == ("deleted_by_them", "commitment", (c,))
    assert {r[0] for r in conflict.mine_rows["evidence"]} >= {new}
    assert bob.query("SELECT 1 FROM commitment WHERE id = ?", (c,)) == []
    assert checks(bob.path) == ("ok", [])
    with bob.store() as s:
        resolve(s, conflict.number, keep="mine")
    settle(*team)
    for laptop in team:
        assert laptop.one("SELECT text FROM evidence WHERE id = ?", (new,)) == "Added on the train"
    # Everything the delete took is back, as Bob had it (his new evidence too).
    after = content(carol.path)
    for table in ("commitment", "status_change"):
        assert {r[0] for r in before[table]} <= {r[0] for r in after[table]}
    assert content(alice.path) == content(bob.path) == content(carol.path)


def test_values_added_for_the_same_period_on_two_laptops_are_one_value_and_a_conflict(team):
    alice, bob, _carol = team
    indicator = alice.one("SELECT id FROM indicator WHERE unit = 'count' ORDER BY id LIMIT 1")
    with alice.store() as s:
        indicators.add_value(s, indicator, ValueInput("2023/24", 1200))
    with bob.store() as s:
        indicators.add_value(s, indicator, ValueInput("2023/24", 1250))
    alice.sync()
    bob.sync()
    [conflict] = waiting(bob)
    assert (conflict.label, conflict.base, conflict.mine, conflict.theirs) == (
        "indicator_value.value", None, 1250.0, 1200.0)
    settle(alice, bob)
    for laptop in (alice, bob):
        assert laptop.query("SELECT value FROM indicator_value WHERE indicator_id = ? AND "
                            "period = '2023/24'", (indicator,)) == [(1200.0,)]
    with bob.store() as s:
        resolve(s, conflict.number, keep="mine")
    settle(alice, bob)
    assert alice.one("SELECT value FROM indicator_value WHERE indicator_id = ? AND "
                     "period = '2023/24'", (indicator,)) == 1250.0


def test_keep_mine_is_refused_when_the_field_changed_again_since(team):
    alice, bob, _carol = team
    c = open_plan_commitments(alice)[0]
    with alice.store() as s:
        commitments.update_commitment(s, c, lead="A")
    with bob.store() as s:
        commitments.update_commitment(s, c, lead="B")
    alice.sync()
    bob.sync()
    [conflict] = waiting(bob)
    with bob.store() as s:
        commitments.update_commitment(s, c, lead="B again")
        with pytest.raises(ConflictError, match="changed again since"):
            resolve(s, conflict.number, keep="mine")
        resolve(s, conflict.number, keep="theirs")
        assert conflict_store.waiting(s.conn) == []
        assert s.execute("SELECT lead FROM commitment WHERE id = ?", (c,)).fetchone()[0] == "B again"


def test_text_pulled_from_a_colleague_is_found_by_search(team):
    alice, bob, _carol = team
    c = open_plan_commitments(alice)[0]
    with alice.store() as s:
        commitments.update_commitment(s, c, text="We will trial hedgehog-friendly patrols")
        evidence.add_evidence(s, c, EvidenceInput("Zanzibar pilot evaluated"))
    alice.sync()
    bob.sync()
    with bob.store() as s:
        kinds = {h.kind for h in search(s, "hedgehog")} | {h.kind for h in search(s, "zanzibar")}
        assert kinds == {"commitment", "evidence"}
        for table in ("commitment_fts", "evidence_fts"):
            s.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")


def test_colleagues_changes_show_as_theirs_in_the_activity_log_and_the_history(team):
    alice, bob, _carol = team
    c = open_plan_commitments(alice)[0]
    with alice.store() as s:
        ops.set_status(s, c, "on track", "Board agreed the plan")
        ops.add_evidence(s, c, EvidenceInput("Board minutes of 3 May"))
    alice.sync()
    bob.sync()
    with bob.store() as s:
        [pulled] = ops.log_entries(s, flt=LogFilter(origin="sync"))
        assert pulled.who == "Alice"
        assert "From Alice, by team sync" in pulled.summary
        assert {(ch.table, ch.action) for ch in pulled.changes} >= {
            ("evidence", "added"), ("status_change", "added"), ("commitment", "changed")}
        history = ops.history_of(s, c)
        assert history[0].who == "Alice" and history[0].origin == "sync"
        # Bob's own log says nothing was done by Bob.
        assert all(e.who != "Bob" for e in ops.log_entries(s))


def test_the_office_name_and_the_workbook_identity_are_shared_and_other_settings_stay(team):
    from tracker.store import office
    from tracker.store.returns import database_uid, signing_key

    alice, bob, _carol = team
    with alice.store() as s:
        office.set_office_name(s, "Essex Police, Fire and Crime Commissioner's Office")
        with s.transaction():
            s.execute("INSERT INTO app_setting (name, value) VALUES ('window.zoom', '150')")
    assert alice.sync().pushed == 1  # the office's name; the zoom stays on this laptop
    bob.sync()
    with bob.store() as s:
        assert office.office_name(s) == "Essex Police, Fire and Crime Commissioner's Office"
        assert s.execute("SELECT 1 FROM app_setting WHERE name = 'window.zoom'").fetchone() is None
        bob_identity = (database_uid(s, create=False), signing_key(s, create=False))
    with alice.store() as s:
        # A workbook sent from one laptop is read back on another: the same identity and key.
        assert (database_uid(s, create=False), signing_key(s, create=False)) == bob_identity
