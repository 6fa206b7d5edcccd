"""What a report says, as plain frozen dataclasses (and two named tuples): the writers (PDF,
Word, HTML) only lay them out. Built by tracker.reports.content.build_report; nothing here
reads the store.

The published order of a report (the closure report's, `Report.parts` gives it):

    FrontMatter          title, office, date, language; the cover and document properties
    foreword             FrontSection  (1. Foreword)            narrative, may be None
    executive_summary    FrontSection  (2. Executive Summary)   always there: `Report.summary`
                                                                 (status counts, evidenced)
                                                                 belongs in it
    finance              FrontSection  (3. Financial Overview)  may be None
    chapters             Chapter per priority number (4. ... 10.): narrative with the figures
                         placed in it (`Chapter.body`)
    carry_forward        CarryForward  (11.): the closing narrative and how each priority is
                         further developed in the next plan (from the priority links)
    appendix             Appendix 1: per chapter, per plan, the priorities and "We will"s with
                         their evidence; sub-points with their own evidence under them

Narrative is blocks (tracker.domain.narrative): Paragraph, BulletList (ListItem, nested),
FigureRef; inline Span runs are plain, bold or a link. A body (`FrontSection.body`,
`Chapter.body`, `CarryForward.body`) is the narrative in reading order with each FigureRef
replaced by the IndicatorItem it places, and the chapter's other figures after the text.

Statuses are as at the end of `FrontMatter.as_at` (the report's last period) when one is
chosen, else as they stand today.

The older per-plan fields (`Report.priorities`: PrioritySection with commitments and
indicators) stay filled while the writers move to the parts above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from tracker.domain.model import (
    Indicator as IndicatorRecord,
)
from tracker.domain.model import (
    IndicatorValue,
    Plan,
    Priority,
    StatedChange,
    StatusCounts,
)
from tracker.domain.narrative import (
    Block,
    BulletList,
    EvidenceText,
    Paragraph,
    Section,
    evidence_text,
)
from tracker.domain.status import Status
from tracker.domain.wording import Direction, count_of

APPENDIX_TITLE = "Appendix 1. The Priorities and \u2018We Wills\u2019"


# --- commitments and evidence ----------------------------------------------------------------


# A report makes thousands of these two (a bullet per evidence statement, one per commitment):
# named tuples, immutable as the dataclasses below and a third as long to make, as one object
# (a dataclass is two with its __dict__) for the garbage collector to walk.


class EvidenceItem(NamedTuple):
    text: str  # as stored: the first line is the bullet, later lines its sub-bullets ("- ")
    internal: bool = False  # internal only: shown only in a report that includes it, marked

    @property
    def layout(self) -> EvidenceText:
        """The bullet (`spans`) and what hangs under it (`blocks`: nested BulletList and any
        Paragraph after it), so nested bullets stay lists ("2017/18 41", "2018/19 150" ...)."""
        return evidence_text(self.text)


class CommitmentItem(NamedTuple):
    code: str | None
    text: str
    status: Status  # as at the report's period (see the module docstring)
    evidence: tuple[EvidenceItem, ...] = ()  # this commitment's own; a sub-point has its own
    subpoints: tuple[CommitmentItem, ...] = ()
    carried_forward_from: str | None = None  # "Police and Crime Plan 2016-2020, priority 1"

    @property
    def label(self) -> str:
        return f"{self.code}. {self.text}" if self.code else self.text

    @property
    def evidenced(self) -> bool:
        """Has evidence in the report's scope, its own or a sub-point's."""
        return bool(self.evidence) or any(s.evidenced for s in self.subpoints)


# --- indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatedChangeItem:
    """A change the source states only as a percentage or in words, written as stated."""

    sentence: str  # "A reduction of 21 per cent between 2015/16 and 2019/20."
    direction: Direction  # for this indicator's polarity
    verdict: str  # "Improved", "Worsened", "About the same", "No better direction"
    record: StatedChange  # source, quote, note, periods, percentage as recorded

    @property
    def source(self) -> str | None:
        return self.record.source


@dataclass(frozen=True)
class NarrativeText:
    """One officer text placed in the report."""

    section: Section
    blocks: tuple[Block, ...]  # Paragraph | BulletList | FigureRef
    period: str  # the reporting period it was written for
    author: str | None = None
    updated_at: str = ""


@dataclass(frozen=True)
class IndicatorItem:
    """An indicator's figure: chart data, the change in words, its commentary."""

    indicator: IndicatorRecord
    values: tuple[IndicatorValue, ...]  # every series, in scope, never withheld
    latest: str | None  # "30,674 in 2021/22"
    change: str  # the change from first (baseline) to latest in words, or why there is none;
    # with no values but stated changes, those changes' sentences
    direction: Direction | None = None  # None: nothing to compare
    target: str | None = None  # "Target: 500 by 2020/21"
    number: str | None = None  # the figure number, "7 (ii)"; None while not numbered
    caption: str = ""  # "Figure 7 (ii): Number of ... solved, 2016/17 to 2021/22"
    path: str | None = None  # the turns between: "It rose to 15,262 in 2019/20, fell to ..."
    stated: tuple[StatedChangeItem, ...] = ()  # changes stated only as a percentage or words
    commentary: NarrativeText | None = None  # the officer's text shown with the figure
    sources: tuple[str, ...] = ()  # where the values come from, for the source line
    gaps: tuple[str, ...] = ()  # periods between the first and last value with none
    steady: bool = False  # the change is within the indicator's band: "about the same"

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def has_values(self) -> bool:
        return bool(self.values)

    @property
    def has_figure(self) -> bool:
        """Something to show: values to chart, or changes stated without them."""
        return bool(self.values) or bool(self.stated)

    @property
    def is_context(self) -> bool:
        """A context measure: no better direction, so no verdict of better or worse."""
        return self.indicator.polarity.value == "neither"

    @property
    def verdict(self) -> str:
        """Lower case: "improved", "worsened", "about the same", "unchanged", or "" (no
        better direction, or nothing to compare)."""
        if self.direction is None:
            return ""
        if self.steady:
            return "about the same"
        return {Direction.IMPROVED: "improved", Direction.WORSENED: "worsened",
                Direction.UNCHANGED: "unchanged", Direction.NEUTRAL: ""}[self.direction]

    @property
    def sentences(self) -> tuple[str, ...]:
        """Everything the figure says in words, in order: change, path, stated changes."""
        if not self.values and self.stated:
            return tuple(s.sentence for s in self.stated)  # `change` joins them
        found = [self.change] if self.change else []
        if self.path:
            found.append(self.path)
        found.extend(s.sentence for s in self.stated)
        return tuple(found)


