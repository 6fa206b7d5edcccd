"""Building what a report says from the store; the writers only lay it out.

One content model (tracker.reports.model) feeds the HTML, Word and PDF writers, so the three
formats cannot disagree about which commitments, evidence and values a report holds.
Building it only reads the store.

A report covers one plan or several (a closure report covers the plan and its extension):
the plans are put in the order of their periods, and a chapter gathers every plan's priority
of the same number, as the published closure report does.

Scope rules:
- Priorities: all of the plans', or the numbers asked for.
- Partner: the commitments assigned to that partner or with evidence from it (with all their
  sub-points), and the indicators assigned to it.
- Period range: evidence whose period or date overlaps the range (evidence with neither counts
  by the day it was recorded), and indicator values whose period lies inside it. Statuses are
  as at the end of the range's last period when it has one (from the status history), else
  as they stand today. Narrative: for each place, the latest text written for a period that
  starts inside the range.
- Evidence marked internal only is left out unless `include_internal`; it is then labelled.
- Withheld indicator values never appear.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import TypeVar

from tracker.domain.model import (
    Evidence,
    Indicator,
    IndicatorValue,
    Plan,
    Priority,
    Series,
    StatusCounts,
    Visibility,
)
from tracker.domain.narrative import BulletList, FigureRef, Paragraph, Section
from tracker.domain.periods import Period, PeriodError, parse_period, period_range, span_of
from tracker.domain.status import Status
from tracker.domain.wording import (
    Direction,
    count_of,
    describe_change,
    describe_path,
    describe_stated,
    format_value,
    listed,
)
from tracker.errors import Cancelled as StoppedByOfficer
from tracker.reports.model import (
    APPENDIX_TITLE,
    Appendix,
    AppendixChapter,
    AppendixPart,
    BodyPart,
    CarryForward,
    Chapter,
    ChapterPlan,
    CommitmentItem,
    EvidenceItem,
    FrontMatter,
    FrontSection,
    IndicatorItem,
    NarrativeText,
    PriorityLink,
    PrioritySection,
    Report,
    StatedChangeItem,
    Summary,
    SummaryRow,
    status_text,
)
from tracker.store import commitments as commitment_store
from tracker.store import narrative as narrative_store
from tracker.store import office as office_store
from tracker.store import partners as partner_store
from tracker.store import plans as plan_store
from tracker.store import report_reads
from tracker.store.database import Store
from tracker.store.errors import ValidationError
from tracker.store.report_reads import CommitmentLine
from tracker.store.statuses import statuses_at

__all__ = [
    "Cancelled",
    "CommitmentItem",
    "EvidenceItem",
    "IndicatorItem",
    "PrioritySection",
    "Progress",
    "Report",
    "ReportCancelled",
    "ReportOptions",
    "build_report",
    "describe_indicator",
    "missing_periods",
    "report_title",
    "status_text",
]

Progress = Callable[[int, int, str], None]  # done, total, what is being done
Cancelled = Callable[[], bool]
LANGUAGE = "en-GB"


# The officer cancelled the report; nothing was written (the one cancel of the tracker).
ReportCancelled = StoppedByOfficer


@dataclass(frozen=True)
class ReportOptions:
    plan_id: int
    period_from: str | None = None
    period_to: str | None = None
    priority_numbers: tuple[int, ...] = ()
    partner_id: int | None = None
    include_internal: bool = False
    closure: bool | None = None  # call it a closure report; None: when the plans are closed
    plan_ids: tuple[int, ...] = ()  # several plans in one report; empty: plan_id alone

    @property
    def all_plan_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(self.plan_ids)) if self.plan_ids else (self.plan_id,)

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


def report_title(plan: Plan, closure: bool | None = None) -> str:
    closing = plan.is_closed if closure is None else closure
    kind = "Closure Report" if closing else "Progress Report"
    return f"{plan.title}: {kind}"


def _years(period: str) -> tuple[int, int] | None:
    """"2016-2020" -> (2016, 2020); "2020/21" -> (2020, 2021); "2021" -> (2021, 2021)."""
    try:
        p = parse_period(period)
        if p.kind.value == "financial_year":
            return p.year, p.year + 1
        return p.year, p.year
    except PeriodError:
        pass
    found = [int(y) for y in re.findall(r"\b(\d{4})\b", period)]
    return (found[0], found[-1]) if found else None


def combined_title(plans: list[Plan], closure: bool | None = None) -> str:
    """One plan: "<title>: Closure Report". Several: the words their titles share and the
    years they span, "Police and Crime Plan 2016 to 2021: Closure Report", else the titles
    joined."""
    if len(plans) == 1:
        return report_title(plans[0], closure)
    plans = sorted(plans, key=_plan_order)
    closing = all(p.is_closed for p in plans) if closure is None else closure
    kind = "Closure Report" if closing else "Progress Report"
    words = [p.title.split() for p in plans]
    shared: list[str] = []
    for column in zip(*words):
        if len(set(column)) != 1 or any(ch.isdigit() for ch in column[0]):
            break
        shared.append(column[0])
    spans = [_years(p.period) for p in plans]
    if shared and all(spans):
        first = min(s[0] for s in spans if s)
        last = max(s[1] for s in spans if s)
        return f"{' '.join(shared)} {first} to {last}: {kind}"
    return " and ".join(p.title for p in plans) + f": {kind}"


def _plan_order(plan: Plan) -> tuple[int, int, str]:
    years = _years(plan.period) or (9999, 9999)
    return years[0], years[1], plan.title


def build_report(store: Store, options: ReportOptions, *, progress: Progress | None = None,
                 cancelled: Cancelled | None = None, today: date | None = None) -> Report:
    """Read everything the report shows. Raises ValidationError for bad options and
    ReportCancelled when `cancelled()` turns true."""
    plans = sorted((plan_store.get_plan(store, pid) for pid in options.all_plan_ids),
                   key=_plan_order)
    first, last = options.period_bounds()
    by_plan = {p.id: plan_store.list_priorities(store, p.id) for p in plans}
    known = {pr.number for prs in by_plan.values() for pr in prs}
    wanted = set(options.priority_numbers)
    missing = sorted(wanted - known)
    if missing:
        numbers = ", ".join(str(n) for n in missing)
        owner = plans[0].title if len(plans) == 1 else "The plans"
        raise ValidationError(f"{owner} {'has' if len(plans) == 1 else 'have'} no priority "
                              f"{numbers}; {'it has' if len(plans) == 1 else 'they have'} "
                              f"{', '.join(str(n) for n in sorted(known)) or 'none'}.",
                              "priority")
    partner = partner_store.get_partner(store, options.partner_id) if options.partner_id else None
    as_at = last.label if last else None
    scope = _Scope(store, first, last, options.include_internal,
                   partner.id if partner else None)
    if as_at:
        for plan in plans:
            scope.statuses.update(statuses_at(store, plan.id, as_at))
    scope.narratives = report_reads.narratives_by_place(store, [p.id for p in plans])

    chosen = [(plan, pr) for plan in plans for pr in by_plan[plan.id]
              if not wanted or pr.number in wanted]
    read = _PlanRows(store, [pr for _plan, pr in chosen],
                     dated=first is not None or last is not None,
                     shown=None if partner else options.include_internal)
    sections: list[PrioritySection] = []
    overall = StatusCounts()
    for index, (plan, priority) in enumerate(chosen):
        if cancelled and cancelled():
            raise ReportCancelled()
        if progress:
            progress(index, len(chosen), f"Reading priority {priority.number} of {plan.title}")
        section = _priority_section(store, read, plan, priority, scope)
        if partner and not section.commitments and not section.indicators:
            continue  # nothing of this partner's here
        overall.merge(section.counts)
        sections.append(section)
    if progress:
        progress(len(chosen), len(chosen), "Read the plans")

    closure = options.closure
    lines = [_period_sentence(first, last)]
    if as_at:
        lines.append(f"Statuses as at the end of {as_at}.")
    if wanted:
        lines.append("Priorities: " + ", ".join(str(n) for n in sorted(wanted)) + ".")
    if partner:
        lines.append(f"Commitments and indicators of {partner.name} only.")
    if options.include_internal:
        lines.append("Includes evidence marked internal only: not for publication.")
    else:
        lines.append("Evidence marked internal only is left out.")
    produced = today or date.today()
    title = combined_title(plans, closure)
    # The plans it covers, each named once: its period only where the title lacks it, and none
    # of the tracker's own states (a closure report called the extension it closes "active").
    named = [p.title if not p.period or p.period in p.title else f"{p.title} ({p.period})"
             for p in plans]
    subtitle = listed(named)
    front = FrontMatter(
        title=title, subtitle=subtitle, office=office_store.office_name(store),
        produced_on=produced, language=LANGUAGE,
        closure=(all(p.is_closed for p in plans) if closure is None else closure),
        plans=tuple(plans), as_at=as_at, scope=tuple(lines),
        internal_included=options.include_internal)
    parts = _Parts(store, scope, plans, sections).build()
    sections = [_with(s, indicators=tuple(parts.numbered.get(i.indicator.id, i)
                                            for i in s.indicators)) for s in sections]
    return Report(
        plan=plans[0],
        title=title,
        subtitle=subtitle,
        produced_on=produced,
        scope=tuple(lines),
        counts=overall,
        priorities=tuple(sections),
        internal_included=options.include_internal,
        front=front,
        foreword=parts.foreword,
        executive_summary=parts.executive_summary,
        finance=parts.finance,
        chapters=parts.chapters,
        carry_forward=parts.carry_forward,
        appendix=parts.appendix,
        summary=_summary(parts.chapters, overall, as_at, first, last),
    )


def _period_sentence(first: Period | None, last: Period | None) -> str:
    if first or last:
        return f"Evidence and indicator values{_range_words(first, last)}."
    return "All evidence and indicator values recorded for the plan."


def _range_words(first: Period | None, last: Period | None) -> str:
    if first and last:
        return f" from {first.label} to {last.label}"
    if first:
        return f" from {first.label} onwards"
    if last:
        return f" up to {last.label}"
    return ""


def _summary(chapters: tuple[Chapter, ...], overall: StatusCounts, as_at: str | None,
             first: Period | None, last: Period | None) -> Summary:
    rows = tuple(SummaryRow(c, c.counts, c.evidenced) for c in chapters)
    evidenced = sum(r.evidenced for r in rows)
    total = overall.total
    verb = "has" if evidenced == 1 else "have"
    sentence = (f"{evidenced:,} of the {count_of(total, 'commitment')} {verb} evidence of delivery"
                f"{_range_words(first, last)}." if total else "The report has no commitments.")
    when = f" as at the end of {as_at}" if as_at else ""
    return Summary(as_at, overall, evidenced, rows, sentence,
                   f"Status of the commitments{when}: {overall.describe()}.")


class _Scope:
    """The filters of one report, with the lookups they need cached."""

    def __init__(self, store: Store, first: Period | None, last: Period | None,
                 include_internal: bool, partner_id: int | None) -> None:
        self.store = store
        self.start = first.start if first else None
        self.end = last.end if last else None  # the first day after the range
        self.include_internal = include_internal
        self.partner_id = partner_id
        self.statuses: dict[int, Status] = {}  # as at the end of the range, when it has one
        self.narratives: dict[report_reads.NarrativeKey, list] = {}  # every text of the plans
        self._origins: dict[int, str | None] = {}

    def status(self, commitment: CommitmentLine) -> Status:
        return self.statuses.get(commitment.id, commitment.status) if self.end else \
            commitment.status

    def overlaps(self, start: date, end: date) -> bool:
        """[start, end) overlaps the report's range."""
        return (self.start is None or end > self.start) and (self.end is None or start < self.end)

    def evidence_in_range(self, item: Evidence | report_reads.EvidenceLine) -> bool:
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

    def label_in_range(self, label: str | None) -> bool:
        if not label:
            return True
        try:
            period = parse_period(label)
        except PeriodError:
            return True
        return self.overlaps(period.start, period.end)

    def origin(self, commitment_id: int) -> str | None:
        if commitment_id not in self._origins:
            origin = commitment_store.get_commitment(self.store, commitment_id)
            priority = plan_store.get_priority(self.store, origin.priority_id)
            plan = plan_store.get_plan(self.store, priority.plan_id)
            self._origins[commitment_id] = f"{plan.title}, priority {priority.number}"
        return self._origins[commitment_id]

    def narrative(self, place: narrative_store.Place) -> NarrativeText | None:
        texts = self.narratives.get((place.plan_id, Section(place.section),
                                     place.priority_id, place.indicator_id), [])
        found = narrative_store.latest_starting_in(texts, self.start, self.end)
        if found is None:
            return None
        return NarrativeText(found.section, found.blocks, found.period, found.author,
                             found.updated_at)


