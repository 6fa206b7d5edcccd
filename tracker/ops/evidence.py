"""Operations on evidence: add, edit, move, delete."""

from __future__ import annotations

from tracker.domain.wording import quoted
from tracker.ops.core import operation
from tracker.ops.result import OpResult
from tracker.ops.wording import commitment_label
from tracker.store import evidence
from tracker.store.database import Store
from tracker.store.evidence import EvidenceInput


def add_evidence(store: Store, commitment_id: int, item: EvidenceInput) -> OpResult:
    """Add evidence at the end of the commitment's list; `value` is its id."""
    item = item.validated()
    with operation(store, "add_evidence") as op:
        op.value = evidence.add_evidence(store, commitment_id, item)
        op.summary = (f"Added evidence to {commitment_label(store, commitment_id)}: "
                      f"{quoted(item.text, 80)}")
    return op.result


def edit_evidence(store: Store, evidence_id: int, item: EvidenceInput) -> OpResult:
    item = item.validated()
    current = evidence.get_evidence(store, evidence_id)
    with operation(store, "edit_evidence") as op:
        evidence.update_evidence(store, evidence_id, item)
        op.summary = (f"Edited evidence of {commitment_label(store, current.commitment_id)}: "
                      f"{quoted(item.text, 80)}")
    return op.result


def move_evidence(store: Store, evidence_id: int, position: int) -> OpResult:
    """Move evidence to `position` (1 is first) in its commitment's list."""
    current = evidence.get_evidence(store, evidence_id)
    with operation(store, "move_evidence") as op:
        evidence.move_evidence(store, evidence_id, position)
        op.summary = (f"Moved the evidence {quoted(current.text, 50)} of "
                      f"{commitment_label(store, current.commitment_id)} to place {position}")
    return op.result


def delete_evidence(store: Store, evidence_id: int) -> OpResult:
    """`value` is the deleted Evidence."""
    with operation(store, "delete_evidence") as op:
        op.value = evidence.delete_evidence(store, evidence_id)
        op.summary = (f"Deleted the evidence {quoted(op.value.text, 80)} of "
                      f"{commitment_label(store, op.value.commitment_id)}")
    return op.result
