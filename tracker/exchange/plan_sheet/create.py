"""Writing a previewed plan draft into the database: the whole plan in one transaction.

Each row keeps where it came from (`source`: the file and cell or line), a status read from
the plan is recorded as a status change whose reason quotes the word or fill it was read
from, the plan's notes become internal evidence, and partners the database does not know
yet are added.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.model import PlanState, Visibility
from tracker.domain.periods import PeriodError, normalise_span
from tracker.domain.status import Status
from tracker.domain.wording import count_of
from tracker.exchange.errors import ExchangeError
from tracker.exchange.plan_sheet.draft import DraftCommitment, PlanDraft
from tracker.store import commitments, evidence, partners, plans
from tracker.store.database import Store
from tracker.store.errors import ValidationError
from tracker.store.evidence import EvidenceInput


@dataclass(frozen=True)
class CreatedPlan:
    plan_id: int
    priorities: int
    commitments: int
    subpoints: int
    new_partners: list[str]

    @property
    def message(self) -> str:
        from tracker.domain.wording import count_of

        added = (f", {count_of(len(self.new_partners), 'new partner')} "
                 f"({', '.join(self.new_partners)})" if self.new_partners else "")
        return (f"{count_of(self.priorities, 'priority', 'priorities')}, "
                f"{count_of(self.commitments, 'commitment')} and "
                f"{count_of(self.subpoints, 'sub-point')}{added}.")


def check_plan_fields(title: str, period: str) -> tuple[str, str]:
    """The plan's title and canonical period, or a ValidationError saying what is wrong."""
    title = " ".join(str(title or "").split())
    if not title:
        raise ValidationError("A plan needs a title.", "title")
    try:
        period = normalise_span(period)
    except PeriodError as exc:
        raise ValidationError(f"The plan's period: {exc}.", "period") from exc
    return title, period


def create_plan(store: Store, draft: PlanDraft, title: str, period: str,
                state: PlanState = PlanState.ACTIVE) -> CreatedPlan:
    """The draft as a new plan, all of it or nothing; refused while it has problems."""
    if draft.problems:
        raise ExchangeError(f"{draft.source} has {count_of(len(draft.problems), 'problem')} "
                            "to fix first "
                            f"(the first: {draft.problems[0]}). Nothing was created.")
    if not draft.commitments():
        raise ExchangeError(f"{draft.source} holds no commitments to create a plan from.")
    title, period = check_plan_fields(title, period)
    where = f"{draft.source}" + (f", sheet '{draft.sheet}'" if draft.sheet else "")
    new_partners: list[str] = []
    with store.transaction():
        partner_ids: dict[str, int] = {}
        for name in draft.partner_names():
            found = partners.find_partner(store, name)
            if found is None:
                partner_ids[name.lower()] = partners.add_partner(store, name)
                new_partners.append(name)
            else:
                partner_ids[name.lower()] = found.id
        plan_id = plans.add_plan(store, title, period, state, source=f"Brought in from {where}")
        for priority in draft.priorities:
            priority_id = plans.add_priority(
                store, plan_id, priority.number, priority.title, objective=priority.objective,
                partnership=priority.partnership, outcome=priority.outcome,
                source=f"{draft.source}, {priority.place}")
            for item in priority.commitments:
                parent = _add(store, draft, priority_id, None, item, partner_ids)
                for child in item.children:
                    _add(store, draft, priority_id, parent, child, partner_ids)
    return CreatedPlan(plan_id, len(draft.priorities), draft.commitment_count,
                       draft.subpoint_count, new_partners)


def _add(store: Store, draft: PlanDraft, priority_id: int, parent_id: int | None,
         item: DraftCommitment, partner_ids: dict[str, int]) -> int:
    commitment_id = commitments.add_commitment(
        store, priority_id, item.text, code=item.code, parent_id=parent_id, lead=item.lead,
        due_date=item.due.iso if item.due else None, source=f"{draft.source}, {item.place}")
    if item.partners:
        partners.set_commitment_partners(store, commitment_id,
                                         [partner_ids[n.lower()] for n in item.partners])
    if item.status is not Status.NOT_ASSESSED:
        said = f"'{item.status_from}'" if item.status_from else item.status.label
        commitments.set_status(store, commitment_id, item.status,
                               f"As the office's plan recorded it: {said} ({item.place}).")
    if item.notes:
        evidence.add_evidence(store, commitment_id,
                              EvidenceInput(item.notes, visibility=Visibility.INTERNAL))
    return commitment_id
