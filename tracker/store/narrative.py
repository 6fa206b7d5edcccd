"""The narrative officers write for reports: one text per place and reporting period.

A place is a plan's own section (foreword, executive summary, financial overview, closing),
a priority's chapter, or an indicator's commentary. Each holds blocks (paragraphs, lists,
figure places; see tracker.domain.narrative), stored as JSON in one row, so an edit is one
row written in one transaction and undo puts the previous body back.

Narrative may be written for a closed plan: the closure report is written after the plan
closes, and its text is not part of the plan's commitments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.domain.model import Narrative
from tracker.domain.narrative import (
    PLAN_SECTIONS,
    Block,
    FigureRef,
    NarrativeFormatError,
    Section,
    blocks_to_json,
    check_blocks,
)
from tracker.domain.periods import PeriodError, parse_period
from tracker.store import rows
from tracker.store.clock import new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, StoreError, ValidationError


class NarrativeConflictError(StoreError):
    """The text was changed by someone else since it was read; nothing was written."""


@dataclass(frozen=True)
class Place:
    """Where a narrative belongs: a plan section, or a priority's chapter, or an indicator's
    commentary (priority_id / indicator_id set accordingly)."""

    plan_id: int
    section: Section
    priority_id: int | None = None
    indicator_id: int | None = None


def plan_place(plan_id: int, section: Section | str) -> Place:
    section = Section(section)
    if section not in PLAN_SECTIONS:
        raise ValueError(f"{section.value} is not a plan section")
    return Place(plan_id, section)


def chapter_place(store: Store, priority_id: int) -> Place:
    row = store.execute("SELECT plan_id FROM priority WHERE id = ?", (priority_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"No priority with id {priority_id}.")
    return Place(row[0], Section.CHAPTER, priority_id=priority_id)


def commentary_place(store: Store, indicator_id: int) -> Place:
    row = store.execute("SELECT p.plan_id FROM indicator i JOIN priority p ON p.id = "
                        "i.priority_id WHERE i.id = ?", (indicator_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"No indicator with id {indicator_id}.")
    return Place(row[0], Section.COMMENTARY, indicator_id=indicator_id)


def place_of(narrative: Narrative) -> Place:
    return Place(narrative.plan_id, narrative.section, narrative.priority_id,
                 narrative.indicator_id)


# --- reading ---------------------------------------------------------------------------------


def get_narrative(store: Store, narrative_id: int) -> Narrative:
    for r in store.db.query("SELECT * FROM narrative WHERE id = ?", [narrative_id]):
        return rows.narrative(r)
    raise NotFoundError(f"No narrative with id {narrative_id}.")


def narrative_by_uid(store: Store, uid: str) -> Narrative | None:
    for r in store.db.query("SELECT * FROM narrative WHERE uid = ?", [uid]):
        return rows.narrative(r)
    return None


def list_narratives(store: Store, plan_id: int | None = None) -> list[Narrative]:
    """All narrative (of one plan), by place and then period."""
    return [rows.narrative(r) for r in store.db.query(
        "SELECT * FROM narrative WHERE :plan IS NULL OR plan_id = :plan "
        "ORDER BY plan_id, section, priority_id, indicator_id, period_start, length(period)",
        {"plan": plan_id})]


def narratives_at(store: Store, place: Place) -> list[Narrative]:
    """Every period's text for one place, oldest period first."""
    return [rows.narrative(r) for r in store.db.query(
        "SELECT * FROM narrative WHERE plan_id = ? AND section = ? AND priority_id IS ? "
        "AND indicator_id IS ? ORDER BY period_start, length(period)",
        [place.plan_id, place.section.value, place.priority_id, place.indicator_id])]


def find_narrative(store: Store, place: Place, period: str) -> Narrative | None:
    label = _period(period)[0]
    return next((n for n in narratives_at(store, place) if n.period == label), None)


def narrative_for(store: Store, place: Place, start: date | None = None,
                  end: date | None = None) -> Narrative | None:
    """The text a report uses: of the periods that start inside [start, end) (either bound
    open when None), the latest."""
    return latest_starting_in(narratives_at(store, place), start, end)


def latest_starting_in(items: list[Narrative], start: date | None = None,
                       end: date | None = None) -> Narrative | None:
    """Of one place's texts (oldest period first), the latest whose period starts inside
    [start, end)."""
    chosen = None
    for item in items:
        begins = parse_period(item.period).start
        if (start is None or begins >= start) and (end is None or begins < end):
            chosen = item
    return chosen


def figure_uids(store: Store) -> set[str]:
    return {r[0] for r in store.execute("SELECT uid FROM indicator")}


# --- writing ---------------------------------------------------------------------------------


def _period(text: str) -> tuple[str, str]:
    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise ValidationError(f"The narrative's period: {exc}", "period") from exc
    return period.label, period.start.isoformat()


