"""Team sync in the window: File ▸ Team, syncing on start and every few minutes, the state in
the status bar, and the review of conflicts.

Entry point for the main window:
    install(window) -> TeamActions   adds File ▸ Team and a status-bar field; call
                                     `shutdown()` before the window goes

Sync itself runs in a child process (runner.py): the window keeps the database open through
Python's sqlite3, and sync works on it through apsw. When the child has finished, what it merged
goes into the activity log under each colleague's name (ops.team.record_pulled, on the
window's own connection), which redraws the views through the window's OpsBridge.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QMessageBox

from tracker.domain.wording import count_of, moment
from tracker.errors import TrackerError
from tracker.ops import team as team_ops
from tracker.sync.status import LocalStatus
from tracker.ui.menu_action import add_action
from tracker.ui.team.runner import Outcome, SyncRunner

if TYPE_CHECKING:
    from tracker.ui.team.conflicts_dialog import ConflictsDialog

__all__ = ["TeamActions", "install"]

START_DELAY_MS = 1500
DEFAULT_MINUTES = 5


def _when(stamp: str | None) -> str:
    """"11:42" today, else "3 Dec 11:42", in the computer's own time zone."""
    if not stamp:
        return ""
    from datetime import datetime

    moment_ = datetime.fromisoformat(stamp).astimezone()
    if moment_.date() == datetime.now().astimezone().date():
        return f"{moment_:%H:%M}"
    return f"{moment_.day} {moment_:%b %H:%M}"


def install(window: QMainWindow) -> TeamActions:
    return TeamActions(window)


