"""What a report says, as plain data built from the store; the writers only lay it out.

One content model feeds the HTML, Word and PDF writers, so the three formats cannot disagree
about which commitments, evidence and values a report holds. Building it only reads the store.

Scope rules:
- Priorities: all of the plan's, or the numbers asked for.
- Partner: the commitments assigned to that partner or with evidence from it (with all their
  sub-points), and the indicators assigned to it.
- Period range: evidence whose period or date overlaps the range (evidence with neither counts
  by the day it was recorded), and indicator values whose period lies inside it. Commitments
  and their statuses are shown as they stand today.
- Evidence marked internal only is left out unless `include_internal`; it is then labelled.
- Withheld indicator values never appear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from tracker.domain.model import (
    Commitment,
    Evidence,
    Indicator,
    IndicatorValue,
    Plan,
    Priority,
    Series,
    StatusCounts,
    Visibility,
)
from tracker.domain.periods import Period, PeriodError, parse_period, period_range
from tracker.domain.status import Status
from tracker.domain.wording import Direction, describe_change, format_value
from tracker.store import commitments as commitment_store
from tracker.store import evidence as evidence_store
from tracker.store import indicators as indicator_store
from tracker.store import partners as partner_store
from tracker.store import plans as plan_store
from tracker.store.database import Store
from tracker.store.errors import ValidationError

Progress = Callable[[int, int, str], None]  # done, total, what is being done
Cancelled = Callable[[], bool]


class ReportCancelled(Exception):
    """The officer cancelled the report; nothing was written."""


@dataclass(frozen=True)
class ReportOptions:
    plan_id: int
    period_from: str | None = None
    period_to: str | None = None
    priority_numbers: tuple[int, ...] = ()
    partner_id: int | None = None
    include_internal: bool = False
    closure: bool | None = None  # call it a closure report; None: when the plan is closed

    def period_bounds(self) -> tuple[Period | None, Period | None]:
        """The range as parsed periods; ValidationError names the bad field."""
        bounds: list[Period | None] = []
        for name, text in (("period_from", self.period_from), ("period_to", self.period_to)):
            if text is None or not str(text).strip():
                bounds.append(None)
                continue
            try:
                bounds.append(parse_period(text))
            except PeriodError as exc:
                label = "from" if name == "period_from" else "to"
                raise ValidationError(f"Report period '{label}': {exc}.", name) from exc
        first, last = bounds
        if first and last and last.end <= first.start:
            raise ValidationError(f"The report period ends ({last.label}) before it starts "
                                  f"({first.label}).", "period_to")
        return first, last


@dataclass(frozen=True)
class EvidenceItem:
    text: str
    when: str | None = None  # the period or date as written
    partner: str | None = None
    internal: bool = False


@dataclass(frozen=True)
class CommitmentItem:
    code: str | None
    text: str
    status: Status
    evidence: tuple[EvidenceItem, ...] = ()
    subpoints: tuple[CommitmentItem, ...] = ()
    lead: str | None = None
    carried_forward_from: str | None = None  # "Police and Crime Plan 2016-2020, priority 1"

    @property
    def label(self) -> str:
        return f"{self.code}. {self.text}" if self.code else self.text


@dataclass(frozen=True)
class IndicatorItem:
    indicator: Indicator
    values: tuple[IndicatorValue, ...]  # every series, in scope, never withheld
    latest: str | None  # "30,674 in 2021/22"
    change: str  # the change in words, or why there is none
    direction: Direction | None = None
    target: str | None = None  # "Target: 500 by 2020/21"

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def has_values(self) -> bool:
        return bool(self.values)

    @property
    def verdict(self) -> str:
        if self.direction is None:
            return ""
        return {Direction.IMPROVED: "improved", Direction.WORSENED: "worsened",
                Direction.UNCHANGED: "unchanged", Direction.NEUTRAL: ""}[self.direction]


@dataclass(frozen=True)
class PrioritySection:
    priority: Priority
    counts: StatusCounts
    indicators: tuple[IndicatorItem, ...]
    commitments: tuple[CommitmentItem, ...]
    further_developed_in: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.priority.number}. {self.priority.title}"

    @property
    def evidence_count(self) -> int:
        return sum(_evidence_total(c) for c in self.commitments)


@dataclass(frozen=True)
class Report:
    plan: Plan
    title: str
    subtitle: str
    produced_on: date
    scope: tuple[str, ...]  # sentences that say what the report covers
    counts: StatusCounts
    priorities: tuple[PrioritySection, ...]
    internal_included: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def headlines(self) -> tuple[IndicatorItem, ...]:
        """The indicators whose change can be put into words, in plan order."""
        return tuple(i for s in self.priorities for i in s.indicators if i.direction is not None)

    @property
    def commitment_count(self) -> int:
        return self.counts.total

    @property
    def evidence_count(self) -> int:
        return sum(s.evidence_count for s in self.priorities)

    @property
    def indicator_count(self) -> int:
        return sum(len(s.indicators) for s in self.priorities)

    @property
    def summary_sentence(self) -> str:
        """"This report covers 61 commitments in 7 priorities, with 181 evidence statements and
        27 indicators. Status of the commitments: 57 not assessed, 3 carried forward."."""
        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}" if n else f"no {many}"

        return (f"This report covers {count(self.commitment_count, 'commitment', 'commitments')} "
                f"in {count(len(self.priorities), 'priority', 'priorities')}, with "
                f"{count(self.evidence_count, 'evidence statement', 'evidence statements')} and "
                f"{count(self.indicator_count, 'indicator', 'indicators')}. Status of the "
                f"commitments: {self.counts.describe()}.")


