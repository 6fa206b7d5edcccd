"""Field checks for edits made in place in the workspace, before the store writes them."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from tracker.domain.dates import parse_day
from tracker.store.commitments import update_commitment, validate_text
from tracker.store.database import Store
from tracker.store.errors import ReadOnlyError, StoreError, ValidationError


def validate_due_date(value: str | date | None) -> str | None:
    """The due date as stored (ISO); read day first as an officer types it (15/11/2026)."""
    if isinstance(value, date):
        return value.isoformat()
    text = (value or "").strip()
    if not text:
        return None
    try:
        return parse_day(text).isoformat()
    except ValueError as exc:
        raise ValidationError(f"The due date: {exc}", "due_date") from exc


def clean_commitment_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as they will be stored; raises ValidationError naming the bad field."""
    clean = dict(fields)
    if "text" in clean:
        clean["text"] = validate_text(clean["text"])
    if "due_date" in clean:
        clean["due_date"] = validate_due_date(clean["due_date"])
    for name in ("code", "lead", "source"):
        if name in clean:
            clean[name] = " ".join(str(clean[name] or "").split()) or None
    return clean


def edit_commitment(store: Store, commitment_id: int, **fields: Any) -> None:
    update_commitment(store, commitment_id, **clean_commitment_fields(fields))


def check_file_still_there(store: Store) -> None:
    """Before an edit: the open file may have been deleted, moved or made read-only behind
    the application's back. SQLite would go on writing to the open handle of a deleted file,
    so the edit would look saved and be lost; refuse it with a message instead."""
    path = store.path
    if path is None or store.read_only:
        return
    if not path.exists():
        raise StoreError(f"{path} has disappeared (deleted or moved). Nothing was saved; save a "
                         "copy (File ▸ Save a copy) to keep what is on screen.")
    if not os.access(path, os.W_OK):
        raise ReadOnlyError(f"{path} has become read-only. Nothing was saved.")
