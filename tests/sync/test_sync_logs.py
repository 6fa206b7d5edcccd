"""The two homes of a team's log behind one interface: a shared folder and PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from tracker.sync.errors import SyncError
from tracker.sync.folder_log import LOG_DIR, FolderLog, cloud_sync_service
from tracker.sync.logs import open_log
from tracker.sync.postgres_log import check_address


def test_entries_are_numbered_without_gaps_and_a_taken_number_is_refused(team_location):
    log = open_log(team_location, creating=True)
    log.prepare()
    log = open_log(team_location)
    try:
        assert log.append(1, b"first")
        assert not log.append(1, b"another first")
        assert not log.append(3, b"not after the head")
        assert log.append(2, b"second")
        assert list(log.read_after(0)) == [(1, b"first"), (2, b"second")]
        assert list(log.read_after(1)) == [(2, b"second")]
        assert log.read(2) == b"second" and log.read(3) is None
    finally:
        log.close()


def test_of_laptops_racing_for_one_number_exactly_one_wins(team_location):
    log = open_log(team_location, creating=True)
    log.prepare()
    log.append(1, b"plan")
    log.close()
    wins, errors = [], []
    barrier = threading.Barrier(6)

    def push(n):
        racer = open_log(team_location)
        try:
            barrier.wait(timeout=30)
            if racer.append(2, f"laptop {n}".encode()):
                wins.append(n)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            racer.close()

    threads = [threading.Thread(target=push, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(wins) == 1
    check = open_log(team_location)
    assert check.read(2) == f"laptop {wins[0]}".encode()
    check.close()


def test_a_place_that_already_holds_a_team_is_not_made_a_second_team(team_location):
    log = open_log(team_location, creating=True)
    log.prepare()
    log.append(1, b"plan")
    with pytest.raises(SyncError, match="already holds a team's log"):
        open_log(team_location, creating=True).prepare()
    log.close()


def test_readers_never_see_a_half_written_entry(tmp_path):
    share = tmp_path / "share"
    log = FolderLog(str(share), creating=True)
    log.prepare()
    log.append(1, b"plan")
    # What a laptop killed while writing leaves behind: a temporary file, never a final name.
    (share / LOG_DIR / "incoming-0123.part").write_bytes(b"COMMITMENT-TRACKER-LOG 1\n{\"half")
    assert list(FolderLog(str(share)).read_after(0)) == [(1, b"plan")]
    assert log.append(2, b"next")


@pytest.mark.parametrize("path, service", [
    ("C:/Users/jo/OneDrive - Essex PFCC/Team", "OneDrive"),
    ("/home/jo/Dropbox/plans", "Dropbox"),
    ("/Users/jo/Library/CloudStorage/GoogleDrive-jo@pfcc.gov.uk/My Drive/plan", "Google Drive"),
    ("/srv/share/Team", None),
])
def test_cloud_sync_folders_are_told_apart_by_name(path, service):
    assert cloud_sync_service(__import__("pathlib").Path(path)) == service


def test_a_folder_kept_by_onedrive_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("OneDrive", str(tmp_path / "od"))
    (tmp_path / "od").mkdir()
    with pytest.raises(SyncError, match="OneDrive"):
        FolderLog(str(tmp_path / "od" / "team"), creating=True)
    (tmp_path / "db" / ".dropbox").mkdir(parents=True)
    with pytest.raises(SyncError, match="Dropbox"):
        FolderLog(str(tmp_path / "db" / "team"), creating=True)


def test_a_postgres_address_holding_a_password_is_refused():
    with pytest.raises(SyncError, match="pgpass"):
        check_address("postgresql://officer:hunter2@db.pfcc.local/tracker")
    assert check_address("postgresql://officer@db.pfcc.local/tracker")["user"] == "officer"
