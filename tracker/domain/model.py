"""The plan's records as plain dataclasses, as the store returns them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tracker.domain.narrative import Block, Section, blocks_from_json
from tracker.domain.status import Status


class PlanState(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Visibility(StrEnum):
    INTERNAL = "internal"
    SHAREABLE = "shareable"

    @property
    def label(self) -> str:
        return "Internal only" if self is Visibility.INTERNAL else "Shareable with partners"


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    RATE = "rate"
    SCORE = "score"
    POUNDS = "pounds"


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NEITHER = "neither"

    @property
    def label(self) -> str:
        return {
            Polarity.HIGHER_IS_BETTER: "Higher is better",
            Polarity.LOWER_IS_BETTER: "Lower is better",
            Polarity.NEITHER: "Context (no better direction)",
        }[self]


class Frequency(StrEnum):
    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


class Series(StrEnum):
    ACTUAL = "actual"
    COMPARISON = "comparison"
    TARGET = "target"

    @property
    def label(self) -> str:
        return {
            Series.ACTUAL: "Actual",
            Series.COMPARISON: "Comparison group",
            Series.TARGET: "Target",
        }[self]


class ValueState(StrEnum):
    PROVISIONAL = "provisional"
    FINAL = "final"
    WITHHELD = "withheld"


@dataclass(frozen=True)
class Partner:
    id: int
    uid: str
    key: str
    name: str


@dataclass(frozen=True)
class Plan:
    id: int
    uid: str
    key: str | None
    title: str
    period: str
    state: PlanState
    source: str | None = None

    @property
    def is_closed(self) -> bool:
        return self.state is PlanState.CLOSED

    @property
    def ref(self) -> str:
        """What names the plan on the command line: its key, or (for a plan brought in
        without one) the first eight hex digits of its UUID, the same in every copy."""
        return self.key or self.uid.replace("-", "")[:8]


@dataclass(frozen=True)
class Priority:
    id: int
    uid: str
    plan_id: int
    number: int
    title: str
    objective: str | None = None
    partnership: str | None = None
    outcome: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Commitment:
    id: int
    uid: str
    priority_id: int
    parent_id: int | None
    position: int
    code: str | None
    text: str
    status: Status
    lead: str | None = None
    due_date: str | None = None
    carried_forward_from_id: int | None = None
    source: str | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Evidence:
    id: int
    uid: str
    commitment_id: int
    position: int
    text: str
    evidence_date: str | None = None
    period: str | None = None
    partner_id: int | None = None
    partner_name: str | None = None
    figure: float | None = None
    unit: str | None = None
    link: str | None = None
    visibility: Visibility = Visibility.INTERNAL
    author: str | None = None
    created_at: str = ""
    updated_at: str = ""
    return_id: int | None = None  # the partner return that brought it, if any


@dataclass(frozen=True)
class StatusChange:
    id: int
    commitment_id: int
    changed_at: str
    changed_by: str
    from_status: Status | None
    to_status: Status
    reason: str
    period: str | None = None  # the reporting period the status was reported for, if said
    return_partner: str | None = None  # the partner whose return made the change, if one did
    return_round: str | None = None

    @property
    def source(self) -> str | None:
        """"Essex Police's 2021/22 Q2 return" for a change a partner's return made."""
        if not self.return_partner:
            return None
        return f"{self.return_partner}'s {self.return_round} return"


@dataclass(frozen=True)
class Indicator:
    id: int
    uid: str
    priority_id: int
    key: str | None
    number: int
    name: str
    unit: Unit
    polarity: Polarity
    frequency: Frequency
    baseline_period: str | None = None
    target_value: float | None = None
    target_period: str | None = None
    source: str | None = None
    # A change of at most this much reads "about the same" (relatively constant): per cent of
    # the first value, or percentage points for a percentage indicator. None: any change counts.
    steady_band: float | None = None


@dataclass(frozen=True)
class IndicatorValue:
    id: int
    uid: str
    indicator_id: int
    period: str
    series: Series
    value: float
    state: ValueState = ValueState.FINAL
    note: str | None = None
    source: str | None = None
    quote: str | None = None
    qualifier: str | None = None  # as the source writes it: "more than" 2,682


class ChangeWay(StrEnum):
    INCREASE = "increase"
    REDUCTION = "reduction"
    STEADY = "steady"  # "relatively constant"


@dataclass(frozen=True)
class StatedChange:
    """A change the source states only in words or as a percentage ("a 21 per cent reduction
    between 2015/16 and 2019/20"): kept as stated, never turned into values. Any part the
    source does not give is None; `period_words` holds a period it names only in words ("over
    the same period")."""

    id: int
    uid: str
    indicator_id: int
    position: int
    way: ChangeWay
    percent: float | None = None
    qualifier: str | None = None  # of the percentage: "almost" 50 per cent
    from_period: str | None = None
    to_period: str | None = None
    from_value: float | None = None
    to_value: float | None = None
    period_words: str | None = None
    note: str | None = None
    source: str | None = None
    quote: str | None = None


@dataclass(frozen=True)
class Narrative:
    """Text an officer wrote for one place of a report (a plan section, a priority's chapter,
    an indicator's commentary) for one reporting period. `body` is the stored JSON; `blocks`
    reads it (see tracker.domain.narrative)."""

    id: int
    uid: str
    plan_id: int
    section: Section
    priority_id: int | None
    indicator_id: int | None
    period: str
    body: str
    author: str | None = None
    created_at: str = ""
    updated_at: str = ""

    @property
    def blocks(self) -> tuple[Block, ...]:
        return blocks_from_json(self.body)


# --- the tree of a plan, as the main window and the summary show it ---------------------


# Every status, in order: iterating the enum class is a Python generator, and the tree makes a
# StatusCounts for each priority it reads.
_ALL_STATUSES = tuple(Status)


def _no_counts() -> dict[Status, int]:
    return dict.fromkeys(_ALL_STATUSES, 0)


@dataclass
class StatusCounts:
    counts: dict[Status, int] = field(default_factory=_no_counts)

    def add(self, status: Status, n: int = 1) -> None:
        self.counts[status] = self.counts.get(status, 0) + n

    def merge(self, other: StatusCounts) -> None:
        for status, n in other.counts.items():
            self.add(status, n)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, status: Status) -> int:
        return self.counts.get(status, 0)

    def describe(self) -> str:
        parts = [f"{n} {s.label.lower()}" for s, n in self.counts.items() if n]
        return ", ".join(parts) if parts else "none"


@dataclass
class CommitmentNode:
    commitment: Commitment
    evidence_count: int = 0
    last_updated: str = ""
    children: list[CommitmentNode] = field(default_factory=list)


@dataclass
class PriorityNode:
    priority: Priority
    commitments: list[CommitmentNode] = field(default_factory=list)
    counts: StatusCounts = field(default_factory=StatusCounts)


@dataclass
class PlanTree:
    plan: Plan
    priorities: list[PriorityNode] = field(default_factory=list)
    counts: StatusCounts = field(default_factory=StatusCounts)
