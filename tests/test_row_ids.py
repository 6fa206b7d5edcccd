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