def _evidence_span(item: Evidence | report_reads.EvidenceLine) -> tuple[date, date] | None:
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
        first, last = span_of(text)
    except PeriodError:
        return []
    return [first] if first == last else [first, last]


class _PlanRows:
    """The commitments, sub-points, evidence, indicators, values and stated changes of the
    report's priorities, read in a few queries for the whole report (not a few per
    commitment or indicator: a 1,000-commitment, 100-indicator report made about a
    thousand)."""

    def __init__(self, store: Store, priorities: list[Priority], dated: bool,
                 shown: bool | None = None):
        """`dated`: the report has a range, which the evidence's dates place it in. `shown`:
        for a report of every partner, whether it includes internal evidence (None for a
        partner's report, which needs each bullet's partner)."""
        priority_ids = [p.id for p in priorities]
        self.store, self.priority_ids = store, set(priority_ids)
        self.plan_of = {p.id: p.plan_id for p in priorities}
        self.tops = report_reads.top_commitments(store, priority_ids)
        self._children = report_reads.children_by_parent(store, priority_ids)
        # A report over all periods and partners reads its items, no more (the common one).
        self.items: dict[int, list[EvidenceItem]] | None = None
        self._evidence: dict[int, list[report_reads.EvidenceLine]] = {}
        if not dated and shown is not None:
            self.items = report_reads.evidence_texts(store, priority_ids, include_internal=shown,
                                                     make=functools.partial(_new, EvidenceItem))
        else:
            self._evidence = report_reads.evidence_by_commitment(store, priority_ids,
                                                                 dated=dated)
        self.indicators = report_reads.indicators_by_priority(store, priority_ids)
        ids = [i.id for found in self.indicators.values() for i in found]
        self.values = report_reads.values_by_indicator(store, ids)
        self.stated = report_reads.stated_by_indicator(store, ids)

    def children(self, commitment: CommitmentLine) -> list[CommitmentLine]:
        if commitment.priority_id not in self.priority_ids:  # filed under another: read alone
            return report_reads.children(self.store, commitment.id)
        return self._children.get(commitment.id, [])

    def evidence(self, commitment: CommitmentLine) -> list[report_reads.EvidenceLine]:
        if commitment.priority_id not in self.priority_ids:
            return report_reads.evidence_of(self.store, commitment.id)
        return self._evidence.get(commitment.id, [])


