"""Operations on a plan's life: closing and reopening it, starting the next plan from it."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.domain.model import Commitment, PlanState
from tracker.domain.wording import count_of
from tracker.ops.core import operation
from tracker.ops.result import OpResult
from tracker.store import lifecycle, plans
from tracker.store.database import Store
from tracker.store.errors import ValidationError
from tracker.store.lifecycle import NewPriority


def close_plan(store: Store, plan_id: int) -> OpResult:
    """A closed plan can be read and reported on, not changed."""
    title = plans.get_plan(store, plan_id).title
    with operation(store, "close_plan") as op:
        op.value = lifecycle.close_plan(store, plan_id)
        op.summary = f"Closed {title}"
    return op.result


def reopen_plan(store: Store, plan_id: int, state: PlanState = PlanState.ACTIVE) -> OpResult:
    title = plans.get_plan(store, plan_id).title
    with operation(store, "reopen_plan") as op:
        lifecycle.reopen_plan(store, plan_id, state)
        op.summary = f"Reopened {title}"
    return op.result


@dataclass
class NewPlanRequest:
    """The next plan as the officer describes it.

    priorities: (number, title) of each new priority, the number as typed.
    continues_in: old priority id -> the number of the new priority it continues in.
    carry: ids of the old plan's top-level commitments to bring across.
    """

    title: str
    period: str
    priorities: list[tuple[int | str | None, str]]
    continues_in: dict[int, int] = field(default_factory=dict)
    carry: list[int] = field(default_factory=list)


def carried_by_default(commitment: Commitment) -> bool:
    """Unfinished commitments are offered for carrying forward; finished ones are not."""
    return not commitment.status.is_closed


def next_plan_priorities(store: Store, request: NewPlanRequest,
                         source_plan_id: int) -> list[NewPriority]:
    """The request's priorities, checked: a title and a period for the plan, and each priority
    with a whole number of its own and a title. A new priority with the number and title of an
    old one keeps its objective, partnership and outcome. ValidationError names the field."""
    if not " ".join(str(request.title or "").split()):
        raise ValidationError("The new plan needs a title.", "title")
    if not str(request.period or "").strip():
        raise ValidationError("The new plan needs a period, for example 2024-2028.", "period")
    numbers: list[int] = []
    for number, title in request.priorities:
        text = str(number if number is not None else "").strip()
        if not text.isdigit() or not str(title or "").strip() or int(text) in numbers:
            raise ValidationError("Each new priority needs its own whole number and a title.",
                                  "priorities")
        numbers.append(int(text))
    if not numbers:
        raise ValidationError("The new plan needs at least one priority.", "priorities")
    old = {p.number: p for p in plans.list_priorities(store, source_plan_id)}
    found = []
    for number, (_typed, title) in zip(numbers, request.priorities, strict=True):
        title = " ".join(str(title).split())
        same = old.get(number) if old.get(number) and old[number].title == title else None
        found.append(NewPriority(number, title, same.objective if same else None,
                                 same.partnership if same else None,
                                 same.outcome if same else None))
    return found


def new_plan_from(store: Store, source_plan_id: int, request: NewPlanRequest) -> OpResult:
    """A draft plan made from an existing one: its priorities, each old priority linked to
    the new one it continues in, the chosen commitments carried forward (each with a link to
    its origin; marked Carried forward in the old plan if that is still open). `value` is the
    NewPlanResult (the new plan's id in `plan_id`)."""
    priorities = next_plan_priorities(store, request, source_plan_id)
    with operation(store, "new_plan") as op:
        result = lifecycle.new_plan_from(store, source_plan_id, request.title, request.period,
                                         priorities, dict(request.continues_in),
                                         list(request.carry))
        op.value = result
        source = plans.get_plan(store, source_plan_id).title
        op.summary = (f"Started {' '.join(request.title.split())} from {source}, carrying "
                      f"{count_of(len(result.carried), 'commitment')} forward")
    return op.result
