"""Undo and redo that never overwrite newer work: compare, then set.

Undoing an operation writes back the "before" of every row it changed, but only if each row
still holds what the operation left ("after"). If anything has changed since (an officer's
edit, a partner's return, team sync), nothing is written and the refusal names what changed,
when, and by whom or by which return, from the activity log. Bookkeeping columns
(updated_at, position) do not count as a change; they are put back only where nothing else has
moved them.

An undo also refuses when writing back would take away more than the operation made: undoing
"add commitment" after evidence was added to it would delete that evidence with it. And it
refuses to write into a closed plan. Undo and redo are operations themselves: each is an entry
of the activity log, naming the operation it acted on.
"""

from __future__ import annotations

from tracker.domain.changes import SOFT_COLUMNS, Activity, RowChange, same_content
from tracker.domain.wording import count_of, moment
from tracker.ops.core import operation
from tracker.ops.errors import NothingToUndo, UndoRefused
from tracker.ops.result import OpResult
from tracker.ops.wording import by_whom, describe_change, describe_row, whole_row
from tracker.store import activity, capture
from tracker.store.database import Store

UNDO, REDO = activity.UNDO, activity.REDO

# Operations that are not undone step by step, and why.
NOT_UNDOABLE = {
    "send_returns": "workbooks sent to partners cannot be unsent: the record of sending is "
                    "what lets their answers be imported",
    "restore_backup": "a restore replaces the whole database; to go back, restore the backup "
                      "taken just before it (File ▸ Restore from a backup)",
    "load_plan_workbook": "the database was made from the workbook; to start again, make "
                          "another database",
}
# Operations that change nothing an officer edits: `undo` with no id passes over them.
PASSIVE = frozenset({"send_returns"})
# Tables whose rows belong to a plan that must be open to change them.
GUARDED = frozenset({"commitment", "evidence", "status_change", "priority", "attachment"})


def undo(store: Store, op_id: str | None = None) -> OpResult:
    """Undo the operation `op_id` (an id as `tracker log` prints it, or a full uid), or the
    latest one not yet undone. Raises UndoRefused, saying why, when it cannot."""
    entry = activity.find(store, op_id) if op_id else latest_undoable(store)
    if entry is None:
        raise NothingToUndo("There is nothing to undo.")
    if entry.kind in (UNDO, REDO):
        raise UndoRefused(f"Operation {entry.short_id} is itself an {entry.kind}; "
                          + ("redo the operation it undid instead." if entry.kind == UNDO
                             else "undo the operation it redid instead."))
    if entry.kind in NOT_UNDOABLE:
        raise UndoRefused(f"“{entry.summary}” cannot be undone: {NOT_UNDOABLE[entry.kind]}.")
    if activity.is_undone(store, entry.uid):
        raise UndoRefused(f"“{entry.summary}” has already been undone.")
    return _replay(store, entry, UNDO)


def redo(store: Store, op_id: str | None = None) -> OpResult:
    """Do again an operation that was undone (the latest undone one when no id is given)."""
    entry = activity.find(store, op_id) if op_id else latest_redoable(store)
    if entry is None:
        raise NothingToUndo("There is nothing to redo.")
    if entry.kind in (UNDO, REDO):
        raise UndoRefused(f"Operation {entry.short_id} is itself an {entry.kind}; name the "
                          "operation it acted on.")
    if not activity.is_undone(store, entry.uid):
        raise UndoRefused(f"“{entry.summary}” has not been undone, so there is nothing to redo.")
    return _replay(store, entry, REDO)


def latest_undoable(store: Store) -> Activity | None:
    """The newest operation that is not an undo or redo and has not been undone."""
    for entry in activity.entries(store):
        if entry.kind in (UNDO, REDO) or entry.kind in PASSIVE:
            continue
        if not activity.is_undone(store, entry.uid):
            return entry
    return None


def latest_redoable(store: Store) -> Activity | None:
    """The operation of the newest undo, if it is still undone."""
    for entry in activity.entries(store, flt=activity.LogFilter(kind=UNDO)):
        if entry.target_uid and activity.is_undone(store, entry.target_uid):
            return activity.get(store, entry.target_uid)
        return None
    return None


