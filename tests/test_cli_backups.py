"""`tracker backups` and `tracker restore`: the automatic backups from the command line."""

from __future__ import annotations

import sqlite3

from tracker.cli import main
from tracker.domain.wording import file_size
from tracker.store.backup import list_backups, take_backup
from tracker.store.database import open_store


def _evidence(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM evidence").fetchone()[0]
    finally:
        conn.close()


def _backed_up(sample_db, reason: str) -> None:
    store = open_store(sample_db, officer="Test Officer")
    try:
        take_backup(store.conn, sample_db, reason)
    finally:
        store.close()


def test_backups_lists_them_newest_first_with_the_disk_they_take(sample_db, capsys):
    assert main(["backups", "--db", str(sample_db)]) == 0
    assert capsys.readouterr().out == "No backups yet.\n"
    _backed_up(sample_db, "import-return")
    _backed_up(sample_db, "upgrade")
    assert main(["backups", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    first, second = list_backups(sample_db)
    assert out.index("1  ") < out.index("before upgrade") < out.index("2  ") < out.index(
        "before import return")
    assert str(first.path) in out and str(second.path) in out
    total = file_size(first.bytes + second.bytes)
    assert f"2 backups take {total} (kept: the 3 newest" in out
    assert "tracker restore NUMBER" in out
    assert main(["backups", "--tsv", "--db", str(sample_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "number\ttaken_at\treason\tbytes\tpath"
    assert lines[1].split("\t")[:2] == ["1", first.taken_at.isoformat()]
    assert lines[1].split("\t")[2:] == ["upgrade", str(first.bytes), str(first.path)]


def test_restore_puts_a_backup_back_and_keeps_what_was_there(sample_db, capsys):
    held = _evidence(sample_db)
    _backed_up(sample_db, "import-return")
    conn = sqlite3.connect(sample_db)
    conn.execute("DELETE FROM evidence")
    conn.commit()
    conn.close()
    assert main(["restore", "1", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Restored the backup ") and "before import return" in out
    assert _evidence(sample_db) == held
    newest = list_backups(sample_db)[0]
    assert newest.reason == "restore" and _evidence(newest.path) == 0  # what was there before
    assert newest.path.name in out
    store = open_store(sample_db)
    try:
        entry = store.conn.execute(
            "SELECT kind, origin FROM activity ORDER BY at DESC, id DESC LIMIT 1").fetchone()
    finally:
        store.close()
    assert tuple(entry) == ("restore_backup", "cli")
    # The restore is taken back the same way: its own backup, now number 1.
    assert main(["restore", str(newest.path), "--db", str(sample_db)]) == 0
    assert _evidence(sample_db) == 0


def test_restore_refuses_while_the_database_is_open_and_changes_nothing(sample_db, capsys):
    _backed_up(sample_db, "import-return")
    before = sample_db.read_bytes()
    window = open_store(sample_db, officer="Test Officer")
    try:
        assert main(["restore", "1", "--db", str(sample_db)]) == 1
    finally:
        window.close()
    err = capsys.readouterr().err
    assert err == (f"tracker: {sample_db.name} is open in Commitment Tracker elsewhere (a window "
                   "or a command); close it there first. Nothing was restored.\n")
    assert sample_db.read_bytes() == before
    assert len(list_backups(sample_db)) == 1


def test_restore_names_what_it_cannot_find(sample_db, tmp_path, capsys):
    assert main(["restore", "1", "--db", str(sample_db)]) == 1
    assert capsys.readouterr().err == (
        "tracker: There is no backup 1: this database has no backups yet.\n")
    _backed_up(sample_db, "import-return")
    assert main(["restore", "4", "--db", str(sample_db)]) == 1
    assert capsys.readouterr().err == (
        "tracker: There is no backup 4: `tracker backups` lists 1 (1 to 1).\n")
    missing = tmp_path / "gone.db"
    assert main(["restore", str(missing), "--db", str(sample_db)]) == 1
    assert capsys.readouterr().err == f"tracker: There is no backup file {missing}.\n"
    assert main(["backups", "--db", str(tmp_path / "none.db")]) == 1
    assert capsys.readouterr().err == f"tracker: There is no database at {tmp_path / 'none.db'}.\n"
