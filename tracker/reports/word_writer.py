"""The report as a Word document (python-docx) an officer can edit before publishing, made to
pass Word's accessibility checker and to read well in a screen reader.

- The document is en-GB (default run language and theme), its properties name the office as
  author and carry the title (shown by Word in place of the file name);
- the title in the Title style, chapters in Heading 1 and so down, never skipping a level,
  so the navigation pane and the contents field work; a contents field (TOC) Word fills in when
  the file is opened (it asks to update fields);
- tables with a caption and a description (Word's table alt text), a header row repeated on
  every page, and rows that never split across pages;
- charts as PNG (from the same SVG as the PDF) with their text alternative where Word,
  LibreOffice and screen readers read it (`wp:docPr` descr and title) and a numbered caption;
- statuses as shape and word in an ink of 4.5:1 or more; A4, "Page n of m" in the footer.
"""

from __future__ import annotations

import io
from datetime import datetime, time

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from tracker.reports import palette, raster
from tracker.reports.content import Progress, Report
from tracker.reports.document import (
    BulletList,
    Contents,
    Document,
    FigureBlock,
    Heading,
    ListItem,
    Paragraph,
    Runs,
    Table,
    Title,
    text_of,
)
from tracker.reports.figures import ReportFigures
from tracker.reports.layout import layout_report

