"""The report's content (tracker.reports.content) laid out as one document for every format.

Order: the cover (title, scope, contents), the summary, a chapter per priority (its indicators
with numbered figures, then its commitments with their evidence), and Appendix 1. Heading
levels go 1 (chapter), 2 (section), 3 (indicator or commitment), 4 (a sub-point with evidence
of its own), never skipping one. Every status is written as its shape and word, and its colour
is a tone the writers map to an ink that passes 4.5:1.
"""

from __future__ import annotations

from tracker.domain.series import chart_data
from tracker.domain.status import Status
from tracker.domain.wording import Direction
from tracker.reports import chart_text
from tracker.reports.content import CommitmentItem, IndicatorItem, PrioritySection, Report, status_text
from tracker.reports.document import (
    INTERNAL,
    WARNING,
    BulletList,
    Contents,
    Document,
    FigureBlock,
    Heading,
    ListItem,
    Paragraph,
    Run,
    Runs,
    Table,
    Title,
    direction_tone,
    plain,
    status_tone,
)
from tracker.reports.figures import ReportFigures

APPENDIX_TITLE = "Appendix 1. The Priorities and \u2018We Wills\u2019"
SUMMARY_TITLE = "Summary"
# Who the document's properties name as its author, until the office's own name is a setting.
AUTHOR = "Office of the Police, Fire and Crime Commissioner"
VERDICT_MARKS = {"improved": "\u2713 ", "worsened": "\u2717 ", "unchanged": "= "}


def status_run(status: Status) -> Run:
    return Run(status_text(status), bold=True, tone=status_tone(status))


def direction_runs(item: IndicatorItem) -> Runs:
    """"✓ Improved" in its colour, or "No better direction", or nothing."""
    if item.direction is None or not item.verdict:
        return plain("No better direction") if item.direction is Direction.NEUTRAL else ()
    mark = VERDICT_MARKS.get(item.verdict, "")
    return (Run(f"{mark}{item.verdict.capitalize()}", bold=True,
                tone=direction_tone(item.verdict)),)


def chapter_anchor(section: PrioritySection) -> str:
    return f"priority-{section.priority.number}"


