"""The report as PDF, through Qt: the HTML laid out by QTextDocument, painted on QPdfWriter.

- A4 pages with a footer: the report's title and "Page n of m".
- Headings never end a page: after layout, any heading (or commitment line) whose next block
  starts on the following page is moved there with a page break, together with the headings
  just before it.
- Charts are embedded at three times their printed size, so they stay sharp on paper.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from tracker.reports import charts
from tracker.reports.content import Progress, Report
from tracker.reports.figures import Figure, ReportFigures
from tracker.reports.html_writer import HtmlBuilder

CSS_DPI = 96  # the document is laid out in CSS pixels and scaled to the writer's resolution
MARGINS_MM = QMarginsF(20, 18, 20, 20)  # left, top, right, bottom
FOOTER_MM = 8.0
BODY_FONT = ["Arial", "Liberation Sans", "DejaVu Sans"]


def report_pdf(report: Report, figures: ReportFigures, *, progress: Progress | None = None) -> bytes:
    charts.ensure_application()
    documents, images = build_documents(report, figures, progress)
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(report.title)
    writer.setCreator("Commitment Tracker")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, MARGINS_MM,
                                     QPageLayout.Unit.Millimeter))
    writer.setResolution(600)
    paint_pages(documents, writer, report.title, progress)
    buffer.close()
    del images  # the documents' resources referred to them until now
    return bytes(array.data())


def build_documents(report: Report, figures: ReportFigures, progress: Progress | None = None
                    ) -> tuple[list[QTextDocument], list[QImage]]:
    """One laid-out document per chapter (each starts a page), paginated, with headings kept
    with what follows and paragraphs split at page breaks. A chapter at a time, because each
    fix lays out again what follows it in its document."""
    charts.ensure_application()
    images: dict[str, QImage] = {}

    def resource(key: str, figure: Figure) -> str:
        image = QImage.fromData(figure.png, "PNG")
        # Laid out at its printed size; drawn from all of its pixels.
        image.setDevicePixelRatio(image.width() / figure.width)
        name = f"figure-{key}.png"
        images[name] = image
        return name

    chapters = HtmlBuilder(report, figures, resource, for_qt=True).chapters()
    documents = []
    for index, html in enumerate(chapters):
        if progress:
            progress(index, len(chapters) * 2, f"Laying out part {index + 1} of {len(chapters)}")
        documents.append(layout_document(html, images))
    return documents, list(images.values())


def layout_document(html: str, images: dict[str, QImage]) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    font = QFont(body_font_family())
    font.setPointSizeF(10)
    document.setDefaultFont(font)
    for name, image in images.items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    document.setHtml(html)
    document.setPageSize(page_body_size())
    if keep_headings_with_next(document):
        document.markContentsDirty(0, document.characterCount())
    for _ in range(3):
        if not split_paragraphs_at_page_breaks(document):
            break
        document.markContentsDirty(0, document.characterCount())
    return document


def body_font_family() -> str:
    """The first of BODY_FONT installed. Named exactly, because leaving the choice to font
    substitution gave different line heights from one run to the next."""
    installed = set(QFontDatabase.families())
    return next((name for name in BODY_FONT if name in installed), QFont().defaultFamily())


def page_body_size() -> QSizeF:
    """The text area of an A4 page less the footer, in CSS pixels."""
    a4 = QPageSize(QPageSize.PageSizeId.A4).size(QPageSize.Unit.Millimeter)
    width_mm = a4.width() - MARGINS_MM.left() - MARGINS_MM.right()
    height_mm = a4.height() - MARGINS_MM.top() - MARGINS_MM.bottom() - FOOTER_MM
    # Whole pixels: with a fractional height, the line moved to the top of a page can sit a
    # fraction above the page's edge and be painted (clipped, but in the text) on both pages.
    return QSizeF(math.floor(width_mm / 25.4 * CSS_DPI), math.floor(height_mm / 25.4 * CSS_DPI))


def _page_of(y: float, page_height: float) -> int:
    return math.floor((y + 0.5) / page_height)  # a block at the top of a page is on it


def _keeps_with_next(block: QTextBlock) -> bool:
    return block.blockFormat().headingLevel() > 0


def keep_headings_with_next(document: QTextDocument) -> int:
    """Move every heading that would end a page to the next one, along with the headings just
    before it. Returns how many page breaks were added."""
    layout = document.documentLayout()
    page_height = document.pageSize().height()
    added = 0
    block = document.begin()
    while block.isValid():
        following = block.next()
        if _keeps_with_next(block) and following.isValid():
            here = layout.blockBoundingRect(block)
            there = layout.blockBoundingRect(following)
            page = _page_of(here.top(), page_height)
            first_line = following.layout().lineAt(0) if following.layout().lineCount() else None
            line_height = first_line.height() if first_line is not None else there.height()
            if _page_of(there.top() + min(line_height, there.height()) - 0.5,
                        page_height) > page:
                start = block
                previous = block.previous()
                while previous.isValid() and _keeps_with_next(previous) and _page_of(
                        layout.blockBoundingRect(previous).top(), page_height) == page:
                    start = previous
                    previous = previous.previous()
                top_of_page = page * page_height
                if layout.blockBoundingRect(start).top() - top_of_page > 1:
                    fmt = QTextBlockFormat()
                    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    QTextCursor(start).mergeBlockFormat(fmt)
                    # The layout's own update after a format change can leave later pages
                    # stale; lay out everything from here again.
                    document.markContentsDirty(start.position(),
                                               document.characterCount() - start.position())
                    added += 1
        block = following
    return added


def split_paragraphs_at_page_breaks(document: QTextDocument) -> int:
    """Split every paragraph that runs over a page break into two, one on each page.

    QTextLayout.draw also paints the line just above its clip rectangle (Qt's loop keeps the
    last line above it as the first to draw). On paper the clip hides it, but in the PDF's text
    the last line of a page would be there twice, for copying, searching and screen readers.
    A paragraph that starts on its page has no line above the page to repeat. The second part
    keeps the look of the first: no bullet of its own, no space above it. Splitting moves
    nothing (the second part already starts the next page), so all the splits found in one
    layout are made together, from the last, and the caller lays out once again.
    """
    layout = document.documentLayout()
    page_height = document.pageSize().height()
    cuts: list[tuple[QTextBlock, int]] = []
    block = document.begin()
    while block.isValid():
        lines = block.layout()
        if lines.lineCount() > 1:
            top = layout.blockBoundingRect(block).top()
            first_page = _page_of(top + lines.lineAt(0).y(), page_height)
            for index in range(1, lines.lineCount()):
                line = lines.lineAt(index)
                if _page_of(top + line.y(), page_height) > first_page:
                    cuts.append((block, line.textStart()))
                    break
        block = block.next()
    for block, at in reversed(cuts):
        _split_block(block, at)
    return len(cuts)


def _split_block(block: QTextBlock, at: int) -> QTextBlock:
    """Break the block before its character `at`; returns the second part (the new block)."""
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + at)
    text_list = block.textList()
    first_format = block.blockFormat()
    first_format.setBottomMargin(0)
    cursor.setBlockFormat(first_format)
    second_format = block.blockFormat()
    second_format.setTopMargin(0)
    cursor.insertBlock(second_format)
    second = cursor.block()
    if text_list is not None and second.textList() is not None:
        indent = text_list.format().indent()
        text_list.remove(second)
        continuation = second.blockFormat()
        continuation.setIndent(indent)
        continuation.setTopMargin(0)
        QTextCursor(second).setBlockFormat(continuation)
    return second


def orphaned_headings(document: QTextDocument) -> list[str]:
    """Headings whose next block starts on a later page (what keep_headings_with_next fixes)."""
    layout = document.documentLayout()
    page_height = document.pageSize().height()
    found = []
    block = document.begin()
    while block.isValid():
        following = block.next()
        if _keeps_with_next(block) and following.isValid():
            here = _page_of(layout.blockBoundingRect(block).top(), page_height)
            there = _page_of(layout.blockBoundingRect(following).top() + 1, page_height)
            if there > here:
                found.append(block.text())
        block = following
    return found


def paint_pages(documents: list[QTextDocument], writer: QPdfWriter, title: str,
                progress: Progress | None = None) -> int:
    """Paint the documents one after the other, page by page, each page with a footer (the
    title, and the page number out of the total); returns the number of pages."""
    scale = writer.resolution() / CSS_DPI
    counts = [max(1, document.pageCount()) for document in documents]
    pages = sum(counts)
    footer_font = QFont(body_font_family())
    footer_font.setPixelSize(11)  # in CSS pixels: the painter is scaled to the page
    painter = QPainter(writer)
    number = 0
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for document, count in zip(documents, counts):
            body = document.pageSize()
            for index in range(count):
                if number:
                    writer.newPage()
                number += 1
                if progress:
                    progress(pages + number, pages * 2, f"Writing page {number} of {pages}")
                painter.save()
                painter.scale(scale, scale)
                painter.save()
                painter.translate(0, -index * body.height())
                page = QRectF(0, index * body.height(), body.width(), body.height())
                painter.setClipRect(page)
                context = QAbstractTextDocumentLayout.PaintContext()
                # Half a pixel in from each edge: Qt also paints a line that starts exactly on
                # the clip's bottom edge, which belongs to the next page.
                context.clip = page.adjusted(0, 0.5, 0, -0.5)
                document.documentLayout().draw(painter, context)
                painter.restore()
                _footer(painter, body, footer_font, title, f"Page {number} of {pages}")
                painter.restore()
    finally:
        painter.end()
    return pages


def _footer(painter: QPainter, body: QSizeF, font: QFont, title: str, page: str) -> None:
    top = body.height() + FOOTER_MM / 25.4 * CSS_DPI * 0.35
    painter.setPen(QColor("#cbd5e1"))
    painter.drawLine(0, int(top), int(body.width()), int(top))
    painter.setPen(QColor("#4b5563"))
    painter.setFont(font)
    area = QRectF(0, top + 2, body.width(), 20)
    painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    painter.drawText(area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, page)
