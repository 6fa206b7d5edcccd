"""Turning rows into domain objects, and writing an edited row's fields back."""

from __future__ import annotations

from typing import Any

from tracker.domain.model import (
    ChangeWay,
    Commitment,
    Evidence,
    Frequency,
    Indicator,
    IndicatorValue,
    Narrative,
    Partner,
    Plan,
    PlanState,
    Polarity,
    Priority,
    Series,
    StatedChange,
    StatusChange,
    Unit,
    ValueState,
    Visibility,
)
from tracker.domain.narrative import Section
from tracker.domain.status import Status
from tracker.store.clock import now
from tracker.store.database import Store
from tracker.store.errors import NotFoundError

Row = dict[str, Any]


def plan(r: Row) -> Plan:
    return Plan(r["id"], r["uid"], r["key"], r["title"], r["period"], PlanState(r["state"]),
                r["source"])


def priority(r: Row) -> Priority:
    return Priority(r["id"], r["uid"], r["plan_id"], r["number"], r["title"], r["objective"],
                    r["partnership"], r["outcome"], r["source"])


def commitment(r: Row) -> Commitment:
    return Commitment(
        r["id"], r["uid"], r["priority_id"], r["parent_id"], r["position"], r["code"], r["text"],
        Status(r["status"]), r["lead"], r["due_date"], r["carried_forward_from_id"], r["source"],
        r["created_at"], r["updated_at"],
    )


def evidence(r: Row) -> Evidence:
    return Evidence(
        r["id"], r["uid"], r["commitment_id"], r["position"], r["text"], r["evidence_date"],
        r["period"], r["partner_id"], r.get("partner_name"), r["figure"], r["unit"], r["link"],
        Visibility(r["visibility"]), r["author"], r["created_at"], r["updated_at"],
        r.get("return_id"),
    )


def status_change(r: Row) -> StatusChange:
    return StatusChange(
        r["id"], r["commitment_id"], r["changed_at"], r["changed_by"],
        Status(r["from_status"]) if r["from_status"] else None, Status(r["to_status"]), r["reason"],
        r.get("period"), r.get("return_partner"), r.get("return_round"),
    )


def partner(r: Row) -> Partner:
    return Partner(r["id"], r["uid"], r["key"], r["name"])


def indicator(r: Row) -> Indicator:
    return Indicator(
        r["id"], r["uid"], r["priority_id"], r["key"], r["number"], r["name"], Unit(r["unit"]),
        Polarity(r["polarity"]), Frequency(r["frequency"]), r["baseline_period"],
        r["target_value"], r["target_period"], r["source"], r.get("steady_band"),
    )


def indicator_value(r: Row) -> IndicatorValue:
    return IndicatorValue(
        r["id"], r["uid"], r["indicator_id"], r["period"], Series(r["series"]), r["value"],
        ValueState(r["state"]), r["note"], r["source"], r["quote"], r.get("qualifier"),
    )


def stated_change(r: Row) -> StatedChange:
    return StatedChange(
        r["id"], r["uid"], r["indicator_id"], r["position"], ChangeWay(r["way"]), r["percent"],
        r["qualifier"], r["from_period"], r["to_period"], r["from_value"], r["to_value"],
        r["period_words"], r["note"], r["source"], r["quote"],
    )


def narrative(r: Row) -> Narrative:
    return Narrative(
        r["id"], r["uid"], r["plan_id"], Section(r["section"]), r["priority_id"],
        r["indicator_id"], r["period"], r["body"], r["author"], r["created_at"], r["updated_at"],
    )


def update_row(store: Store, table: str, row_id: int, fields: dict[str, Any]) -> None:
    """Set these columns of one row and stamp its updated_at; NotFoundError when there is no
    such row ("No stated change with id 12.")."""
    assignments = ", ".join(f"{k} = ?" for k in fields)
    cur = store.execute(f"UPDATE {table} SET {assignments}, updated_at = ? WHERE id = ?",
                        (*fields.values(), now(), row_id))
    if cur.rowcount == 0:
        raise NotFoundError(f"No {table.replace('_', ' ')} with id {row_id}.")
