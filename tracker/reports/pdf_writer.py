"""The report as a tagged, accessible PDF (PDF/UA-1), typeset by Typst.

The laid-out document (tracker.reports.layout) goes to the template `report.typ` as JSON: its
text is data, never markup. Typst tags headings, paragraphs, lists, tables (header cells
repeated on each page as artifacts), figures with their text alternatives and captions, and
the footer as an artifact; the PDF declares en-GB and shows its title. Fonts are the ones
bundled in `tracker/reports/fonts` and never the machine's, so the PDF is the same on every
machine, and its text copies as the words (no ligature code points in the text).
"""

from __future__ import annotations

import functools
import json
import tempfile
from importlib import resources
from pathlib import Path

import typst

from tracker.reports import fonts, palette
from tracker.reports.content import Progress, Report
from tracker.reports.document import (
    BulletList,
    Contents,
    Document,
    FigureBlock,
    Heading,
    ListItem,
    Paragraph,
    Run,
    Table,
    Title,
)
from tracker.reports.errors import PdfError
from tracker.reports.figures import ReportFigures
from tracker.reports.layout import layout_report


def report_pdf(report: Report, figures: ReportFigures, *, progress: Progress | None = None) -> bytes:
    document = layout_report(report, figures)
    return document_pdf(document, progress=progress)


def document_pdf(document: Document, *, progress: Progress | None = None) -> bytes:
    """Typeset the document; a PDF/UA-1 file as bytes."""
    if progress:
        progress(0, 2, "Typesetting the PDF")
    pdf = _compile(document, "pdf")
    if progress:
        progress(2, 2, "Typeset the PDF")
    assert isinstance(pdf, bytes)
    return pdf


def document_pngs(document: Document, ppi: float = 96) -> list[bytes]:
    """The pages as Typst draws them into the PDF, as PNG images (for pictures of a report
    where no PDF renderer is installed)."""
    pages = _compile(document, "png", ppi=ppi)
    return [pages] if isinstance(pages, bytes) else list(pages)


def _compile(document: Document, fmt: str, ppi: float | None = None):
    with tempfile.TemporaryDirectory(prefix="tracker-report-") as folder:
        root = Path(folder)
        payload = _payload(document, root)
        compiler = typst.Compiler(root=str(root), font_paths=_fonts())
        extra = {"pdf_standards": ["ua-1"]} if fmt == "pdf" else {"ppi": ppi}
        try:
            data = json.dumps(payload, separators=(",", ":"))
            return compiler.compile(_template(), format=fmt, sys_inputs={"document": data},
                                    **extra)
        except typst.TypstError as exc:
            raise PdfError(f"The PDF could not be typeset: {exc.message}") from exc


@functools.cache
def _fonts() -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=[str(fonts.font_folder())])


@functools.cache
def _template() -> bytes:
    return (resources.files("tracker.reports") / "report.typ").read_bytes()


def _payload(document: Document, root: Path) -> dict:
    """The document as plain JSON data, with its pictures written as files into `root`."""
    language, _, region = document.language.partition("-")
    blocks = []
    for block in document.blocks:
        data = _block(block)
        if isinstance(block, FigureBlock):
            data["file"] = f"figure-{len(blocks)}.svg"
            (root / data["file"]).write_text(block.svg, encoding="utf-8")
        blocks.append(data)
    return {
        "title": fonts.displayable(document.title),
        "author": fonts.displayable(document.author),
        "subject": fonts.displayable(document.subject),
        "lang": language.lower(),
        "region": region.upper() or None,
        "fonts": list(fonts.FAMILIES),
        "tones": palette.tones(),
        "colours": {"ink": palette.INK, "muted": palette.MUTED, "heading": palette.HEADING,
                    "rule": palette.RULE, "header_fill": palette.HEADER_FILL,
                    "total_fill": palette.TOTAL_FILL},
        "blocks": blocks,
    }


# Each block as the template reads it: its fields by name (and "type"), every text a reader
# sees made displayable by the bundled fonts; anchors, styles, tones and links as they are.
# Written out per kind rather than walked through dataclasses.fields: a report has thousands.

def _shown(text: str | None) -> str | None:
    return None if text is None else fonts.displayable(text)


def _run(run: Run):
    """A run with no marks is sent as its bare text, which Typst sets with far less work."""
    if not (run.bold or run.italic or run.link or run.tone):
        return fonts.displayable(run.text)
    return {"text": fonts.displayable(run.text), "bold": run.bold, "italic": run.italic,
            "link": run.link, "tone": run.tone}


def _runs(runs) -> list:
    return [_run(r) for r in runs]


def _item(item: ListItem) -> dict:
    return {"runs": _runs(item.runs), "children": [_block(c) for c in item.children]}


def _block(block) -> dict:
    if isinstance(block, Paragraph):
        return {"runs": _runs(block.runs), "style": block.style, "indent": block.indent,
                "type": "paragraph"}
    if isinstance(block, BulletList):
        return {"items": [_item(i) for i in block.items], "indent": block.indent,
                "type": "list"}
    if isinstance(block, Heading):
        return {"level": block.level, "runs": _runs(block.runs), "anchor": block.anchor,
                "new_page": block.new_page, "type": "heading"}
    if isinstance(block, Table):
        return {"header": [fonts.displayable(h) for h in block.header],
                "rows": [[_runs(cell) for cell in row] for row in block.rows],
                "widths": list(block.widths), "numeric": list(block.numeric),
                "caption": _shown(block.caption), "total_row": block.total_row,
                "row_indents": list(block.row_indents), "row_headers": block.row_headers,
                "type": "table"}
    if isinstance(block, FigureBlock):
        return {"key": block.key, "alt": fonts.displayable(block.alt),
                "caption": fonts.displayable(block.caption), "width": block.width,
                "height": block.height, "source": _shown(block.source), "type": "figure"}
    if isinstance(block, Title):
        return {"text": fonts.displayable(block.text), "type": "title"}
    if isinstance(block, Contents):
        return {"title": fonts.displayable(block.title),
                "chapters": [[_runs(runs), anchor] for runs, anchor in block.chapters],
                "type": "contents"}
    raise TypeError(f"No PDF form for {type(block).__name__}")


__all__ = ["PdfError", "document_pdf", "document_pngs", "report_pdf"]
