"""Evidence that a commitment was delivered."""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from tracker.domain.dates import parse_day
from tracker.domain.model import Evidence, Visibility
from tracker.domain.numbers import parse_number
from tracker.domain.periods import PeriodError, normalise_span
from tracker.store import bulk, rows, texts
from tracker.store.clock import new_ids, new_uid, now, row_id
from tracker.store.commitments import get_commitment
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError
from tracker.store.plans import ensure_plan_open, ensure_plans_open, plan_id_of_priority

_SELECT = ("SELECT e.*, p.name AS partner_name FROM evidence e "
           "LEFT JOIN partner p ON p.id = e.partner_id ")


@dataclass
class EvidenceInput:
    """What an officer (or a partner return) writes; validated before anything is stored."""

    text: str
    evidence_date: str | None = None
    period: str | None = None
    partner_id: int | None = None
    figure: float | str | None = None
    unit: str | None = None
    link: str | None = None
    visibility: Visibility = Visibility.INTERNAL
    extra: dict = field(default_factory=dict)

    def validated(self) -> EvidenceInput:
        texts.check(self.text, "The evidence text", "text")
        texts.check(self.unit, "The unit", "unit")
        texts.check(self.period, "The period", "period")
        link = texts.link(self.link)
        text = str(self.text or "").strip()
        if not text:
            raise ValidationError("Evidence needs a statement.", "text")
        evidence_date = _date(self.evidence_date)
        period = (self.period or "").strip() or None
        if period:
            try:
                period = normalise_span(period)
            except PeriodError as exc:
                raise ValidationError(str(exc), "period") from exc
        figure = _number(self.figure)
        return EvidenceInput(text, evidence_date, period, self.partner_id, figure,
                             (self.unit or "").strip() or None, link,
                             Visibility(self.visibility))


def _date(value: str | date | None) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return parse_day(str(value)).isoformat()
    except ValueError as exc:
        raise ValidationError(str(exc), "evidence_date") from exc


def _number(value: float | str | None) -> float | None:
    try:
        return parse_number(value)
    except ValueError as exc:
        raise ValidationError(str(exc), "figure") from exc


def list_evidence(store: Store, commitment_id: int) -> list[Evidence]:
    return [rows.evidence(r) for r in store.db.query(
        _SELECT + "WHERE e.commitment_id = ? ORDER BY e.position, e.id", [commitment_id])]


def get_evidence(store: Store, evidence_id: int) -> Evidence:
    for r in store.db.query(_SELECT + "WHERE e.id = ?", [evidence_id]):
        return rows.evidence(r)
    raise NotFoundError(f"No evidence with id {evidence_id}.")


def _check_open(store: Store, commitment_id: int) -> None:
    ensure_plan_open(store, plan_id_of_priority(store, get_commitment(store, commitment_id).priority_id))


def add_evidence(store: Store, commitment_id: int, item: EvidenceInput, *,
                 position: int | None = None, uid: str | None = None,
                 return_id: int | None = None, author: str | None = None) -> int:
    item = item.validated()
    stamp = now()
    with store.transaction():
        _check_open(store, commitment_id)
        if position is None:
            position = store.execute("SELECT coalesce(max(position), 0) + 1 FROM evidence "
                                     "WHERE commitment_id = ?", (commitment_id,)).fetchone()[0]
        else:
            store.execute("UPDATE evidence SET position = position + 1 WHERE commitment_id = ? "
                          "AND position >= ?", (commitment_id, position))
        new_id = store.execute(
            "INSERT INTO evidence (id, uid, commitment_id, position, text, evidence_date, period, "
            "partner_id, figure, unit, link, visibility, author, return_id, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid := uid or new_uid()), uid, commitment_id, position, item.text, item.evidence_date,
             item.period, item.partner_id, item.figure, item.unit, item.link,
             item.visibility.value, author or store.officer, return_id, stamp, stamp),
        ).lastrowid
        _touch(store, commitment_id, stamp)
        return new_id


@dataclass(frozen=True, slots=True)
class EvidenceWritten:
    id: int
    uid: str
    updated_at: str


def add_evidence_many(store: Store, items: list[tuple[int, EvidenceInput]], *,
                      return_id: int | None = None) -> list[EvidenceWritten]:
    """add_evidence for many items at once (a partner's return), each after its commitment's
    last evidence: the same checks and rows, in a fixed number of statements."""
    checked = [(commitment_id, item.validated()) for commitment_id, item in items]
    with store.transaction():
        planned = _plan_evidence(store, checked, return_id)
        write_evidence(store, planned)
    return planned.written