TEXT_WIDTH = Cm(17)
FONT = "Arial"  # on every Windows machine; LibreOffice substitutes Liberation Sans
HEADING_SIZES = {1: 17, 2: 13, 3: 11, 4: 10, 5: 10, 6: 10}
LIST_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
CONTINUE_STYLES = ("List Continue", "List Continue 2", "List Continue 3")
# Settings that must come after w:updateFields (the schema fixes the order).
_AFTER_UPDATE_FIELDS = {qn(f"w:{tag}") for tag in (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")}


def report_docx(report: Report, figures: ReportFigures, *, progress: Progress | None = None) -> bytes:
    document = layout_report(report, figures)
    return document_docx(document, created=datetime.combine(report.produced_on, time(12)),
                         progress=progress)


def document_docx(document: Document, *, created: datetime | None = None,
                  progress: Progress | None = None) -> bytes:
    writer = _WordWriter(document, created)
    writer.write(progress)
    out = io.BytesIO()
    writer.doc.save(out)
    return out.getvalue()


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


class _WordWriter:
    def __init__(self, document: Document, created: datetime | None) -> None:
        self.document = document
        self.doc = new_docx()
        self.tones = palette.tones()
        self._style_ids: dict[str, str] = {}
        self._properties(created)
        self._styles()
        self._page()

    # --- the file ------------------------------------------------------------------------------

    def _properties(self, created: datetime | None) -> None:
        d = self.document
        core = self.doc.core_properties
        core.title = d.title
        core.subject = d.subject
        core.author = d.author
        core.last_modified_by = d.author
        core.comments = "Produced by the Commitment Tracker."
        core.keywords = ""
        core.language = d.language
        core.category = "Report"
        core.revision = 1
        if created is not None:
            core.created = core.modified = created
        settings = self.doc.settings.element
        for old in settings.findall(qn("w:themeFontLang")):
            old.set(qn("w:val"), d.language)
        update = OxmlElement("w:updateFields")  # fill in the contents when the file is opened
        update.set(qn("w:val"), "true")
        later = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS), None)
        if later is not None:
            later.addprevious(update)
        else:
            settings.append(update)
        package = self.doc.part.package
        for key, relation in list(package.rels.items()):
            if relation.reltype.endswith("/thumbnail"):  # a picture of python-docx's template
                package.rels.pop(key)
        for part in package.parts:
            if str(part.partname) == "/docProps/app.xml":
                part._blob = part.blob.replace(b"Microsoft Macintosh Word", b"Commitment Tracker")

    def _styles(self) -> None:
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:val"), self.document.language)
            lang.set(qn("w:eastAsia"), self.document.language)
        normal = styles["Normal"]
        _font_name(normal, FONT)
        normal.font.size = Pt(10)
        normal.font.color.rgb = _rgb(palette.INK)
        normal.paragraph_format.space_after = Pt(4)
        title = styles["Title"]
        _font_name(title, FONT)
        title.font.size = Pt(26)
        title.font.color.rgb = _rgb(palette.HEADING)
        for border in title.element.iter(qn("w:pBdr")):  # the template's rule under the title
            border.getparent().remove(border)
        for level, size in HEADING_SIZES.items():
            style = styles[f"Heading {level}"]
            _font_name(style, FONT)
            style.font.size = Pt(size)
            style.font.italic = False
            style.font.color.rgb = _rgb(palette.HEADING if level <= 3 else palette.INK)
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_before = Pt(14 if level <= 2 else 9)
            style.paragraph_format.space_after = Pt(4)
        caption = styles["Caption"]
        _font_name(caption, FONT)
        caption.font.size = Pt(8.5)
        caption.font.bold = False
        caption.font.italic = False
        caption.font.color.rgb = _rgb(palette.MUTED)
        cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = styles["Normal"]
        cell.font.size = Pt(9)
        cell.paragraph_format.space_after = Pt(0)
        note = styles.add_style("Report Note", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = styles["Normal"]
        note.font.italic = True
        note.font.color.rgb = _rgb(palette.MUTED)
        subtitle = styles["Subtitle"]
        _font_name(subtitle, FONT)
        subtitle.font.size = Pt(14)
        subtitle.font.italic = False
        subtitle.font.color.rgb = _rgb(palette.MUTED)
        for name in LIST_STYLES:
            _font_name(styles[name], FONT)

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(18), Mm(18)
        footer_style = self.doc.styles["Footer"]
        _font_name(footer_style, FONT)
        footer_style.font.size = Pt(8)
        footer_style.font.color.rgb = _rgb(palette.MUTED)
        tabs = footer_style.paragraph_format.tab_stops
        tabs.clear_all()  # the template's centre tab would catch the page number
        tabs.add_tab_stop(TEXT_WIDTH, alignment=WD_TAB_ALIGNMENT.RIGHT)
        paragraph = section.footer.paragraphs[0]
        paragraph.style = footer_style
        paragraph.add_run(f"{self.document.title}\tPage ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES", "1")

    # --- the blocks ------------------------------------------------------------------------------

    def add_paragraph(self, style: str = "Normal", text: str = "") -> DocxParagraph:
        """A paragraph in the named style. The style id is set directly: python-docx looks a
        style up by name through every style of the template, on every paragraph."""
        paragraph = self.doc.add_paragraph()
        if text:
            _append_run(paragraph._p, text)
        if style != "Normal":
            if style not in self._style_ids:
                self._style_ids[style] = self.doc.styles[style].style_id
            paragraph._p.style = self._style_ids[style]
        return paragraph

    def write(self, progress: Progress | None) -> None:
        blocks = self.document.blocks
        figures = [b for b in blocks if isinstance(b, FigureBlock)]
        if progress:
            progress(0, len(blocks) + 1, "Drawing the charts for Word")
        self.pngs = dict(zip((f.key for f in figures),
                             raster.svgs_to_pngs([(f.svg, f.width, f.height) for f in figures])))
        for index, block in enumerate(blocks):
            if progress and isinstance(block, Heading) and block.level == 1:
                progress(index + 1, len(blocks) + 1, f"Writing {block.text}")
            self.block(block)
        self._unique_picture_ids()

    def block(self, block) -> None:
        if isinstance(block, Title):
            for _ in range(5):
                self.doc.add_paragraph()
            self.add_paragraph("Title", block.text)
        elif isinstance(block, Heading):
            heading = self.add_paragraph(f"Heading {min(block.level, 6)}")
            self.runs(heading, block.runs)
            if block.new_page:
                heading.paragraph_format.page_break_before = True
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, BulletList):
            self.bullets(block.items, block.indent)
        elif isinstance(block, Contents):
            self.contents(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, FigureBlock):
            self.figure(block)

    def runs(self, paragraph: DocxParagraph, runs: Runs) -> None:
        for r in runs:
            if r.link:
                _hyperlink(paragraph, r.link, r.text, bold=r.bold)
                continue
            colour = self.tones[r.tone].lstrip("#").upper() if r.tone else None
            _append_run(paragraph._p, r.text, r.bold, r.italic, colour)

    def paragraph(self, block: Paragraph) -> None:
        style = {"subtitle": "Subtitle", "note": "Report Note"}.get(block.style, "Normal")
        paragraph = self.add_paragraph(style)
        self.runs(paragraph, block.runs)
        if block.indent:
            paragraph.paragraph_format.left_indent = Cm(0.8 * block.indent)
        if block.style == "subpoint":
            paragraph.paragraph_format.space_after = Pt(2)

    def bullets(self, items: tuple[ListItem, ...], depth: int) -> None:
        style = LIST_STYLES[min(depth, len(LIST_STYLES) - 1)]
        for item in items:
            paragraph = self.add_paragraph(style)
            self.runs(paragraph, item.runs)
            for child in item.children:
                if isinstance(child, BulletList):
                    self.bullets(child.items, depth + 1)
                else:  # a paragraph under the bullet, indented like its text
                    under = self.add_paragraph(CONTINUE_STYLES[min(depth, 2)])
                    self.runs(under, child.runs)

    def contents(self, block: Contents) -> None:
        heading = self.add_paragraph("TOC Heading")
        run = heading.add_run(block.title)
        run.bold = True
        run.font.size = Pt(13)
        run.font.color.rgb = _rgb(palette.HEADING)
        heading.paragraph_format.space_before = Pt(24)
        _contents_field(self.add_paragraph, [text_of(runs) for runs, _anchor in block.chapters])

    def table(self, table: Table) -> None:
        if table.caption:
            caption = self.add_paragraph("Caption", table.caption)
            caption.paragraph_format.keep_with_next = True
        docx_table = self.doc.add_table(rows=1, cols=len(table.header))
        docx_table.style = self.doc.styles["Table Grid"]
        docx_table.alignment = WD_TABLE_ALIGNMENT.CENTER
        docx_table.autofit = False
        cell_style = self.doc.styles["Table Text"].style_id
        for x, (cell, text) in enumerate(zip(docx_table.rows[0].cells, table.header)):
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph._p.style = cell_style
            _append_run(paragraph._p, text, bold=True)
            if table.is_numeric(x):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _shade(cell, palette.HEADER_FILL)
        _header_row(docx_table.rows[0])
        last = len(table.rows) - 1
        for y, row in enumerate(table.rows):
            docx_row = docx_table.add_row()
            _keep_row_whole(docx_row)
            for x, (cell, runs) in enumerate(zip(docx_row.cells, row)):
                paragraph = cell.paragraphs[0]
                paragraph._p.style = cell_style
                indent = table.row_indents[y] if x == 0 and y < len(table.row_indents) else 0
                if indent:
                    _append_run(paragraph._p, "\u2013 ")
                    paragraph.paragraph_format.left_indent = Cm(0.6 * indent)
                self.runs(paragraph, runs)
                if table.is_numeric(x):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if table.total_row and y == last:
                    _shade(cell, palette.TOTAL_FILL)
        _fix_widths(docx_table, [w * 17 for w in table.widths])
        _cell_margins(docx_table)
        _describe_table(docx_table, table.caption or "", table.caption or "")
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def figure(self, figure: FigureBlock) -> None:
        caption = self.add_paragraph("Caption", figure.caption)
        caption.paragraph_format.keep_with_next = True
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        width = min(TEXT_WIDTH, int(TEXT_WIDTH * figure.width / 640))
        paragraph.add_run().add_picture(io.BytesIO(self.pngs[figure.key]), width=width)
        inline = paragraph._p.xpath(".//wp:inline")[-1]
        doc_pr = inline.find(qn("wp:docPr"))
        doc_pr.set("descr", figure.alt)
        doc_pr.set("title", figure.caption)
        for c_nv_pr in inline.xpath(".//pic:cNvPr"):
            c_nv_pr.set("descr", figure.alt)
        if figure.source:
            self.add_paragraph("Report Note", figure.source).runs[0].font.size = Pt(8.5)

    def _unique_picture_ids(self) -> None:
        """Word wants each drawing's id unique in the document."""
        for number, doc_pr in enumerate(self.doc.element.body.iter(qn("wp:docPr")), start=1):
            doc_pr.set("id", str(number))


