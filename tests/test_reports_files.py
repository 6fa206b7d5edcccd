"""The report files, read back: the HTML parsed, the .docx through python-docx, the PDF's text
through pypdf. Every commitment and evidence bullet of the scope appears, in plan order;
internal-only evidence and withheld values do not, unless asked (withheld: never)."""

from __future__ import annotations

import shutil
from datetime import date

import docx
import pytest
from pdf_checks import pdf_problems, structure
from reports_helpers import (
    docx_text,
    expected_lines,
    html_text,
    in_order,
    normalise,
    pdf_body_text,
    pdf_page_texts,
    pdf_pages,
    squash,
)

from tracker.domain.model import Polarity, Unit, ValueState, Visibility
from tracker.reports.build import write_report
from tracker.reports.content import ReportOptions
from tracker.reports.figures import ReportFigures
from tracker.store import commitments, evidence, indicators, plans
from tracker.store.database import open_store
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput

SECRET = "Internal note for the report tests: the budget line is not yet agreed."
WITHHELD = 98765
FORMATS = ("html", "docx", "pdf")


@pytest.fixture(scope="module")
def produced(_sample_template, tmp_path_factory, qapp):
    """The sample database with one internal evidence bullet and one withheld value added, and
    the reports written from it once for the whole module."""
    folder = tmp_path_factory.mktemp("reports")
    path = folder / "tracker.db"
    shutil.copyfile(_sample_template, path)
    store = open_store(path, officer="Test Officer")
    ext = plans.find_plan(store, "pcp-2020-21")
    first = plans.list_priorities(store, ext.id)[0]
    commitment = commitments.list_commitments(store, first.id)[0]
    evidence.add_evidence(store, commitment.id, EvidenceInput(SECRET, visibility=Visibility.INTERNAL))
    ind = indicators.add_indicator(store, first.id, "Withheld check", unit=Unit.COUNT,
                                   polarity=Polarity.LOWER_IS_BETTER)
    indicators.set_value(store, ind, ValueInput("2019/20", 120))
    indicators.set_value(store, ind, ValueInput("2020/21", WITHHELD, state=ValueState.WITHHELD))
    indicators.set_value(store, ind, ValueInput("2021/22", 90))

    files = {}
    reports = {}
    figures = ReportFigures()  # each chart drawn once for the module
    for key in ("pcp-2016-2020", "pcp-2020-21"):
        plan = plans.find_plan(store, key)
        for fmt in FORMATS:
            target = folder / f"{key}.{fmt}"
            reports[key] = write_report(store, ReportOptions(plan.id), target,
                                        today=date(2022, 6, 30), figures=figures)
            files[key, fmt] = target
    both = tuple(plans.find_plan(store, key).id for key in ("pcp-2016-2020", "pcp-2020-21"))
    for fmt in FORMATS:
        target = folder / f"closure.{fmt}"
        reports["closure"] = write_report(store, ReportOptions(both[0], plan_ids=both,
                                                               closure=True),
                                          target, today=date(2022, 6, 30), figures=figures)
        files["closure", fmt] = target
    for fmt in FORMATS:
        target = folder / f"internal.{fmt}"
        write_report(store, ReportOptions(ext.id, priority_numbers=(1,), include_internal=True),
                     target, figures=figures)
        files["internal", fmt] = target
    figures.close()
    yield store, files, reports
    store.close()


def text_of(path, fmt, title):
    if fmt == "html":
        return " ".join(html_text(path).parts)
    if fmt == "docx":
        return docx_text(path)
    return pdf_body_text(path, title)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", ["pcp-2016-2020", "pcp-2020-21"])
def test_every_commitment_and_evidence_bullet_appears_in_order(produced, key, fmt):
    store, files, reports = produced
    text = text_of(files[key, fmt], fmt, reports[key].title)
    ok, missing = in_order(text, expected_lines(store, key), ignore_spaces=fmt == "pdf")
    assert ok, f"missing or out of order in the {fmt}: {missing!r}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_closure_report_holds_both_plans_in_the_published_order(produced, fmt):
    store, files, reports = produced
    report = reports["closure"]
    text = text_of(files["closure", fmt], fmt, report.title)
    form = squash if fmt == "pdf" else normalise
    flat = form(text)
    for key in ("pcp-2016-2020", "pcp-2020-21"):
        missing = [line for line in expected_lines(store, key) if form(line) not in flat]
        assert missing == [], (key, missing[:3])
    parts = [p.heading if hasattr(p, "heading") else p.title for p in report.parts]
    ok, missing = in_order(text, parts, ignore_spaces=fmt == "pdf")
    assert ok, missing
    assert parts[:2] == ["1. Foreword", "2. Executive Summary"]  # the sample's narrative
    assert parts[-1].startswith("Appendix 1.")
    assert form("115 of the 117 commitments have evidence of delivery.") in flat


@pytest.mark.parametrize("fmt", FORMATS)
def test_internal_evidence_only_when_asked_and_withheld_values_never(produced, fmt):
    _store, files, reports = produced
    title = reports["pcp-2020-21"].title
    public = normalise(text_of(files["pcp-2020-21", fmt], fmt, title))
    assert normalise(SECRET) not in public
    private = normalise(text_of(files["internal", fmt], fmt, title))
    assert f"[Internal only] {normalise(SECRET)}" in private
    assert "not for publication" in private
    for text in (public, private):
        assert "98,765" not in text and str(WITHHELD) not in text
        assert "From 120 in 2019/20 to 90 in 2021/22, a reduction of 25 per cent" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_change_sentences_of_the_sample_indicators(produced, fmt):
    _store, files, reports = produced
    text = normalise(text_of(files["pcp-2020-21", fmt], fmt, reports["pcp-2020-21"].title))
    assert "From 52,732 in 2015/16 to 30,674 in 2021/22, a reduction of 42 per cent" in text
    assert "From 30,719 in 2015/16 to 42,802 in 2021/22, an increase of 39 per cent" in text
    assert "Confidence in the local police (CSEW)" in text  # listed with no value stated