def _priority_section(store: Store, read: _PlanRows, plan: Plan, priority: Priority,
                      scope: _Scope) -> PrioritySection:
    counts = StatusCounts()
    items: list[CommitmentItem] = []
    for commitment in read.tops.get(priority.id, []):
        subpoints = read.children(commitment)
        if scope.partner_id is not None and not any(
            _belongs_to_partner(store, read, c, scope.partner_id) for c in (commitment, *subpoints)
        ):
            continue
        item = _commitment_item(read, commitment, subpoints, scope)
        items.append(item)
        counts.add(item.status)
    indicators = [
        _indicator_item(read, ind, scope)
        for ind in read.indicators.get(priority.id, [])
        if scope.partner_id is None
        or scope.partner_id in partner_store.indicator_partner_ids(store, ind.id)
    ]
    links = tuple(
        f"{other_plan.title}: {other.number}. {other.title}"
        for other, other_plan, _note in _later_links(store, plan, priority)
    )
    return PrioritySection(priority, counts, tuple(indicators), tuple(items), links, plan)


def _later_links(store: Store, plan: Plan, priority: Priority
                 ) -> list[tuple[Priority, Plan, str | None]]:
    """The priorities of later plans this one is further developed in."""
    mine = _plan_order(plan)
    return [(other, other_plan, note)
            for other, other_plan, note in plan_store.linked_priorities(store, priority.id)
            if other_plan.id != plan.id and _plan_order(other_plan) > mine]