def _append_run(p, text: str, bold: bool = False, italic: bool = False,
                colour: str | None = None) -> None:
    """A run built as XML directly: python-docx's add_run and its font setters walk the text a
    character at a time and search the run's children for every property, which was most of
    the time of a long report. A line break in the text is a w:br."""
    run = OxmlElement("w:r")
    if bold or italic or colour:
        properties = OxmlElement("w:rPr")  # the schema's order: b, i, color
        if bold:
            properties.append(OxmlElement("w:b"))
        if italic:
            properties.append(OxmlElement("w:i"))
        if colour:
            element = OxmlElement("w:color")
            element.set(qn("w:val"), colour)
            properties.append(element)
        run.append(properties)
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(OxmlElement("w:br"))
        shown = OxmlElement("w:t")
        shown.set(qn("xml:space"), "preserve")
        shown.text = line
        run.append(shown)
    p.append(run)


def _fix_widths(table, widths_cm: list[float]) -> None:
    """Column widths on the grid and on every cell: Word reads the cells, LibreOffice the grid."""
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _cell_margins(table, top: int = 40, side: int = 100) -> None:
    """Room around the text of every cell (twentieths of a point): the Table Grid style has
    none above and below, so text touches the rules."""
    margins = OxmlElement("w:tblCellMar")
    for edge, size in (("top", top), ("left", side), ("bottom", top), ("right", side)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(size))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)


