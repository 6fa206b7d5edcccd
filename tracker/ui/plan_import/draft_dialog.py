"""What the two plan-import dialogs (spreadsheet, outline) share: the preview of the draft, the
new plan's title and period, a Create button enabled only when there is nothing to fix, and
the creation itself, run off the GUI thread as one operation (ops.import_plan)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QWidget

from tracker import ops
from tracker.errors import TrackerError
from tracker.exchange.plan_sheet.draft import PlanDraft
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui.jobs import ProgressTask, run_with_progress
from tracker.ui.plan_import.draft_view import DraftView
from tracker.ui.plan_import.plan_fields import PlanFields


class PlanDraftDialog(QDialog):
    """The base of a dialog that previews a plan draft and creates it. A subclass lays out
    `preview`, `fields` and `buttons`, and sets `draft` in `rebuild()` (the `timer` calls it a
    moment after the last change).

    Signals:
        created(object): the operation's OpResult, once the plan is created (its id in
            value.plan_id).
    """

    created = Signal(object)
    REBUILD_AFTER_MS = 200

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.draft: PlanDraft | None = None
        self.task: ProgressTask | None = None
        self.result: ops.OpResult | None = None
        self.known = {p.name for p in queries.list_partners(store)}
        self.preview = DraftView()
        self.fields = PlanFields()
        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton("&Create plan",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(self.REBUILD_AFTER_MS)
        self.timer.timeout.connect(self.rebuild)
        self.fields.changed.connect(self._update_button)

    def rebuild(self) -> None:
        """Read the draft again from what the officer chose (subclasses)."""
        raise NotImplementedError

    def show_draft(self, draft: PlanDraft | None) -> None:
        self.draft = draft
        self.preview.show_draft(draft)
        self._update_button()

    def _update_button(self) -> None:
        ready = self.draft is not None and self.draft.can_create \
            and self.fields.values(show_errors=False) is not None
        self.create_button.setEnabled(ready and self.task is None)
        if self.draft is not None and not self.draft.can_create:
            self.create_button.setToolTip("Fix the problems in the preview first.")
        elif not ready:
            self.create_button.setToolTip("Give the plan a title and a period.")
        else:
            self.create_button.setToolTip("Create the plan as the preview shows it.")

    def create(self) -> None:
        if self.timer.isActive():
            self.rebuild()
        values = self.fields.values()
        if values is None or self.draft is None or not self.draft.can_create or self.task:
            return
        store, draft = self.store, self.draft

        def job(_progress, _cancelled):
            with store.for_worker() as own:  # a large plan takes seconds: off the GUI thread
                return ops.import_plan(own, draft, *values)

        self.create_button.setEnabled(False)
        self.task = run_with_progress(self, "Creating the plan…", job, self._created,
                                      self._not_created, cancellable=False)

    def _created(self, result: ops.OpResult) -> None:
        self.task = None
        self.result = result
        self.created.emit(result)
        self.accept()  # deletes the dialog later (and the task with it), never at once

    def _not_created(self, exc: BaseException) -> None:
        self.task = None
        self._update_button()
        if not isinstance(exc, TrackerError):
            raise exc
        QMessageBox.warning(self, "The plan was not created", str(exc))
