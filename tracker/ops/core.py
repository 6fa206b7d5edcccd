"""The frame every operation runs in: one transaction, the rows it wrote recorded with their
before and after, one activity log entry in the same transaction, then the result told to
whoever listens (the window redraws from it).

    with operation(store, "add_evidence") as op:
        new_id = evidence.add_evidence(store, ...)
        op.summary = "Added evidence to commitment 3b: ..."
        op.value = new_id
    return op.result

An operation run inside another joins it: one transaction, one log entry (the outer one's).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from tracker.domain.changes import RowChange
from tracker.ops.result import OpResult
from tracker.store import activity, capture
from tracker.store.database import Store
from tracker.store.edits import check_file_still_there

Observer = Callable[[OpResult], None]


@dataclass
class Operation:
    """Filled in by the body of an operation; `result` is there once it has finished."""

    kind: str
    summary: str = ""
    value: Any = None
    origin: str | None = None  # the store's origin unless set ("return <id>" for an import)
    target_uid: str | None = None
    nested: bool = False
    result: OpResult | None = None


@contextlib.contextmanager
def operation(store: Store, kind: str, summary: str = "", *, origin: str | None = None,
              target_uid: str | None = None) -> Iterator[Operation]:
    running: Operation | None = getattr(store, "_running_operation", None)
    op = Operation(kind, summary, origin=origin, target_uid=target_uid)
    if running is not None:
        op.nested = True
        yield op
        op.result = OpResult(None, kind, op.summary or kind, (), op.value)
        return
    check_file_still_there(store)
    capture.prepare(store)
    store._running_operation = op  # type: ignore[attr-defined]
    entry = None
    changes: list[RowChange] = []
    try:
        with store.transaction():
            capture.begin(store)
            yield op
            changes, changes_json = capture.collect_logged(store)
            if changes:
                plans = activity.PlanFinder(store).plans_of(changes)
                entry = activity.append(
                    store, kind=kind, summary=op.summary or kind.replace("_", " "),
                    changes=changes, origin=op.origin or store.origin, plans=plans,
                    target_uid=op.target_uid, changes_json=changes_json)
    finally:
        store._running_operation = None  # type: ignore[attr-defined]
        capture.end(store)
    if entry is None:
        op.result = OpResult(None, kind, op.summary or kind, (), op.value, store.officer, "",
                             op.origin or store.origin)
        return
    op.result = OpResult(entry.uid, kind, entry.summary, entry.changes, op.value, entry.who,
                         entry.at, entry.origin, entry.plans)
    publish(store, op.result)


def subscribe(store: Store, observer: Observer) -> None:
    """Call `observer(result)` after every operation on this store (and its worker copies)."""
    if observer not in store.observers:
        store.observers.append(observer)


def unsubscribe(store: Store, observer: Observer) -> None:
    if observer in store.observers:
        store.observers.remove(observer)


def publish(store: Store, result: OpResult) -> None:
    for observer in list(store.observers):
        observer(result)


def record_external(store: Store, kind: str, summary: str, changes: Iterable[RowChange], *,
                    origin: str = "sync", who: str | None = None, at: str | None = None,
                    uid: str | None = None) -> OpResult:
    """Log changes that reached the database some other way (team sync applying another
    laptop's changeset), so that they show in the activity log and undo can name them. The
    rows must already be written; this writes only the log entry."""
    changes = tuple(changes)
    with store.transaction():
        plans = activity.PlanFinder(store).plans_of(changes)
        entry = activity.append(store, kind=kind, summary=summary, changes=changes,
                                origin=origin, who=who, at=at, plans=plans, uid=uid)
    result = OpResult(entry.uid, kind, entry.summary, entry.changes, None, entry.who, entry.at,
                      entry.origin, entry.plans)
    publish(store, result)
    return result