def _replay(store: Store, entry: Activity, verb: str) -> OpResult:
    # Each step's `before` is what must be there now, its `after` what is written.
    steps = (list(entry.changes) if verb == REDO
             else [c.inverted() for c in reversed(entry.changes)])
    done = "Undid" if verb == UNDO else "Redid"
    try:
        with operation(store, verb, f"{done}: {entry.summary}", target_uid=entry.uid) as op:
            currents = {}
            conflicts: list[tuple[RowChange, dict | None]] = []
            moved: list[tuple[RowChange, dict]] = []
            for step in steps:
                current = capture.current_row(store, step.table, step.key,
                                              step.before or step.after)
                currents[(step.table, step.key)] = current
                if not step.partial:
                    if not same_content(current, step.before):
                        conflicts.append((step, current))
                elif current is None or any(current.get(c) != v for c, v in step.before.items()
                                            if c not in SOFT_COLUMNS):
                    conflicts.append((step, current))
                elif any(current.get(c) != v for c, v in step.before.items()):
                    moved.append((step, current))
            conflicts += _changed_since(store, entry, moved)
            if conflicts:
                raise UndoRefused(_conflict(store, entry, verb, conflicts))
            store.execute("PRAGMA defer_foreign_keys = ON")  # rows come back in any order
            for step in steps:
                capture.write_row(store, step.table, step.key, step.after,
                                  currents[(step.table, step.key)], step.before)
            keys = capture.keys_of(steps)
            extra = [c for c in capture.collect(store) if (c.table, c.key) not in keys]
            if extra:
                raise _TooMuch(extra)
            closed = _closed(store, steps)
            if closed:
                raise UndoRefused(f"Cannot {verb} “{entry.summary}”: {closed} is closed; "
                                  "reopen it first. Nothing was changed.")
            op.value = entry
    except _TooMuch as too_much:  # worded once the attempt is rolled back
        raise UndoRefused(_extra(store, entry, verb, too_much.changes)) from None
    return op.result


def _changed_since(store: Store, entry: Activity,
                   moved: list[tuple[RowChange, dict]]) -> list[tuple[RowChange, dict | None]]:
    """Of the rows recorded by their changed columns alone whose bookkeeping columns (the
    "last updated" stamp, the position) have moved since, those whose other columns may have
    changed too: changed by a later entry of the log (not only touched, as adding evidence
    touches its commitment), or moved by something the log does not know (the row's stamp is
    not the one the log's last write of it left). Undo and redo of `entry` itself do not
    count as changes."""
    if not moved:
        return []
    changed, stamps = activity.rows_changed_since(store, entry.at, entry.uid)
    found = []
    for step, current in moved:
        row = (step.table, step.key)
        left = stamps.get(row, {})
        if row in changed or any(
                c in SOFT_COLUMNS and current.get(c) != v
                and (c not in left or left[c] != current.get(c))
                for c, v in step.before.items()):
            found.append((step, current))
    return found


class _TooMuch(Exception):
    def __init__(self, changes: list[RowChange]):
        super().__init__("undo would change rows the operation did not")
        self.changes = changes


def _closed(store: Store, steps: list[RowChange]) -> str | None:
    finder = activity.PlanFinder(store)
    guarded = [s for s in steps if s.table in GUARDED]
    reopened = {s.row.get("id") for s in steps if s.table == "plan"}
    closed = [title for pid, title in activity.closed_plans(store, finder.plans_of(guarded))
              if pid not in reopened]
    return closed[0] if closed else None


def _conflict(store: Store, entry: Activity, verb: str,
              conflicts: list[tuple[RowChange, dict | None]]) -> str:
    step, current = conflicts[0]
    original = step.inverted() if verb == UNDO else step  # the change as the operation made it
    what = describe_change(store, original)
    if current is None:
        how = "has been deleted since"
    elif step.before is None:
        how = "is there again"
    else:
        how = "has been changed since"
    since = activity.last_touch(store, step.table, step.key, entry.at, skip=entry.uid)
    if since is not None:
        how += " " + by_whom(store, since)
    else:
        how += " (not through the tracker's own operations)"
    more = len(conflicts) - 1
    tail = f", and {count_of(more, 'other item')} too" if more else ""
    return (f"Cannot {verb} “{entry.summary}” ({moment(entry.at)}): {what} {how}{tail}. "
            "Nothing was changed.")


def _extra(store: Store, entry: Activity, verb: str, extra: list[RowChange]) -> str:
    change = extra[0]
    what = describe_row(store, change.table, whole_row(store, change))
    since = activity.last_touch(store, change.table, change.key, entry.at, skip=entry.uid)
    when = f" since {by_whom(store, since)}" if since is not None else " since"
    effect = "remove" if change.after is None else "change"
    made = "added" if since is not None and since.kind not in (UNDO, REDO) else "changed"
    if since is not None and any(c.table == change.table and c.key == change.key
                                 and c.before is not None for c in since.changes):
        made = "changed"
    return (f"Cannot {verb} “{entry.summary}”: it would also {effect} {what}, {made}{when}. "
            "Nothing was changed.")
