"""The return records: one partner_return row per workbook sent, filled in when it comes
back (who, when, which file) and when it is reverted."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tracker.store.clock import new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError


@dataclass(frozen=True)
class ReturnRecord:
    id: int
    uid: str
    export_uid: str
    partner_id: int
    partner_name: str
    round: str
    exported_at: str | None
    exported_by: str | None
    due_date: str | None
    imported_at: str | None
    imported_by: str | None
    file_name: str | None
    sha256: str | None
    counts: dict[str, int]
    reverted_at: str | None
    reverted_by: str | None
    # Whether return_change lists every change of the import (one recorded before schema 8),
    # not only its indicator values.
    lists_every_change: bool

    @property
    def is_applied(self) -> bool:
        return self.imported_at is not None and self.reverted_at is None

    @property
    def label(self) -> str:
        return return_label(self.partner_name, self.round)


def return_label(partner_name: str, round_label: str) -> str:
    """How an officer names a return: "Essex Police's 2021/22 Q2 return". Its id (63 bits, 18
    or 19 digits) is a handle for the command line, not words for a sentence."""
    return f"{partner_name}'s {round_label} return"


_RETURN_SELECT = ("SELECT r.*, p.name AS partner_name FROM partner_return r "
                  "JOIN partner p ON p.id = r.partner_id ")


def _record(r: dict[str, Any]) -> ReturnRecord:
    return ReturnRecord(
        r["id"], r["uid"], r["export_uid"] or r["uid"], r["partner_id"], r["partner_name"],
        r["round"], r["exported_at"], r["exported_by"], r["due_date"], r["imported_at"],
        r["imported_by"], r["file_name"], r["sha256"], json.loads(r["counts"] or "{}"),
        r["reverted_at"], r["reverted_by"], bool(r["lists_every_change"]))


def record_export(store: Store, partner_id: int, round_label: str, due_date: str | None,
                  export_uid: str | None = None, sent_path: str | None = None,
                  sent_sha256: str | None = None) -> ReturnRecord:
    """The "sent" record for one partner's workbook, in its round (made if it is the round's
    first workbook), with where the workbook was written so a reminder can attach it again."""
    from tracker.store import rounds

    uid = export_uid or new_uid()
    stamp = now()
    with store.transaction():
        round_id = rounds.ensure_round(store, round_label, due_date).id
        new_id = store.execute(
            "INSERT INTO partner_return (id, uid, export_uid, partner_id, round, round_id, "
            "exported_at, exported_by, due_date, sent_path, sent_sha256, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid), uid, uid, partner_id, round_label, round_id, stamp, store.officer,
             due_date, sent_path, sent_sha256, stamp, stamp),
        ).lastrowid
    return get_return(store, new_id)


def get_return(store: Store, return_id: int) -> ReturnRecord:
    for r in store.query(_RETURN_SELECT + "WHERE r.id = ?", [return_id]):
        return _record(r)
    raise NotFoundError(f"No partner return with id {return_id}.")


def find_export(store: Store, export_uid: str) -> ReturnRecord | None:
    """The sent record for the workbook with this identifier."""
    for r in store.query(_RETURN_SELECT + "WHERE r.uid = ?", [export_uid]):
        return _record(r)
    return None


def applied_import_of(store: Store, export_uid: str) -> ReturnRecord | None:
    """The import of this exported workbook that is in force (imported, not reverted)."""
    for r in store.query(
        _RETURN_SELECT + "WHERE r.export_uid = ? AND r.imported_at IS NOT NULL "
        "AND r.reverted_at IS NULL ORDER BY r.created_at DESC, r.id DESC LIMIT 1", [export_uid]):
        return _record(r)
    return None


def applied_import_by_sha(store: Store, sha256: str) -> ReturnRecord | None:
    for r in store.query(
        _RETURN_SELECT + "WHERE r.sha256 = ? AND r.reverted_at IS NULL "
        "ORDER BY r.created_at DESC, r.id DESC LIMIT 1",
        [sha256]):
        return _record(r)
    return None


def list_returns(store: Store, round_label: str | None = None,
                 partner_id: int | None = None) -> list[ReturnRecord]:
    return [_record(r) for r in store.query(
        _RETURN_SELECT + "WHERE (:round IS NULL OR r.round = :round) "
        "AND (:partner IS NULL OR r.partner_id = :partner) ORDER BY r.round, p.name, r.id",
        {"round": round_label, "partner": partner_id})]