def _belongs_to_partner(store: Store, read: _PlanRows, commitment: CommitmentLine,
                        partner_id: int) -> bool:
    if partner_id in partner_store.commitment_partner_ids(store, commitment.id):
        return True
    return any(e.partner_id == partner_id for e in read.evidence(commitment))


def _commitment_item(read: _PlanRows, commitment: CommitmentLine,
                     subpoints: list[CommitmentLine], scope: _Scope) -> CommitmentItem:
    if read.items is not None and commitment.priority_id in read.priority_ids:
        evidence = tuple(read.items.get(commitment.id, ()))
    else:
        lines = read.evidence(commitment)
        if lines and (scope.start is not None or scope.end is not None):
            lines = [e for e in lines if scope.evidence_in_range(e)]
        internal, everything = Visibility.INTERNAL, scope.include_internal
        evidence = tuple([  # a list built first: quicker than tuple() over a generator
            EvidenceItem(e.text, e.visibility is internal)
            for e in lines if everything or e.visibility is not internal])
    children = tuple([_commitment_item(read, c, read.children(c), scope) for c in subpoints])
    origin = (scope.origin(commitment.carried_forward_from_id)
              if commitment.carried_forward_from_id else None)
    # made in one C call, as CommitmentItem(...) makes it (its own __new__ is Python)
    return _new(CommitmentItem, (commitment.code, commitment.text, scope.status(commitment),
                                 evidence, children, origin))


