"""What a partner is sent: its commitments and indicators in open plans, each with the
fingerprint the answer is checked against when it comes back."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.model import Partner
from tracker.domain.periods import parse_period, periods_in_round
from tracker.domain.status import Status
from tracker.store import rows
from tracker.store.database import Store


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
    latest_shared_files: str | None = None  # "a.pdf, b.xlsx": that evidence's shareable files


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


def partner_commitments(store: Store, partner_id: int, *,
                        latest_evidence: bool = True) -> list[CommitmentItem]:
    """The commitments assigned to a partner in plans that are not closed, in plan order.
    The latest shareable evidence comes with the names of its shareable files, never its
    internal ones. Without `latest_evidence` (a preview needs only the fingerprints) the latest
    shareable evidence is not looked up: that is a sort of every commitment's evidence."""
    latest = ("(SELECT e.text FROM evidence e WHERE e.commitment_id = c.id "
              "AND e.visibility = 'shareable' "
              "ORDER BY coalesce(e.evidence_date, e.created_at) DESC, e.id DESC LIMIT 1)"
              if latest_evidence else "NULL")
    # That evidence's shareable files, by name only (never an internal one, never the bytes).
    files = ("(SELECT group_concat(a.file_name, ', ') FROM (SELECT file_name FROM attachment "
             "WHERE visibility = 'shareable' AND evidence_id = (SELECT e.id FROM evidence e "
             "WHERE e.commitment_id = c.id AND e.visibility = 'shareable' "
             "ORDER BY coalesce(e.evidence_date, e.created_at) DESC, e.id DESC LIMIT 1) "
             "ORDER BY position, id) a)" if latest_evidence else "NULL")
    found = []
    for r in store.query(
        f"""
        SELECT c.id, c.uid, c.code, c.text, c.status, p.number AS priority_number,
               p.title AS priority_title, pl.period AS plan_period,
               (SELECT s.uid FROM status_change s WHERE s.commitment_id = c.id
                ORDER BY s.changed_at DESC, s.id DESC LIMIT 1) AS last_change,
               {latest} AS latest_shared, {files} AS latest_files
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
            commitment_fingerprint(r["status"], r["last_change"]), r["latest_shared"],
            r["latest_files"]))
    return found


def periods_for_round(round_label: str, frequency: str) -> list[str]:
    """The periods an indicator of this frequency reports in a round (a period label)."""
    return periods_in_round(parse_period(round_label), frequency)


def value_fingerprint(updated_at: str | None) -> str:
    return updated_at or "none"


def partner_indicator_rows(store: Store, partner_id: int, round_label: str) -> list[IndicatorRow]:
    """For each indicator assigned to the partner (plans not closed), the periods of the round.

    Two queries whatever the number of indicators: the indicators, then all their actual
    values (the latest value to show and the one to compare with come from those)."""
    chosen = list(store.query(
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
        [partner_id]))
    by_indicator: dict[int, dict[str, dict]] = {r["id"]: {} for r in chosen}
    latest: dict[int, tuple[float, str]] = {}
    for v in store.query(
        "SELECT v.indicator_id, v.period, v.value, v.state, v.updated_at FROM indicator_value v "
        "JOIN indicator_partner ip ON ip.indicator_id = v.indicator_id AND ip.partner_id = ? "
        "WHERE v.series = 'actual' ORDER BY v.indicator_id, v.period_start, length(v.period)",
        [partner_id],
    ):
        if v["indicator_id"] not in by_indicator:
            continue  # its plan is closed
        by_indicator[v["indicator_id"]][v["period"]] = v
        if v["state"] != "withheld":  # ordered by period: the last one seen is the latest
            latest[v["indicator_id"]] = (v["value"], v["period"])
    rnd = parse_period(round_label)
    found = []
    for r in chosen:
        last = latest.get(r["id"])
        for period in periods_in_round(rnd, r["frequency"]):
            existing = by_indicator[r["id"]].get(period)
            found.append(IndicatorRow(
                r["id"], r["uid"], r["plan_period"], r["priority_number"], r["name"], r["unit"],
                period, last[0] if last else None, last[1] if last else None,
                value_fingerprint(existing["updated_at"] if existing else None),
                existing["value"] if existing else None))
    return found


def partner_by_uid(store: Store, uid: str) -> Partner | None:
    for r in store.query("SELECT * FROM partner WHERE uid = ?", [uid]):
        return rows.partner(r)
    return None
