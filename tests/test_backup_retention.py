"""Backups kept by age and total size, their disk use, and a backup taken beside other work."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tracker import ops
from tracker.store import backup
from tracker.store.backup import Backup, BackupInBackground, kept, list_backups, take_backup
from tracker.store.errors import StoreError

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)


def _made(hours_ago: float, size: int = 1000, name: str = "") -> Backup:
    taken = NOW - timedelta(hours=hours_ago)
    return Backup(Path(name or f"b-{hours_ago}.db"), "import-return", taken, size)


def test_the_newest_few_and_one_a_day_for_a_week_are_kept():
    backups = [_made(h) for h in (1, 2, 3, 4, 5, 30, 31, 54, 100, 150, 170, 200, 400)]
    chosen = kept(backups, NOW)
    hours = sorted(round((NOW - b.taken_at).total_seconds() / 3600) for b in chosen)
    # 1, 2, 3: the newest three; then the newest of each earlier day within seven days.
    assert hours[:3] == [1, 2, 3]
    assert 4 not in hours and 5 not in hours and 31 not in hours
    assert {30, 54, 100, 150}.issubset(hours)
    assert 200 not in hours and 400 not in hours  # older than a week


def test_a_large_database_keeps_what_fits_the_budget_but_always_the_newest_two():
    big = 800 * 2**20
    backups = [_made(h, big) for h in (1, 2, 3, 30, 54)]
    chosen = kept(backups, NOW)
    assert [round((NOW - b.taken_at).total_seconds() / 3600) for b in chosen] == [1, 2]
    huge = [_made(h, 3 * 2**30) for h in (1, 2, 3)]
    assert len(kept(huge, NOW)) == 2


def test_taking_a_backup_deletes_the_ones_no_longer_kept(store, sample_db):
    folder = backup.backup_dir(sample_db)
    folder.mkdir()
    old = datetime.now(UTC) - timedelta(days=30)
    stale = folder / f"{sample_db.stem}-{old:%Y%m%dT%H%M%S%fZ}-import-return.db"
    stale.write_bytes(b"x")
    for _ in range(5):
        take_backup(store.conn, sample_db, "import-return")
    names = [b.path for b in list_backups(sample_db)]
    assert len(names) == 3 and stale not in names and not stale.exists()
    count, size = backup.disk_use(sample_db)
    assert count == 3 and size == sum(p.stat().st_size for p in names)
    assert backup.describe_disk_use(sample_db).startswith("3 backups take ")


def test_a_background_backup_holds_the_database_as_it_was_when_it_began(store, sample_db):
    before = store.execute("SELECT count(*) FROM evidence").fetchone()[0]
    running = BackupInBackground(sample_db, "import-return")
    assert running.started.wait(60)
    store.execute("DELETE FROM evidence")  # written while the copy is being made
    path = running.wait()
    copy = sqlite3.connect(path)
    assert copy.execute("SELECT count(*) FROM evidence").fetchone()[0] == before
    copy.close()
    running.join()  # on disk, and the older backups pruned
    assert path in [b.path for b in list_backups(sample_db)]


def test_a_discarded_background_backup_leaves_no_file(store, sample_db):
    running = BackupInBackground(sample_db, "import-return")
    running.discard()
    assert list_backups(sample_db) == []


def test_a_background_backup_that_fails_says_so_when_waited_for(tmp_path):
    running = BackupInBackground(tmp_path / "missing.db", "import-return")
    with pytest.raises(StoreError, match="could not be backed up"):
        running.wait()


def test_the_restore_dialog_says_how_much_disk_the_backups_take(qtbot, store, sample_db):
    from tracker.ui.dialogs.backups_dialog import BackupsDialog

    for _ in range(2):
        take_backup(store.conn, sample_db, "import-return")
    dialog = BackupsDialog(list_backups(sample_db))
    qtbot.addWidget(dialog)
    assert dialog.disk_label.text().startswith("2 backups take ")
    assert "one a day for 7 days" in dialog.disk_label.text()


def test_a_background_backup_copies_the_file_whole_when_its_log_is_empty(
        store, sample_db, monkeypatch):
    def no_page_copy(*_args):
        raise AssertionError("the backup API was used")

    monkeypatch.setattr(backup, "_copy", no_page_copy)
    before = store.execute("SELECT count(*) FROM evidence").fetchone()[0]
    running = BackupInBackground(sample_db, "import-return")
    assert running.started.wait(60)
    store.execute("DELETE FROM evidence")  # in the log, never in the file being copied
    copy = sqlite3.connect(running.wait())
    assert copy.execute("SELECT count(*) FROM evidence").fetchone()[0] == before
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    running.join()


def test_a_background_backup_copies_page_by_page_while_the_log_is_in_use(
        store, sample_db, monkeypatch):
    monkeypatch.setattr(backup, "_copy_file", lambda *_args: pytest.fail("copied whole"))
    store.execute("DELETE FROM evidence WHERE id IN (SELECT id FROM evidence LIMIT 1)")
    reader = sqlite3.connect(sample_db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM evidence").fetchone()  # holds the log: not emptied
    expected = store.execute("SELECT count(*) FROM evidence").fetchone()[0]
    try:
        running = BackupInBackground(sample_db, "import-return")
        copy = sqlite3.connect(running.wait())
    finally:
        reader.close()
    assert copy.execute("SELECT count(*) FROM evidence").fetchone()[0] == expected
    copy.close()
    running.join()


def test_an_import_commits_once_its_backup_is_copied_and_the_store_waits_for_the_flush(
        store, sample_db, tmp_path, monkeypatch):
    """The copy is complete before the import commits; it goes to disk once the import has
    committed, and the older backups are pruned only once it is (closing the store waits)."""
    import threading

    from test_exchange_support import answer, edit, export

    from tracker import ops
    from tracker.exchange import layout
    from tracker.exchange.return_preview import preview_return

    for _ in range(backup.RECENT):
        take_backup(store.conn, sample_db, "import-return")
    older = {b.path for b in list_backups(sample_db)}
    flushing, release = threading.Event(), threading.Event()
    flushed: list[Path] = []
    committed: list[int] = []
    flush = backup._flush

    def held_flush(target: Path) -> None:
        other = sqlite3.connect(sample_db)  # the flush begins once the import has committed
        committed.append(other.execute("SELECT count(*) FROM evidence").fetchone()[0])
        other.close()
        flushing.set()
        assert release.wait(60)
        flush(target)
        flushed.append(target)

    monkeypatch.setattr(backup, "_flush", held_flush)
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "back.xlsx",
                  {answer(layout.COMMITMENTS, "evidence", 3): "Opened a hub"})
    before = store.execute("SELECT count(*) FROM evidence").fetchone()[0]
    running = ops.start_backup(store)
    try:
        ops.apply_return(store, preview_return(store, filled), backup=running)
        assert flushing.wait(60)
        assert store.execute("SELECT count(*) FROM evidence").fetchone()[0] == before + 1
        assert committed == [before + 1]
        assert not running.done and flushed == []
        assert {b.path for b in list_backups(sample_db)} == older | {running.path}  # none pruned
        assert running in store.background
    finally:
        release.set()
    store.close()
    assert flushed == [running.path]
    kept_now = {b.path for b in list_backups(sample_db)}
    assert running.path in kept_now and len(kept_now) == backup.RECENT
    copy = sqlite3.connect(running.path)
    assert copy.execute("SELECT count(*) FROM evidence").fetchone()[0] == before
    copy.close()


def _file_of(tmp_path: Path, size: int) -> Path:
    source = tmp_path / "source.db"
    source.write_bytes(bytes(range(256)) * (size // 256) + b"\x07" * (size % 256))
    return source


@pytest.mark.parametrize("size", [0, 4096, 3 * 4096 + 17, backup._DIRECT_CHUNK + 5000])
def test_a_file_copied_around_the_page_cache_is_the_same_bytes(tmp_path, size):
    source = _file_of(tmp_path, size)
    target = tmp_path / "copy.db"
    assert backup._copy_file(source, target)
    assert target.read_bytes() == source.read_bytes()


def test_where_direct_writes_are_refused_the_file_is_copied_through_the_cache(
        tmp_path, monkeypatch):
    source = _file_of(tmp_path, 2 * 4096)
    target = tmp_path / "copy.db"

    def refused(fd, data, offset):
        del data  # (not kept by the traceback: the copy's buffer is closed as it unwinds)
        raise OSError(backup.errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(backup.os, "pwrite", refused)
    assert backup._copy_file(source, target)
    assert target.read_bytes() == source.read_bytes()


def test_a_copy_that_fails_part_way_leaves_no_file(tmp_path, monkeypatch):
    source = _file_of(tmp_path, backup._DIRECT_CHUNK + 4096)
    target = tmp_path / "copy.db"
    write = backup.os.pwrite

    def full_after_the_first(fd, data, offset):
        if offset:
            del data
            raise OSError(backup.errno.ENOSPC, "No space left on device")
        return write(fd, data, offset)

    monkeypatch.setattr(backup.os, "pwrite", full_after_the_first)
    assert not backup._copy_file(source, target)
    assert not target.exists()


class _HeldCheckpoint(backup.CheckpointInBackground):
    """A checkpoint still at work: a reader holds the log until `release` is set."""

    def __init__(self, db_path: Path):
        self.release = threading.Event()
        super().__init__(db_path)

    def _run(self) -> None:
        reader = sqlite3.connect(self.db_path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM evidence").fetchone()
        self.release.wait(60)
        reader.close()
        super()._run()


def test_a_backup_begun_while_a_checkpoint_runs_waits_for_it_and_copies_the_file_whole(
        store, sample_db, monkeypatch):
    # As a revert taken just after an import finds it: the import's checkpoint still running.
    monkeypatch.setattr(backup, "_copy", lambda *_args: pytest.fail("the backup API was used"))
    store.execute("PRAGMA wal_autocheckpoint = 0")
    store.execute("DELETE FROM evidence WHERE id IN (SELECT id FROM evidence LIMIT 3)")
    expected = store.execute("SELECT count(*) FROM evidence").fetchone()[0]
    checkpoint = _HeldCheckpoint(sample_db)
    store.background.append(checkpoint)
    try:
        running = ops.start_backup(store, "revert-return")
        assert not running.started.wait(0.3)  # not begun while the checkpoint is at work
    finally:
        checkpoint.release.set()
    copy = sqlite3.connect(running.wait())
    assert copy.execute("SELECT count(*) FROM evidence").fetchone()[0] == expected
    copy.close()
    running.join()


def test_a_backup_is_labelled_by_its_day_without_a_leading_zero_and_its_reason():
    taken = datetime(2026, 12, 3, 7, 13, 45, tzinfo=UTC)
    label = Backup(Path("b.db"), "import-return", taken).label
    local = taken.astimezone()
    assert label == f"{local.day} {local:%b %Y %H:%M:%S} — before import return"
    assert not label.startswith("0")
