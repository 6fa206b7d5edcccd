"""Starting a plan from the office's own spreadsheet or Word outline: the previewed draft
written as one operation (one transaction, one activity log entry), after a backup."""

from __future__ import annotations

from tracker.domain.model import PlanState
from tracker.exchange.plan_sheet.create import CreatedPlan, create_plan
from tracker.exchange.plan_sheet.draft import PlanDraft
from tracker.ops.core import operation
from tracker.ops.result import OpResult
from tracker.store.backup import take_backup
from tracker.store.database import Store


def import_plan(store: Store, draft: PlanDraft, title: str, period: str,
                state: PlanState = PlanState.ACTIVE) -> OpResult:
    """Create the plan a previewed draft describes; refused (nothing written) while the draft
    has problems. `value` is the CreatedPlan (the new plan's id in `plan_id`)."""
    if store.path is not None and not store.read_only and not draft.problems:
        take_backup(store.conn, store.path, "import-plan")
    with operation(store, "import_plan") as op:
        created: CreatedPlan = create_plan(store, draft, title, period, state)
        op.value = created
        op.summary = (f"Started {' '.join(title.split())} from {draft.source}: "
                      f"{created.message.rstrip('.')}")
    return op.result
