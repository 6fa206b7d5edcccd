"""What a report reads, a whole set of priorities at a time: a handful of queries for a report,
not several per commitment or indicator (a 1,000-commitment, 100-indicator report made about
a thousand), and plain tuples from the connection rather than a dict per row.

Each function returns what the one-at-a-time readers return (list_commitments, children,
list_values, list_stated, narratives_at), in their order, grouped by what they were asked per;
evidence comes as `EvidenceLine`, the fields of a bullet a report uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import NamedTuple

from tracker.domain.model import (
    ChangeWay,
    Commitment,
    IndicatorValue,
    Narrative,
    Series,
    StatedChange,
    ValueState,
    Visibility,
)
from tracker.domain.narrative import Section
from tracker.domain.status import Status
from tracker.store.database import Store

_STATUS = {s.value: s for s in Status}
_VISIBILITY = {v.value: v for v in Visibility}
_SERIES = {s.value: s for s in Series}
_STATE = {s.value: s for s in ValueState}


class EvidenceLine(NamedTuple):
    """An evidence bullet as a report uses it."""

    commitment_id: int
    text: str
    period: str | None
    evidence_date: str | None
    created_at: str
    visibility: Visibility
    partner_id: int | None
    partner_name: str | None


def _marks(ids: Iterable[int]) -> tuple[str, tuple[int, ...]]:
    ids = tuple(ids)
    return ", ".join("?" * len(ids)), ids


def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of a frozen dataclass that the readers below make by filling its __dict__
    as its generated __init__ would (every field given): that __init__ calls
    object.__setattr__ once per field, three times as long for a row of 14, and a report reads
    a thousand commitments and as many values. Only for a class with nothing else to do."""
    assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__"), cls
    return tuple(f.name for f in fields(cls))


_new = object.__new__
_COMMITMENT_FIELDS, _VALUE_FIELDS = _field_names(Commitment), _field_names(IndicatorValue)
# The columns are selected by the fields' names, so a row fills its object field by field.
_COMMITMENT = f"SELECT {', '.join(_COMMITMENT_FIELDS)} FROM commitment "
_COMMITMENT_STATUS = _COMMITMENT_FIELDS.index("status")
_VALUE_AT = {name: _VALUE_FIELDS.index(name) for name in ("indicator_id", "series", "state")}


def _commitment(r: tuple) -> Commitment:
    made = _new(Commitment)
    held = made.__dict__
    held.update(zip(_COMMITMENT_FIELDS, r))
    held["status"] = _STATUS[r[_COMMITMENT_STATUS]]
    return made


def top_commitments(store: Store, priority_ids: Iterable[int]) -> dict[int, list[Commitment]]:
    """list_commitments of each priority: priority id -> its top-level commitments in plan
    order."""
    marks, ids = _marks(priority_ids)
    found: dict[int, list[Commitment]] = {i: [] for i in ids}
    for r in store.execute(_COMMITMENT + f"WHERE priority_id IN ({marks}) AND parent_id IS NULL "
                           "ORDER BY priority_id, position", ids):
        found[r[2]].append(_commitment(r))
    return found


def children_by_parent(store: Store, priority_ids: Iterable[int]) -> dict[int, list[Commitment]]:
    """children() of every commitment of these priorities: parent id -> its sub-points."""
    marks, ids = _marks(priority_ids)
    found: dict[int, list[Commitment]] = {}
    for r in store.execute(_COMMITMENT + "WHERE parent_id IN (SELECT id FROM commitment WHERE "
                           f"priority_id IN ({marks})) ORDER BY parent_id, position, id", ids):
        found.setdefault(r[3], []).append(_commitment(r))
    return found


def children(store: Store, commitment_id: int) -> list[Commitment]:
    """The sub-points of one commitment, in order."""
    return [_commitment(r) for r in store.execute(
        _COMMITMENT + "WHERE parent_id = ? ORDER BY position, id", (commitment_id,))]


# The partners' names are read once (an office has a few dozen) rather than joined to each
# bullet: the join cost a quarter of the query.
_EVIDENCE = ("SELECT e.commitment_id, e.text, e.period, e.evidence_date, e.created_at, "
             "e.visibility, e.partner_id FROM evidence e ")


