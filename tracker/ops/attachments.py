"""Operations on files attached to evidence: attach, remove, make shareable or internal.

Each is one operation (one transaction, one activity log entry, undone as one step). The file is
read whole, checked against the limit (tracker.domain.attachments.MAX_BYTES) and hashed before
the transaction starts; the row and the bytes are then written together, so a killed process
leaves the file attached whole or not at all.
"""

from __future__ import annotations

from pathlib import Path

from tracker.domain.attachments import LIMIT_WORDS, MAX_BYTES, AttachmentError, check_size
from tracker.domain.model import Visibility
from tracker.domain.wording import quoted
from tracker.ops.core import operation
from tracker.ops.result import OpResult
from tracker.ops.wording import commitment_label
from tracker.store import attachments, evidence
from tracker.store.database import Store
from tracker.store.errors import ValidationError


def read_attachment_file(path: str | Path) -> bytes:
    """The file's bytes; ValidationError (field "file") when it cannot be read or is larger
    than the limit (checked before reading it all)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ValidationError(f"{path.name} is not a file.", "file")
        try:
            check_size(size, path.name)
        except AttachmentError as exc:
            raise ValidationError(str(exc), "file") from None
        with path.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ValidationError(f"Could not read {path.name}: {exc.strerror or exc}.", "file") from exc
    if len(content) > MAX_BYTES:  # it grew while being read
        raise ValidationError(f"{path.name} is larger than {LIMIT_WORDS}, the limit for a file "
                              "attached to evidence.", "file")
    return content


def _of(store: Store, evidence_id: int) -> str:
    item = evidence.get_evidence(store, evidence_id)
    return f"the evidence {quoted(item.text, 50)} of {commitment_label(store, item.commitment_id)}"


def attach_file(store: Store, evidence_id: int, path: str | Path,
                visibility: Visibility | str = Visibility.INTERNAL) -> OpResult:
    """Attach the file at `path` to the evidence (internal only unless said); `value` is the
    new attachment's id."""
    path = Path(path)
    return attach_bytes(store, evidence_id, path.name, read_attachment_file(path), visibility)


def attach_bytes(store: Store, evidence_id: int, file_name: str, content: bytes,
                 visibility: Visibility | str = Visibility.INTERNAL) -> OpResult:
    with operation(store, "attach_file") as op:
        op.value = attachments.add_attachment(store, evidence_id, file_name, content, visibility)
        item = attachments.get_attachment(store, op.value)
        shared = "" if item.visibility is Visibility.INTERNAL else ", shareable with partners"
        op.summary = f"Attached {item.described}{shared} to {_of(store, evidence_id)}"
    return op.result


def remove_attachment(store: Store, attachment_id: int) -> OpResult:
    """`value` is the Attachment removed (its bytes stay for undo)."""
    with operation(store, "remove_attachment") as op:
        op.value = attachments.remove_attachment(store, attachment_id)
        op.summary = f"Removed {op.value.described} from {_of(store, op.value.evidence_id)}"
    return op.result


def set_attachment_visibility(store: Store, attachment_id: int,
                              visibility: Visibility | str) -> OpResult:
    visibility = Visibility(visibility)
    current = attachments.get_attachment(store, attachment_id)
    if current.visibility is visibility:
        raise ValidationError(f"{current.file_name} is already {visibility.label.lower()}.",
                              "visibility")
    with operation(store, "set_attachment_visibility") as op:
        op.value = attachments.set_visibility(store, attachment_id, visibility)
        words = ("shareable with partners (their workbook names it; the file is never sent)"
                 if visibility is Visibility.SHAREABLE else "internal only")
        op.summary = f"Made {current.file_name} of {_of(store, current.evidence_id)} {words}"
    return op.result