# --- the older per-plan sections -------------------------------------------------------------


@dataclass(frozen=True)
class PrioritySection:
    priority: Priority
    counts: StatusCounts
    indicators: tuple[IndicatorItem, ...]
    commitments: tuple[CommitmentItem, ...]
    further_developed_in: tuple[str, ...] = ()
    plan: Plan | None = None

    @property
    def heading(self) -> str:
        return f"{self.priority.number}. {self.priority.title}"

    @property
    def evidence_count(self) -> int:
        return sum(evidence_total(c) for c in self.commitments)

    @property
    def evidenced(self) -> int:
        return sum(1 for c in self.commitments if c.evidenced)


def evidence_total(item: CommitmentItem) -> int:
    return len(item.evidence) + sum(evidence_total(s) for s in item.subpoints)


# --- the published parts ---------------------------------------------------------------------

BodyPart = Paragraph | BulletList | IndicatorItem


@dataclass(frozen=True)
class FrontMatter:
    title: str  # "Police and Crime Plan 2016 to 2021: Closure Report"
    subtitle: str  # the plans it covers, with their periods
    office: str | None  # who publishes it: the document's author; None when not set
    produced_on: date
    language: str  # BCP 47: "en-GB"
    closure: bool  # a closure report (else a progress report)
    plans: tuple[Plan, ...]  # in published order
    as_at: str | None  # statuses are as at the end of this period; None: as they stand
    scope: tuple[str, ...]  # sentences that say what the report covers
    internal_included: bool = False  # evidence marked internal only is in it: not to publish


@dataclass(frozen=True)
class FrontSection:
    """Foreword, executive summary or financial overview."""

    number: int  # chapter number in the report ("1. Foreword")
    section: Section
    title: str
    narrative: tuple[NarrativeText, ...]  # one per plan that has one, in plan order
    body: tuple[BodyPart, ...]  # the text, with the figures it places (Figure 1 (i) ...)

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def anchor(self) -> str:
        return self.section.value


@dataclass(frozen=True)
class ChapterPlan:
    """One plan's priority in a chapter (the 2016-2020 plan's and the extension's priority 4
    share chapter 7 of the closure report)."""

    plan: Plan
    priority: Priority
    further_developed_in: tuple[str, ...] = ()  # "Police and Crime Plan 2021-2024: 3. ..."


@dataclass(frozen=True)
class Chapter:
    number: int  # chapter number in the report (4 for priority 1 when there is a foreword,
    # summary and financial overview, as the closure report numbers them)
    priority_number: int
    title: str  # the first plan's title for the priority
    plans: tuple[ChapterPlan, ...]
    narrative: tuple[NarrativeText, ...]  # the chapter text of each plan that has one
    body: tuple[BodyPart, ...]  # reading order: narrative blocks, figures where placed, then
    # the figures the text does not place
    indicators: tuple[IndicatorItem, ...]  # every indicator of the chapter, in body order,
    # including those with nothing to show (has_figure False)
    counts: StatusCounts  # commitments of the chapter (all its plans) by status
    evidenced: int  # commitments of the chapter with evidence in the report's scope

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def anchor(self) -> str:
        return f"chapter-{self.number}"

    @property
    def commitment_count(self) -> int:
        return self.counts.total