def _evidence_total(item: CommitmentItem) -> int:
    return len(item.evidence) + sum(_evidence_total(s) for s in item.subpoints)


def report_title(plan: Plan, closure: bool | None = None) -> str:
    closing = plan.is_closed if closure is None else closure
    kind = "Closure Report" if closing else "Progress Report"
    return f"{plan.title}: {kind}"


def build_report(store: Store, options: ReportOptions, *, progress: Progress | None = None,
                 cancelled: Cancelled | None = None, today: date | None = None) -> Report:
    """Read everything the report shows. Raises ValidationError for bad options and
    ReportCancelled when `cancelled()` turns true."""
    plan = plan_store.get_plan(store, options.plan_id)
    first, last = options.period_bounds()
    priorities = plan_store.list_priorities(store, plan.id)
    known = {p.number for p in priorities}
    wanted = set(options.priority_numbers)
    missing = sorted(wanted - known)
    if missing:
        numbers = ", ".join(str(n) for n in missing)
        raise ValidationError(f"{plan.title} has no priority {numbers}; it has "
                              f"{', '.join(str(n) for n in sorted(known)) or 'none'}.", "priority")
    partner = partner_store.get_partner(store, options.partner_id) if options.partner_id else None
    chosen = [p for p in priorities if not wanted or p.number in wanted]
    scope = _Scope(store, first, last, options.include_internal,
                   partner.id if partner else None)

    sections: list[PrioritySection] = []
    overall = StatusCounts()
    for index, priority in enumerate(chosen):
        if cancelled and cancelled():
            raise ReportCancelled()
        if progress:
            progress(index, len(chosen), f"Reading priority {priority.number}")
        section = _priority_section(store, priority, scope)
        if partner and not section.commitments and not section.indicators:
            continue  # nothing of this partner's here
        overall.merge(section.counts)
        sections.append(section)
    if progress:
        progress(len(chosen), len(chosen), "Read the plan")

    lines = [_period_sentence(first, last)]
    if wanted:
        lines.append("Priorities: " + ", ".join(str(p.number) for p in chosen) + ".")
    if partner:
        lines.append(f"Commitments and indicators of {partner.name} only.")
    if options.include_internal:
        lines.append("Includes evidence marked internal only: not for publication.")
    else:
        lines.append("Evidence marked internal only is left out.")
    produced = today or date.today()
    return Report(
        plan=plan,
        title=report_title(plan, options.closure),
        subtitle=f"{plan.title} ({plan.period}), {plan.state.label.lower()}",
        produced_on=produced,
        scope=tuple(lines),
        counts=overall,
        priorities=tuple(sections),
        internal_included=options.include_internal,
    )


