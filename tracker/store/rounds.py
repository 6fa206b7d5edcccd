"""Reporting rounds: one reporting period partners are asked about, as a thing of its own.

A round is made when its first workbook is exported (`ensure_round`, called by
`returns.record_export`); it has a due date the officer can change and can be closed. Where
each partner stands (sent, back, overdue) comes from its exported workbooks, the
`partner_return` rows that point at it. Dialogs and commands that take a round offer
`list_rounds` and default to `default_round_label`: the latest round still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tracker.domain.periods import Period, PeriodError, PeriodKind, financial_year_of, parse_period
from tracker.domain.wording import day
from tracker.store.clock import name_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError


@dataclass(frozen=True)
class Round:
    id: int
    uid: str
    label: str
    due_date: str | None
    closed_at: str | None
    closed_by: str | None
    created_at: str
    created_by: str | None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def period(self) -> Period:
        return parse_period(self.label)


def canonical_label(text: str) -> str:
    try:
        return parse_period(text).label
    except PeriodError as exc:
        raise ValidationError(f"'{text}' is not a reporting round: {exc}.", "round") from exc


def round_uid(label: str) -> str:
    """The round's uid, made from its label: every copy of the database that makes this round
    gives it the same identifier and row id, so team sync sees one round."""
    return name_uid("round", label)


def _round(r) -> Round:
    return Round(r["id"], r["uid"], r["label"], r["due_date"], r["closed_at"], r["closed_by"],
                 r["created_at"], r["created_by"])


def list_rounds(store: Store, include_closed: bool = True) -> list[Round]:
    """Newest period first (a month after the quarter that holds it)."""
    found = [_round(r) for r in store.db.query("SELECT * FROM round")]
    if not include_closed:
        found = [r for r in found if not r.is_closed]
    return sorted(found, key=lambda r: (r.period.sort_key, r.created_at), reverse=True)


def find_round(store: Store, label: str) -> Round | None:
    for r in store.db.query("SELECT * FROM round WHERE label = ?", [canonical_label(label)]):
        return _round(r)
    return None


def get_round(store: Store, label: str) -> Round:
    found = find_round(store, label)
    if found is None:
        known = ", ".join(r.label for r in list_rounds(store)) or "none yet"
        raise NotFoundError(f"There is no round {canonical_label(label)}: no workbook has been "
                            f"sent for it. Rounds: {known}.")
    return found


def ensure_round(store: Store, label: str, due_date: str | None = None) -> Round:
    """The round with this label, made (with `due_date`) if it does not exist yet."""
    label = canonical_label(label)
    found = find_round(store, label)
    if found is not None:
        if found.due_date is None and due_date:
            set_due_date(store, found.id, due_date)
            return find_round(store, label)
        return found
    uid = round_uid(label)
    stamp = now()
    with store.transaction():
        store.execute("INSERT INTO round (id, uid, label, due_date, created_at, created_by, "
                      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (row_id(uid), uid, label, due_date, stamp, store.officer, stamp))
    return find_round(store, label)


def latest_open_round(store: Store) -> Round | None:
    open_rounds = list_rounds(store, include_closed=False)
    return open_rounds[0] if open_rounds else None


def quarter_just_ended(today: date | None = None) -> str:
    """The financial-year quarter that has just ended (the one partners report on)."""
    today = today or date.today()
    fy = financial_year_of(today)
    quarter = (today.month - 4) % 12 // 3 + 1
    if quarter == 1:
        return Period(PeriodKind.QUARTER, fy.year - 1, 4).label
    return Period(PeriodKind.QUARTER, fy.year, quarter - 1).label


def default_round_label(store: Store, today: date | None = None) -> str:
    """The latest round still open, else the quarter that has just ended."""
    latest = latest_open_round(store)
    return latest.label if latest is not None else quarter_just_ended(today)


def _by_id(store: Store, round_id: int) -> Round:
    for r in store.db.query("SELECT * FROM round WHERE id = ?", [round_id]):
        return _round(r)
    raise NotFoundError(f"No round with id {round_id}.")


def set_due_date(store: Store, round_id: int, due_date: str) -> Round:
    """A new date the round's workbooks are due back; the workbooks not back yet count as
    overdue from then on."""
    try:
        day = date.fromisoformat(str(due_date))
    except ValueError as exc:
        raise ValidationError(f"'{due_date}' is not a date.", "due_date") from exc
    stamp = now()
    with store.transaction():
        current = _by_id(store, round_id)
        if current.is_closed:
            raise ValidationError(f"Round {current.label} is closed; reopen it to change its "
                                  "due date.", "due_date")
        store.execute("UPDATE round SET due_date = ?, updated_at = ? WHERE id = ?",
                      (day.isoformat(), stamp, round_id))
        store.execute("UPDATE partner_return SET due_date = ?, updated_at = ? WHERE round_id = ? "
                      "AND imported_at IS NULL", (day.isoformat(), stamp, round_id))
    return _by_id(store, round_id)


def close_round(store: Store, round_id: int) -> Round:
    """No more sending or reminding; returns that still come back can be imported."""
    stamp = now()
    with store.transaction():
        current = _by_id(store, round_id)
        if current.is_closed:
            raise ValidationError(f"Round {current.label} is already closed.")
        store.execute("UPDATE round SET closed_at = ?, closed_by = ?, updated_at = ? WHERE id = ?",
                      (stamp, store.officer, stamp, round_id))
    return _by_id(store, round_id)


def reopen_round(store: Store, round_id: int) -> Round:
    with store.transaction():
        current = _by_id(store, round_id)
        if not current.is_closed:
            raise ValidationError(f"Round {current.label} is open.")
        store.execute("UPDATE round SET closed_at = NULL, closed_by = NULL, updated_at = ? "
                      "WHERE id = ?", (now(), round_id))
    return _by_id(store, round_id)


def ensure_open(store: Store, label: str) -> None:
    found = find_round(store, label)
    if found is not None and found.is_closed:
        raise ValidationError(f"Round {found.label} is closed; reopen it to send or remind.",
                              "round")


def default_due(store: Store, label: str, today: date | None = None, days: int = 28) -> date:
    """When a new workbook of this round is due back: the round's date, else in `days`."""
    found = find_round(store, label)
    if found is not None and found.due_date:
        return date.fromisoformat(found.due_date)
    return (today or date.today()) + timedelta(days=days)


