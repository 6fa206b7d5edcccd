"""The report's content (tracker.reports.model) laid out as one document for every format.

The published order (Report.parts): the cover (title, who publishes it, scope, contents), the
foreword, the executive summary with the measures (status and evidence by chapter, a chart and
a table, the headline changes), a chapter per priority with its narrative and its numbered
figures where the text places them, the section on how the priorities carry into the next
plan, and Appendix 1 with every plan's "We will"s and their evidence.

Heading levels: 1 for a part, 2 within it, and in the appendix 3 for a plan's part of a
chapter, 4 for a commitment, 5 for a sub-point with evidence of its own; never one skipped.
Every status is written as its shape and word; its colour is a tone the writers map to an ink
that passes 4.5:1.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from tracker.domain import narrative
from tracker.domain.status import Status
from tracker.domain.text import xml_safe
from tracker.domain.wording import Direction, count_of, long_date
from tracker.reports import chart_text
from tracker.reports.document import (
    INTERNAL,
    WARNING,
    Block,
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
from tracker.reports.fonts import text_width
from tracker.reports.model import (
    Appendix,
    CarryForward,
    Chapter,
    CommitmentItem,
    EvidenceItem,
    FrontSection,
    IndicatorItem,
    Report,
    status_text,
)

# Who the document's properties name as its author when the office has not set its name.
AUTHOR = "Office of the Police, Fire and Crime Commissioner"
# The mark and its word are kept on one line (no-break space).
VERDICT_MARKS = {"improved": "\u2713\u00a0", "worsened": "\u2717\u00a0", "unchanged": "=\u00a0",
                 "about the same": "=\u00a0"}
_new = tuple.__new__
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


@functools.cache
def status_run(status: Status) -> Run:
    """"○ Not assessed", the shape kept on the line of its word (no-break space)."""
    return Run(status_text(status).replace(" ", "\u00a0", 1), bold=True,
               tone=status_tone(status))


def verdict_runs(verdict: str, direction: Direction | None) -> Runs:
    """"✓ Improved" in its colour, "= About the same", or "No better direction"."""
    if direction is Direction.NEUTRAL and verdict in ("", "No better direction"):
        return plain("No better direction")
    if not verdict:
        return ()
    key = verdict.lower()
    tone = direction_tone(key if key in ("improved", "worsened") else "unchanged")
    return (Run(f"{VERDICT_MARKS.get(key, '')}{verdict[:1].upper()}{verdict[1:]}", bold=True,
                tone=tone),)


def spans_runs(spans: tuple[narrative.Span, ...]) -> Runs:
    return tuple(Run(s.text, bold=s.bold, link=s.link) for s in spans)


# A table's text is 9 point on a text column of 170 mm (482 points), with 5 points of padding
# on each side of a cell.
TABLE_POINTS, TEXT_POINTS, CELL_PADDING = 9.0, 482.0, 12.0


def count_widths(header: tuple[str, ...], first_at_least: float = 0.25) -> tuple[float, ...]:
    """Column shares for a table of a label column then count columns: each count column as
    wide as the longest word of its heading in bold, the label column the rest. Measured in
    Liberation Sans (Arial's widths) with 30 per cent to spare, for a Word or a browser that sets
    the table in a wider font (LibreOffice with DejaVu Sans, on a bare Linux)."""
    needs = [max(text_width(word, TABLE_POINTS, bold=True) for word in title.split()) * 1.3
             + CELL_PADDING for title in header[1:]]
    shares = [max(n, 28.0) / TEXT_POINTS for n in needs]
    scale = min(1.0, (1 - first_at_least) / sum(shares))
    shares = [share * scale for share in shares]
    return (1 - sum(shares), *shares)


def _roman(n: int) -> str:
    return ROMAN[n - 1] if 0 < n <= len(ROMAN) else str(n)


class _Layout:
    def __init__(self, report: Report, figures: ReportFigures,
                 sink: Callable[[Block], None] | None = None) -> None:
        self.report = report
        self.figures = figures
        front = report.front
        assert front is not None, "build_report fills the front matter"
        self.front = front
        self.doc = Document(title=front.title, author=front.office or AUTHOR,
                            subject=front.subtitle, language=front.language)
        self.add = sink or self.doc.blocks.append  # each block, as it is made

    def para(self, text: str | Runs, style: str = "body", indent: int = 0) -> None:
        runs = plain(text) if isinstance(text, str) else text
        self.add(Paragraph(runs, style, indent))

    def heading(self, level: int, text: str | Runs, anchor: str | None = None) -> None:
        runs = plain(text) if isinstance(text, str) else text
        self.add(Heading(level, runs, anchor, new_page=level == 1))

    # --- the parts -------------------------------------------------------------------------

    def build(self) -> Document:
        self.cover()
        for part in self.report.parts:
            if isinstance(part, FrontSection):
                self.front_section(part)
            elif isinstance(part, Chapter):
                self.chapter(part)
            elif isinstance(part, CarryForward):
                self.carry_forward(part)
            elif isinstance(part, Appendix):
                self.appendix(part)
        return self.doc

    def cover(self) -> None:
        f = self.front
        self.add(Title(f.title))
        self.para(f.subtitle, "subtitle")
        if f.office:
            self.para(f"Published by {f.office}.")
        self.para(f"Produced on {long_date(f.produced_on)} from the Commitment Tracker.")
        for line in f.scope:
            if "not for publication" in line:
                self.para((Run(line, bold=True, tone=WARNING),))
            else:
                self.para(line)
        self.add(Contents(chapters=tuple((plain(part.heading), part.anchor)
                                         for part in self.report.parts)))

    def body(self, parts) -> None:
        """Narrative blocks in reading order, with each figure where the text places it."""
        for part in parts:
            if isinstance(part, IndicatorItem):
                self.indicator(part)
            else:
                self.narrative_block(part)

    def narrative_block(self, block, indent: int = 0) -> None:
        if isinstance(block, narrative.Paragraph):
            number = (Run(f"{block.number}\u2002", bold=True),) if block.number else ()
            self.para((*number, *spans_runs(block.spans)), indent=indent)
        elif isinstance(block, narrative.BulletList):
            self.add(BulletList(tuple(_list_item(i) for i in block.items), indent=indent))

    def front_section(self, section: FrontSection) -> None:
        self.heading(1, section.heading, section.anchor)
        self.body(section.body)
        if section is self.report.executive_summary:
            self.measures(section)

    def measures(self, section: FrontSection) -> None:
        """The executive summary's measures: evidence and status by chapter, chart and table,
        and the headline changes of the indicators."""
        summary = self.report.summary
        if summary is None or not summary.rows:
            return
        self.heading(2, "Commitments: evidence of delivery and status")
        self.para(summary.sentence)
        self.para(summary.status_sentence)
        placed = sum(1 for p in section.body if isinstance(p, IndicatorItem) and p.has_figure)
        number = f"{section.number} ({_roman(placed + 1)})"
        rows = [(r.chapter.heading, r.counts) for r in summary.rows]
        figure = self.figures.status_rows(rows)
        self.add(FigureBlock(
            "status", figure.svg, figure.alt,
            f"Figure {number}: Commitments by status in each chapter. Each status is shown by "
            "its shape and word as well as its colour.", figure.width, figure.height))
        shown = [s for s in Status if summary.counts[s]]
        table_rows = []
        for row in summary.rows:
            table_rows.append((plain(row.chapter.heading), plain(str(row.evidenced)),
                               *(plain(str(row.counts[s])) for s in shown),
                               plain(str(row.total))))
        table_rows.append((plain("All chapters", bold=True), plain(str(summary.evidenced), bold=True),
                           *(plain(str(summary.counts[s]), bold=True) for s in shown),
                           plain(str(summary.total), bold=True)))
        header = ("Chapter", "With evidence", *(status_text(s) for s in shown), "Total")
        self.add(Table(
            header, tuple(table_rows), count_widths(header),
            numeric=(False, *([True] * (len(header) - 1))),
            caption="Commitments with evidence of delivery, and by status, in each chapter.",
            total_row=True, row_headers=True))
        headlines = [i for i in self.report.figures if i.values and i.direction is not None]
        if headlines:
            self.heading(2, "Headline indicator changes")
            self.add(Table(
                ("Figure", "Indicator", "Change", "Direction"),
                tuple((plain(i.number or ""), plain(i.name), plain(i.change),
                       verdict_runs(i.verdict, i.direction)) for i in headlines),
                (0.11, 0.3, 0.42, 0.17),
                caption="The change from the first to the latest value of each indicator."))

    def chapter(self, chapter: Chapter) -> None:
        self.heading(1, chapter.heading, chapter.anchor)
        for part in chapter.plans:
            p = part.priority
            lead = f"{part.plan.title}, priority {p.number}"
            if p.title != chapter.title:
                lead += f": {p.title}"
            self.para(lead + ".", "note")
            if p.objective:
                self.para((Run("Our objective is ", bold=True), Run(p.objective)))
            if p.partnership:
                self.para(p.partnership)
            if p.outcome:
                self.para((Run("So that ", bold=True), Run(p.outcome)))
        self.body(chapter.body)
        empty = [i for i in chapter.indicators if not i.has_figure]
        if empty:
            self.heading(2, "Indicators with no value stated")
            self.add(BulletList(tuple(ListItem(plain(i.name)) for i in empty)))
        n = chapter.commitment_count
        self.heading(2, "Commitments")
        self.para(f"{count_of(n, 'commitment')}, {chapter.evidenced} with evidence of "
                  f"delivery: {chapter.counts.describe()}. Each is set out with its evidence in "
                  "Appendix 1.")
        for part in chapter.plans:
            for link in part.further_developed_in:
                self.para(f"Further developed in {link}.", "note")

    def indicator(self, item: IndicatorItem) -> None:
        """A figure: its caption, the chart, the source line, the change in words, the turns
        between, changes stated only in words, the target, and the officer's commentary."""
        if not item.has_figure:
            return
        caption = item.caption or f"Figure: {item.name}"
        source = chart_text.source_line(item.sources)
        figure = self.figures.indicator(item) if item.values else None
        if figure is not None:
            self.add(FigureBlock(f"indicator-{item.indicator.id}", figure.svg, figure.alt,
                                 caption, figure.width, figure.height, source))
        else:
            self.para((Run(caption, bold=True),))
        verdict = verdict_runs(item.verdict, item.direction) if item.values else ()
        if item.values and item.change:
            self.para((Run(item.change + (" " if verdict else "")), *verdict))
        if item.values and item.path:
            self.para(item.path)
        for stated in item.stated:
            runs = verdict_runs(stated.verdict, stated.direction)
            self.para((Run(stated.sentence + (" " if runs else "")), *runs))
        if item.target:
            self.para(f"{item.target}.")
        if figure is None and source:
            self.para(source, "note")
        if item.commentary is not None:
            for block in item.commentary.blocks:
                self.narrative_block(block)

    def carry_forward(self, part: CarryForward) -> None:
        self.heading(1, part.heading, part.anchor)
        self.body(part.body)
        if not part.links:
            return
        self.heading(2, part.links_heading)
        rows = []
        for link in part.links:
            later = "; ".join(f"{p.number}. {p.title}" for p in link.later)
            cell: list[Run] = [Run(later)]
            if link.note:
                cell.append(Run(f"\n{link.note}", italic=True))
            rows.append((plain(f"{link.plan.title}: {link.priority.number}. {link.priority.title}"),
                         tuple(cell)))
        later_title = part.links[0].later_plan.title
        self.add(Table(("Priority", f"Further developed in the {later_title}"), tuple(rows),
                       (0.42, 0.58), row_headers=True,
                       caption=f"Each priority of this report's plans, and the priorities of the "
                               f"{later_title} that develop it."))

    def appendix(self, appendix: Appendix) -> None:
        self.heading(1, appendix.heading, appendix.anchor)
        self.para("Each plan's priorities and \u2018We will\u2019 commitments as written, in the "
                  "order of the plan, with each commitment's status and the evidence of its "
                  "delivery; a sub-point's evidence is under the sub-point.")
        for chapter in appendix.chapters:
            self.heading(2, chapter.title)
            for part in chapter.parts:
                self.heading(3, part.heading)
                if part.priority.objective:
                    self.para((Run("Our objective is ", bold=True), Run(part.priority.objective)))
                if not part.commitments:
                    self.para("No commitments in the scope of this report.", "note")
                for item in part.commitments:
                    self.commitment(item, depth=0)
                if part.priority.outcome:
                    self.para((Run("So that ", bold=True), Run(part.priority.outcome)))

    def commitment(self, item: CommitmentItem, depth: int) -> None:
        """A commitment: its status and text, then its evidence as bullets (nested bullets kept
        as lists), then its sub-points. A sub-point with nothing under it is one line; with
        evidence, a heading one level down."""
        add = self.add  # a thousand commitments: the blocks are added directly, each made in
        # one C call (a named tuple's own __new__ is a Python function)
        text = item.label
        # Run("\u2002" + label), checked for characters to drop on the label alone: to
        # str.isprintable the en space is not printable, and every label went to xml_safe.
        label = (status_run(item.status), _new(Run, (
            "\u2002" + (text if text.isprintable() else xml_safe(text)), False, False, None,
            None)))
        if depth and not item.evidence and not item.subpoints and not item.carried_forward_from:
            add(_new(Paragraph, (label, "subpoint", depth)))
            return
        add(_new(Heading, (min(4 + depth, 6), label, None, False)))
        if item.carried_forward_from:
            self.para(f"Carried forward from {item.carried_forward_from}.", "note", indent=depth)
        if item.evidence:
            add(_new(BulletList, (tuple([_evidence_item(e) for e in item.evidence]), depth)))
        elif depth == 0 and not item.subpoints:
            self.para("No evidence recorded.", "note")
        for sub in item.subpoints:
            self.commitment(sub, depth + 1)


def _list_item(item: narrative.ListItem) -> ListItem:
    number = (Run(f"{item.number}\u2002", bold=True),) if item.number else ()
    children = (BulletList(tuple(_list_item(i) for i in item.items)),) if item.items else ()
    return ListItem((*number, *spans_runs(item.spans)), children)


_INTERNAL = (Run("[Internal only] ", bold=True, tone=INTERNAL),)  # an internal bullet's mark


def _evidence_item(evidence: EvidenceItem) -> ListItem:
    text = evidence.text
    if "\n" not in text and "**" not in text and "](" not in text:
        # One line with no marks (most bullets): the one plain run evidence_text would make,
        # in a ListItem with nothing under it, each made in one C call (their own __new__ is
        # Python).
        first = text.strip()
        if not first:
            return _new(ListItem, (_INTERNAL if evidence.internal else (), ()))
        run = _new(Run, (first if first.isprintable() else xml_safe(first), False, False, None,
                         None))
        return _new(ListItem, ((*_INTERNAL, run) if evidence.internal else (run,), ()))
    mark = _INTERNAL if evidence.internal else ()
    layout = evidence.layout
    blocks: list[BulletList | Paragraph] = []
    for block in layout.blocks:
        if isinstance(block, narrative.BulletList):
            blocks.append(BulletList(tuple(_list_item(i) for i in block.items)))
        else:
            blocks.append(Paragraph(spans_runs(block.spans)))
    return ListItem((*mark, *spans_runs(layout.spans)), tuple(blocks))


def layout_report(report: Report, figures: ReportFigures,
                  sink: Callable[[Block], None] | None = None) -> Document:
    """The report as a document of blocks, in reading order. With a `sink`, each block is given
    to it as it is made and none is kept (the document's blocks stay empty): a writer that
    writes in reading order (HTML) so never holds the whole document."""
    return _Layout(report, figures, sink).build()

