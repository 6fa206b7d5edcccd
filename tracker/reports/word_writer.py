"""The report as a Word document (python-docx) that an officer can edit before publishing.

Real Heading 1-3 styles (so Word's navigation pane and contents work), bullet lists in the
List Bullet styles, tables for the status counts, the headline changes and the appendix, and
the charts as pictures. A4, page numbers in the footer.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from tracker.domain.status import Status
from tracker.domain.wording import Direction
from tracker.reports.content import (
    CommitmentItem,
    IndicatorItem,
    Progress,
    Report,
    status_text,
)
from tracker.reports.figures import Figure, ReportFigures
from tracker.reports.html_writer import APPENDIX_TITLE, DIRECTION_COLOURS

TEXT_WIDTH = Cm(17)
BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x4B, 0x55, 0x63)
RED = RGBColor(0xB4, 0x23, 0x18)


def report_docx(report: Report, figures: ReportFigures, *, progress: Progress | None = None) -> bytes:
    writer = _WordWriter(report, figures)
    writer.write(progress)
    out = io.BytesIO()
    writer.doc.save(out)
    return out.getvalue()


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


class _WordWriter:
    def __init__(self, report: Report, figures: ReportFigures) -> None:
        self.report = report
        self.figures = figures
        self.doc = Document()
        self._setup()

    def _setup(self) -> None:
        doc = self.doc
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(18), Mm(18)
        styles = doc.styles
        normal = styles["Normal"]
        _font_name(normal, "Arial")
        normal.font.size = Pt(10)
        normal.paragraph_format.space_after = Pt(4)
        for name, size in (("Title", 26), ("Heading 1", 17), ("Heading 2", 13), ("Heading 3", 11)):
            style = styles[name]
            _font_name(style, "Arial")
            style.font.size = Pt(size)
            style.font.color.rgb = BLUE if name != "Heading 3" else RGBColor(0x11, 0x18, 0x27)
        commitment = styles.add_style("Commitment", WD_STYLE_TYPE.PARAGRAPH)
        commitment.base_style = normal
        commitment.font.bold = True
        commitment.paragraph_format.space_before = Pt(8)
        commitment.paragraph_format.space_after = Pt(2)
        commitment.paragraph_format.keep_with_next = True
        sub = styles.add_style("Commitment 2", WD_STYLE_TYPE.PARAGRAPH)
        sub.base_style = commitment
        sub.paragraph_format.left_indent = Cm(0.8)
        note = styles.add_style("Report Note", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = normal
        note.font.italic = True
        note.font.color.rgb = GREY
        self._footer()

    def _footer(self) -> None:
        footer_style = self.doc.styles["Footer"]
        footer_style.font.size = Pt(8)
        footer_style.font.color.rgb = GREY
        paragraph = self.doc.sections[0].footer.paragraphs[0]
        paragraph.style = footer_style
        run = paragraph.add_run(f"{self.report.title}\tPage ")
        run.font.size = Pt(8)
        run.font.color.rgb = GREY
        _field(paragraph, "PAGE")
        tail = paragraph.add_run(" of ")
        tail.font.size = Pt(8)
        tail.font.color.rgb = GREY
        _field(paragraph, "NUMPAGES")
        tabs = footer_style.paragraph_format.tab_stops
        tabs.clear_all()  # the template's centre tab would catch the page number
        tabs.add_tab_stop(TEXT_WIDTH, alignment=WD_TAB_ALIGNMENT.RIGHT)

    # --- the document ------------------------------------------------------------------------

    def write(self, progress: Progress | None) -> None:
        sections = self.report.priorities
        total = len(sections) + 3
        self.cover()
        if progress:
            progress(1, total, "Writing the summary")
        self.summary()
        for index, section in enumerate(sections):
            if progress:
                progress(2 + index, total, f"Writing priority {section.priority.number}")
            self.priority(section)
        if progress:
            progress(total - 1, total, "Writing the appendix")
        self.appendix()

    def chapter(self, title: str) -> Paragraph:
        heading = self.doc.add_heading(title, level=1)
        heading.paragraph_format.page_break_before = True
        return heading

    def note(self, text: str) -> Paragraph:
        return self.doc.add_paragraph(text, style="Report Note")

    def figure(self, figure: Figure, caption: str | None = None) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        width = min(TEXT_WIDTH, int(TEXT_WIDTH * figure.width / 640))
        paragraph.add_run().add_picture(io.BytesIO(figure.png), width=width)
        pic = paragraph._p.xpath(".//pic:cNvPr")
        if pic:
            pic[0].set("descr", figure.alt)
        if caption:
            self.note(caption)

    def status_run(self, paragraph: Paragraph, status: Status) -> None:
        run = paragraph.add_run(status_text(status))
        run.bold = True
        run.font.color.rgb = _rgb(status.colour)

    def table(self, header: list[str]):
        """A table with a shaded header row repeated on each page; call _fix_widths when its
        rows are in."""
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            _shade(cell, "E8EEF5")
        _repeat_header(table.rows[0])
        return table

    def cover(self) -> None:
        r = self.report
        for _ in range(6):
            self.doc.add_paragraph()
        self.doc.add_paragraph(r.title, style="Title")
        subtitle = self.doc.add_paragraph(r.subtitle)
        subtitle.runs[0].font.size = Pt(14)
        subtitle.runs[0].font.color.rgb = GREY
        self.doc.add_paragraph(f"Produced on {r.produced_on.day} {r.produced_on:%B %Y} from the "
                               "Commitment Tracker.")
        for line in r.scope:
            paragraph = self.doc.add_paragraph()
            run = paragraph.add_run(line)
            if "not for publication" in line:
                run.bold = True
                run.font.color.rgb = RED
        contents = self.doc.add_paragraph()
        contents.paragraph_format.space_before = Pt(24)
        head = contents.add_run("Contents")
        head.bold = True
        head.font.size = Pt(13)
        head.font.color.rgb = BLUE
        for title in ["Summary", *(s.heading for s in r.priorities), APPENDIX_TITLE]:
            self.doc.add_paragraph(title, style="List Bullet")

    def summary(self) -> None:
        r = self.report
        self.chapter("Summary")
        self.doc.add_paragraph(r.summary_sentence)
        if r.priorities:
            self.figure(self.figures.status(r.priorities),
                        "Commitments by status in each priority. Each status is shown by its "
                        "shape and word as well as its colour.")
            shown = [s for s in Status if r.counts[s]]
            widths = [17 - 2.9 * len(shown) - 1.4] + [2.9] * len(shown) + [1.4]
            table = self.table(["Priority", *(status_text(s) for s in shown), "Total"])
            for section in r.priorities:
                self._count_row(table, section.heading,
                                [section.counts[s] for s in shown] + [section.counts.total])
            self._count_row(table, "All priorities", [r.counts[s] for s in shown] + [r.counts.total],
                            bold=True)
            _fix_widths(table, widths)
        self.doc.add_heading("Headline indicator changes", level=2)
        headlines = r.headlines
        if not headlines:
            self.note("No indicator in this report has two values to compare.")
            return
        table = self.table(["Priority", "Indicator", "Change", "Direction"])
        for section in r.priorities:
            for item in section.indicators:
                if item.direction is None:
                    continue
                cells = table.add_row().cells
                cells[0].text = str(section.priority.number)
                cells[1].text = item.name
                cells[2].text = item.change
                self._direction(cells[3].paragraphs[0], item)
        _fix_widths(table, [1.7, 5.3, 7.2, 2.8])

    def _count_row(self, table, label: str, numbers: list[int], bold: bool = False) -> None:
        cells = table.add_row().cells
        cells[0].text = ""
        cells[0].paragraphs[0].add_run(label).bold = bold
        for cell, number in zip(cells[1:], numbers):
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.add_run(str(number)).bold = bold

    def _direction(self, paragraph: Paragraph, item: IndicatorItem) -> None:
        if item.direction is None or not item.verdict:
            if item.direction is Direction.NEUTRAL:
                paragraph.add_run("No better direction")
            return
        mark = {"improved": "\u2713 ", "worsened": "\u2717 ", "unchanged": "= "}.get(item.verdict, "")
        run = paragraph.add_run(f"{mark}{item.verdict.capitalize()}")
        run.bold = True
        run.font.color.rgb = _rgb(DIRECTION_COLOURS[item.direction])

    def priority(self, section) -> None:
        p = section.priority
        self.chapter(section.heading)
        for lead, text in (("Our objective is", p.objective), (None, p.partnership),
                           ("So that", p.outcome)):
            if not text:
                continue
            paragraph = self.doc.add_paragraph()
            if lead:
                paragraph.add_run(lead + " ").bold = True
            paragraph.add_run(text)
        for link in section.further_developed_in:
            self.note(f"Further developed in {link}.")
        if section.indicators:
            self.doc.add_heading("Indicators", level=2)
            empty = [i for i in section.indicators if not i.has_values]
            for item in section.indicators:
                if not item.has_values:
                    continue
                self.doc.add_heading(item.name, level=3)
                figure = self.figures.indicator(item)
                if figure is not None:
                    self.figure(figure)
                paragraph = self.doc.add_paragraph(item.change + " ")
                self._direction(paragraph, item)
                if item.target:
                    self.doc.add_paragraph(item.target + ".")
            if empty:
                self.doc.add_heading("Indicators with no value stated", level=3)
                for item in empty:
                    self.doc.add_paragraph(item.name, style="List Bullet")
        self.doc.add_heading("Commitments", level=2)
        n = section.counts.total
        self.doc.add_paragraph(f"{n} commitment{'s' if n != 1 else ''}: {section.counts.describe()}.")
        if not section.commitments:
            self.note("No commitments in the scope of this report.")
        for item in section.commitments:
            self.commitment(item, 0)

    def commitment(self, item: CommitmentItem, depth: int) -> None:
        if depth and not item.evidence and not item.subpoints and not item.carried_forward_from:
            line = self.doc.add_paragraph()  # a sub-point with nothing under it: one line
            line.paragraph_format.left_indent = Cm(0.8)
            line.paragraph_format.space_after = Pt(2)
            self.status_run(line, item.status)
            line.add_run("  " + item.label)
            return
        paragraph = self.doc.add_paragraph(style="Commitment" if depth == 0 else "Commitment 2")
        self.status_run(paragraph, item.status)
        paragraph.add_run("  " + item.label)
        if item.carried_forward_from:
            note = self.note(f"Carried forward from {item.carried_forward_from}.")
            if depth:
                note.paragraph_format.left_indent = Cm(0.8)
        style = "List Bullet" if depth == 0 else "List Bullet 2"
        for e in item.evidence:
            bullet = self.doc.add_paragraph(style=style)
            if e.internal:
                mark = bullet.add_run("[Internal only] ")
                mark.bold = True
                mark.font.color.rgb = RED
            bullet.add_run(e.text)
        if not item.evidence and depth == 0:
            self.note("No evidence recorded.")
        for sub in item.subpoints:
            self.commitment(sub, depth + 1)

    def appendix(self) -> None:
        self.chapter(APPENDIX_TITLE)
        self.doc.add_paragraph(
            f"The priorities and commitments of the {self.report.plan.title} as written, in the "
            "order of the plan, with each commitment's status. The evidence for each commitment "
            "is in the chapter of its priority.")
        for section in self.report.priorities:
            p = section.priority
            self.doc.add_heading(section.heading, level=2)
            if p.objective:
                paragraph = self.doc.add_paragraph()
                paragraph.add_run("Our objective is ").bold = True
                paragraph.add_run(p.objective)
            table = self.table(["We will", "Status"])
            for item in section.commitments:
                self._appendix_row(table, item, 0)
            _fix_widths(table, [13.2, 3.8])
            if p.outcome:
                paragraph = self.doc.add_paragraph()
                paragraph.paragraph_format.space_before = Pt(6)
                paragraph.add_run("So that ").bold = True
                paragraph.add_run(p.outcome)

    def _appendix_row(self, table, item: CommitmentItem, depth: int) -> None:
        cells = table.add_row().cells
        cells[0].text = ("\u2013 " if depth else "") + item.label
        if depth:
            cells[0].paragraphs[0].paragraph_format.left_indent = Cm(0.6 * depth)
        cells[1].text = ""
        self.status_run(cells[1].paragraphs[0], item.status)
        for sub in item.subpoints:
            self._appendix_row(table, sub, depth + 1)


def _fix_widths(table, widths: list[float]) -> None:
    """Column widths on the grid and on every cell: Word reads the cells, LibreOffice the grid."""
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)


def _font_name(style, name: str) -> None:
    """Set the style's font for every script, dropping the theme fonts that would win."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    fonts.set(qn("w:cs"), name)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    run = paragraph.add_run()
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        run._r.append(element)


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(row) -> None:
    """Repeat the table's header row on each page it runs onto."""
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)

