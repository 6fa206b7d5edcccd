"""Partner returns: the workbook sent for a round, what came back, and taking it back again.

A `partner_return` row is made when a workbook is exported (the "sent" record). Importing fills
in who, when, which file (SHA-256) and counts, and applies the accepted changes in the same
transaction, each written with the return's id and listed in `return_change` with its before
and after state, so that `revert_return` can undo exactly those changes later.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.domain.model import Partner, Visibility
from tracker.domain.periods import parse_period
from tracker.domain.status import Status
from tracker.store import commitments, evidence, indicators, rows
from tracker.store.clock import new_row_id, new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, StoreError, ValidationError
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput

DATABASE_UID_SETTING = "database.uid"
EXCHANGE_SECRET_SETTING = "exchange.secret"


class ReturnConflictError(StoreError):
    """The database changed since the preview was made; nothing was written."""


# --- identity of this database ----------------------------------------------------------------


def _setting(store: Store, name: str) -> str | None:
    row = store.execute("SELECT value FROM app_setting WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _ensure_setting(store: Store, name: str, make: Callable[[], str]) -> str:
    value = _setting(store, name)
    if value:
        return value
    with store.transaction():
        value = _setting(store, name)
        if not value:
            value = make()
            store.execute("INSERT OR REPLACE INTO app_setting (name, value) VALUES (?, ?)",
                          (name, value))
    return value


def database_uid(store: Store, create: bool = True) -> str | None:
    """The identifier workbooks carry to say which database they came from."""
    if not create:
        return _setting(store, DATABASE_UID_SETTING)
    return _ensure_setting(store, DATABASE_UID_SETTING, new_uid)


def signing_key(store: Store, create: bool = True) -> bytes | None:
    """The key that seals a workbook's hidden identifiers against editing."""
    value = (_setting(store, EXCHANGE_SECRET_SETTING) if not create
             else _ensure_setting(store, EXCHANGE_SECRET_SETTING, lambda: secrets.token_hex(32)))
    return bytes.fromhex(value) if value else None


def seal(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode("utf-8"), "sha256").hexdigest()


