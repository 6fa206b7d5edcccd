"""Opening files safely: bad paths, foreign files, read-only files, a second copy, versions."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from tracker.store import migrations
from tracker.store.backup import list_backups, take_backup
from tracker.store.copies import restore_from
from tracker.store.database import open_store
from tracker.store.errors import (
    DatabaseLockedError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyError,
    StoreError,
)
from tracker.store.lock import WriterLock


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_database_is_at_the_latest_schema_with_wal_and_foreign_keys(tmp_path):
    store = open_store(tmp_path / "new.db", create=True)
    assert migrations.current_version(store.conn) == migrations.latest_version()
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(sample_db):
    conn = sqlite3.connect(sample_db)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    conn.close()
    before = _digest(sample_db)
    for mode in ("write", "auto", "read"):
        with pytest.raises(NewerSchemaError, match="newer version"):
            open_store(sample_db, mode=mode)
    assert _digest(sample_db) == before


def test_a_folder_that_does_not_exist_is_named(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nowhere" / "x.db", create=True)


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("These are my meeting notes, not a database.\n" * 20)
    before = _digest(path)
    with pytest.raises(NotADatabaseError, match="not an SQLite file"):
        open_store(path)
    assert _digest(path) == before


def test_an_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE music (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(NotADatabaseError, match="not a Commitment Tracker database"):
        open_store(path)


def test_a_read_only_file_opens_read_only_or_is_refused_for_writing(sample_db, monkeypatch):
    sample_db.chmod(0o444)
    if os.geteuid() == 0:  # root may write anyway: report the file as the permissions say
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: False if (Path(p) == sample_db and
                            mode == os.W_OK) else real_access(p, mode))
    try:
        with pytest.raises(ReadOnlyError, match="read-only"):
            open_store(sample_db, mode="write")
        store = open_store(sample_db, mode="auto")
        assert store.read_only
        store.close()
    finally:
        sample_db.chmod(0o644)


def test_a_file_open_in_another_copy_is_refused_for_writing_and_opened_read_only(sample_db):
    other = WriterLock(sample_db)
    assert other.acquire()
    try:
        with pytest.raises(DatabaseLockedError, match="another copy"):
            open_store(sample_db, mode="write")
        store = open_store(sample_db, mode="auto")
        assert store.read_only and "another copy" in store.read_only_reason
        with pytest.raises(ReadOnlyError, match="Nothing was saved"), store.transaction():
            pass
        store.close()
    finally:
        other.release()
    store = open_store(sample_db, mode="write")
    assert not store.read_only
    store.close()


def test_a_migration_that_fails_leaves_the_previous_version(tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_base.sql").write_text("CREATE TABLE a (x INTEGER);\n")
    (folder / "002_broken.sql").write_text("CREATE TABLE b (y INTEGER);\nTHIS IS NOT SQL;\n")
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    first, second = migrations.available(folder)
    migrations.apply(conn, first)
    with pytest.raises(sqlite3.OperationalError):
        migrations.apply(conn, second)
    assert migrations.current_version(conn) == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"a"}


def test_backups_rotate_and_restore(store, sample_db):
    for _ in range(4):
        take_backup(store.conn, sample_db, "import", keep=3)
    backups = list_backups(sample_db)
    assert len(backups) == 3
    assert "before import" in backups[0].label
    store.execute("DELETE FROM evidence")
    store.close()
    restore_from(backups[0].path, sample_db)
    reopened = open_store(sample_db)
    assert reopened.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] > 300
    reopened.close()


def test_a_worker_connection_sees_committed_work_and_writes_under_the_same_lock(store):
    import threading

    from tracker.store import commitments

    [cid] = [r[0] for r in store.conn.execute(
        "SELECT c.id FROM commitment c JOIN priority p ON p.id = c.priority_id "
        "JOIN plan ON plan.id = p.plan_id WHERE plan.key = 'pcp-2020-21' AND c.code = 'A' "
        "AND p.number = 2")]
    done = []

    def work():
        with store.for_worker() as own:
            assert own.conn is not store.conn
            commitments.set_status(own, cid, "on_track", "Agreed at the board")
            done.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done
    assert commitments.get_commitment(store, cid).status.value == "on_track"
    assert commitments.status_history(store, cid)[0].changed_by == "Test Officer"


def test_a_write_blocked_by_another_program_says_so_and_saves_nothing(sample_db, monkeypatch):
    from tracker.store import database
    from tracker.store.errors import DatabaseBusyError

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    store = open_store(sample_db)
    other = sqlite3.connect(sample_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(DatabaseBusyError, match="busy"), store.transaction():
            store.execute("DELETE FROM evidence")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.conn.execute("SELECT count(*) FROM evidence").fetchone()[0] > 300
    store.close()


@pytest.mark.parametrize("content", ["not a database", "foreign sqlite", "newer"])
def test_restoring_something_that_is_not_a_usable_backup_is_refused(sample_db, tmp_path, content):
    bad = tmp_path / "bad.db"
    if content == "not a database":
        bad.write_text("hello " * 500)
    else:
        conn = sqlite3.connect(bad)
        if content == "foreign sqlite":
            conn.execute("CREATE TABLE music (title TEXT)")
        else:
            conn.execute("CREATE TABLE commitment (id INTEGER)")
            conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
        conn.commit()
        conn.close()
    before = _digest(sample_db)
    with pytest.raises(StoreError, match="nothing was restored"):
        restore_from(bad, sample_db)
    assert _digest(sample_db) == before