def _period_sentence(first: Period | None, last: Period | None) -> str:
    if first and last:
        return f"Evidence and indicator values from {first.label} to {last.label}."
    if first:
        return f"Evidence and indicator values from {first.label} onwards."
    if last:
        return f"Evidence and indicator values up to {last.label}."
    return "All evidence and indicator values recorded for the plan."


class _Scope:
    """The filters of one report, with the lookups they need cached."""

    def __init__(self, store: Store, first: Period | None, last: Period | None,
                 include_internal: bool, partner_id: int | None) -> None:
        self.store = store
        self.start = first.start if first else None
        self.end = last.end if last else None  # the first day after the range
        self.include_internal = include_internal
        self.partner_id = partner_id
        self._origins: dict[int, str | None] = {}

    def overlaps(self, start: date, end: date) -> bool:
        """[start, end) overlaps the report's range."""
        return (self.start is None or end > self.start) and (self.end is None or start < self.end)

    def evidence_in_range(self, item: Evidence) -> bool:
        if self.start is None and self.end is None:
            return True
        span = _evidence_span(item)
        return span is None or self.overlaps(*span)

    def value_in_range(self, value: IndicatorValue) -> bool:
        try:
            period = parse_period(value.period)
        except PeriodError:
            return False
        return (self.start is None or period.start >= self.start) and \
            (self.end is None or period.end <= self.end)

    def origin(self, commitment_id: int) -> str | None:
        if commitment_id not in self._origins:
            origin = commitment_store.get_commitment(self.store, commitment_id)
            priority = plan_store.get_priority(self.store, origin.priority_id)
            plan = plan_store.get_plan(self.store, priority.plan_id)
            self._origins[commitment_id] = f"{plan.title}, priority {priority.number}"
        return self._origins[commitment_id]


def _evidence_span(item: Evidence) -> tuple[date, date] | None:
    """The days an evidence bullet speaks for: its period (or range), its date, else the day
    it was recorded."""
    if item.period:
        periods = _span_periods(item.period)
        if periods:
            return periods[0].start, periods[-1].end
    for text in (item.evidence_date, (item.created_at or "")[:10]):
        if text:
            try:
                day = date.fromisoformat(text)
            except ValueError:
                continue
            return day, date.fromordinal(day.toordinal() + 1)
    return None


def _span_periods(text: str) -> list[Period]:
    """"2019/20" or "2016/17-2019/20" (normalise_span's form) as periods."""
    try:
        return [parse_period(text)]
    except PeriodError:
        pass
    parts = text.split("-")
    for cut in range(1, len(parts)):
        try:
            return [parse_period("-".join(parts[:cut])), parse_period("-".join(parts[cut:]))]
        except PeriodError:
            continue
    return []


def _priority_section(store: Store, priority: Priority, scope: _Scope) -> PrioritySection:
    counts = StatusCounts()
    items: list[CommitmentItem] = []
    for commitment in commitment_store.list_commitments(store, priority.id):
        subpoints = commitment_store.children(store, commitment.id)
        if scope.partner_id is not None and not any(
            _belongs_to_partner(store, c, scope.partner_id) for c in (commitment, *subpoints)
        ):
            continue
        items.append(_commitment_item(store, commitment, subpoints, scope))
        counts.add(commitment.status)
    indicators = [
        _indicator_item(store, ind, scope)
        for ind in indicator_store.list_indicators(store, priority_id=priority.id)
        if scope.partner_id is None
        or scope.partner_id in partner_store.indicator_partner_ids(store, ind.id)
    ]
    links = tuple(
        f"{other_plan.title}: {other.number}. {other.title}"
        for other, other_plan, _note in plan_store.linked_priorities(store, priority.id)
        if other_plan.id != priority.plan_id and other_plan.period > _plan_period(store, priority)
    )
    return PrioritySection(priority, counts, tuple(indicators), tuple(items), links)