@dataclass(frozen=True)
class SentWorkbook:
    """The workbook last sent to a partner in a round, as a reminder attaches it again."""

    return_id: int
    export_uid: str
    path: str | None
    sha256: str | None
    exported_at: str | None


def last_sent(store: Store, round_id: int, partner_id: int) -> SentWorkbook | None:
    for r in store.db.query(
        "SELECT id, export_uid, uid, sent_path, sent_sha256, exported_at FROM partner_return "
        "WHERE round_id = ? AND partner_id = ? AND exported_at IS NOT NULL "
        "ORDER BY created_at DESC, id DESC LIMIT 1", [round_id, partner_id]):
        return SentWorkbook(r["id"], r["export_uid"] or r["uid"], r["sent_path"], r["sent_sha256"],
                            r["exported_at"])
    return None


@dataclass(frozen=True)
class PartnerInRound:
    """Where one partner stands in a round: "not sent", "sent", "overdue" or "back"."""

    partner_id: int
    partner_name: str
    state: str
    exported_at: str | None
    due_date: str | None
    imported_at: str | None
    return_id: int | None
    reminded_at: str | None = None
    label: str = ""


@dataclass(frozen=True)
class RoundSummary:
    round: Round
    partners: list[PartnerInRound]

    def count(self, *states: str) -> int:
        return sum(p.state in states for p in self.partners)

    def in_state(self, *states: str) -> list[PartnerInRound]:
        return [p for p in self.partners if p.state in states]

    @property
    def state(self) -> str:
        if self.round.is_closed:
            return "closed"
        if self.count("sent", "overdue") == 0 and self.count("back"):
            return "all back"
        return "overdue" if self.count("overdue") else "open"

    @property
    def line(self) -> str:
        """"3 sent: 1 back, 2 awaited (1 overdue, 1 reminded)"."""
        sent = self.count("sent", "overdue", "back")
        awaited = self.in_state("sent", "overdue")
        overdue = self.count("overdue")
        reminded = sum(p.reminded_at is not None for p in awaited)
        notes = [f"{overdue} overdue"] if overdue else []
        if reminded:
            notes.append(f"{reminded} reminded")
        return (f"{sent} sent: {self.count('back')} back, {len(awaited)} awaited"
                + (f" ({', '.join(notes)})" if notes else ""))


def summary(store: Store, label: str, today: date | None = None) -> RoundSummary:
    """The round and, for every partner with items to report or a workbook in it, where it
    stands, with the last reminder drafted."""
    from tracker.store import returns

    found = get_round(store, label)
    reminded = {r["id"]: r["reminded_at"] for r in store.db.query(
        "SELECT id, reminded_at FROM partner_return WHERE round_id = ? AND reminded_at IS NOT "
        "NULL", [found.id])}
    rows = []
    for p in returns.round_status(store, found.label, today):
        at = reminded.get(p.return_id) if p.state in ("sent", "overdue") else None
        label = p.label + (f"; reminder drafted {day(at)}" if at else "")
        rows.append(PartnerInRound(p.partner_id, p.partner_name, p.state, p.exported_at,
                                   p.due_date, p.imported_at, p.return_id, at, label))
    return RoundSummary(found, rows)


def mark_reminded(store: Store, return_ids: list[int]) -> None:
    stamp = now()
    with store.transaction():
        store.conn.executemany(
            "UPDATE partner_return SET reminded_at = ?, reminded_by = ?, updated_at = ? WHERE id = ?",
            [(stamp, store.officer, stamp, rid) for rid in return_ids])