class _Layout:
    def __init__(self, report: Report, figures: ReportFigures) -> None:
        self.report = report
        self.figures = figures
        self.doc = Document(title=report.title, author=AUTHOR, subject=report.subtitle)
        self.figure_number = 0

    def add(self, block) -> None:
        self.doc.add(block)

    def para(self, text: str | Runs, style: str = "body", indent: int = 0) -> None:
        runs = plain(text) if isinstance(text, str) else text
        self.add(Paragraph(runs, style, indent))

    def heading(self, level: int, text: str | Runs, anchor: str | None = None) -> None:
        runs = plain(text) if isinstance(text, str) else text
        self.add(Heading(level, runs, anchor, new_page=level == 1))

    def next_figure(self) -> int:
        self.figure_number += 1
        return self.figure_number

    # --- parts -------------------------------------------------------------------------------

    def build(self) -> Document:
        self.cover()
        self.summary()
        for section in self.report.priorities:
            self.priority(section)
        self.appendix()
        return self.doc

    def cover(self) -> None:
        r = self.report
        self.add(Title(r.title))
        self.para(r.subtitle, "subtitle")
        self.para(f"Produced on {r.produced_on.day} {r.produced_on:%B %Y} from the "
                  "Commitment Tracker.")
        for line in r.scope:
            if "not for publication" in line:
                self.para((Run(line, bold=True, tone=WARNING),))
            else:
                self.para(line)
        self.add(Contents())

    def summary(self) -> None:
        r = self.report
        self.heading(1, SUMMARY_TITLE, "summary")
        self.para(r.summary_sentence)
        if r.priorities:
            figure = self.figures.status(r.priorities)
            number = self.next_figure()
            self.add(FigureBlock(
                "status", figure.svg, figure.alt,
                f"Figure {number}. Commitments by status in each priority. Each status is shown "
                "by its shape and word as well as its colour.", figure.width, figure.height))
            self.status_table()
        self.heading(2, "Headline indicator changes")
        if not r.headlines:
            self.para("No indicator in this report has two values to compare.", "note")
            return
        rows = []
        for section in r.priorities:
            for item in section.indicators:
                if item.direction is None:
                    continue
                rows.append((plain(str(section.priority.number)), plain(item.name),
                             plain(item.change), direction_runs(item)))
        self.add(Table(("Priority", "Indicator", "Change", "Direction"), tuple(rows),
                       (0.12, 0.3, 0.41, 0.17),
                       caption="The indicators whose change can be put into words."))

    def status_table(self) -> None:
        r = self.report
        shown = [s for s in Status if r.counts[s]]
        rows = []
        for section in r.priorities:
            rows.append((plain(section.heading),
                         *(plain(str(section.counts[s])) for s in shown),
                         plain(str(section.counts.total))))
        rows.append((plain("All priorities", bold=True),
                     *(plain(str(r.counts[s]), bold=True) for s in shown),
                     plain(str(r.counts.total), bold=True)))
        count_width = max(0.11, min(0.15, 0.62 / (len(shown) + 1)))
        widths = (1 - count_width * (len(shown) + 1), *([count_width] * (len(shown) + 1)))
        self.add(Table(("Priority", *(status_text(s) for s in shown), "Total"), tuple(rows),
                       widths, numeric=(False, *([True] * (len(shown) + 1))),
                       caption="Commitments by status in each priority.", total_row=True,
                       row_headers=True))

    def priority(self, section: PrioritySection) -> None:
        p = section.priority
        self.heading(1, section.heading, chapter_anchor(section))
        if p.objective:
            self.para((Run("Our objective is ", bold=True), Run(p.objective)))
        if p.partnership:
            self.para(p.partnership)
        if p.outcome:
            self.para((Run("So that ", bold=True), Run(p.outcome)))
        for link in section.further_developed_in:
            self.para(f"Further developed in {link}.", "note")
        if section.indicators:
            self.indicators(section)
        self.heading(2, "Commitments")
        n = section.counts.total
        self.para(f"{n} commitment{'s' if n != 1 else ''}: {section.counts.describe()}.")
        if not section.commitments:
            self.para("No commitments in the scope of this report.", "note")
        for item in section.commitments:
            self.commitment(item, depth=0)

    def indicators(self, section: PrioritySection) -> None:
        self.heading(2, "Indicators")
        empty = [i for i in section.indicators if not i.has_values]
        for item in section.indicators:
            if not item.has_values:
                continue
            self.heading(3, item.name)
            figure = self.figures.indicator(item)
            if figure is not None:
                data = chart_data(item.indicator, list(item.values), include_withheld=False)
                self.add(FigureBlock(
                    f"indicator-{item.indicator.id}", figure.svg, figure.alt,
                    chart_text.chart_caption(self.next_figure(), data), figure.width,
                    figure.height, chart_text.chart_source(data)))
            verdict = direction_runs(item)
            self.para((Run(item.change + (" " if verdict else "")), *verdict))
            if item.target:
                self.para(f"{item.target}.")
        if empty:
            self.heading(3, "Indicators with no value stated")
            self.add(BulletList(tuple(ListItem(plain(i.name)) for i in empty)))

    def commitment(self, item: CommitmentItem, depth: int) -> None:
        """A commitment: its status and text, then its evidence as bullets, then its sub-points.
        A sub-point with nothing under it is one line; with evidence, a heading like its
        commitment's, one level down."""
        label = (status_run(item.status), Run("\u2002" + item.label))
        if depth and not item.evidence and not item.subpoints and not item.carried_forward_from:
            self.para(label, "subpoint", indent=depth)
            return
        self.heading(min(3 + depth, 6), label)
        if item.carried_forward_from:
            self.para(f"Carried forward from {item.carried_forward_from}.", "note", indent=depth)
        if item.evidence:
            self.add(BulletList(tuple(
                ListItem((Run("[Internal only] ", bold=True, tone=INTERNAL), Run(e.text))
                         if e.internal else plain(e.text))
                for e in item.evidence), indent=depth))
        elif depth == 0:
            self.para("No evidence recorded.", "note")
        for sub in item.subpoints:
            self.commitment(sub, depth + 1)

    def appendix(self) -> None:
        self.heading(1, APPENDIX_TITLE, "appendix-1")
        self.para(f"The priorities and commitments of the {self.report.plan.title} as written, "
                  "in the order of the plan, with each commitment's status. The evidence for "
                  "each commitment is in the chapter of its priority.")
        for section in self.report.priorities:
            p = section.priority
            self.heading(2, section.heading)
            if p.objective:
                self.para((Run("Our objective is ", bold=True), Run(p.objective)))
            rows: list[tuple[Runs, ...]] = []
            indents: list[int] = []
            for item, depth in _walk(section.commitments):
                rows.append((plain(item.label), (status_run(item.status),)))
                indents.append(depth)
            self.add(Table(("We will", "Status"), tuple(rows), (0.76, 0.24),
                           caption=f"The commitments of priority {p.number} with their status.",
                           row_indents=tuple(indents), row_headers=True))
            if p.outcome:
                self.para((Run("So that ", bold=True), Run(p.outcome)))


def _walk(items: tuple[CommitmentItem, ...], depth: int = 0):
    """Commitments and their sub-points in plan order, with their depth."""
    for item in items:
        yield item, depth
        yield from _walk(item.subpoints, depth + 1)


def layout_report(report: Report, figures: ReportFigures) -> Document:
    """The report as a document of blocks, in reading order."""
    return _Layout(report, figures).build()