@dataclass
class EvidencePlanned:
    """Evidence checked and stamped (`plan_evidence`), not yet written."""

    written: list[EvidenceWritten]
    rows: list[tuple]  # the evidence rows
    touched: dict[int, str]  # commitment id -> its "last updated" once the evidence is in


def plan_evidence(store: Store, items: list[tuple[int, EvidenceInput]], *,
                  return_id: int | None = None) -> EvidencePlanned:
    """add_evidence_many's checks, positions and stamps, inside the caller's transaction,
    writing nothing: `write_evidence` writes them."""
    return _plan_evidence(store, [(commitment_id, item.validated())
                                  for commitment_id, item in items], return_id)


def _plan_evidence(store: Store, checked: list[tuple[int, EvidenceInput]],
                   return_id: int | None) -> EvidencePlanned:
    ids = sorted({commitment_id for commitment_id, _item in checked})
    written: list[EvidenceWritten] = []
    plans = {cid: plan_id for cid, plan_id in store.execute(
        "SELECT c.id, pr.plan_id FROM commitment c JOIN priority pr ON pr.id = c.priority_id "
        "WHERE c.id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))}
    for commitment_id in ids:
        if commitment_id not in plans:
            raise NotFoundError(f"No commitment with id {commitment_id}.")
    ensure_plans_open(store, set(plans.values()))
    # One index seek per commitment (a GROUP BY read every evidence row of each: 60 ms
    # for a return's 4,000 items over a million).
    last = dict(store.execute(
        "SELECT j.value, (SELECT max(e.position) FROM evidence e "
        "WHERE e.commitment_id = j.value) FROM json_each(?) j",
        (json.dumps(ids),)).fetchall())
    rows_in, touched = [], {}
    for (commitment_id, item), (new_id, uid) in zip(checked, new_ids(len(checked)),
                                                    strict=True):
        stamp = now()
        last[commitment_id] = position = (last.get(commitment_id) or 0) + 1
        rows_in.append((new_id, uid, commitment_id, position, item.text, item.evidence_date,
                        item.period, item.partner_id, item.figure, item.unit, item.link,
                        item.visibility.value, store.officer, return_id, stamp, stamp))
        touched[commitment_id] = stamp
        written.append(EvidenceWritten(new_id, uid, stamp))
    return EvidencePlanned(written, rows_in, touched)


def write_evidence(store: Store, planned: EvidencePlanned,
                   written_already: Collection[int] = ()) -> None:
    """Write planned evidence and touch its commitments, but for those in `written_already`
    (commitments the same transaction has already left with the stamp `touched` gives them)."""
    bulk.insert_rows(store, "evidence", (
        "id", "uid", "commitment_id", "position", "text", "evidence_date", "period",
        "partner_id", "figure", "unit", "link", "visibility", "author", "return_id",
        "created_at", "updated_at"), planned.rows)
    bulk.update_rows(store, "commitment", ("updated_at",), "id",
                     [(stamp, cid) for cid, stamp in planned.touched.items()],
                     leave_out=written_already)


def update_evidence(store: Store, evidence_id: int, item: EvidenceInput) -> None:
    item = item.validated()
    stamp = now()
    with store.transaction():
        current = get_evidence(store, evidence_id)
        _check_open(store, current.commitment_id)
        store.execute(
            "UPDATE evidence SET text = ?, evidence_date = ?, period = ?, partner_id = ?, "
            "figure = ?, unit = ?, link = ?, visibility = ?, updated_at = ? WHERE id = ?",
            (item.text, item.evidence_date, item.period, item.partner_id, item.figure, item.unit,
             item.link, item.visibility.value, stamp, evidence_id),
        )
        _touch(store, current.commitment_id, stamp)


def delete_evidence(store: Store, evidence_id: int) -> Evidence:
    """Delete and return what was deleted, so it can be put back (undo)."""
    with store.transaction():
        current = get_evidence(store, evidence_id)
        _check_open(store, current.commitment_id)
        store.execute("DELETE FROM evidence WHERE id = ?", (evidence_id,))
        store.execute("UPDATE evidence SET position = position - 1 WHERE commitment_id = ? "
                      "AND position > ?", (current.commitment_id, current.position))
        _touch(store, current.commitment_id, now())
        return current


def delete_evidence_many(store: Store, evidence_ids: list[int]) -> None:
    """delete_evidence for many items at once (a return taken back): the same checks, the
    positions after each closed up and the commitments touched, in a fixed number of
    statements."""
    wanted = json.dumps(sorted(set(evidence_ids)))
    with store.transaction():
        found = store.execute(
            "SELECT e.id, e.commitment_id, e.position, pr.plan_id FROM evidence e "
            "JOIN commitment c ON c.id = e.commitment_id JOIN priority pr ON pr.id = c.priority_id "
            "WHERE e.id IN (SELECT value FROM json_each(?))", (wanted,)).fetchall()
        if len(found) < len(set(evidence_ids)):
            missing = set(evidence_ids) - {r[0] for r in found}
            raise NotFoundError(f"No evidence with id {min(missing)}.")
        ensure_plans_open(store, {plan_id for *_rest, plan_id in found})
        removed: dict[int, list[int]] = {}
        for _id, commitment_id, position, _plan in found:
            removed.setdefault(commitment_id, []).append(position)
        for positions in removed.values():
            positions.sort()
        store.execute("DELETE FROM evidence WHERE id IN (SELECT value FROM json_each(?))", (wanted,))
        # Each item after a removed one moves up by the number removed before it (as that many
        # delete_evidence calls, each closing the gap it left, would move it).
        after = store.execute(
            "SELECT e.id, e.commitment_id, e.position FROM json_each(?) j JOIN evidence e "
            "ON e.commitment_id = json_extract(j.value, '$[0]') "
            "AND e.position > json_extract(j.value, '$[1]')",
            (json.dumps([[cid, positions[0]] for cid, positions in removed.items()]),)).fetchall()
        bulk.update_rows(store, "evidence", ("position",), "id",
                         [(position - bisect_left(removed[cid], position), ident)
                          for ident, cid, position in after])
        bulk.update_rows(store, "commitment", ("updated_at",), "id",
                         [(now(), cid) for cid in removed])


def restore_evidence(store: Store, item: Evidence) -> int:
    """Put deleted evidence back where it was, with its identifier, its return and its
    timestamps (undo of a delete): a partner return can still take back what it added."""
    with store.transaction():
        return_id = item.return_id
        if return_id is not None and store.execute(
                "SELECT 1 FROM partner_return WHERE id = ?", (return_id,)).fetchone() is None:
            return_id = None  # the return has gone since (its partner was deleted)
        new_id = add_evidence(
            store, item.commitment_id,
            EvidenceInput(item.text, item.evidence_date, item.period, item.partner_id,
                          item.figure, item.unit, item.link, item.visibility),
            position=item.position, uid=item.uid, author=item.author, return_id=return_id,
        )
        if item.created_at and item.updated_at:
            store.execute("UPDATE evidence SET created_at = ?, updated_at = ? WHERE id = ?",
                          (item.created_at, item.updated_at, new_id))
        return new_id


def move_evidence(store: Store, evidence_id: int, new_position: int) -> None:
    """Reorder within the commitment; positions are 1-based."""
    with store.transaction():
        current = get_evidence(store, evidence_id)
        _check_open(store, current.commitment_id)
        count = store.execute("SELECT count(*) FROM evidence WHERE commitment_id = ?",
                              (current.commitment_id,)).fetchone()[0]
        new_position = max(1, min(new_position, count))
        if new_position == current.position:
            return
        ids = [r[0] for r in store.execute(
            "SELECT id FROM evidence WHERE commitment_id = ? ORDER BY position, id",
            (current.commitment_id,))]
        ids.remove(evidence_id)
        ids.insert(new_position - 1, evidence_id)
        store.conn.executemany("UPDATE evidence SET position = ? WHERE id = ?",
                               [(i + 1, eid) for i, eid in enumerate(ids)])
        _touch(store, current.commitment_id, now())


def touch_evidence(store: Store, evidence_id: int, stamp: str) -> None:
    """The evidence (and so its commitment) was last updated at `stamp` (a file attached)."""
    store.execute("UPDATE evidence SET updated_at = ? WHERE id = ?", (stamp, evidence_id))
    store.execute("UPDATE commitment SET updated_at = ? WHERE id = (SELECT commitment_id FROM "
                  "evidence WHERE id = ?)", (stamp, evidence_id))


def _touch(store: Store, commitment_id: int, stamp: str) -> None:
    store.execute("UPDATE commitment SET updated_at = ? WHERE id = ?", (stamp, commitment_id))