# --- what a partner is sent -------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentItem:
    """One commitment as a partner's workbook shows it."""

    id: int
    uid: str
    plan_period: str
    priority_number: int
    priority_title: str
    code: str | None
    text: str
    status: Status
    fingerprint: str
    latest_shared_evidence: str | None


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator and one period the partner is asked to report."""

    indicator_id: int
    uid: str
    plan_period: str
    priority_number: int
    name: str
    unit: str
    period: str
    last_value: float | None
    last_period: str | None
    fingerprint: str
    current_value: float | None = None


def commitment_fingerprint(status: str, last_change_uid: str | None) -> str:
    return f"{status}|{last_change_uid or ''}"


def partner_commitments(store: Store, partner_id: int) -> list[CommitmentItem]:
    """The commitments assigned to a partner in plans that are not closed, in plan order."""
    found = []
    for r in store.db.query(
        """
        SELECT c.id, c.uid, c.code, c.text, c.status, p.number AS priority_number,
               p.title AS priority_title, pl.period AS plan_period,
               (SELECT s.uid FROM status_change s WHERE s.commitment_id = c.id
                ORDER BY s.changed_at DESC, s.id DESC LIMIT 1) AS last_change,
               (SELECT e.text FROM evidence e WHERE e.commitment_id = c.id
                AND e.visibility = 'shareable'
                ORDER BY coalesce(e.evidence_date, e.created_at) DESC, e.id DESC LIMIT 1)
                    AS latest_shared
        FROM commitment_partner cp
        JOIN commitment c ON c.id = cp.commitment_id
        JOIN priority p ON p.id = c.priority_id
        JOIN plan pl ON pl.id = p.plan_id
        WHERE cp.partner_id = ? AND pl.state != 'closed'
        ORDER BY pl.period, pl.id, p.number, c.parent_id IS NOT NULL, c.position, c.id
        """,
        [partner_id],
    ):
        found.append(CommitmentItem(
            r["id"], r["uid"], r["plan_period"], r["priority_number"], r["priority_title"],
            r["code"], r["text"], Status(r["status"]),
            commitment_fingerprint(r["status"], r["last_change"]), r["latest_shared"]))
    return found


def periods_for_round(round_label: str, frequency: str) -> list[str]:
    """The periods an indicator of this frequency reports in a round (a period label)."""
    from tracker.domain.periods import Period, PeriodKind, financial_year_of

    rnd = parse_period(round_label)
    if frequency == "annual":
        if rnd.kind is PeriodKind.CALENDAR_YEAR:
            return [rnd.label]
        return [financial_year_of(rnd.start).label]
    if frequency == "quarterly":
        if rnd.kind is PeriodKind.FINANCIAL_YEAR:
            return [Period(PeriodKind.QUARTER, rnd.year, q).label for q in range(1, 5)]
        if rnd.kind is PeriodKind.MONTH:
            fy = financial_year_of(rnd.start)
            q = (rnd.start.month - 4) % 12 // 3 + 1
            return [Period(PeriodKind.QUARTER, fy.year, q).label]
        if rnd.kind is PeriodKind.QUARTER:
            return [rnd.label]
        if rnd.kind is PeriodKind.CALENDAR_YEAR:  # the financial quarters of January-December
            return [Period(PeriodKind.QUARTER, rnd.year - 1, 4).label] + [
                Period(PeriodKind.QUARTER, rnd.year, q).label for q in range(1, 4)]
    months = []
    day = rnd.start
    while day < rnd.end:
        months.append(Period(PeriodKind.MONTH, day.year, day.month).label)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def value_fingerprint(updated_at: str | None) -> str:
    return updated_at or "none"


def partner_indicator_rows(store: Store, partner_id: int, round_label: str) -> list[IndicatorRow]:
    """For each indicator assigned to the partner (plans not closed), the periods of the round."""
    found = []
    for r in store.db.query(
        """
        SELECT i.id, i.uid, i.name, i.unit, i.frequency, p.number AS priority_number,
               pl.period AS plan_period
        FROM indicator_partner ip
        JOIN indicator i ON i.id = ip.indicator_id
        JOIN priority p ON p.id = i.priority_id
        JOIN plan pl ON pl.id = p.plan_id
        WHERE ip.partner_id = ? AND pl.state != 'closed'
        ORDER BY pl.period, pl.id, p.number, i.number, i.id
        """,
        [partner_id],
    ):
        values = {v["period"]: v for v in store.db.query(
            "SELECT period, value, note, updated_at FROM indicator_value WHERE indicator_id = ? "
            "AND series = 'actual'", [r["id"]])}
        last = store.execute(
            "SELECT value, period FROM indicator_value WHERE indicator_id = ? AND series = "
            "'actual' AND state != 'withheld' ORDER BY period_start DESC, length(period) DESC "
            "LIMIT 1", (r["id"],)).fetchone()
        for period in periods_for_round(round_label, r["frequency"]):
            existing = values.get(period)
            found.append(IndicatorRow(
                r["id"], r["uid"], r["plan_period"], r["priority_number"], r["name"], r["unit"],
                period, last[0] if last else None, last[1] if last else None,
                value_fingerprint(existing["updated_at"] if existing else None),
                existing["value"] if existing else None))
    return found


def partner_by_uid(store: Store, uid: str) -> Partner | None:
    for r in store.db.query("SELECT * FROM partner WHERE uid = ?", [uid]):
        return rows.partner(r)
    return None


# --- the return records ---------------------------------------------------------------------


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

    @property
    def is_applied(self) -> bool:
        return self.imported_at is not None and self.reverted_at is None


_RETURN_SELECT = ("SELECT r.*, p.name AS partner_name FROM partner_return r "
                  "JOIN partner p ON p.id = r.partner_id ")


def _record(r: dict[str, Any]) -> ReturnRecord:
    return ReturnRecord(
        r["id"], r["uid"], r["export_uid"] or r["uid"], r["partner_id"], r["partner_name"],
        r["round"], r["exported_at"], r["exported_by"], r["due_date"], r["imported_at"],
        r["imported_by"], r["file_name"], r["sha256"], json.loads(r["counts"] or "{}"),
        r["reverted_at"], r["reverted_by"])


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
    for r in store.db.query(_RETURN_SELECT + "WHERE r.id = ?", [return_id]):
        return _record(r)
    raise NotFoundError(f"No partner return with id {return_id}.")


def find_export(store: Store, export_uid: str) -> ReturnRecord | None:
    """The sent record for the workbook with this identifier."""
    for r in store.db.query(_RETURN_SELECT + "WHERE r.uid = ?", [export_uid]):
        return _record(r)
    return None


def applied_import_of(store: Store, export_uid: str) -> ReturnRecord | None:
    """The import of this exported workbook that is in force (imported, not reverted)."""
    for r in store.db.query(
        _RETURN_SELECT + "WHERE r.export_uid = ? AND r.imported_at IS NOT NULL "
        "AND r.reverted_at IS NULL ORDER BY r.created_at DESC, r.id DESC LIMIT 1", [export_uid]):
        return _record(r)
    return None


def applied_import_by_sha(store: Store, sha256: str) -> ReturnRecord | None:
    for r in store.db.query(
        _RETURN_SELECT + "WHERE r.sha256 = ? AND r.reverted_at IS NULL "
        "ORDER BY r.created_at DESC, r.id DESC LIMIT 1",
        [sha256]):
        return _record(r)
    return None


def list_returns(store: Store, round_label: str | None = None,
                 partner_id: int | None = None) -> list[ReturnRecord]:
    return [_record(r) for r in store.db.query(
        _RETURN_SELECT + "WHERE (:round IS NULL OR r.round = :round) "
        "AND (:partner IS NULL OR r.partner_id = :partner) ORDER BY r.round, p.name, r.id",
        {"round": round_label, "partner": partner_id})]


# --- applying a return ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewEvidence:
    commitment_id: int
    item: EvidenceInput


@dataclass(frozen=True)
class NewStatus:
    commitment_id: int
    status: Status
    reason: str
    expected_fingerprint: str  # the commitment as exported; anything else is a conflict


@dataclass(frozen=True)
class NewValue:
    indicator_id: int
    item: ValueInput
    expected_fingerprint: str  # the value as exported ("none" when there was none)


@dataclass
class ReturnChanges:
    evidence: list[NewEvidence] = field(default_factory=list)
    statuses: list[NewStatus] = field(default_factory=list)
    values: list[NewValue] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.evidence) + len(self.statuses) + len(self.values)


def _current_commitment_fingerprint(store: Store, commitment_id: int) -> str:
    row = store.execute(
        "SELECT c.status, (SELECT s.uid FROM status_change s WHERE s.commitment_id = c.id "
        "ORDER BY s.changed_at DESC, s.id DESC LIMIT 1) FROM commitment c WHERE c.id = ?",
        (commitment_id,)).fetchone()
    if row is None:
        raise ReturnConflictError(f"Commitment {commitment_id} has been deleted since the export.")
    return commitment_fingerprint(row[0], row[1])


def _value_row(store: Store, indicator_id: int, period: str) -> dict[str, Any] | None:
    for r in store.db.query(
        "SELECT * FROM indicator_value WHERE indicator_id = ? AND series = 'actual' "
        "AND period = ?", [indicator_id, period]):
        return r
    return None


_VALUE_FIELDS = ("value", "state", "note", "source", "quote", "return_id", "updated_at")


def apply_return(store: Store, export_uid: str, file_name: str, sha256: str,
                 changes: ReturnChanges, counts: dict[str, int] | None = None,
                 step: Callable[[int], None] | None = None) -> ReturnRecord:
    """Write the accepted changes of one returned workbook, all or nothing.

    Each change is checked against the fingerprint taken at export; one that no longer matches
    raises ReturnConflictError and nothing is written. `step(n)` is called after each change
    (progress, and the tests' fault injection).
    """
    sent = find_export(store, export_uid)
    if sent is None:
        raise NotFoundError("This workbook was not exported from this database.")
    stamp = now()
    partner_id = sent.partner_id
    summary = {"evidence": len(changes.evidence), "statuses": len(changes.statuses),
               "values": len(changes.values), **(counts or {})}
    with store.transaction():
        if applied_import_of(store, export_uid) is not None:
            raise ReturnConflictError(
                f"The {sent.round} workbook for {sent.partner_name} has already been imported; "
                "revert that return first to import it again.")
        if sent.imported_at is None:
            return_id = sent.id
            store.execute(
                "UPDATE partner_return SET imported_at = ?, imported_by = ?, file_name = ?, "
                "sha256 = ?, counts = ?, updated_at = ? WHERE id = ?",
                (stamp, store.officer, file_name, sha256, json.dumps(summary), stamp, return_id))
        else:
            return_id = store.execute(
                "INSERT INTO partner_return (id, uid, export_uid, partner_id, round, exported_at, "
                "exported_by, due_date, imported_at, imported_by, file_name, sha256, counts, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row_id(uid := new_uid()), uid, export_uid, partner_id, sent.round, sent.exported_at,
                 sent.exported_by, sent.due_date, stamp, store.officer, file_name, sha256,
                 json.dumps(summary), stamp, stamp)).lastrowid
        log: list[tuple[str, str, Any, Any]] = []
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if step is not None:
                step(done)

        for change in changes.statuses:
            found = _current_commitment_fingerprint(store, change.commitment_id)
            if found != change.expected_fingerprint:
                c = commitments.get_commitment(store, change.commitment_id)
                raise ReturnConflictError(
                    f"Commitment {c.code or c.id} changed in the tracker since the export "
                    f"(now {c.status.label}); nothing was imported. Make a new preview.")
            before = commitments.get_commitment(store, change.commitment_id).status
            commitments.set_status(store, change.commitment_id, change.status, change.reason,
                                   return_id=return_id)
            uid = commitments.get_commitment(store, change.commitment_id).uid
            log.append(("status_changed", uid, {"status": before.value},
                        {"status": Status(change.status).value}))
            tick()
        for change in changes.evidence:
            item = EvidenceInput(change.item.text, change.item.evidence_date, change.item.period,
                                 partner_id, change.item.figure, change.item.unit,
                                 change.item.link, Visibility.INTERNAL)
            new_id = evidence.add_evidence(store, change.commitment_id, item, return_id=return_id)
            added = evidence.get_evidence(store, new_id)
            log.append(("evidence_added", added.uid, None, {"updated_at": added.updated_at}))
            tick()
        for change in changes.values:
            indicator = indicators.get_indicator(store, change.indicator_id)
            period, _, _ = indicators.validate_value(indicator, change.item)
            existing = _value_row(store, change.indicator_id, period)
            found = value_fingerprint(existing["updated_at"] if existing else None)
            if found != change.expected_fingerprint:
                raise ReturnConflictError(
                    f"The {period} value of '{indicator.name}' changed in the tracker since the "
                    "export; nothing was imported. Make a new preview.")
            value_id = indicators.set_value(store, change.indicator_id, change.item,
                                            return_id=return_id)
            # set_value keeps an older return_id when given none; a return always owns its row.
            store.execute("UPDATE indicator_value SET return_id = ? WHERE id = ?",
                          (return_id, value_id))
            after = dict(store.db.query("SELECT * FROM indicator_value WHERE id = ?",
                                        [value_id]).__next__())
            if existing is None:
                log.append(("value_added", after["uid"], None,
                            {"updated_at": after["updated_at"]}))
            else:
                log.append(("value_changed", after["uid"],
                            {k: existing[k] for k in _VALUE_FIELDS},
                            {"updated_at": after["updated_at"]}))
            tick()
        store.conn.executemany(
            "INSERT INTO return_change (id, return_id, seq, kind, target_uid, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(new_row_id(), return_id, n, kind, uid, json.dumps(before) if before is not None else None,
              json.dumps(after)) for n, (kind, uid, before, after) in enumerate(log, start=1)])
    return get_return(store, return_id)


# --- taking a return back ---------------------------------------------------------------------


@dataclass(frozen=True)
class RevertResult:
    record: ReturnRecord
    evidence_removed: int
    statuses_restored: int
    values_restored: int


def revert_return(store: Store, return_id: int) -> RevertResult:
    """Undo every change an applied return made, or nothing if any was changed since."""
    record = get_return(store, return_id)
    if record.imported_at is None:
        raise ValidationError(f"Return {return_id} ({record.partner_name}, {record.round}) has "
                              "not been imported, so there is nothing to revert.")
    if record.reverted_at is not None:
        raise ValidationError(f"Return {return_id} was already reverted on "
                              f"{record.reverted_at[:10]} by {record.reverted_by}.")
    counts = {"evidence": 0, "status": 0, "value": 0}
    stamp = now()
    reason = f"Return from {record.partner_name} for {record.round} reverted"
    with store.transaction():
        log = list(store.db.query(
            "SELECT * FROM return_change WHERE return_id = ? ORDER BY seq DESC", [return_id]))
        for change in log:
            after = json.loads(change["after"]) if change["after"] else {}
            before = json.loads(change["before"]) if change["before"] else None
            kind, uid = change["kind"], change["target_uid"]
            if kind == "evidence_added":
                row = store.execute("SELECT id, updated_at, commitment_id FROM evidence "
                                    "WHERE uid = ?", (uid,)).fetchone()
                if row is None:
                    continue  # deleted since: nothing to take back
                if row[1] != after["updated_at"]:
                    raise ReturnConflictError(
                        "Evidence this return added has been edited since; nothing was reverted. "
                        "Delete or keep that evidence by hand.")
                evidence.delete_evidence(store, row[0])
                counts["evidence"] += 1
            elif kind == "status_changed":
                c = commitments.find_commitment_by_uid(store, uid)
                if c is None:
                    continue
                if c.status.value != after["status"]:
                    raise ReturnConflictError(
                        f"Commitment {c.code or c.id} has changed status since the return "
                        f"(now {c.status.label}); nothing was reverted.")
                commitments.set_status(store, c.id, Status(before["status"]), reason)
                counts["status"] += 1
            else:
                row = store.execute("SELECT id, updated_at FROM indicator_value WHERE uid = ?",
                                    (uid,)).fetchone()
                if row is None:
                    continue
                if row[1] != after["updated_at"]:
                    raise ReturnConflictError(
                        "An indicator value this return wrote has been changed since; "
                        "nothing was reverted.")
                if kind == "value_added":
                    store.execute("DELETE FROM indicator_value WHERE id = ?", (row[0],))
                else:
                    assignments = ", ".join(f"{k} = ?" for k in _VALUE_FIELDS)
                    store.execute(f"UPDATE indicator_value SET {assignments} WHERE id = ?",
                                  (*[before[k] for k in _VALUE_FIELDS], row[0]))
                counts["value"] += 1
        store.execute("UPDATE partner_return SET reverted_at = ?, reverted_by = ?, updated_at = ? "
                      "WHERE id = ?", (stamp, store.officer, stamp, return_id))
    return RevertResult(get_return(store, return_id), counts["evidence"], counts["status"],
                        counts["value"])


# --- where each partner stands in a round -----------------------------------------------------


@dataclass(frozen=True)
class PartnerRoundStatus:
    partner_id: int
    partner_name: str
    state: str  # "not sent", "sent", "overdue", "back"
    exported_at: str | None
    due_date: str | None
    imported_at: str | None
    return_id: int | None

    @property
    def label(self) -> str:
        if self.state == "overdue":
            return f"Overdue (due {_day(self.due_date)})"
        if self.state == "sent":
            due = _day(self.due_date) if self.due_date else "no date set"
            return f"Sent {_day(self.exported_at)}, due {due}"
        if self.state == "back":
            return f"Back {_day(self.imported_at)}"
        return "Not sent"


def _day(stamp: str | None) -> str:
    if not stamp:
        return ""
    day = date.fromisoformat(stamp[:10])
    return f"{day.day} {day:%b %Y}"


def round_status(store: Store, round_label: str, today: date | None = None) -> list[PartnerRoundStatus]:
    """Every partner with items to report or a workbook in this round, and where it stands."""
    today = today or date.today()
    partners = list(store.db.query(
        """
        SELECT p.id, p.name FROM partner p WHERE p.id IN (
            SELECT partner_id FROM commitment_partner cp JOIN commitment c ON c.id = cp.commitment_id
            JOIN priority pr ON pr.id = c.priority_id JOIN plan pl ON pl.id = pr.plan_id
            WHERE pl.state != 'closed'
            UNION SELECT partner_id FROM indicator_partner ip JOIN indicator i ON i.id = ip.indicator_id
            JOIN priority pr ON pr.id = i.priority_id JOIN plan pl ON pl.id = pr.plan_id
            WHERE pl.state != 'closed'
            UNION SELECT partner_id FROM partner_return WHERE round = ?)
        ORDER BY p.name
        """, [round_label]))
    result = []
    for p in partners:
        rows = list(store.db.query(
            "SELECT * FROM partner_return WHERE partner_id = ? AND round = ? ORDER BY created_at, id",
            [p["id"], round_label]))
        back = [r for r in rows if r["imported_at"] and not r["reverted_at"]]
        if back:
            r = back[-1]
            result.append(PartnerRoundStatus(p["id"], p["name"], "back", r["exported_at"],
                                             r["due_date"], r["imported_at"], r["id"]))
        elif rows:
            r = rows[-1]
            overdue = bool(r["due_date"]) and date.fromisoformat(r["due_date"]) < today
            result.append(PartnerRoundStatus(p["id"], p["name"], "overdue" if overdue else "sent",
                                             r["exported_at"], r["due_date"], None, r["id"]))
        else:
            result.append(PartnerRoundStatus(p["id"], p["name"], "not sent", None, None, None,
                                             None))
    return result