def check_place(store: Store, place: Place) -> None:
    """ValidationError when the place is not one a narrative can have."""
    if store.execute("SELECT 1 FROM plan WHERE id = ?", (place.plan_id,)).fetchone() is None:
        raise NotFoundError(f"No plan with id {place.plan_id}.")
    section = Section(place.section)
    if section is Section.CHAPTER:
        row = store.execute("SELECT plan_id FROM priority WHERE id = ?",
                            (place.priority_id,)).fetchone()
        if place.priority_id is None or row is None or row[0] != place.plan_id \
                or place.indicator_id is not None:
            raise ValidationError("A chapter's text belongs to a priority of its plan.",
                                  "priority")
    elif section is Section.COMMENTARY:
        row = store.execute("SELECT p.plan_id FROM indicator i JOIN priority p ON p.id = "
                            "i.priority_id WHERE i.id = ?", (place.indicator_id,)).fetchone()
        if place.indicator_id is None or row is None or row[0] != place.plan_id \
                or place.priority_id is not None:
            raise ValidationError("A commentary belongs to an indicator of its plan.",
                                  "indicator")
    elif place.priority_id is not None or place.indicator_id is not None:
        raise ValidationError(f"The {section.label.lower()} belongs to the plan, not to a "
                              "priority or an indicator.", "section")


def check_body(store: Store, blocks: tuple[Block, ...]) -> str:
    """The blocks as stored JSON; ValidationError naming the first paragraph that cannot be
    kept, or a figure of an indicator that does not exist."""
    if not blocks:
        raise ValidationError("The text is empty: write something, or delete the text.", "body")
    try:
        check_blocks(blocks)
    except NarrativeFormatError as exc:
        raise ValidationError(str(exc), "body") from exc
    known = None
    for n, block in enumerate(blocks, start=1):
        if isinstance(block, FigureRef):
            known = known if known is not None else figure_uids(store)
            if block.indicator_uid not in known:
                raise ValidationError(f"Paragraph {n} places the figure of an indicator that is "
                                      "not in this database.", "body")
    return blocks_to_json(blocks)


def set_narrative(store: Store, place: Place, period: str, blocks: tuple[Block, ...], *,
                  uid: str | None = None, author: str | None = None) -> int:
    """Write the text for the place and period (a new row, or the existing one rewritten).
    Returns its id."""
    check_place(store, place)
    label, start = _period(period)
    body = check_body(store, blocks)
    stamp = now()
    with store.transaction():
        existing = find_narrative(store, place, label)
        if existing is not None:
            store.execute("UPDATE narrative SET body = ?, author = ?, updated_at = ? "
                          "WHERE id = ?", (body, author or store.officer, stamp, existing.id))
            return existing.id
        return store.execute(
            "INSERT INTO narrative (id, uid, plan_id, section, priority_id, indicator_id, period, "
            "period_start, body, author, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid := uid or new_uid()), uid, place.plan_id, Section(place.section).value,
             place.priority_id, place.indicator_id, label, start, body,
             author or store.officer, stamp, stamp),
        ).lastrowid


def update_body(store: Store, narrative_id: int, blocks: tuple[Block, ...], *,
                expected_body: str | None = None) -> Narrative:
    """Rewrite one text; with `expected_body`, only if it still holds that (compare and set),
    else NarrativeConflictError. Returns the text as it was before."""
    body = check_body(store, blocks)
    with store.transaction():
        before = get_narrative(store, narrative_id)
        if expected_body is not None and before.body != expected_body:
            raise NarrativeConflictError(
                "This text was changed elsewhere since it was opened; nothing was written. "
                "Open it again to see the changes.")
        store.execute("UPDATE narrative SET body = ?, author = ?, updated_at = ? WHERE id = ?",
                      (body, store.officer, now(), narrative_id))
    return before


def delete_narrative(store: Store, narrative_id: int) -> Narrative:
    """Remove one text; returns it, so it can be put back with restore_narrative."""
    with store.transaction():
        item = get_narrative(store, narrative_id)
        store.execute("DELETE FROM narrative WHERE id = ?", (narrative_id,))
    return item


def restore_narrative(store: Store, item: Narrative) -> int:
    """Put a deleted text back under its own uid (and so its own id)."""
    with store.transaction():
        if narrative_by_uid(store, item.uid) is not None:
            raise ValidationError("This text is already there.", "uid")
        place = place_of(item)
        check_place(store, place)
        label, start = _period(item.period)
        if find_narrative(store, place, label) is not None:
            raise ValidationError(f"Another text for {label} has been written here since; "
                                  "nothing was put back.", "period")
        return store.execute(
            "INSERT INTO narrative (id, uid, plan_id, section, priority_id, indicator_id, period, "
            "period_start, body, author, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(item.uid), item.uid, item.plan_id, item.section.value, item.priority_id,
             item.indicator_id, label, start, item.body, item.author, item.created_at, now()),
        ).lastrowid
