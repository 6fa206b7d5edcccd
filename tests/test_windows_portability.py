"""What would break on the officers' Windows laptops, checked on any machine: the writer lock's
msvcrt branch (through a stand-in for msvcrt), database paths SQLite must not misread, report
file names Windows accepts, and opening a finished report."""

from __future__ import annotations

import os
import sys

import pytest

from tracker.store import copies, lock, plans
from tracker.store.database import open_store
from tracker.store.location import create_database


class FakeMsvcrt:
    """msvcrt.locking's contract: lock or unlock `n` bytes from the file position."""

    LK_NBLCK, LK_UNLCK = 2, 0

    def __init__(self):
        self.held: dict[tuple[int, int], int] = {}  # (inode, offset) -> fd holding it
        self.calls: list[tuple[int, int]] = []

    def locking(self, fd: int, mode: int, n: int) -> None:
        assert n == 1
        key = (os.fstat(fd).st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        self.calls.append((mode, key[1]))
        if mode == self.LK_NBLCK:
            if key in self.held:
                raise PermissionError(13, "Permission denied")
            self.held[key] = fd
        else:
            assert self.held.pop(key) == fd, "unlocking a byte this handle did not lock"


@pytest.fixture
def windows_locking(monkeypatch):
    fake = FakeMsvcrt()
    monkeypatch.setattr(lock, "fcntl", None)
    monkeypatch.setattr(lock, "msvcrt", fake, raising=False)
    return fake


def test_the_windows_lock_is_released_before_close_and_leaves_the_pid_readable(tmp_path, windows_locking):
    first, second = lock.WriterLock(tmp_path / "t.db"), lock.WriterLock(tmp_path / "t.db")
    assert first.acquire()
    assert not second.acquire()  # the other copy of the application
    # The pid is readable (the lock byte lies beyond it) and the file stays small.
    assert (tmp_path / "t.db.lock").read_text() == str(os.getpid())
    assert (tmp_path / "t.db.lock").stat().st_size < 20
    first.release()
    assert windows_locking.held == {}
    assert second.acquire()  # at once: nothing was left for Windows to free later
    second.release()
    locked_at = {offset for _mode, offset in windows_locking.calls}
    assert locked_at == {lock.WINDOWS_LOCK_BYTE}


def test_a_folder_name_with_hash_and_percent_opens_the_right_file(tmp_path):
    folder = tmp_path / "Plans #2 (100% done)"
    folder.mkdir()
    create_database(folder / "tracker.db").close()
    store = open_store(folder / "tracker.db", mode="read")
    try:
        assert plans.default_plan(store).title == "Police and Crime Plan Extension 2020/21"
    finally:
        store.close()
    copies.save_copy(folder / "tracker.db", tmp_path / "copy #1.db")
    copied = open_store(tmp_path / "copy #1.db", mode="read")
    copied.close()


def test_report_file_names_are_ones_windows_accepts():
    from tracker.ui.report_dialog import file_stem

    assert file_stem("Police and Crime Plan 2016-2020: Closure Report") == \
        "Police and Crime Plan 2016-2020 - Closure Report"
    assert file_stem('Extension 2020/21: "Safer" <Essex>? | Report.') == \
        "Extension 2020-21 - Safer Essex Report"
    assert file_stem("...") == "report"


def test_opening_a_report_uses_startfile_on_windows(monkeypatch, tmp_path):
    from tracker.ui import system_open

    opened: list[str] = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "startfile", opened.append, raising=False)
    assert system_open.open_with_system(tmp_path / "report.pdf") is True
    assert opened == [str(tmp_path / "report.pdf")]

    def no_program(path):
        raise OSError(1155, "No application is associated with the specified file")

    monkeypatch.setattr(os, "startfile", no_program, raising=False)
    assert system_open.open_with_system(tmp_path / "report.pdf") is False


def test_elsewhere_a_file_is_opened_by_its_full_path(monkeypatch, tmp_path):
    """A relative path (a folder typed as "out") still opens: the URL is the file's own."""
    from PySide6.QtGui import QDesktopServices

    from tracker.ui import system_open

    asked: list[str] = []
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(system_open, "linux_has_program_for", lambda path: True)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: asked.append(url.toLocalFile())
                        or True)
    monkeypatch.chdir(tmp_path)
    assert system_open.open_with_system("drafts/Essex-Police.eml") is True
    assert asked == [str(tmp_path / "drafts" / "Essex-Police.eml")]


def test_a_report_nothing_can_open_says_so(qtbot, store, tmp_path, monkeypatch):
    from tracker.ui.report_dialog import ReportDialog

    monkeypatch.setattr(ReportDialog, "open_file", classmethod(lambda cls, path: False))
    dialog = ReportDialog(store, plans.find_plan(store, "pcp-2021-2024").id)
    qtbot.addWidget(dialog)
    target = tmp_path / "plan.html"
    dialog.path_edit.setText(str(target))
    dialog.open_check.setChecked(True)
    with qtbot.waitSignal(dialog.report_written, timeout=60_000):
        dialog.create_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert target.is_file()
    assert dialog.status_label.text() == (
        f"Saved {target}. No program on this computer opens .html files: open the report from "
        "its folder, or install a program for them.")


def _first_ref(db) -> str:
    with open_store(db, mode="read") as s:
        uid = s.conn.execute(
            "SELECT c.uid FROM commitment c JOIN priority p ON p.id = c.priority_id JOIN plan "
            "ON plan.id = p.plan_id WHERE plan.key = 'pcp-2020-21' LIMIT 1").fetchone()[0]
    return uid.replace("-", "")[:8]


def test_output_redirected_on_windows_is_written_whole_not_a_traceback(sample_db, monkeypatch):
    """Windows gives a redirected command (`tracker log > log.txt`, a pipe, the bundle smoke
    test) the ANSI code page, cp1252, which has no ✓ or →: printing an officer's text must not
    fail after the change was saved."""
    import io

    from tracker.cli import main

    ref = _first_ref(sample_db)
    for name in ("stdout", "stderr"):
        monkeypatch.setattr(sys, name, io.TextIOWrapper(io.BytesIO(), encoding="cp1252"))
    assert main(["--db", str(sample_db), "add-evidence", ref, "Patrols ✓ → Harlow"]) == 0
    assert main(["--db", str(sample_db), "log", "--limit", "1"]) == 0
    sys.stdout.flush()
    written = sys.stdout.buffer.getvalue().decode("utf-8")
    assert written.count("Patrols ✓ → Harlow") == 2


def test_an_asked_for_encoding_gets_a_stand_in_character_not_a_traceback(sample_db):
    import subprocess

    ref = _first_ref(sample_db)
    env = dict(os.environ, PYTHONIOENCODING="cp1252")
    done = subprocess.run([sys.executable, "-c", "import sys; from tracker.cli import main; "
                           "sys.exit(main())", "--db", str(sample_db), "add-evidence", ref,
                           "Patrols ✓ in Harlow"], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode("cp1252")
    assert b"Patrols ? in Harlow" in done.stdout and not done.stderr