def _plan_period(store: Store, priority: Priority) -> str:
    return plan_store.get_plan(store, priority.plan_id).period


def _belongs_to_partner(store: Store, commitment: Commitment, partner_id: int) -> bool:
    if partner_id in partner_store.commitment_partner_ids(store, commitment.id):
        return True
    return any(e.partner_id == partner_id for e in evidence_store.list_evidence(store, commitment.id))


def _commitment_item(store: Store, commitment: Commitment, subpoints: list[Commitment],
                     scope: _Scope) -> CommitmentItem:
    evidence = tuple(
        EvidenceItem(e.text, e.period or e.evidence_date, e.partner_name,
                     e.visibility is Visibility.INTERNAL)
        for e in evidence_store.list_evidence(store, commitment.id)
        if (scope.include_internal or e.visibility is not Visibility.INTERNAL)
        and scope.evidence_in_range(e)
    )
    children = tuple(_commitment_item(store, c, commitment_store.children(store, c.id), scope)
                     for c in subpoints)
    origin = (scope.origin(commitment.carried_forward_from_id)
              if commitment.carried_forward_from_id else None)
    return CommitmentItem(commitment.code, commitment.text, commitment.status, evidence, children,
                          commitment.lead, origin)


def _indicator_item(store: Store, indicator: Indicator, scope: _Scope) -> IndicatorItem:
    values = tuple(v for v in indicator_store.list_values(store, indicator.id,
                                                          include_withheld=False)
                   if scope.value_in_range(v))
    actual = sorted((v for v in values if v.series is Series.ACTUAL),
                    key=lambda v: parse_period(v.period).sort_key)
    target = None
    if indicator.target_value is not None:
        target = f"Target: {format_value(indicator.target_value, indicator.unit)}"
        if indicator.target_period:
            target += f" by {indicator.target_period}"
    latest, change, direction = describe_indicator(indicator, actual)
    return IndicatorItem(indicator, values, latest, change, direction, target)


def describe_indicator(indicator: Indicator, actual: list[IndicatorValue]
                       ) -> tuple[str | None, str, Direction | None]:
    """The latest value, the change in words and its direction, from the actual values in
    period order. A period with no value is named as a gap, never filled in."""
    if not actual:
        return None, "No value stated.", None
    last = actual[-1]
    latest = f"{format_value(last.value, indicator.unit)} in {last.period}"
    provisional = " (provisional)" if last.state.value == "provisional" else ""
    if len(actual) == 1:
        return latest, f"{latest}{provisional}; no earlier value stated.", None
    first = next((v for v in actual if v.period == indicator.baseline_period), actual[0])
    if first is last:
        first = actual[0]
    change = describe_change(first.value, first.period, last.value, last.period,
                             indicator.unit, indicator.polarity)
    sentence = change.sentence[0].upper() + change.sentence[1:] + provisional
    gaps = missing_periods(first.period, last.period, [v.period for v in actual])
    if gaps:
        sentence += f" (no value stated for {_listed(gaps)})"
    return latest, sentence + ".", change.direction


def missing_periods(first: str, last: str, present: list[str]) -> list[str]:
    """The periods of the same kind between first and last that have no value."""
    try:
        run = period_range(parse_period(first), parse_period(last))
    except PeriodError:
        return []
    if not run:
        return []
    have = set(present)
    return [p.label for p in run if p.label not in have]


def _listed(labels: list[str]) -> str:
    if len(labels) > 4:
        return f"{labels[0]} to {labels[-1]}" if _consecutive(labels) else \
            f"{', '.join(labels[:3])} and {len(labels) - 3} other periods"
    if len(labels) == 1:
        return labels[0]
    if len(labels) >= 3 and _consecutive(labels):
        return f"{labels[0]} to {labels[-1]}"
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _consecutive(labels: list[str]) -> bool:
    try:
        run = period_range(parse_period(labels[0]), parse_period(labels[-1]))
    except PeriodError:
        return False
    return run is not None and [p.label for p in run] == labels


def status_text(status: Status) -> str:
    """The status as a reader sees it without colour: shape and word."""
    return f"{status.shape} {status.label}"
