"""Team sync for the window, in a child process.

Sync opens the database through apsw, which carries its own copy of SQLite, and two copies of
SQLite must not have one file open in one process (neither sees the other's locks): so the
window, which keeps the file open, runs `tracker --db PATH sync --window-pid PID` as a child
process (the command checks that PID holds the file's writer lock and is its parent). The
child reports through the database itself (the membership row, the conflicts, the merged
changes waiting for the activity log) and its exit status: 0 synced, 2 the team's log cannot
be reached, 1 refused. Nothing here blocks the GUI thread; a child still running when the
window closes is waited for a moment, then killed, which loses nothing (a killed sync carries
on next time).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

OFFLINE_EXIT = 2
STOP_WAIT_MS = 5000


@dataclass(frozen=True)
class Outcome:
    """How a child's sync ended: `ok`, or `offline` (exit 2), or refused; `message` is the
    sentence it wrote (also kept in the database's membership row)."""

    action: str
    ok: bool
    offline: bool
    message: str


def command_line(db_path: Path, *args: str) -> list[str]:
    """The tracker command itself: the bundle's program when frozen, else this Python."""
    program = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m",
                                                                       "tracker"]
    return [*program, "--db", str(db_path), *args, "--window-pid", str(os.getpid())]


class SyncRunner(QObject):
    """One child process at a time.

    Signals:
        started(str): the action ("sync" or "create") has begun.
        finished(object): an Outcome.
    """

    started = Signal(str)
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.process: QProcess | None = None
        self.action = ""

    @property
    def running(self) -> bool:
        return self.process is not None

    def sync(self, db_path: Path, officer: str) -> bool:
        return self._start("sync", db_path, officer, ["sync"])

    def create_team(self, db_path: Path, officer: str, location: str) -> bool:
        return self._start("create", db_path, officer, ["team", "create", location])

    def _start(self, action: str, db_path: Path, officer: str, args: list[str]) -> bool:
        if self.process is not None:
            return False
        program, *arguments = command_line(db_path, *args)
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("TRACKER_OFFICER", officer)
        environment.insert("PYTHONIOENCODING", "utf-8")
        process.setProcessEnvironment(environment)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        self.process, self.action = process, action
        process.start(program, arguments)
        self.started.emit(action)
        return True

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self.process is not None:
            self._end(Outcome(self.action, False, False,
                              "Team sync could not start (the tracker's own program was not "
                              "found); reinstall Commitment Tracker."))

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        process = self.process
        if process is None:
            return
        err = bytes(process.readAllStandardError()).decode("utf-8", "replace").strip()
        message = err.splitlines()[-1].removeprefix("tracker: ") if err else ""
        if status == QProcess.ExitStatus.CrashExit:
            outcome = Outcome(self.action, False, False, message or "Team sync stopped "
                              "unexpectedly; nothing was lost, and the next sync carries on.")
        else:
            outcome = Outcome(self.action, code == 0, code == OFFLINE_EXIT, message)
        self._end(outcome)

    def _end(self, outcome: Outcome) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.deleteLater()
        self.finished.emit(outcome)

    def stop(self) -> None:
        """Wait briefly for a running child, then kill it (safe: a killed sync loses nothing)."""
        process = self.process
        if process is None:
            return
        if not process.waitForFinished(STOP_WAIT_MS):
            process.kill()
            process.waitForFinished(STOP_WAIT_MS)
        if self.process is not None:  # finished was not delivered while waiting
            self.process = None
            process.deleteLater()