_new = tuple.__new__
_PLAIN = (IndicatorItem, PrioritySection)  # what _with copies
_D = TypeVar("_D", IndicatorItem, PrioritySection)


def _with(item: _D, **changes: object) -> _D:
    """dataclasses.replace(item, **changes) for a frozen dataclass of _PLAIN, whose __init__
    sets its fields and does nothing else: a new one's __dict__ filled from the old one's and
    the changes (replace builds the keywords of every field and calls __init__, an
    object.__setattr__ per field: IndicatorItem has 15, and every figure is numbered so)."""
    assert type(item) in _PLAIN and all(f in _FIELDS[type(item)] for f in changes), changes
    made = object.__new__(type(item))
    made.__dict__.update(item.__dict__, **changes)
    return made


def _plain_fields(cls: type) -> frozenset[str]:
    assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__"), cls
    assert all(f.init for f in fields(cls)), cls
    return frozenset(f.name for f in fields(cls))


_FIELDS = {cls: _plain_fields(cls) for cls in _PLAIN}


# --- indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Described:
    latest: str | None
    change: str
    direction: Direction | None
    steady: bool = False
    path: str | None = None
    gaps: tuple[str, ...] = ()


def _indicator_item(read: _PlanRows, indicator: Indicator, scope: _Scope) -> IndicatorItem:
    every = read.values.get(indicator.id, [])
    kept = [scope.value_in_range(v) for v in every]
    values = tuple(v for v, keep in zip(every, kept) if keep)
    actual = sorted((v for v in values if v.series is Series.ACTUAL),
                    key=lambda v: parse_period(v.period).sort_key)
    target = None
    if indicator.target_value is not None:
        target = f"Target: {format_value(indicator.target_value, indicator.unit)}"
        if indicator.target_period:
            target += f" by {indicator.target_period}"
    # values before the report's first period exist: the one in range is not the only one stated
    cut = any(v.series is Series.ACTUAL and not keep for v, keep in zip(every, kept))
    described = describe_series(indicator, actual, others_out_of_range=cut)
    stated = tuple(
        _stated_item(indicator, change)
        for change in read.stated.get(indicator.id, [])
        if scope.label_in_range(change.to_period or change.from_period))
    direction, change = described.direction, described.change
    if not actual and stated:
        direction, change = stated[-1].direction, " ".join(s.sentence for s in stated)
    sources = tuple(dict.fromkeys(
        [v.source for v in values if v.source] + [s.record.source for s in stated
                                                    if s.record.source]))
    commentary = scope.narrative(narrative_store.Place(
        read.plan_of[indicator.priority_id], Section.COMMENTARY,
        indicator_id=indicator.id))
    return IndicatorItem(indicator, values, described.latest, change, direction,
                         target, path=described.path, stated=stated, commentary=commentary,
                         sources=sources, gaps=described.gaps, steady=described.steady
                         if described.direction is not None else False)


