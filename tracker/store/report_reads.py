"""What a report reads, a whole set of priorities at a time: a handful of queries for a report,
not several per commitment or indicator (a 1,000-commitment, 100-indicator report made about
a thousand), and plain tuples from the connection rather than a dict per row.

Each function returns what the one-at-a-time readers return (list_commitments, children,
list_values, list_stated, narratives_at), in their order, grouped by what they were asked per;
commitments come as `CommitmentLine` and evidence as `EvidenceLine`: the columns a report uses,
not whole records (a report reads a thousand commitments and a few thousand bullets, and the
columns it never shows were a third of the time of reading them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import NamedTuple, TypeVar

from tracker.domain.model import (
    ChangeWay,
    Frequency,
    Indicator,
    IndicatorValue,
    Narrative,
    Polarity,
    Series,
    StatedChange,
    Unit,
    ValueState,
    Visibility,
)
from tracker.domain.narrative import Section
from tracker.domain.status import Status
from tracker.store.database import Store

T = TypeVar("T")
_STATUS = {s.value: s for s in Status}
_VISIBILITY = {v.value: v for v in Visibility}
_SERIES = {s.value: s for s in Series}
_STATE = {s.value: s for s in ValueState}
_UNIT = {u.value: u for u in Unit}
_POLARITY = {p.value: p for p in Polarity}
_FREQUENCY = {f.value: f for f in Frequency}


class CommitmentLine(NamedTuple):
    """A commitment as a report uses it."""

    id: int
    priority_id: int
    parent_id: int | None
    code: str | None
    text: str
    status: Status
    carried_forward_from_id: int | None


class EvidenceLine(NamedTuple):
    """An evidence bullet as a report uses it: its text and visibility, what places it in a
    period (the report's range), and its partner (a partner's report)."""

    commitment_id: int
    text: str
    period: str | None
    evidence_date: str | None
    created_at: str
    visibility: Visibility
    partner_id: int | None


def _marks(ids: Iterable[int]) -> tuple[str, tuple[int, ...]]:
    ids = tuple(ids)
    return ", ".join("?" * len(ids)), ids


def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of a frozen dataclass that the readers below make by filling its __dict__
    as its generated __init__ would (every field given): that __init__ calls
    object.__setattr__ once per field, three times as long for a row of 11, and a report reads
    a thousand values. Only for a class with nothing else to do."""
    assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__"), cls
    return tuple(f.name for f in fields(cls))


_new = object.__new__
_VALUE_FIELDS = _field_names(IndicatorValue)
_VALUE_AT = {name: _VALUE_FIELDS.index(name) for name in ("indicator_id", "series", "state")}
# The columns are selected by the fields' names, so a row fills its line field by field.
_COMMITMENT = f"SELECT {', '.join(CommitmentLine._fields)} FROM commitment "
assert CommitmentLine._fields == ("id", "priority_id", "parent_id", "code", "text", "status",
                                  "carried_forward_from_id")  # as _commitments unpacks them


def _commitments(cursor) -> list[CommitmentLine]:
    # Each row unpacked into its line's fields by name (half the time of slicing the row
    # around its status): the SELECT lists the fields in this order.
    new, line, status = tuple.__new__, CommitmentLine, _STATUS
    return [new(line, (cid, priority_id, parent_id, code, text, status[state], origin))
            for cid, priority_id, parent_id, code, text, state, origin in cursor]


def top_commitments(store: Store, priority_ids: Iterable[int]
                    ) -> dict[int, list[CommitmentLine]]:
    """list_commitments of each priority: priority id -> its top-level commitments in plan
    order."""
    marks, ids = _marks(priority_ids)
    found: dict[int, list[CommitmentLine]] = {i: [] for i in ids}
    # "+parent_id": the rows come in the order of the (priority_id, position) index, unsorted;
    # on the parent_id index SQLite found the top-level rows and then sorted them.
    for line in _commitments(store.execute(
            _COMMITMENT + f"WHERE priority_id IN ({marks}) AND +parent_id IS NULL "
            "ORDER BY priority_id, position", ids)):
        found[line.priority_id].append(line)
    return found


