"""Narrative in the files: paragraphs with their published numbers, bold, links, nested bullets,
a figure placed where the text puts it, and an indicator's commentary, in PDF, Word and HTML."""

from __future__ import annotations

from datetime import date

import docx
import pytest
from pdf_checks import pdf_problems
from pypdf import PdfReader
from reports_helpers import docx_text, html_text, in_order, pdf_body_text

from tracker.domain.narrative import BulletList, FigureRef, ListItem, Paragraph, Section, parse_inline
from tracker.reports.build import write_report
from tracker.reports.content import ReportOptions, build_report
from tracker.store import narrative, plans

LINK = "https://www.essex.pfcc.police.uk/closure?a=1&b=2"


@pytest.fixture
def written(store, tmp_path):
    old = plans.find_plan(store, "pcp-2016-2020")
    ext = plans.find_plan(store, "pcp-2020-21")
    options = ReportOptions(old.id, plan_ids=(old.id, ext.id), closure=True)
    asb = next(i for c in build_report(store, options).chapters for i in c.indicators
               if i.name == "Number of anti-social behaviour incidents")
    narrative.set_narrative(store, narrative.plan_place(old.id, Section.FOREWORD), "2021/22", (
        Paragraph(parse_inline(f"The plan **closes** here; see [the plan]({LINK}).")),
        BulletList((ListItem(parse_inline("First point"), (ListItem(parse_inline("Under it")),)),
                    ListItem(parse_inline("Second point")))),
    ))
    chapter = plans.list_priorities(store, old.id)[1]
    narrative.set_narrative(store, narrative.chapter_place(store, chapter.id), "2021/22", (
        Paragraph(parse_inline("Anti-social behaviour **fell** over the plan."), "5.2"),
        FigureRef(asb.indicator.uid),
        Paragraph(parse_inline("Text after the figure."), "5.3"),
    ))
    narrative.set_narrative(store, narrative.commentary_place(store, asb.indicator.id), "2021/22",
                            (Paragraph(parse_inline("Commentary of the officer.")),))
    files = {}
    for fmt in ("pdf", "docx", "html"):
        files[fmt] = tmp_path / f"closure.{fmt}"
        report = write_report(store, options, files[fmt], today=date(2022, 6, 30))
    return report, files


ORDER = ["1. Foreword", "The plan closes here; see the plan.", "First point", "Under it",
         "Second point", "5.2 Anti-social behaviour fell over the plan.",
         "Number of anti-social behaviour incidents", "Commentary of the officer.",
         "5.3 Text after the figure."]


def test_narrative_reads_in_order_with_the_figure_where_the_text_puts_it(written):
    report, files = written
    html = " ".join(html_text(files["html"]).parts)
    assert in_order(html, ORDER, ignore_spaces=True) == (True, None)  # tags part the words
    assert in_order(docx_text(files["docx"]), ORDER) == (True, None)
    pdf = pdf_body_text(files["pdf"], report.title)
    assert in_order(pdf, ORDER, ignore_spaces=True) == (True, None)
    assert pdf_problems(files["pdf"], report.title) == []


def test_bold_links_and_nested_bullets_are_marked_as_such(written):
    _report, files = written
    page = files["html"].read_text(encoding="utf-8")
    assert "The plan <strong>closes</strong> here" in page
    assert '<a href="https://www.essex.pfcc.police.uk/closure?a=1&amp;b=2">the plan</a>' in page
    assert "<li>First point<ul><li>Under it</li></ul></li><li>Second point</li>" in page
    assert "<strong>5.2\u2002</strong>Anti-social behaviour" in page
    document = docx.Document(str(files["docx"]))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("The plan closes"))
    assert [r.text for r in paragraph.runs if r.bold] == ["closes"]
    assert LINK in [r.target_ref for r in document.part.rels.values() if r.is_external]
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    at = styles.index(("List Bullet", "First point"))
    assert styles[at + 1:at + 3] == [("List Bullet 2", "Under it"), ("List Bullet", "Second point")]
    links = [a.get_object()["/A"]["/URI"] for page in PdfReader(str(files["pdf"])).pages
             for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert LINK in links