def _evidence_lines(store: Store, cursor) -> dict[int, list[EvidenceLine]]:
    """The rows come ordered by commitment: each commitment's bullets are one run of rows."""
    rows = cursor.fetchall()
    names = (dict(store.execute("SELECT id, name FROM partner").fetchall())
             if any(r[6] is not None for r in rows) else {})
    found: dict[int, list[EvidenceLine]] = {}
    new, line, visibility, name = tuple.__new__, EvidenceLine, _VISIBILITY, names.get
    current, bullets = None, []
    for r in rows:
        if r[0] != current:
            current = r[0]
            bullets = found.setdefault(current, [])
        partner = r[6]
        bullets.append(new(line, (current, r[1], r[2], r[3], r[4], visibility[r[5]], partner,
                                  None if partner is None else name(partner))))
    return found


def evidence_by_commitment(store: Store, priority_ids: Iterable[int]
                           ) -> dict[int, list[EvidenceLine]]:
    """The evidence of every commitment of these priorities (sub-points included): commitment
    id -> its bullets in order."""
    marks, ids = _marks(priority_ids)
    return _evidence_lines(store, store.execute(
        _EVIDENCE + "WHERE e.commitment_id IN (SELECT id FROM commitment WHERE priority_id IN "
        f"({marks})) ORDER BY e.commitment_id, e.position, e.id", ids))


def evidence_of(store: Store, commitment_id: int) -> list[EvidenceLine]:
    """One commitment's evidence, in order."""
    return _evidence_lines(store, store.execute(
        _EVIDENCE + "WHERE e.commitment_id = ? ORDER BY e.position, e.id", (commitment_id,))
    ).get(commitment_id, [])


def values_by_indicator(store: Store, indicator_ids: Iterable[int], include_withheld: bool = False
                        ) -> dict[int, list[IndicatorValue]]:
    """list_values of each indicator: indicator id -> its values in the same order."""
    marks, ids = _marks(indicator_ids)
    found: dict[int, list[IndicatorValue]] = {i: [] for i in ids}
    withheld = "" if include_withheld else "AND state != 'withheld' "
    names, series, state = _VALUE_FIELDS, _SERIES, _STATE
    at_indicator, at_series, at_state = (_VALUE_AT[n] for n in ("indicator_id", "series", "state"))
    for r in store.execute(
            f"SELECT {', '.join(names)} FROM indicator_value WHERE indicator_id IN ({marks}) "
            f"{withheld}ORDER BY indicator_id, series, period_start, length(period), id", ids):
        made = _new(IndicatorValue)  # as _commitment makes a Commitment
        held = made.__dict__
        held.update(zip(names, r))
        held["series"] = series[r[at_series]]
        held["state"] = state[r[at_state]]
        found[r[at_indicator]].append(made)
    return found


def stated_by_indicator(store: Store, indicator_ids: Iterable[int]
                        ) -> dict[int, list[StatedChange]]:
    """list_stated of each indicator: indicator id -> its stated changes in order."""
    marks, ids = _marks(indicator_ids)
    found: dict[int, list[StatedChange]] = {i: [] for i in ids}
    for r in store.execute(
            "SELECT id, uid, indicator_id, position, way, percent, qualifier, from_period, "
            "to_period, from_value, to_value, period_words, note, source, quote "
            f"FROM stated_change WHERE indicator_id IN ({marks}) "
            "ORDER BY indicator_id, position, created_at", ids):
        found[r[2]].append(StatedChange(r[0], r[1], r[2], r[3], ChangeWay(r[4]), *r[5:]))
    return found


NarrativeKey = tuple[int, Section, int | None, int | None]  # plan, section, priority, indicator


def narratives_by_place(store: Store, plan_ids: Iterable[int]
                        ) -> dict[NarrativeKey, list[Narrative]]:
    """narratives_at for every place of these plans: (plan id, section, priority id, indicator
    id) -> every period's text, oldest period first."""
    marks, ids = _marks(plan_ids)
    found: dict[NarrativeKey, list[Narrative]] = {}
    for r in store.execute(
            "SELECT id, uid, plan_id, section, priority_id, indicator_id, period, body, author, "
            f"created_at, updated_at FROM narrative WHERE plan_id IN ({marks}) "
            "ORDER BY plan_id, section, priority_id, indicator_id, period_start, length(period)",
            ids):
        section = Section(r[3])
        found.setdefault((r[2], section, r[4], r[5]), []).append(
            Narrative(r[0], r[1], r[2], section, r[4], r[5], r[6], r[7], r[8], r[9], r[10]))
    return found