def children_by_parent(store: Store, priority_ids: Iterable[int]
                       ) -> dict[int, list[CommitmentLine]]:
    """children() of every commitment of these priorities: parent id -> its sub-points."""
    marks, ids = _marks(priority_ids)
    found: dict[int, list[CommitmentLine]] = {}
    for line in _commitments(store.execute(
            _COMMITMENT + "WHERE parent_id IN (SELECT id FROM commitment WHERE "
            f"priority_id IN ({marks})) ORDER BY parent_id, position, id", ids)):
        found.setdefault(line.parent_id, []).append(line)
    return found


def children(store: Store, commitment_id: int) -> list[CommitmentLine]:
    """The sub-points of one commitment, in order."""
    return _commitments(store.execute(
        _COMMITMENT + "WHERE parent_id = ? ORDER BY position, id", (commitment_id,)))


_EVIDENCE = f"SELECT {', '.join(EvidenceLine._fields)} FROM evidence "
# A report over all periods never places a bullet in time: its dates are left unread (a third
# of the time of reading the bullets), and not selected as NULLs either (a column of NULLs
# still costs a Python object per row: 7,500 for the closure report's bullets).
_UNDATED = "SELECT commitment_id, text, visibility, partner_id FROM evidence "


def _evidence_lines(cursor, dated: bool = True) -> dict[int, list[EvidenceLine]]:
    """The rows come ordered by commitment: each commitment's bullets are one run of rows.
    Not `dated`: the rows are _UNDATED's, and the lines' dates are None."""
    found: dict[int, list[EvidenceLine]] = {}
    new, line, visibility = tuple.__new__, EvidenceLine, _VISIBILITY
    current, bullets = None, []
    period = day = created = None
    for row in cursor:
        if dated:
            cid, text, period, day, created, shown, partner = row
        else:
            cid, text, shown, partner = row
        if cid != current:
            current = cid
            bullets = found.setdefault(current, [])
        bullets.append(new(line, (cid, text, period, day, created, visibility[shown], partner)))
    return found


def evidence_by_commitment(store: Store, priority_ids: Iterable[int], *, dated: bool = True
                           ) -> dict[int, list[EvidenceLine]]:
    """The evidence of every commitment of these priorities (sub-points included): commitment
    id -> its bullets in order. Not `dated`: period, evidence_date and created_at are None."""
    marks, ids = _marks(priority_ids)
    return _evidence_lines(store.execute(
        (_EVIDENCE if dated else _UNDATED) + "WHERE " + _of_priorities(marks), ids), dated)


def _of_priorities(marks: str) -> str:
    """The evidence of the commitments of the priorities `marks` stands for (sub-points
    included), ordered as each commitment's bullets, one commitment after another."""
    return (f"commitment_id IN (SELECT id FROM commitment WHERE priority_id IN ({marks})) "
            "ORDER BY commitment_id, position, id")


_IS_INTERNAL = {v.value: v is Visibility.INTERNAL for v in Visibility}


def evidence_texts(store: Store, priority_ids: Iterable[int], *, include_internal: bool,
                   make: Callable[[tuple[str, bool]], T]) -> dict[int, list[T]]:
    """What a report over all periods and partners shows of the evidence of every commitment
    of these priorities (sub-points included): commitment id -> each bullet made by `make`
    from (text, internal only), in order; bullets marked internal only when
    `include_internal`. Only what such a report shows is read: no dates, partners or
    evidence lines (the bullets were made twice, as lines and then as the report's items),
    and the internal ones are left in the database when they are left out."""
    marks, ids = _marks(priority_ids)
    theirs = _of_priorities(marks)
    found: dict[int, list[T]] = {}
    current, bullets = None, []
    if include_internal:
        internal = _IS_INTERNAL
        for cid, text, shown in store.execute(
                "SELECT commitment_id, text, visibility FROM evidence WHERE " + theirs, ids):
            if cid != current:
                current = cid
                bullets = found.setdefault(cid, [])
            bullets.append(make((text, internal[shown])))
        return found
    for cid, text in store.execute(
            "SELECT commitment_id, text FROM evidence WHERE visibility != 'internal' AND "
            + theirs, ids):
        if cid != current:
            current = cid
            bullets = found.setdefault(cid, [])
        bullets.append(make((text, False)))
    return found


