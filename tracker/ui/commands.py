"""Undo commands: every edit in the workspace is one of these on the window's QUndoStack.

A command is carried out once, before it goes on the stack (`Editor.run`): if the store refuses
it (bad input, read-only file, closed plan) nothing is pushed and the officer is told why.
Undo and redo then call the store again, so an undone edit is undone in the database too.
The old values are captured when the command is made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtGui import QUndoCommand, QUndoStack

from tracker.domain.model import Evidence, PlanState
from tracker.domain.status import Status
from tracker.store import commitments, edits, evidence, lifecycle, partners, plans
from tracker.store.database import Store
from tracker.store.errors import StoreError, ValidationError
from tracker.store.evidence import EvidenceInput

# What changed, for the window to show again:
# ("commitment" | "priority" | "plan" | "new_commitment" | "new_plan", id)
Changed = Callable[[str, int], None]


class Editor:
    """Runs commands against the store and puts them on the undo stack."""

    def __init__(self, store: Store, stack: QUndoStack, changed: Changed,
                 report: Callable[[str, StoreError], None]):
        self.store = store
        self.stack = stack
        self.changed = changed
        self.report = report
        # Undoing a delete puts evidence back under a new row id (same uid): every command
        # follows the evidence by uid, so older commands on the stack still find it.
        self._evidence_ids: dict[str, int] = {}

    def evidence_id(self, uid: str | None, fallback: int) -> int:
        return self._evidence_ids.get(uid, fallback) if uid else fallback

    def evidence_moved(self, uid: str | None, evidence_id: int) -> None:
        if uid:
            self._evidence_ids[uid] = evidence_id

    def run(self, command: StoreCommand, what: str | None = None) -> StoreError | None:
        """Carry the command out; on success push it; return the refusal otherwise.

        A refusal is reported (message box) when `what` ("The plan was not closed") is given,
        and always when it is not about the input (file gone, read-only, busy): a field that
        refused its input shows that under the field instead.
        """
        command.editor = self
        try:
            edits.check_file_still_there(self.store)
            command.apply()
        except StoreError as exc:
            if what is not None or not isinstance(exc, ValidationError):
                self.report(what or "Nothing was saved", exc)
            return exc
        command.done_once = True
        self.stack.push(command)
        command.notify()
        return None


class StoreCommand(QUndoCommand):
    def __init__(self, text: str):
        super().__init__(text)
        self.editor: Editor | None = None
        self.done_once = False

    @property
    def store(self) -> Store:
        return self.editor.store

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def notify(self) -> None:
        """Tell the window what to show again."""

    def redo(self) -> None:
        if self.done_once:  # already carried out by Editor.run
            self.done_once = False
            return
        self._guard(self.apply, "redo")

    def undo(self) -> None:
        self._guard(self.revert, "undo")

    def _guard(self, step: Callable[[], None], verb: str) -> None:
        try:
            edits.check_file_still_there(self.store)
            step()
        except StoreError as exc:
            # The stack has moved but the database has not: drop this command so the two
            # never disagree, and say so (after the redraw, whose "Saved." it must replace).
            self.setObsolete(True)
            self.notify()
            self.editor.report(f"Could not {verb} “{self.text()}”", exc)
            return
        self.notify()


class EditFields(StoreCommand):
    """Change fields of a plan, priority or commitment."""

    UPDATERS: ClassVar[dict[str, Callable[..., None]]] = {
        "plan": plans.update_plan,
        "priority": plans.update_priority,
        "commitment": edits.edit_commitment,
    }

    def __init__(self, kind: str, item_id: int, old: dict[str, Any], new: dict[str, Any], label: str):
        super().__init__(f"Edit {label}")
        self.kind, self.item_id, self.old, self.new = kind, item_id, old, new

    def apply(self) -> None:
        self.UPDATERS[self.kind](self.store, self.item_id, **self.new)

    def revert(self) -> None:
        self.UPDATERS[self.kind](self.store, self.item_id, **self.old)

    def notify(self) -> None:
        self.editor.changed(self.kind, self.item_id)


class SetStatus(StoreCommand):
    def __init__(self, commitment_id: int, status: Status, reason: str, label: str):
        super().__init__(f"Set {label} to {status.label}")
        self.commitment_id, self.status, self.reason = commitment_id, status, reason
        self.change_id: int | None = None

    def apply(self) -> None:
        self.change_id = commitments.set_status(self.store, self.commitment_id, self.status, self.reason)

    def revert(self) -> None:
        if self.change_id is not None:
            lifecycle.revert_status_change(self.store, self.change_id)

    def notify(self) -> None:
        self.editor.changed("commitment", self.commitment_id)


class SetPartners(StoreCommand):
    def __init__(self, commitment_id: int, old: list[int], new: list[int], label: str):
        super().__init__(f"Change partners of {label}")
        self.commitment_id, self.old, self.new = commitment_id, old, new

    def apply(self) -> None:
        partners.set_commitment_partners(self.store, self.commitment_id, self.new)

    def revert(self) -> None:
        partners.set_commitment_partners(self.store, self.commitment_id, self.old)

    def notify(self) -> None:
        self.editor.changed("commitment", self.commitment_id)


def as_input(item: Evidence) -> EvidenceInput:
    return EvidenceInput(item.text, item.evidence_date, item.period, item.partner_id, item.figure,
                         item.unit, item.link, item.visibility)


class AddEvidence(StoreCommand):
    def __init__(self, commitment_id: int, item: EvidenceInput, label: str):
        super().__init__(f"Add evidence to {label}")
        self.commitment_id, self.item = commitment_id, item
        self.evidence_id: int | None = None
        self.uid: str | None = None
        self.removed: Evidence | None = None

    def apply(self) -> None:
        if self.removed is None:
            self.evidence_id = evidence.add_evidence(self.store, self.commitment_id, self.item)
            self.uid = evidence.get_evidence(self.store, self.evidence_id).uid
        else:
            self.evidence_id = evidence.restore_evidence(self.store, self.removed)
        self.editor.evidence_moved(self.uid, self.evidence_id)

    def revert(self) -> None:
        self.removed = evidence.delete_evidence(
            self.store, self.editor.evidence_id(self.uid, self.evidence_id))

    def notify(self) -> None:
        self.editor.changed("commitment", self.commitment_id)


class EditEvidence(StoreCommand):
    def __init__(self, before: Evidence, item: EvidenceInput):
        super().__init__("Edit evidence")
        self.evidence_id, self.commitment_id = before.id, before.commitment_id
        self.uid = before.uid
        self.old, self.new = as_input(before), item

    def apply(self) -> None:
        evidence.update_evidence(self.store, self.editor.evidence_id(self.uid, self.evidence_id),
                                 self.new)

    def revert(self) -> None:
        evidence.update_evidence(self.store, self.editor.evidence_id(self.uid, self.evidence_id),
                                 self.old)

    def notify(self) -> None:
        self.editor.changed("commitment", self.commitment_id)


class DeleteEvidence(StoreCommand):
    def __init__(self, item: Evidence):
        super().__init__("Delete evidence")
        self.evidence_id, self.commitment_id = item.id, item.commitment_id
        self.uid = item.uid
        self.removed: Evidence | None = None

    def apply(self) -> None:
        self.removed = evidence.delete_evidence(
            self.store, self.editor.evidence_id(self.uid, self.evidence_id))

    def revert(self) -> None:
        # Back in its place with its uid; the row id is new.
        self.evidence_id = evidence.restore_evidence(self.store, self.removed)
        self.editor.evidence_moved(self.uid, self.evidence_id)

    def notify(self) -> None:
        self.editor.changed("commitment", self.commitment_id)


class MoveEvidence(StoreCommand):
    def __init__(self, item: Evidence, new_position: int):
        super().__init__("Move evidence")
        self.evidence_id, self.commitment_id = item.id, item.commitment_id
        self.uid = item.uid
        self.old_position, self.new_position = item.position, new_position

    def apply(self) -> None:
        evidence.move_evidence(self.store, self.editor.evidence_id(self.uid, self.evidence_id),
                               self.new_position)

    def revert(self) -> None:
        evidence.move_evidence(self.store, self.editor.evidence_id(self.uid, self.evidence_id),
                               self.old_position)

    def notify(self) -> None:
        self.editor.changed("commitment", self.commitment_id)


class AddCommitment(StoreCommand):
    def __init__(self, priority_id: int, parent_id: int | None, text: str, code: str | None):
        super().__init__("Add sub-point" if parent_id else "Add commitment")
        self.priority_id, self.parent_id, self.text_, self.code = priority_id, parent_id, text, code
        self.commitment_id: int | None = None

    def apply(self) -> None:
        self.commitment_id = commitments.add_commitment(
            self.store, self.priority_id, self.text_, code=self.code, parent_id=self.parent_id)

    def revert(self) -> None:
        commitments.delete_commitment(self.store, self.commitment_id)

    def notify(self) -> None:
        self.editor.changed("new_commitment", self.commitment_id or 0)


class DeleteCommitment(StoreCommand):
    """Delete a commitment with its sub-points, evidence and history; undo puts all back."""

    def __init__(self, commitment_id: int, label: str):
        super().__init__(f"Delete {label}")
        self.commitment_id = commitment_id
        self.removed: commitments.RemovedCommitment | None = None

    def apply(self) -> None:
        self.removed = commitments.remove_commitment(self.store, self.commitment_id)

    def revert(self) -> None:
        self.commitment_id = commitments.restore_commitment(self.store, self.removed)
        self.restored = True

    def notify(self) -> None:
        restored = getattr(self, "restored", False)
        self.restored = False
        self.editor.changed("new_commitment" if restored else "priority", self.commitment_id)


class ClosePlan(StoreCommand):
    def __init__(self, plan_id: int, title: str):
        super().__init__(f"Close {title}")
        self.plan_id = plan_id
        self.before = PlanState.ACTIVE

    def apply(self) -> None:
        self.before = lifecycle.close_plan(self.store, self.plan_id)

    def revert(self) -> None:
        lifecycle.reopen_plan(self.store, self.plan_id, self.before)

    def notify(self) -> None:
        self.editor.changed("plan", self.plan_id)


class ReopenPlan(StoreCommand):
    def __init__(self, plan_id: int, title: str):
        super().__init__(f"Reopen {title}")
        self.plan_id = plan_id

    def apply(self) -> None:
        lifecycle.reopen_plan(self.store, self.plan_id, PlanState.ACTIVE)

    def revert(self) -> None:
        lifecycle.close_plan(self.store, self.plan_id)

    def notify(self) -> None:
        self.editor.changed("plan", self.plan_id)


class NewPlanFrom(StoreCommand):
    def __init__(self, source_plan_id: int, title: str, period: str,
                 priorities: list[lifecycle.NewPriority], priority_map: dict[int, int],
                 carry: list[int]):
        super().__init__(f"New plan {title}")
        self.args = (source_plan_id, title, period, priorities, priority_map, carry)
        self.result: lifecycle.NewPlanResult | None = None

    def apply(self) -> None:
        self.result = lifecycle.new_plan_from(self.store, *self.args)

    def revert(self) -> None:
        lifecycle.undo_new_plan(self.store, self.result)

    def notify(self) -> None:
        self.editor.changed("new_plan", self.result.plan_id if self.result else 0)
