"""Operations on the text officers write for reports: write (new or rewritten) and delete.

Each is one operation in the activity log, so Ctrl+Z and `tracker undo` take it back by the
operations layer's compare-and-set: an undo is refused, saying who changed the text since,
rather than overwrite a later edit.
"""

from __future__ import annotations

from tracker.domain.narrative import Block, NarrativeFormatError, Section, parse_editable
from tracker.domain.wording import quoted
from tracker.ops.core import operation
from tracker.ops.log import HistoryLine
from tracker.ops.result import OpResult
from tracker.store import activity, indicators, narrative, plans
from tracker.store.database import Store
from tracker.store.errors import StoreError, ValidationError
from tracker.store.narrative import Place


def place_label(store: Store, place: Place) -> str:
    """"the foreword of “Police and Crime Plan 2016-2020”", "the chapter text of priority 4
    of ...", "the commentary on “Knife-enabled crime”"."""
    try:
        plan = quoted(plans.get_plan(store, place.plan_id).title, 50)
        if place.section is Section.CHAPTER and place.priority_id is not None:
            number = plans.get_priority(store, place.priority_id).number
            return f"the chapter text of priority {number} of {plan}"
        if place.section is Section.COMMENTARY and place.indicator_id is not None:
            name = indicators.get_indicator(store, place.indicator_id).name
            return f"the commentary on {quoted(name, 50)}"
        return f"the {Section(place.section).label.lower()} of {plan}"
    except StoreError:
        return "report text no longer in this database"


def write_narrative(store: Store, place: Place, period: str,
                    blocks: tuple[Block, ...]) -> OpResult:
    """Write the text of a place for a period, new or over the text already there; `value` is
    its id."""
    with operation(store, "write_narrative") as op:
        op.value = narrative.set_narrative(store, place, period, blocks)
        written = narrative.get_narrative(store, op.value)
        op.summary = f"Wrote {place_label(store, place)} for {written.period}"
    return op.result


def write_narrative_text(store: Store, place: Place, period: str, text: str) -> OpResult:
    """The same from the form an officer edits (see tracker.domain.narrative.parse_editable):
    figures are named by their indicator, and unchanged paragraphs keep their source."""
    # A chapter may place a figure of another plan's indicator (the closure report's chapters
    # show the extension's measures): every indicator, this plan's first when names clash.
    found = indicators.list_indicators(store)
    own = _own_priorities(store, place)
    names = {i.name: i.uid for i in found if i.priority_id not in own}
    names.update({i.name: i.uid for i in found if i.priority_id in own})
    names.update({i.uid: i.uid for i in found})
    before = narrative.find_narrative(store, place, period) if period.strip() else None
    try:
        blocks = parse_editable(text, names, before.blocks if before else ())
    except NarrativeFormatError as exc:
        raise ValidationError(str(exc), "body") from exc
    return write_narrative(store, place, period, blocks)


def _own_priorities(store: Store, place: Place) -> set[int]:
    return {p.id for p in plans.list_priorities(store, place.plan_id)}


def delete_narrative(store: Store, narrative_id: int) -> OpResult:
    """`value` is the deleted Narrative."""
    with operation(store, "delete_narrative") as op:
        op.value = narrative.delete_narrative(store, narrative_id)
        op.summary = (f"Deleted {place_label(store, narrative.place_of(op.value))} for "
                      f"{op.value.period}")
    return op.result


def narrative_history(store: Store, place: Place, period: str) -> list[HistoryLine]:
    """Every operation that wrote, deleted, undid or redid the text of this place and period,
    newest first."""
    current = narrative.find_narrative(store, place, period)
    keys = {current.uid} if current else set()
    lines = []
    for entry in activity.entries(store, flt=activity.LogFilter(plan_id=place.plan_id)):
        for change in entry.changes:
            if change.table != "narrative":
                continue
            row = change.row
            same_place = (row.get("section") == Section(place.section).value
                          and row.get("priority_id") == place.priority_id
                          and row.get("indicator_id") == place.indicator_id
                          and row.get("period") == period)
            if change.key in keys or same_place:
                lines.append(HistoryLine(entry.short_id, entry.at, entry.who, entry.origin,
                                         entry.summary))
                break
    return lines