class TeamActions(QObject):
    """The window needs `store`, `history`, `settings`, `menus["File"]`, `refresh()`,
    `show_error(what, exc)`, `open_database(path)` and the `store_changed` signal."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.runner = SyncRunner(self)
        self.runner.finished.connect(self._finished)
        self.dialog: ConflictsDialog | None = None
        self.join_job = None
        self.last_outcome: Outcome | None = None
        self.menu = self._build_menu(window.menus["File"])
        self.field = QLabel()
        self.field.setTextFormat(Qt.TextFormat.RichText)
        self.field.setAccessibleName("Team sync")
        self.field.linkActivated.connect(lambda _href: self.review_conflicts())
        window.statusBar().addPermanentWidget(self.field)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.start_timer = QTimer(self)
        self.start_timer.setSingleShot(True)
        self.start_timer.timeout.connect(self._tick)
        window.store_changed.connect(lambda _store: self._store_changed())
        self._store_changed()

    # --- menu ----------------------------------------------------------------------------------

    def _build_menu(self, file_menu: QMenu) -> QMenu:
        menu = QMenu("&Team", self.window)
        anchor = next((a for a in file_menu.actions() if a.text().startswith("Officer")), None)
        file_menu.insertMenu(anchor, menu) if anchor else file_menu.addMenu(menu)

        def action(text: str, slot, tip: str, shortcut: str | None = None) -> QAction:
            return add_action(menu, text, slot, shortcut, tip)

        self.create_action = action("&Create a team from this database…", self.create_team,
                                    "Publish this database as the team's plan, for colleagues to "
                                    "join")
        self.join_action = action("&Join a team…", self.join_team,
                                  "Make a new database from a team's plan, as a new member")
        menu.addSeparator()
        self.sync_action = action("&Sync now", self.sync_now,
                                  "Send your changes to the team and bring in everyone else's",
                                  "F9")
        self.review_action = action("&Review conflicts…", self.review_conflicts,
                                    "Changes of colleagues that met yours, side by side")
        self.settings_action = action("Team &settings…", self.team_settings,
                                      "Where the team's log is, its key, how often to sync")
        return menu

    # --- state --------------------------------------------------------------------------------

    def status(self) -> LocalStatus | None:
        store = self.window.store
        if store.path is None:
            return None
        try:
            return team_ops.team_status(store)
        except Exception:  # the file is being replaced under the window
            return None

    def minutes(self) -> int:
        try:
            return max(1, int(self.window.settings.value("team/minutes", DEFAULT_MINUTES)))
        except (TypeError, ValueError):
            return DEFAULT_MINUTES

    def _store_changed(self) -> None:
        status = self.status()
        member = status is not None
        writable = not self.window.store.read_only and self.window.store.path is not None
        self.create_action.setEnabled(writable and not member)
        self.sync_action.setEnabled(writable and member)
        self.review_action.setEnabled(member)
        self.settings_action.setEnabled(member)
        self.timer.stop()
        if member and writable:
            self.timer.start(self.minutes() * 60_000)
            self.start_timer.start(START_DELAY_MS)  # sync on start, once the window is up
        self.show_field(status)

    def update_field(self, syncing: bool = False) -> None:
        """The status bar's word on team sync, read from the database now."""
        self.show_field(self.status(), syncing)

    def show_field(self, status: LocalStatus | None, syncing: bool = False) -> None:
        """The status bar's word on team sync, from `status` just read (None: not in a team,
        and the field is hidden)."""
        if status is None:
            self.field.setText("")
            self.field.hide()
            return
        parts = []
        if syncing:
            parts.append("Team: syncing…")
        elif status.offline:
            parts.append(f"Team: not synced since {_when(status.synced_at) or 'joining'}")
        else:
            parts.append(f"Team: synced {_when(status.synced_at) or 'never'}")
        if status.waiting:
            parts.append(f"{count_of(status.waiting, 'change')} waiting to go")
        if status.conflicts:
            parts.append(f"<a href='conflicts'>{count_of(status.conflicts, 'conflict')} to "
                         "review</a>")
        self.field.setText(" · ".join(parts))
        last = f"Last synced {moment(status.synced_at)}. " if status.synced_at else ""
        tip = (status.last_error or "") if status.offline else f"The team's log: {status.location}"
        self.field.setToolTip(last + tip)
        self.field.setMinimumWidth(self.field.sizeHint().width())
        self.field.show()

    # --- syncing ------------------------------------------------------------------------------

    def _tick(self) -> None:
        if not self.runner.running and not self.window.store.read_only:
            self.sync_now(quiet=True)

    def sync_now(self, quiet: bool = False) -> bool:
        store = self.window.store
        status = self.status() if not store.read_only else None
        if status is None:
            return False
        if not self.runner.sync(Path(store.path), store.officer):
            return False  # one is running already
        self.quiet = quiet
        self.show_field(status, syncing=True)
        return True

    def _finished(self, outcome: Outcome) -> None:
        self.last_outcome = outcome
        store = self.window.store
        if outcome.action == "create":
            self._created(outcome)
            return
        pulled = 0
        try:
            pulled = team_ops.record_pulled(store)  # redraws the views through the OpsBridge
        except TrackerError as exc:
            self.window.show_error("What the sync brought in was not logged", exc)
        status = self.status()
        self.show_field(status)
        if not outcome.ok and not outcome.message and status is not None:
            # The bundle's windowed program has no stderr: the sentence is in the database.
            outcome = Outcome(outcome.action, False, outcome.offline, status.last_error or
                              "Team sync did not finish; nothing was lost.")
        if outcome.ok:
            if pulled:  # a sync that brought nothing in (most of the periodic ones) reads nothing
                self.window.refresh()
            if status is not None and status.conflicts:
                self.window.statusBar().showMessage(
                    f"Synced: {count_of(status.conflicts, 'conflict')} to review "
                    "(File ▸ Team ▸ Review conflicts).", 10000)
            else:
                self.window.statusBar().showMessage("Synced with the team.", 5000)
            if self.dialog is not None:
                self.dialog.reload()
        elif outcome.offline:
            if not getattr(self, "quiet", False):
                self.window.statusBar().showMessage(outcome.message, 10000)
        else:
            self.window.show_error("The team sync was refused", TrackerError(outcome.message))

    # --- menu actions ---------------------------------------------------------------------------

    def create_team(self) -> bool:
        from tracker.ui.team.setup_dialogs import CreateTeamDialog

        store = self.window.store
        if store.path is None or store.read_only:
            return False
        location = CreateTeamDialog.ask(self.window)
        if not location:
            return False
        return self.create_team_at(location)

    def create_team_at(self, location: str) -> bool:
        store = self.window.store
        if not self.runner.create_team(Path(store.path), store.officer, location):
            return False
        self.field.setText("Team: making the team…")
        self.field.show()
        return True

    def _created(self, outcome: Outcome) -> None:
        from tracker.ui.team.setup_dialogs import KeyDialog

        if not outcome.ok:
            self.window.show_error("The team was not made", TrackerError(outcome.message))
            self._store_changed()
            return
        self._store_changed()
        status = self.status()
        if status is not None:
            dialog = KeyDialog(status.team_key, status.location, self.window, "Team made")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def join_team(self) -> None:
        from tracker.ui.team.setup_dialogs import JoinTeamDialog

        asked = JoinTeamDialog.ask(self.window, str(Path(self.window.store.path or Path.home()
                                                         ).parent))
        if asked is not None:
            self.join_team_at(*asked)

    def join_team_at(self, location: str, key: str, path: Path):
        """Join in a job: apsw writes only the new file, which the window has not opened."""
        from tracker.ui.jobs import run_with_progress

        officer = self.window.store.officer

        def job(_progress, _cancelled):
            from tracker.sync import engine

            return engine.join_team(path, location, key, officer)

        def joined(_result) -> None:
            if self.window.open_database(path):
                self.window.statusBar().showMessage(
                    f"Joined the team: {path.name} holds the team's plan.", 8000)

        def failed(exc: BaseException) -> None:
            self.window.show_error("You did not join the team", exc)

        self.join_job = run_with_progress(self.window, "Joining the team…", job, joined,
                                          failed, cancellable=False)
        return self.join_job

    def review_conflicts(self) -> ConflictsDialog | None:
        from tracker.ui.team.conflicts_dialog import ConflictsDialog

        if self.status() is None:
            return None
        if self.dialog is None:
            self.dialog = ConflictsDialog(self.window)
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.dialog.resolved.connect(lambda _n: self.update_field())
            self.dialog.destroyed.connect(lambda _o=None: setattr(self, "dialog", None))
        self.dialog.reload()
        self.dialog.show()
        self.dialog.activateWindow()
        return self.dialog

    def team_settings(self) -> None:
        from tracker.ui.team.setup_dialogs import TeamSettingsDialog

        status = self.status()
        if status is None:
            return
        dialog = TeamSettingsDialog(status, self.minutes(), self.window)
        if dialog.exec() != TeamSettingsDialog.DialogCode.Accepted:
            return
        self.window.settings.setValue("team/minutes", dialog.minutes.value())
        new_location = dialog.location.text().strip()
        if new_location and new_location != status.location:
            try:
                kept = team_ops.move_team_log(self.window.store, new_location)
            except TrackerError as exc:
                self.window.show_error("The team's log was not moved", exc)
            else:
                QMessageBox.information(self.window, "Team settings",
                                        f"This laptop now syncs with the team's log at {kept}.")
        self._store_changed()

    def shutdown(self) -> None:
        self.timer.stop()
        self.start_timer.stop()
        self.runner.stop()
        if self.dialog is not None:
            self.dialog.close()
