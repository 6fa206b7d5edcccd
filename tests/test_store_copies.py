"""Saving a copy (with progress and cancel) and restoring a backup."""

from __future__ import annotations

import pytest

from tracker.errors import Cancelled
from tracker.store import commitments, copies, open_store, plans
from tracker.store.backup import list_backups, take_backup
from tracker.store.errors import StoreError


def test_save_copy_reports_progress_and_is_a_working_database(store, tmp_path):
    seen: list[float] = []
    target = copies.save_copy(store.path, tmp_path / "copy.db", seen.append)
    assert seen and seen[-1] == pytest.approx(1.0)
    copy = open_store(target, mode="read")
    try:
        assert len(plans.list_plans(copy)) == len(plans.list_plans(store))
    finally:
        copy.close()


def test_cancelled_copy_leaves_no_file(store, tmp_path):
    target = tmp_path / "copy.db"
    with pytest.raises(Cancelled):
        copies.save_copy(store.path, target, cancelled=lambda: True)
    assert not target.exists()
    assert not (tmp_path / "copy.db.partial").exists()


def test_copy_cannot_replace_the_open_database(store):
    with pytest.raises(StoreError, match="cannot replace"):
        copies.save_copy(store.path, store.path)


def test_restore_puts_the_backup_back_and_keeps_the_current_state(store):
    plan = plans.find_plan(store, "2020/21")
    c = commitments.list_commitments(store, plans.list_priorities(store, plan.id)[0].id)[0]
    backup = take_backup(store.conn, store.path, "test")
    commitments.update_commitment(store, c.id, text="Changed later")
    path = store.path
    store.close()
    safety = copies.restore_from(backup, path)
    reopened = open_store(path)
    try:
        assert commitments.get_commitment(reopened, c.id).text == c.text
    finally:
        reopened.close()
    assert safety in [b.path for b in list_backups(path)]
    kept = open_store(safety, mode="read")
    try:
        assert commitments.get_commitment(kept, c.id).text == "Changed later"
    finally:
        kept.close()