@dataclass(frozen=True)
class PriorityLink:
    """One priority of a plan the report covers and where the next plan develops it."""

    plan: Plan
    priority: Priority
    later_plan: Plan
    later: tuple[Priority, ...]
    note: str | None  # the link's own words, when recorded (the closure report's 11.8 ...)
    sentence: str  # "The Police and Crime Plan Extension 2020/21 priority 1. More Local, ...
    # is further developed in the Police and Crime Plan 2021-2024 under 1. Investment in ..."


@dataclass(frozen=True)
class CarryForward:
    """How the priorities carry into the next plan (the closure report's section 11)."""

    number: int
    title: str  # the next plan's title, when there is one next plan
    narrative: tuple[NarrativeText, ...]  # the closing text
    body: tuple[BodyPart, ...]
    links: tuple[PriorityLink, ...]
    links_heading: str  # "Connections between 2016 to 2021 priorities and 2021 to 2024 ..."

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def anchor(self) -> str:
        return "carry-forward"


@dataclass(frozen=True)
class AppendixPart:
    plan: Plan
    priority: Priority
    heading: str  # the plan it comes from: "Police and Crime Plan 2016-2020"
    commitments: tuple[CommitmentItem, ...]  # "We will"s with evidence and sub-points


@dataclass(frozen=True)
class AppendixChapter:
    priority_number: int
    title: str  # "1. More Local, Visible and Accessible Policing"
    parts: tuple[AppendixPart, ...]  # one per plan, in plan order


@dataclass(frozen=True)
class Appendix:
    title: str
    chapters: tuple[AppendixChapter, ...]

    @property
    def heading(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        return "appendix-1"


@dataclass(frozen=True)
class SummaryRow:
    chapter: Chapter
    counts: StatusCounts
    evidenced: int  # commitments with evidence in the period

    @property
    def total(self) -> int:
        return self.counts.total


@dataclass(frozen=True)
class Summary:
    """The measures of the executive summary: statuses and evidence, by chapter."""

    as_at: str | None
    counts: StatusCounts
    evidenced: int
    rows: tuple[SummaryRow, ...]
    sentence: str  # "Of 117 commitments, 114 have evidence of delivery ..."
    status_sentence: str  # "Status of the commitments as at the end of 2020/21: ..."

    @property
    def total(self) -> int:
        return self.counts.total


@dataclass(frozen=True)
class Report:
    plan: Plan  # the first plan (older writers)
    title: str
    subtitle: str
    produced_on: date
    scope: tuple[str, ...]
    counts: StatusCounts
    priorities: tuple[PrioritySection, ...]  # older writers: every plan's priorities in order
    internal_included: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    # --- the published parts (see the module docstring) ---
    front: FrontMatter | None = None
    foreword: FrontSection | None = None
    executive_summary: FrontSection | None = None
    finance: FrontSection | None = None
    chapters: tuple[Chapter, ...] = ()
    carry_forward: CarryForward | None = None
    appendix: Appendix | None = None
    summary: Summary | None = None

    @property
    def parts(self) -> tuple[FrontSection | Chapter | CarryForward | Appendix, ...]:
        """The numbered parts in published order (the contents)."""
        found: list[FrontSection | Chapter | CarryForward | Appendix] = [
            p for p in (self.foreword, self.executive_summary, self.finance) if p is not None]
        found.extend(self.chapters)
        if self.carry_forward is not None:
            found.append(self.carry_forward)
        if self.appendix is not None:
            found.append(self.appendix)
        return tuple(found)

    @property
    def figures(self) -> tuple[IndicatorItem, ...]:
        """Every figure with something to show, in reading order."""
        found = []
        for part in self.parts:
            body = getattr(part, "body", ())
            found.extend(p for p in body if isinstance(p, IndicatorItem) and p.has_figure)
        return tuple(found)

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
        """"This report covers 61 commitments in 7 priorities, with 175 evidence statements and
        27 indicators. Status of the commitments: 57 not assessed, 3 carried forward."."""
        def count(n: int, one: str, many: str) -> str:
            return count_of(n, one, many) if n else f"no {many}"

        plans = len(self.front.plans) if self.front else 1
        of_plans = f" of {plans} plans" if plans > 1 else ""
        return (f"This report covers {count(self.commitment_count, 'commitment', 'commitments')} "
                f"in {count(len(self.priorities), 'priority', 'priorities')}{of_plans}, with "
                f"{count(self.evidence_count, 'evidence statement', 'evidence statements')} and "
                f"{count(self.indicator_count, 'indicator', 'indicators')}. Status of the "
                f"commitments: {self.counts.describe()}.")


def status_text(status: Status) -> str:
    """The status as a reader sees it without colour: shape and word."""
    return f"{status.shape} {status.label}"
