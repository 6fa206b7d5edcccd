"""Files attached to evidence, kept inside the database (db/007_attachments.sql).

An attachment row names the file (name, size, SHA-256, media type, visibility) and belongs to
one evidence item; its bytes are in attachment_content under their SHA-256, written in the
same transaction as the row, so a killed process leaves the file attached whole or not at all.
The bytes are checked against their SHA-256 whenever they are read back.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker.domain.attachments import (
    Attachment,
    AttachmentError,
    check_size,
    clean_file_name,
    media_type_of,
    sha256_of,
)
from tracker.domain.model import Visibility
from tracker.store import texts
from tracker.store.clock import new_uid, now, row_id
from tracker.store.commitments import get_commitment
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, StoreError, ValidationError
from tracker.store.evidence import get_evidence, touch_evidence
from tracker.store.plans import ensure_plan_open, plan_id_of_priority

_COLUMNS = ("id, uid, evidence_id, position, file_name, media_type, size, sha256, visibility, "
            "added_by, created_at")


def _attachment(r: tuple) -> Attachment:
    return Attachment(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], Visibility(r[8]), r[9],
                      r[10])


def list_attachments(store: Store, evidence_id: int) -> list[Attachment]:
    return [_attachment(r) for r in store.execute(
        f"SELECT {_COLUMNS} FROM attachment WHERE evidence_id = ? ORDER BY position, id",
        (evidence_id,))]


def attachments_for(store: Store, evidence_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """The attachments of each of these evidence items (missing: none), in one query."""
    ids = sorted(set(evidence_ids))
    found: dict[int, list[Attachment]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for r in store.execute(f"SELECT {_COLUMNS} FROM attachment WHERE evidence_id IN "
                               f"({marks}) ORDER BY evidence_id, position, id", tuple(chunk)):
            found.setdefault(r[2], []).append(_attachment(r))
    return found


def count_attachments(store: Store) -> int:
    """How many files are attached to evidence in the whole database."""
    return store.execute("SELECT count(*) FROM attachment").fetchone()[0]


def get_attachment(store: Store, attachment_id: int) -> Attachment:
    row = store.execute(f"SELECT {_COLUMNS} FROM attachment WHERE id = ?",
                        (attachment_id,)).fetchone()
    if row is None:
        raise NotFoundError("That file is no longer attached (it was removed, or its evidence "
                            "deleted).")
    return _attachment(row)


def content_of(store: Store, attachment_id: int) -> bytes:
    """The file's bytes, checked against its SHA-256; StoreError if they are missing or
    damaged."""
    item = get_attachment(store, attachment_id)
    row = store.execute("SELECT content FROM attachment_content WHERE sha256 = ?",
                        (item.sha256,)).fetchone()
    if row is None:
        raise StoreError(f"The bytes of {item.file_name} are not in this database (a team "
                         "colleague's copy may not have synced them yet).")
    content = bytes(row[0])
    if len(content) != item.size or sha256_of(content) != item.sha256:
        raise StoreError(f"The copy of {item.file_name} in this database is damaged (its "
                         "SHA-256 does not match); attach the file again.")
    return content


def _check_open(store: Store, evidence_id: int) -> int:
    """The evidence's commitment, once its plan is known to be open."""
    item = get_evidence(store, evidence_id)
    ensure_plan_open(store, plan_id_of_priority(
        store, get_commitment(store, item.commitment_id).priority_id))
    return item.commitment_id


def add_attachment(store: Store, evidence_id: int, file_name: str, content: bytes,
                   visibility: Visibility | str = Visibility.INTERNAL, *,
                   uid: str | None = None) -> int:
    """Attach `content` as `file_name` to the evidence; its id. ValidationError (field "file")
    when the file is too large or its name unusable."""
    try:
        name = clean_file_name(file_name)
        check_size(len(content), name)
    except AttachmentError as exc:
        raise ValidationError(str(exc), "file") from None
    texts.check(name, "The file name", "file")
    visibility = Visibility(visibility)
    digest = sha256_of(content)
    stamp = now()
    with store.transaction():
        _check_open(store, evidence_id)
        store.execute("INSERT OR IGNORE INTO attachment_content (sha256, size, content, "
                      "created_at) VALUES (?, ?, ?, ?)", (digest, len(content), content, stamp))
        position = store.execute("SELECT coalesce(max(position), 0) + 1 FROM attachment "
                                 "WHERE evidence_id = ?", (evidence_id,)).fetchone()[0]
        uid = uid or new_uid()
        store.execute(
            "INSERT INTO attachment (id, uid, evidence_id, position, file_name, media_type, size, "
            "sha256, visibility, added_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid), uid, evidence_id, position, name, media_type_of(name), len(content),
             digest, visibility.value, store.officer, stamp, stamp))
        touch_evidence(store, evidence_id, stamp)
        return row_id(uid)


def remove_attachment(store: Store, attachment_id: int) -> Attachment:
    """Take the file off its evidence; what was removed. The bytes stay (undo brings the
    attachment back)."""
    with store.transaction():
        item = get_attachment(store, attachment_id)
        _check_open(store, item.evidence_id)
        store.execute("DELETE FROM attachment WHERE id = ?", (attachment_id,))
        store.execute("UPDATE attachment SET position = position - 1 WHERE evidence_id = ? "
                      "AND position > ?", (item.evidence_id, item.position))
        touch_evidence(store, item.evidence_id, now())
        return item


def set_visibility(store: Store, attachment_id: int, visibility: Visibility | str) -> Attachment:
    visibility = Visibility(visibility)
    with store.transaction():
        item = get_attachment(store, attachment_id)
        _check_open(store, item.evidence_id)
        if item.visibility is not visibility:
            stamp = now()
            store.execute("UPDATE attachment SET visibility = ?, updated_at = ? WHERE id = ?",
                          (visibility.value, stamp, attachment_id))
            touch_evidence(store, item.evidence_id, stamp)
        return get_attachment(store, attachment_id)


def unused_content(store: Store) -> int:
    """How many kept files no attachment names any more (kept for undo)."""
    return store.execute("SELECT count(*) FROM attachment_content c WHERE NOT EXISTS "
                         "(SELECT 1 FROM attachment a WHERE a.sha256 = c.sha256)").fetchone()[0]
