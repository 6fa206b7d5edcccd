"""Pictures of every screen of the window on the built-in sample, from the code, for docs/ and for
looking at what the officer sees.

    QT_QPA_PLATFORM=offscreen python -m tracker.ui.screenshot [FOLDER] [--only NAME,NAME]

writes FOLDER/screens/1280x720/<screen>.png and FOLDER/screens/1920x1080/<screen>.png for each
screen of the main window (Home, the plan tree and a plan's overview, a priority, a commitment,
a search, a filter, a closed plan, the Indicators tab, evidence with a file attached, five
commitments chosen for one status change), FOLDER/screens/dialogs/
<dialog>.png for each dialog at its own size, and the README's pictures at 1280x720:
FOLDER/home.png, FOLDER/main-window.png (a commitment with its evidence) and
FOLDER/indicators.png. FOLDER defaults to docs. docs/make_docs.py calls `main`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

SIZES = ((1280, 720), (1920, 1080))
README = {"home": "home.png", "commitment": "main-window.png", "indicators": "indicators.png"}
ROUND = "2020/21 Q4"  # a reporting round sent in the sample copy, so "who has replied" has rows


def _settle(app, until: Callable[[], bool] | None = None, seconds: float = 10.0) -> None:
    """Let the window paint, and wait for its workers (the counts) to report."""
    end = time.monotonic() + seconds
    for _ in range(5):
        app.processEvents()
    while until is not None and not until() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    only: set[str] | None = None
    if "--only" in args:
        at = args.index("--only")
        only = set(args[at + 1].split(","))
        del args[at:at + 2]
    folder = Path(args[0] if args else "docs")
    if folder.suffix == ".png":  # the old form: one picture of the main window
        folder = folder.parent
    saved = take_all(folder, only)
    for path in saved:
        print(f"saved {path}")
    return 0


def take_all(folder: Path, only: set[str] | None = None, sizes=SIZES) -> list[Path]:
    """Every screen at every size (or those named in `only`); the files written."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from tracker import ops
    from tracker.store.location import create_database
    from tracker.ui.app import make_application
    from tracker.ui.main_window import MainWindow

    app = make_application()
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        store = create_database(work_dir / "sample.db", officer="A. Officer")
        sent = work_dir / "sent"
        sent.mkdir()
        ops.send_round(store, ROUND, sent, due_date=date.today() + timedelta(days=28))
        settings = QSettings(str(work_dir / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(store, settings)
        window.show()
        try:
            for width, height in sizes:
                window.resize(width, height)
                target = folder / "screens" / f"{width}x{height}"
                for name, setup in window_screens(window).items():
                    if only is not None and name not in only:
                        continue
                    setup()
                    _settle(app, lambda: not window.home.pending
                            and not window.workspace.detail.plan_page.overview.pending
                            and not window.workspace.detail.priority_page.overview.pending
                            and not (window.tabs.currentWidget() is window.indicators
                                     and (window.indicators.loading()
                                          or window.indicators.grid.waiting())))
                    saved.append(_save(window, target / f"{name}.png"))
                    if (width, height) == sizes[0] and name in README:
                        saved.append(_save(window, folder / README[name]))
            for name, make in dialog_screens(window).items():
                if only is not None and name not in only:
                    continue
                dialog = make()
                dialog.show()
                _settle(app)
                saved.append(_save(dialog, folder / "screens" / "dialogs" / f"{name}.png"))
                dialog.close()
                dialog.deleteLater()
                _settle(app)
        finally:
            window.shutdown()
            window.close()
            window.deleteLater()
            QApplication.processEvents()
    return saved


def _save(widget, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))
    return path


def _sample(window):
    """The plan the window opens on, its first priority, and a commitment with evidence."""
    from tracker.store import queries

    store = window.store
    plan = queries.default_plan(store)
    priority = queries.list_priorities(store, plan.id)[0]
    chosen = next(c for c in queries.list_commitments(store, priority.id)
                  if queries.list_evidence(store, c.id))
    return plan, priority, chosen


def window_screens(window) -> dict[str, Callable[[], None]]:
    """Each screen of the main window: a function that brings it up."""
    from tracker.domain.status import Status
    from tracker.store import queries
    from tracker.ui.models.plan_tree import COMMITMENT, PLAN, PRIORITY

    ws = window.workspace
    plan, priority, chosen = _sample(window)
    closed = next((p for p in queries.list_plans(window.store) if p.is_closed), plan)

    def tree(key):
        def show() -> None:
            ws.filter_bar.reset()
            window.tabs.setCurrentWidget(ws)
            ws.tree.collapseAll()
            ws.expand_key((PLAN, plan.id))
            if key[0] == COMMITMENT:
                ws.expand_key((PRIORITY, priority.id))
            ws.select_key(key)
        return show

    def home() -> None:
        window.show_home()

    def search() -> None:
        tree((PLAN, plan.id))()
        window.focus_search()
        ws.filter_bar.text.setText("body worn")
        ws.filter_bar.flush()

    def filtered() -> None:
        tree((PLAN, plan.id))()
        window.focus_filter()
        ws.filter_bar.status.setCurrentIndex(
            ws.filter_bar.status.findData(Status.CARRIED_FORWARD.value))

    def closed_plan() -> None:
        ws.filter_bar.reset()
        window.tabs.setCurrentWidget(ws)
        ws.select_key((PLAN, closed.id))

    def indicators() -> None:
        window.indicators.set_plan(plan.id)
        window.tabs.setCurrentWidget(window.indicators)

    def evidence_with_file() -> None:
        tree((COMMITMENT, chosen.id))()
        page = ws.detail.commitment_page
        item = _with_a_file(window, chosen)
        page.table.select_id(item)

    def many_chosen() -> None:
        tree((COMMITMENT, chosen.id))()
        ws.expand_key((PRIORITY, priority.id))
        for c in queries.list_commitments(window.store, priority.id)[:5]:
            index = ws.model.locate((COMMITMENT, c.id))
            ws.tree.selectionModel().select(
                index, ws.tree.selectionModel().SelectionFlag.Select
                | ws.tree.selectionModel().SelectionFlag.Rows)

    return {"home": home, "plan": tree((PLAN, plan.id)), "priority": tree((PRIORITY, priority.id)),
            "commitment": tree((COMMITMENT, chosen.id)), "search": search, "filter": filtered,
            "closed-plan": closed_plan, "indicators": indicators,
            "evidence-with-file": evidence_with_file, "many-chosen": many_chosen}


def _with_a_file(window, commitment) -> int:
    """The commitment's first evidence, with a file attached (once): a text file holding the
    evidence's own statement, as an officer might attach the note it came from."""
    from tracker import ops
    from tracker.store import queries

    item = queries.list_evidence(window.store, commitment.id)[0]
    if not queries.list_attachments(window.store, item.id):
        window.history.perform(
            lambda s: ops.attach_bytes(s, item.id, "Source note.txt", item.text.encode("utf-8")),
            "Attach Source note.txt")
    return item.id


def dialog_screens(window) -> dict[str, Callable[[], object]]:
    """Each dialog: a function that makes it (not shown yet)."""
    from tracker.store import queries
    from tracker.ui.dialogs.activity_dialog import ActivityDialog
    from tracker.ui.dialogs.commitment_dialog import CommitmentDialog
    from tracker.ui.dialogs.evidence_dialog import EvidenceDialog
    from tracker.ui.dialogs.new_plan_dialog import NewPlanDialog
    from tracker.ui.dialogs.status_dialog import StatusDialog
    from tracker.ui.indicators.dialog import IndicatorDialog
    from tracker.ui.report_dialog import ReportDialog
    from tracker.ui.returns import ExportReturnsDialog, RoundStatusDialog
    from tracker.ui.rounds.contacts_dialog import ContactsDialog
    from tracker.ui.rounds.rounds_dialog import RoundsDialog
    from tracker.ui.rounds.template_dialog import EmailTemplateDialog

    store = window.store
    plan, priority, chosen = _sample(window)
    indicator = next(i for i in queries.list_indicators(store, plan_id=plan.id)
                     if queries.list_values(store, i.id))

    def indicator_dialog():
        dialog = IndicatorDialog(store, indicator.id, window.history, window.bridge, window)
        dialog.finished.connect(lambda _r: dialog.dispose())
        return dialog

    def print_preview():
        from tracker.ui.models.plan_tree import PRIORITY

        window.tabs.setCurrentWidget(window.workspace)
        window.workspace.select_key((PRIORITY, priority.id))
        dialog = window.printing.preview_current()
        dialog.hide()
        return dialog

    def indicator_1280():
        dialog = indicator_dialog()
        dialog.resize(1240, 660)  # as big as it gets on a 1280 x 720 screen
        return dialog

    five = [c.id for c in queries.list_commitments(store, priority.id)[:5]]
    return {
        "status": lambda: StatusDialog(store, chosen.id, parent=window),
        "status-of-five": lambda: StatusDialog(store, five, parent=window),
        "add-commitment": lambda: CommitmentDialog(store, priority.id, parent=window),
        "indicator-1280x720": indicator_1280,
        "evidence": lambda: EvidenceDialog(store, chosen.id, parent=window),
        "indicator": indicator_dialog,
        "report": lambda: ReportDialog(store, plan.id, window),
        "send-returns": lambda: ExportReturnsDialog(store, window),
        "who-has-replied": lambda: RoundStatusDialog(store, window, ROUND, history=window.history),
        "rounds": lambda: RoundsDialog(store, window, window.history),
        "contacts": lambda: ContactsDialog(store, window, window.history),
        "e-mail-wording": lambda: EmailTemplateDialog(store, window, window.history),
        "activity": lambda: ActivityDialog(store, window.bridge, plan.id, window),
        "new-plan": lambda: NewPlanDialog(store, plan.id, window),
        "print-preview": print_preview,
        **_team_dialogs(window),
    }


def _team_dialogs(window) -> dict[str, Callable[[], object]]:
    from tracker.sync.status import LocalStatus
    from tracker.ui.team.conflicts_dialog import ConflictsDialog
    from tracker.ui.team.setup_dialogs import (
        CreateTeamDialog,
        JoinTeamDialog,
        KeyDialog,
        TeamSettingsDialog,
    )

    share, key = "\\\\pfcc-files\\performance\\plan-team", "ct1-" + "-".join(["ABCD"] * 13)
    status = LocalStatus(share, key, "0f3c9a2e-laptop", 12, None, 2, 1, None, None)
    return {
        "create-team": lambda: CreateTeamDialog(window),
        "join-team": lambda: JoinTeamDialog(window),
        "team-key": lambda: KeyDialog(key, share, window),
        "team-settings": lambda: TeamSettingsDialog(status, 5, window),
        "conflicts": lambda: ConflictsDialog(window),
    }


if __name__ == "__main__":
    raise SystemExit(main())
