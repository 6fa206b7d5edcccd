"""Row ids come from the rows' UUIDs, so laptops adding rows to copies of one plan never hand
out the same id (team sync keys rows by primary key)."""

from tracker.store import commitments, plans
from tracker.store.clock import now, row_id
from tracker.store.database import open_memory_store


def test_a_new_rows_id_is_derived_from_its_uid_and_not_sequential():
    store = open_memory_store()
    plan_id = plans.add_plan(store, "Plan", "2024-2028")
    priority_id = plans.add_priority(store, plan_id, 1, "Priority")
    first = commitments.add_commitment(store, priority_id, "We will do one thing")
    second = commitments.add_commitment(store, priority_id, "We will do another")
    for table, rid in (("plan", plan_id), ("priority", priority_id), ("commitment", first),
                       ("commitment", second)):
        uid = store.execute(f"SELECT uid FROM {table} WHERE id = ?", (rid,)).fetchone()[0]
        assert rid == row_id(uid)
    assert second != first + 1
    assert max(first, second) > 2**31  # beyond a C int: Qt signals must carry them as objects


def test_status_changes_in_one_second_keep_their_order():
    store = open_memory_store()
    plan_id = plans.add_plan(store, "Plan", "2024-2028")
    priority_id = plans.add_priority(store, plan_id, 1, "Priority")
    c = commitments.add_commitment(store, priority_id, "We will do one thing")
    from tracker.domain.status import Status

    made = [commitments.set_status(store, c, s, f"reason {n}")
            for n, s in enumerate([Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.COMPLETE])]
    assert [h.id for h in commitments.status_history(store, c)] == made[::-1]


def test_stamps_strictly_increase():
    stamps = [now() for _ in range(1000)]
    assert stamps == sorted(set(stamps))


def test_rows_written_together_take_ids_that_follow_one_another():
    import uuid

    from tracker.store.clock import new_ids, new_row_ids

    uids = [uid for _id, uid in new_ids(5000)]  # beyond 2,048: the run counts past the UUID's version digit
    ids = [row_id(uid) for uid in uids]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) == 5000
    assert all(uuid.UUID(u).version == 4 and uuid.UUID(u).variant == uuid.RFC_4122 for u in uids)
    assert ids[-1] - ids[0] < 2**20  # one stretch of the id space, not scattered over it
    assert len({u[-12:] for u in uids}) == 5000  # each uid's tail its own
    other = [uid for _id, uid in new_ids(5000)]
    assert not set(map(row_id, other)) & set(ids)  # another run starts elsewhere
    plain = new_row_ids(300)
    assert plain == list(range(plain[0], plain[0] + 300)) and plain[0] > 0
    assert new_row_ids(0) == []  # new_ids(0) in the test below


def test_ids_given_with_their_uids_are_the_ids_of_those_uids():
    import uuid

    from tracker.store.clock import new_ids

    pairs = new_ids(5000)
    assert [i for i, _u in pairs] == [row_id(u) for _i, u in pairs]
    assert all(uuid.UUID(u).version == 4 and uuid.UUID(u).variant == uuid.RFC_4122
               for _i, u in pairs)
    assert new_ids(0) == []


def test_a_returns_evidence_rows_are_stored_next_to_each_other():
    from tracker.store import evidence
    from tracker.store.evidence import EvidenceInput

    store = open_memory_store()
    plan_id = plans.add_plan(store, "Plan", "2024-2028")
    priority_id = plans.add_priority(store, plan_id, 1, "Priority")
    targets = [commitments.add_commitment(store, priority_id, f"We will do thing {n}")
               for n in range(40)]
    written = evidence.add_evidence_many(
        store, [(c, EvidenceInput(f"Done {n}")) for n, c in enumerate(targets * 3)])
    ids = [w.id for w in written]
    assert ids == sorted(ids) and ids[-1] - ids[0] < 2**20
    stored = store.execute("SELECT id, uid FROM evidence ORDER BY created_at").fetchall()
    assert [r[0] for r in stored] == ids and all(r[0] == row_id(r[1]) for r in stored)