def _stated_item(indicator: Indicator, change) -> StatedChangeItem:
    words = describe_stated(change, indicator.unit, indicator.polarity)
    return StatedChangeItem(words.sentence, words.direction, words.verdict, change)


def describe_series(indicator: Indicator, actual: list[IndicatorValue],
                    others_out_of_range: bool = False) -> Described:
    """The latest value, the change in words and its direction, from the actual values in
    period order; the turns in between; the periods with no value (never filled in).
    `others_out_of_range`: the indicator has values outside the report's periods, so a lone
    value in range is not the only one stated."""
    if not actual:
        return Described(None, "No value stated.", None)
    last = actual[-1]
    latest = f"{format_value(last.value, indicator.unit, last.qualifier)} in {last.period}"
    provisional = " (provisional)" if last.state.value == "provisional" else ""
    if len(actual) == 1:
        earlier = ("no earlier value in the periods of this report" if others_out_of_range
                   else "no earlier value stated")
        return Described(latest, f"{latest}{provisional}; {earlier}.", None)
    first = next((v for v in actual if v.period == indicator.baseline_period), actual[0])
    if first is last:
        first = actual[0]
    change = describe_change(first.value, first.period, last.value, last.period,
                             indicator.unit, indicator.polarity, band=indicator.steady_band,
                             first_qualifier=first.qualifier, last_qualifier=last.qualifier)
    sentence = change.sentence[0].upper() + change.sentence[1:] + provisional + "."
    run = actual[actual.index(first):]
    path = describe_path(run, indicator.unit, indicator.steady_band)
    gaps = tuple(missing_periods(first.period, last.period, [v.period for v in actual]))
    return Described(latest, sentence, change.direction, change.steady, path, gaps)


def describe_indicator(indicator: Indicator, actual: list[IndicatorValue]
                       ) -> tuple[str | None, str, Direction | None]:
    """(latest, change in words, direction): describe_series in short."""
    d = describe_series(indicator, actual)
    return d.latest, d.change, d.direction


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


# --- the published parts ---------------------------------------------------------------------

_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
          "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"]


def _roman(n: int) -> str:
    return _ROMAN[n - 1] if n <= len(_ROMAN) else str(n)