def test_html_is_one_file_with_inlined_charts_and_headings(produced):
    _store, files, reports = produced
    parsed = html_text(files["pcp-2020-21", "html"])
    report = reports["pcp-2020-21"]
    charted = sum(1 for i in report.figures if i.values)
    assert parsed.images == ["svg"] * (charted + 1)  # and the status chart, inline
    assert ("Line chart of the number of anti-social behaviour incidents: 52,732 in 2015/16, "
            "30,674 in 2021/22; no value for 2016/17 to 2020/21.") in parsed.alts
    assert [text for tag, text in parsed.headings if tag == "h1"] == [report.title]
    h2 = [text for tag, text in parsed.headings if tag == "h2"]
    assert h2[:2] == ["Contents", "1. Executive Summary"]
    assert "2. More Local, Visible and Accessible Policing" in h2
    assert h2[-1] == "Appendix 1. The Priorities and \u2018We Wills\u2019"
    page = files["pcp-2020-21", "html"].read_text(encoding="utf-8")
    assert "@media print" in page and "<link" not in page and "<img" not in page
    assert "http" not in page.split("<body>")[0]


def test_status_is_shown_as_word_and_shape(produced):
    _store, files, _reports = produced
    text = normalise(" ".join(html_text(files["pcp-2020-21", "html"]).parts))
    assert "\u279c Carried forward H. Boost community volunteering" in text
    assert "\u2716 Discontinued" in text


def test_word_document_has_real_headings_lists_tables_and_pictures(produced):
    _store, files, reports = produced
    report = reports["pcp-2020-21"]
    document = docx.Document(str(files["pcp-2020-21", "docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Executive Summary"
    assert headings[1:8] == [c.heading for c in report.chapters]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Single online home implemented in 2021." in bullets
    status_table = document.tables[0]
    assert status_table.rows[0].cells[0].text == "Chapter"
    assert status_table.rows[0].cells[1].text == "With evidence"
    assert status_table.rows[-1].cells[0].text == "All chapters"
    assert status_table.rows[-1].cells[-1].text == str(report.commitment_count)
    charted = sum(1 for i in report.figures if i.values)
    assert len(document.inline_shapes) == charted + 1
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_nested_evidence_bullets_stay_lists(produced):
    """"500 officers recruited ..." keeps its four years as bullets under it, in every format."""
    _store, files, _reports = produced
    document = docx.Document(str(files["pcp-2016-2020", "docx"]))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    at = styles.index(("List Bullet", "500 officers recruited between 2016 and 2021 including "
                       "growth in Community Policing Teams and the introduction of Town Centre "
                       "Teams."))
    assert styles[at + 1:at + 5] == [("List Bullet 2", y) for y in
                                     ("2017/18 41", "2018/19 150", "2019/20 215", "2020/21 151")]
    page = files["pcp-2016-2020", "html"].read_text(encoding="utf-8")
    assert "Town Centre Teams.<ul><li>2017/18 41</li><li>2018/19 150</li>" in page
    tags = structure(files["pcp-2016-2020", "pdf"])["types"]
    assert tags.count("/L") > tags.count("/Table")  # lists are tagged as lists


def test_pdf_pages_are_numbered_and_small(produced):
    _store, files, _reports = produced
    path = files["pcp-2020-21", "pdf"]
    pages = pdf_pages(path)
    assert len(pages) > 10
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    assert path.stat().st_size < 2_000_000


def test_every_pdf_is_accessible_pdf_ua(produced):
    """The independent checker's PDF/UA-1 rules, and the structure read back: en-GB, the title
    shown, tagged, headings in order, alt text on every figure, header cells in every table,
    no ligature code points in the text."""
    _store, files, reports = produced
    for (key, fmt), path in files.items():
        if fmt != "pdf":
            continue
        title = reports["pcp-2020-21" if key == "internal" else key].title
        assert pdf_problems(path, title) == [], path.name
    assert {key for key, fmt in files if fmt == "pdf"} == {"pcp-2016-2020", "pcp-2020-21",
                                                          "closure", "internal"}


def test_pdf_charts_are_described_from_their_data(produced):
    _store, files, _reports = produced
    tags = structure(files["pcp-2020-21", "pdf"])
    assert ("Line chart of the number of anti-social behaviour incidents: 52,732 in 2015/16, "
            "30,674 in 2021/22; no value for 2016/17 to 2020/21.") in tags["figures"]
    assert tags["figures"][0].startswith("Bar chart of the commitments by status in each "
                                         "chapter: 2. More Local, Visible and Accessible "
                                         "Policing: 9 not assessed, 2 carried forward; ")


def test_pdf_headings_never_end_a_page(produced):
    """A heading is always followed on its page by what it heads (Typst keeps headings with the
    next block): no page's last line of body text is a heading."""
    from tracker.reports.document import Heading
    from tracker.reports.layout import layout_report

    _store, files, reports = produced
    with ReportFigures() as figures:
        document = layout_report(reports["pcp-2020-21"], figures)
    headings = {squash(b.text) for b in document.blocks if isinstance(b, Heading)}
    title = reports["pcp-2020-21"].title
    for number, text in enumerate(pdf_page_texts(files["pcp-2020-21", "pdf"]), start=1):
        lines = [line for line in text.splitlines()
                 if line.strip() and "Page " not in line and line.strip() != title]
        tail = squash(" ".join(lines[-3:]))
        assert not any(tail.endswith(h) for h in headings if len(h) > 3), f"page {number}"
