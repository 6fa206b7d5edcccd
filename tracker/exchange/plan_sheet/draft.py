"""The plan an import would create, before anything is written, and what is wrong with it.

A finding is named at its place ("Delivery plan!F7", "line 12"). Problems stop the plan being
created until the mapping or the file is fixed; warnings are shown and the officer accepts
them by creating the plan (a due date that is not a date is left empty, a hidden row is left
out, a skipped letter is kept as written).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.domain.plan_dates import PlanDate
from tracker.domain.status import Status


@dataclass(frozen=True)
class Finding:
    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


@dataclass
class DraftCommitment:
    """A "We will" (or, as a child, one of its sub-points)."""

    text: str
    place: str
    code: str | None = None
    status: Status = Status.NOT_ASSESSED
    status_from: str | None = None  # the word or fill the status was read from
    lead: str | None = None
    due: PlanDate | None = None
    partners: list[str] = field(default_factory=list)
    notes: str | None = None
    children: list[DraftCommitment] = field(default_factory=list)


@dataclass
class DraftPriority:
    number: int
    title: str
    place: str
    objective: str | None = None
    partnership: str | None = None
    outcome: str | None = None
    commitments: list[DraftCommitment] = field(default_factory=list)
    title_given: bool = True  # False: the plan gave only a number, the title is "Priority N"


@dataclass
class PlanDraft:
    source: str  # the file (or "pasted text") it was read from
    sheet: str | None = None
    header_row: int | None = None
    priorities: list[DraftPriority] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> "B (Actions)"
    statuses_used: dict[str, Status] = field(default_factory=dict)  # word or fill -> status
    known_partners: set[str] = field(default_factory=set)  # lower-case names already in the database

    @property
    def can_create(self) -> bool:
        return not self.problems and any(p.commitments for p in self.priorities)

    def problem(self, place: str, message: str) -> None:
        self.problems.append(Finding(place, message))

    def warn(self, place: str, message: str) -> None:
        self.warnings.append(Finding(place, message))

    def commitments(self) -> list[DraftCommitment]:
        return [c for p in self.priorities for c in p.commitments]

    @property
    def commitment_count(self) -> int:
        return len(self.commitments())

    @property
    def subpoint_count(self) -> int:
        return sum(len(c.children) for c in self.commitments())

    def partner_names(self) -> list[str]:
        """Every partner the plan names, once each, in the order first named."""
        seen: dict[str, str] = {}
        for c in self.commitments():
            for item in (c, *c.children):
                for name in item.partners:
                    seen.setdefault(name.lower(), name)
        return list(seen.values())

    def new_partners(self) -> list[str]:
        return [n for n in self.partner_names() if n.lower() not in self.known_partners]