def _caption(item: IndicatorItem, number: str | None) -> str:
    periods = sorted({v.period for v in item.values}, key=lambda p: parse_period(p).sort_key)
    span = ""
    if len(periods) > 1:
        span = f", {periods[0]} to {periods[-1]}"
    elif periods:
        span = f", {periods[0]}"
    head = f"Figure {number}: " if number else ""
    return f"{head}{item.name}{span}"


def _links_heading(plans: list[Plan], later: list[Plan]) -> str:
    """"Connections between 2016 to 2021 priorities and 2021 to 2024 priorities", as the
    closure report heads them (11.7), when the plans' years are known."""
    mine = [y for y in (_years(p.period) for p in plans) if y]
    theirs = [y for y in (_years(p.period) for p in later) if y]
    if len(later) == 1 and mine and theirs:
        return (f"Connections between {min(y[0] for y in mine)} to {max(y[1] for y in mine)} "
                f"priorities and {theirs[0][0]} to {theirs[0][1]} priorities")
    if len(later) == 1:
        return f"Connections between these priorities and those of the {later[0].title}"
    return "Connections between these priorities and the next plans'"


class _Parts:
    """The foreword, summary, chapters, carry-forward and appendix of one report."""

    def __init__(self, store: Store, scope: _Scope, plans: list[Plan],
                 sections: list[PrioritySection]) -> None:
        self.store, self.scope, self.plans, self.sections = store, scope, plans, sections
        self.numbered: dict[int, IndicatorItem] = {}  # indicator id -> its numbered figure
        self.items_by_uid = {i.indicator.uid: i for s in sections for i in s.indicators}
        self.foreword: FrontSection | None = None
        self.executive_summary: FrontSection | None = None
        self.finance: FrontSection | None = None
        self.chapters: tuple[Chapter, ...] = ()
        self.carry_forward: CarryForward | None = None
        self.appendix: Appendix | None = None

    def plan_texts(self, section: Section) -> tuple[NarrativeText, ...]:
        found = (self.scope.narrative(narrative_store.plan_place(p.id, section))
                 for p in self.plans)
        return tuple(t for t in found if t is not None)

    def build(self) -> _Parts:
        texts = {s: self.plan_texts(s) for s in
                 (Section.FOREWORD, Section.SUMMARY, Section.FINANCE, Section.CLOSING)}
        by_number: dict[int, list[PrioritySection]] = {}
        for s in self.sections:
            by_number.setdefault(s.priority.number, []).append(s)
        chapter_texts = {n: tuple(t for t in (self.scope.narrative(narrative_store.Place(
            s.priority.plan_id, Section.CHAPTER, priority_id=s.priority.id)) for s in group)
            if t is not None) for n, group in by_number.items()}
        every = [t for group in texts.values() for t in group] + \
            [t for group in chapter_texts.values() for t in group]
        self.placed = {b.indicator_uid for t in every for b in t.blocks
                       if isinstance(b, FigureRef)}
        number = 0

        def front(section: Section, always: bool = False) -> FrontSection | None:
            nonlocal number
            if not texts[section] and not always:
                return None
            number += 1
            body = self.body(texts[section], (), number)
            return FrontSection(number, section, section.label, texts[section], body)

        self.foreword = front(Section.FOREWORD)
        self.executive_summary = front(Section.SUMMARY, always=True)
        self.finance = front(Section.FINANCE)
        chapters = []
        for priority_number in sorted(by_number):
            number += 1
            chapters.append(self.chapter(number, priority_number, by_number[priority_number],
                                         chapter_texts[priority_number]))
        self.chapters = tuple(chapters)
        links = self.links()
        if links or texts[Section.CLOSING]:
            number += 1
            later = {link.later_plan.id: link.later_plan for link in links}
            title = (next(iter(later.values())).title if len(later) == 1
                     else "How the priorities carry into the next plan")
            body = self.body(texts[Section.CLOSING], (), number)
            heading = _links_heading(self.plans, list(later.values()))
            self.carry_forward = CarryForward(number, title, texts[Section.CLOSING], body,
                                              links, heading)
        self.appendix = Appendix(APPENDIX_TITLE, tuple(
            AppendixChapter(n, f"{n}. {group[0].priority.title}", tuple(
                AppendixPart(s.plan or self.plans[0], s.priority,
                             (s.plan or self.plans[0]).title, s.commitments)
                for s in group))
            for n, group in sorted(by_number.items())))
        return self

    def body(self, texts: tuple[NarrativeText, ...], unplaced: tuple[IndicatorItem, ...],
             number: int) -> tuple[BodyPart, ...]:
        """The texts' blocks with each figure place filled, then the unplaced figures; every
        figure numbered "<chapter> (<i, ii ...>)" unless its place gives the number."""
        parts: list[BodyPart] = []
        explicit = {b.number for t in texts for b in t.blocks
                    if isinstance(b, FigureRef) and b.number}
        counter = 0

        def next_number() -> str:
            nonlocal counter
            while True:
                counter += 1
                label = f"{number} ({_roman(counter)})"
                if label not in explicit:
                    return label

        for text in texts:
            for block in text.blocks:
                if isinstance(block, (Paragraph, BulletList)):
                    parts.append(block)
                    continue
                item = self.items_by_uid.get(block.indicator_uid)
                if item is None or item.indicator.id in self.numbered:
                    continue  # not in this report's scope, or placed already
                label = block.number or (next_number() if item.has_figure else None)
                parts.append(self.number(item, label))
        for item in unplaced:
            if item.indicator.id in self.numbered or not item.has_figure:
                continue
            parts.append(self.number(item, next_number()))
        return tuple(parts)

    def number(self, item: IndicatorItem, label: str | None) -> IndicatorItem:
        numbered = _with(item, number=label, caption=_caption(item, label))
        self.numbered[item.indicator.id] = numbered
        return numbered

    def chapter(self, number: int, priority_number: int, group: list[PrioritySection],
                texts: tuple[NarrativeText, ...]) -> Chapter:
        indicators = tuple(i for s in group for i in s.indicators)
        unplaced = tuple(i for i in indicators if i.indicator.uid not in self.placed)
        body = self.body(texts, unplaced, number)
        counts = StatusCounts()
        for s in group:
            counts.merge(s.counts)
        ordered = [p for p in body if isinstance(p, IndicatorItem)]
        shown = {i.indicator.id for i in ordered}
        ordered += [self.numbered.get(i.indicator.id, i) for i in indicators
                    if i.indicator.id not in shown]
        plans = tuple(ChapterPlan(s.plan or self.plans[0], s.priority, s.further_developed_in)
                      for s in group)
        return Chapter(number, priority_number, group[0].priority.title, plans, texts, body,
                       tuple(ordered), counts, sum(s.evidenced for s in group))

    def links(self) -> tuple[PriorityLink, ...]:
        found = []
        for s in self.sections:
            plan = s.plan or self.plans[0]
            later: dict[int, tuple[Plan, list[Priority], list[str]]] = {}
            for other, other_plan, note in _later_links(self.store, plan, s.priority):
                if other_plan.id in {p.id for p in self.plans}:
                    continue  # a plan of this report: not "the next plan"
                entry = later.setdefault(other_plan.id, (other_plan, [], []))
                entry[1].append(other)
                if note and note not in entry[2]:
                    entry[2].append(note)
            for other_plan, priorities, notes in later.values():
                priorities.sort(key=lambda p: p.number)
                named = " and ".join(f"{p.number}. {p.title}" for p in priorities)
                sentence = (f"The {plan.title} priority {s.priority.number}. {s.priority.title} "
                            f"is further developed in the {other_plan.title} under {named}.")
                found.append(PriorityLink(plan, s.priority, other_plan, tuple(priorities),
                                          " ".join(notes) or None, sentence))
        return tuple(found)
