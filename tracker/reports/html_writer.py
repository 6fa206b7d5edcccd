"""The report as HTML: one self-contained file for a browser, and the source of the PDF.

`report_html` writes the browser version (charts inlined as base64 PNG, print CSS). The PDF
writer uses `HtmlBuilder` with `for_qt=True`: the same content in the subset of HTML and CSS
that Qt's QTextDocument understands, with images named as document resources.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape

from tracker.domain.status import Status
from tracker.domain.wording import Direction
from tracker.reports.content import (
    CommitmentItem,
    IndicatorItem,
    PrioritySection,
    Report,
    status_text,
)
from tracker.reports.figures import Figure, ReportFigures

ImageSource = Callable[[str, Figure], str]  # (key, figure) -> the img src

DIRECTION_COLOURS = {
    Direction.IMPROVED: "#1a7f37",
    Direction.WORSENED: "#b42318",
    Direction.UNCHANGED: "#4b5563",
    Direction.NEUTRAL: "#4b5563",
}

APPENDIX_TITLE = "Appendix 1. The Priorities and \u2018We Wills\u2019"

BROWSER_CSS = """
body { font-family: Arial, "Helvetica Neue", "Liberation Sans", "DejaVu Sans", sans-serif;
       color: #1f2937; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { color: #1f4e79; font-size: 1.6em; margin-top: 2em; border-bottom: 2px solid #1f4e79; }
h2 { color: #1f4e79; font-size: 1.25em; margin-top: 1.5em; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.3em; }
h4.commitment { font-size: 1em; font-weight: bold; margin: 1.1em 0 0.3em; }
h5.commitment { font-size: 1em; font-weight: bold; margin: 0.8em 0 0.2em 1.5em; }
p.subpoint { margin: 0.2em 0 0.2em 1.5em; }
ul.evidence { margin: 0.2em 0 0.6em; }
ul.evidence.sub { margin-left: 1.5em; }
.status { font-weight: bold; white-space: nowrap; }
.note, .none { color: #4b5563; font-style: italic; }
.internal { color: #b42318; font-weight: bold; }
.cover { min-height: 80vh; }
.cover .title { font-size: 2.2em; border: none; margin-top: 3em; }
.subtitle { font-size: 1.2em; color: #374151; }
.warning { color: #b42318; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #cbd5e1; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
td.num, th.num { text-align: right; }
tr.total td { font-weight: bold; background: #f3f4f6; }
figure { margin: 0.5em 0 1em; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #4b5563; }
.direction { font-weight: bold; }
@media print {
  body { max-width: none; margin: 0; }
  h1.chapter { break-before: page; }
  h1, h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; }
  figure, tr, li { break-inside: avoid; page-break-inside: avoid; }
  .cover { break-after: page; }
  a { color: inherit; text-decoration: none; }
}
"""

# Qt's rich text understands class selectors and a handful of properties.
QT_CSS = """
h1 { color: #1f4e79; font-size: 17pt; font-weight: bold; margin-top: 0px; margin-bottom: 10px; }
h2 { color: #1f4e79; font-size: 13pt; font-weight: bold; margin-top: 16px; margin-bottom: 6px; }
h3 { font-size: 11pt; font-weight: bold; margin-top: 14px; margin-bottom: 4px; }
h4 { font-size: 10pt; font-weight: bold; margin-top: 10px; margin-bottom: 3px; }
h5 { font-size: 10pt; font-weight: bold; margin-top: 6px; margin-bottom: 2px; margin-left: 22px; }
p { margin-top: 3px; margin-bottom: 5px; }
li { margin-bottom: 2px; }
th { background-color: #e8eef5; font-weight: bold; }
.note { color: #4b5563; font-style: italic; }
.none { color: #4b5563; font-style: italic; }
.internal { color: #b42318; font-weight: bold; }
.warning { color: #b42318; font-weight: bold; }
.subtitle { font-size: 13pt; color: #374151; }
.total { font-weight: bold; background-color: #f3f4f6; }
"""


def report_html(report: Report, figures: ReportFigures) -> str:
    """The standalone HTML file: one file, charts inlined."""

    def inline(_key: str, figure: Figure) -> str:
        return "data:image/png;base64," + base64.b64encode(figure.png).decode("ascii")

    return HtmlBuilder(report, figures, inline, for_qt=False).document()


class HtmlBuilder:
    def __init__(self, report: Report, figures: ReportFigures, image_src: ImageSource,
                 for_qt: bool = False) -> None:
        self.report = report
        self.figures = figures
        self.image_src = image_src
        self.for_qt = for_qt
        self.parts: list[str] = []

    # --- the whole document ---------------------------------------------------------------

    def document(self) -> str:
        """The whole report as one HTML document."""
        return self.head() + "\n".join(p for chunk in self.body() for p in chunk) + "</body></html>"

    def chapters(self) -> list[str]:
        """The report as one HTML document per chapter (cover, summary, each priority,
        appendix): each starts a page, so the PDF lays them out one at a time."""
        return [self.head() + "\n".join(chunk) + "</body></html>" for chunk in self.body()]

    def head(self) -> str:
        css = QT_CSS if self.for_qt else BROWSER_CSS
        return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
                f"<title>{escape(self.report.title)}</title><style>{css}</style></head><body>")

    def body(self) -> list[list[str]]:
        r = self.report
        chunks: list[list[str]] = []
        for write in [self.cover, self.summary,
                      *(lambda s=s: self.priority(s) for s in r.priorities), self.appendix]:
            self.parts = []
            write()
            chunks.append(self.parts)
        return chunks

    def add(self, text: str) -> None:
        self.parts.append(text)

    def chapter(self, title: str, anchor: str) -> None:
        if self.for_qt:
            self.add(f"<h1>{escape(title)}</h1>")  # a chapter is a document of its own
        else:
            self.add(f'<h1 class="chapter" id="{anchor}">{escape(title)}</h1>')

    def figure(self, key: str, figure: Figure, caption: str | None = None) -> None:
        src = self.image_src(key, figure)
        img = (f'<img src="{src}" width="{figure.width}" height="{figure.height}" '
               f'alt="{escape(figure.alt, quote=True)}">')
        if self.for_qt:
            self.add(f'<p align="center">{img}</p>')
            if caption:
                self.add(f'<p class="note">{escape(caption)}</p>')
        else:
            cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
            self.add(f"<figure>{img}{cap}</figure>")

    # --- parts ------------------------------------------------------------------------------

    def cover(self) -> None:
        r = self.report
        self.add('<div class="cover">')
        if self.for_qt:
            self.add('<p style="margin-top: 180px"></p>')
            self.add(f'<p style="font-size: 24pt; font-weight: bold; color: #1f4e79">'
                     f"{escape(r.title)}</p>")
        else:
            self.add(f'<h1 class="title">{escape(r.title)}</h1>')
        self.add(f'<p class="subtitle">{escape(r.subtitle)}</p>')
        self.add(f"<p>Produced on {r.produced_on.day} {r.produced_on:%B %Y} from the "
                 f"Commitment Tracker.</p>")
        for line in r.scope:
            cls = ' class="warning"' if "not for publication" in line else ""
            self.add(f"<p{cls}>{escape(line)}</p>")
        if self.for_qt:
            self.add('<p style="margin-top: 30px; font-size: 13pt; font-weight: bold; '
                     'color: #1f4e79">Contents</p>')
        else:
            self.add("<h2>Contents</h2>")
        items = [("summary", "Summary")] + [(f"priority-{s.priority.number}", s.heading)
                                            for s in r.priorities] + [("appendix-1", APPENDIX_TITLE)]
        self.add("<ol>" if not self.for_qt else "<ul>")
        for anchor, title in items:
            link = escape(title) if self.for_qt else f'<a href="#{anchor}">{escape(title)}</a>'
            self.add(f"<li>{link}</li>")
        self.add("</ol>" if not self.for_qt else "</ul>")
        self.add("</div>")

    def summary(self) -> None:
        r = self.report
        self.chapter("Summary", "summary")
        self.add(f"<p>{escape(r.summary_sentence)}</p>")
        if r.priorities:
            self.figure("status", self.figures.status(r.priorities),
                        "Commitments by status in each priority. Each status is shown by its "
                        "shape and word as well as its colour.")
            self.status_table()
        self.add("<h2>Headline indicator changes</h2>")
        headlines = r.headlines
        if not headlines:
            self.add('<p class="none">No indicator in this report has two values to compare.</p>')
        else:
            self.add(self.table_open() + '<tr><th width="11%">Priority</th>'
                     '<th width="31%">Indicator</th><th width="43%">Change</th>'
                     '<th width="15%">Direction</th></tr>')
            for section in r.priorities:
                for item in section.indicators:
                    if item.direction is None:
                        continue
                    self.add(f"<tr><td>{section.priority.number}</td><td>{escape(item.name)}</td>"
                             f"<td>{escape(item.change)}</td><td>{self.direction(item)}</td></tr>")
            self.add("</table>")

    def table_open(self) -> str:
        if self.for_qt:
            return ('<table border="1" cellspacing="0" cellpadding="4" width="100%" '
                    'style="border-collapse: collapse; border-color: #cbd5e1">')
        return "<table>"

    def status_table(self) -> None:
        r = self.report
        shown = [s for s in Status if r.counts[s]]
        head = "".join(f'<th class="num">{escape(status_text(s))}</th>' for s in shown)
        self.add(self.table_open() + f"<tr><th>Priority</th>{head}<th class=\"num\">Total</th></tr>")
        for section in r.priorities:
            cells = "".join(f'<td class="num" align="right">{section.counts[s]}</td>' for s in shown)
            self.add(f"<tr><td>{escape(section.heading)}</td>{cells}"
                     f'<td class="num" align="right">{section.counts.total}</td></tr>')
        cells = "".join(f'<td class="num" align="right"><b>{r.counts[s]}</b></td>' for s in shown)
        self.add(f'<tr class="total"><td><b>All priorities</b></td>{cells}'
                 f'<td class="num" align="right"><b>{r.counts.total}</b></td></tr></table>')

    def direction(self, item: IndicatorItem) -> str:
        if item.direction is None or not item.verdict:
            return "No better direction" if item.direction is Direction.NEUTRAL else ""
        colour = DIRECTION_COLOURS[item.direction]
        mark = {"improved": "\u2713 ", "worsened": "\u2717 ", "unchanged": "= "}.get(item.verdict, "")
        return (f'<span class="direction" style="color: {colour}; font-weight: bold">'
                f"{mark}{item.verdict.capitalize()}</span>")

    def status(self, status: Status) -> str:
        return (f'<span class="status" style="color: {status.colour}; font-weight: bold">'
                f"{escape(status_text(status))}</span>")

    def priority(self, section: PrioritySection) -> None:
        p = section.priority
        self.chapter(section.heading, f"priority-{p.number}")
        if p.objective:
            self.add(f"<p><b>Our objective is</b> {escape(p.objective)}</p>")
        if p.partnership:
            self.add(f"<p>{escape(p.partnership)}</p>")
        if p.outcome:
            self.add(f"<p><b>So that</b> {escape(p.outcome)}</p>")
        for link in section.further_developed_in:
            self.add(f'<p class="note">Further developed in {escape(link)}.</p>')
        if section.indicators:
            self.indicators(section)
        self.add("<h2>Commitments</h2>")
        n = section.counts.total
        self.add(f"<p>{n} commitment{'s' if n != 1 else ''}: {escape(section.counts.describe())}."
                 "</p>")
        if not section.commitments:
            self.add('<p class="none">No commitments in the scope of this report.</p>')
        for item in section.commitments:
            self.commitment(item, depth=0)

    def indicators(self, section: PrioritySection) -> None:
        self.add("<h2>Indicators</h2>")
        empty = [i for i in section.indicators if not i.has_values]
        for item in section.indicators:
            if not item.has_values:
                continue
            self.add(f"<h3>{escape(item.name)}</h3>")
            figure = self.figures.indicator(item)
            if figure is not None:
                self.figure(f"indicator-{item.indicator.id}", figure)
            verdict = self.direction(item)
            self.add(f"<p>{escape(item.change)}{' ' + verdict if verdict else ''}</p>")
            if item.target:
                self.add(f"<p>{escape(item.target)}.</p>")
        if empty:
            self.add("<h3>Indicators with no value stated</h3>")
            self.add("<ul>" + "".join(f"<li>{escape(i.name)}</li>" for i in empty) + "</ul>")

    def commitment(self, item: CommitmentItem, depth: int) -> None:
        """A commitment: its status and text, then its evidence as bullets, then its
        sub-points. A sub-point with no evidence is one line; with evidence, it is set out
        like its commitment."""
        if depth and not item.evidence and not item.subpoints and not item.carried_forward_from:
            self.add(f'<p class="subpoint" style="margin-left: 22px">{self.status(item.status)}'
                     f"&nbsp;&nbsp;{escape(item.label)}</p>")
            return
        tag = "h4" if depth == 0 else "h5"
        self.add(f'<{tag} class="commitment">{self.status(item.status)}&nbsp;&nbsp;'
                 f"{escape(item.label)}</{tag}>")
        indent = ' style="margin-left: 22px"' if depth and self.for_qt else ""
        if item.carried_forward_from:
            self.add(f'<p class="note"{indent}>Carried forward from '
                     f"{escape(item.carried_forward_from)}.</p>")
        if item.evidence:
            cls = "evidence sub" if depth else "evidence"
            qt_indent = f' style="-qt-list-indent: {depth + 1}"' if self.for_qt else ""
            self.add(f'<ul class="{cls}"{qt_indent}>')
            for e in item.evidence:
                mark = '<span class="internal">[Internal only]</span> ' if e.internal else ""
                self.add(f"<li>{mark}{escape(e.text)}</li>")
            self.add("</ul>")
        elif depth == 0:
            self.add('<p class="none">No evidence recorded.</p>')
        for sub in item.subpoints:
            self.commitment(sub, depth + 1)

    def appendix(self) -> None:
        self.chapter(APPENDIX_TITLE, "appendix-1")
        self.add(f"<p>The priorities and commitments of the {escape(self.report.plan.title)} as "
                 "written, in the order of the plan, with each commitment's status. The evidence "
                 "for each commitment is in the chapter of its priority.</p>")
        for section in self.report.priorities:
            p = section.priority
            self.add(f"<h2>{escape(section.heading)}</h2>")
            if p.objective:
                self.add(f"<p><b>Our objective is</b> {escape(p.objective)}</p>")
            self.add(self.table_open() + '<tr><th width="78%">We will</th>'
                     '<th width="22%">Status</th></tr>')
            for item in section.commitments:
                self.appendix_row(item, depth=0)
            self.add("</table>")
            if p.outcome:
                self.add(f"<p><b>So that</b> {escape(p.outcome)}</p>")

    def appendix_row(self, item: CommitmentItem, depth: int) -> None:
        lead = "&nbsp;" * 6 * depth + ("\u2013 " if depth else "")
        self.add(f"<tr><td>{lead}{escape(item.label)}</td><td>{self.status(item.status)}</td></tr>")
        for sub in item.subpoints:
            self.appendix_row(sub, depth + 1)