def evidence_of(store: Store, commitment_id: int) -> list[EvidenceLine]:
    """One commitment's evidence, in order."""
    return _evidence_lines(store.execute(
        _EVIDENCE + "WHERE commitment_id = ? ORDER BY position, id", (commitment_id,))
    ).get(commitment_id, [])


def indicators_by_priority(store: Store, priority_ids: Iterable[int]
                           ) -> dict[int, list[Indicator]]:
    """list_indicators of each priority: priority id -> its indicators in plan order (by
    number)."""
    marks, ids = _marks(priority_ids)
    found: dict[int, list[Indicator]] = {i: [] for i in ids}
    unit, polarity, frequency = _UNIT, _POLARITY, _FREQUENCY
    for (iid, uid, priority_id, key, number, name, units, better, often, baseline, target,
         target_period, source, band) in store.execute(
            "SELECT id, uid, priority_id, key, number, name, unit, polarity, frequency, "
            "baseline_period, target_value, target_period, source, steady_band FROM indicator "
            f"WHERE priority_id IN ({marks}) ORDER BY priority_id, number, id", ids):
        found[priority_id].append(Indicator(
            iid, uid, priority_id, key, number, name, unit[units], polarity[better],
            frequency[often], baseline, target, target_period, source, band))
    return found


def values_by_indicator(store: Store, indicator_ids: Iterable[int], include_withheld: bool = False
                        ) -> dict[int, list[IndicatorValue]]:
    """list_values of each indicator: indicator id -> its values in the same order."""
    marks, ids = _marks(indicator_ids)
    found: dict[int, list[IndicatorValue]] = {i: [] for i in ids}
    tied = _values(store, f"IN ({marks})", ids, include_withheld, found, sorted_rows=False)
    for iid in tied:
        found[iid] = []
        _values(store, "= ?", (iid,), include_withheld, found, sorted_rows=True)
    return found


def _values(store: Store, which: str, args: tuple[int, ...], include_withheld: bool,
            found: dict[int, list[IndicatorValue]], *, sorted_rows: bool) -> set[int]:
    """Adds the values of the indicators `which` picks to `found`, in list_values's order
    (indicator, series, period start, then the shorter label, then id), and returns the
    indicators whose rows could not be put in that order as they came.

    Not `sorted_rows`: in the order of the (indicator_id, series, period_start) index as SQLite
    reads it, with nothing to sort (a temporary B-tree for the rest of the order was a third of
    the query): only two labels of one series starting the same day (a rare mix of kinds of
    period) need the rest, and their indicators are returned, to be read again sorted."""
    withheld = "" if include_withheld else "AND state != 'withheld' "
    order = "period_start, length(period), id" if sorted_rows else "period_start"
    names, series, state = _VALUE_FIELDS, _SERIES, _STATE
    at_indicator, at_series, at_state = (_VALUE_AT[n] for n in ("indicator_id", "series", "state"))
    tied: set[int] = set()
    previous = None
    for r in store.execute(
            f"SELECT {', '.join(names)}, period_start FROM indicator_value "
            f"WHERE indicator_id {which} {withheld}ORDER BY indicator_id, series, {order}", args):
        made = _new(IndicatorValue)  # filled as _field_names says (zip stops before the start)
        held = made.__dict__
        held.update(zip(names, r))
        held["series"] = series[r[at_series]]
        held["state"] = state[r[at_state]]
        found[r[at_indicator]].append(made)
        key = (r[at_indicator], r[at_series], r[-1])
        if key == previous:
            tied.add(key[0])
        previous = key
    return tied if not sorted_rows else set()


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