def _font_name(style, name: str) -> None:
    """Set the style's font for every script, dropping the theme fonts that would win."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    fonts.set(qn("w:cs"), name)


def _field_runs(paragraph: DocxParagraph, code: str, shown: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(begin)
    run._r.append(instruction)
    run._r.append(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _field(paragraph: DocxParagraph, code: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    _field_runs(paragraph, code, shown)


def _contents_field(add_paragraph, chapters: list[str]) -> None:
    """A TOC field over the Heading 1 paragraphs, holding the chapter titles until Word (or
    LibreOffice, Tools > Update) fills in the page numbers."""
    first = add_paragraph()
    run = first.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-1" \\h \\z \\u '
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    for element in (begin, instruction, separate):
        run._r.append(element)
    paragraphs = [first]
    for index, title in enumerate(chapters):
        paragraph = first if index == 0 else add_paragraph()
        paragraph.add_run(title)
        paragraph.paragraph_format.space_after = Pt(2)
        paragraphs.append(paragraph)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraphs[-1].add_run()._r.append(end)


def _hyperlink(paragraph: DocxParagraph, url: str, text: str, bold: bool = False) -> None:
    part = paragraph.part
    relation = part.relate_to(url, "http://schemas.openxmlformats.org/officeDocument/2006/"
                                   "relationships/hyperlink", is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:color")
    style.set(qn("w:val"), palette.HEADING.lstrip("#").upper())
    properties.append(style)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(underline)
    if bold:
        properties.append(OxmlElement("w:b"))
    run.append(properties)
    shown = OxmlElement("w:t")
    shown.set(qn("xml:space"), "preserve")
    shown.text = text
    run.append(shown)
    link.append(run)
    paragraph._p.append(link)


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#").upper())
    properties.append(shading)


def _header_row(row) -> None:
    """The header row: repeated on each page the table runs onto, never split."""
    properties = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        flag = OxmlElement(tag)
        flag.set(qn("w:val"), "true")
        properties.append(flag)


def _keep_row_whole(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _describe_table(table, caption: str, description: str) -> None:
    """Word's table alt text: w:tblCaption and w:tblDescription, after the style and width."""
    properties = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        if not value:
            continue
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        properties.append(element)
