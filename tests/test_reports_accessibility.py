"""Word and HTML reports held to the PDF's standard, checked on the files: language, author,
title, contents, heading levels with none skipped, tables with captions, header cells and rows
kept whole, text alternatives where readers find them, and contrast of every colour written."""

from __future__ import annotations

import itertools
import re
import shutil
import zipfile
from datetime import date
from html.parser import HTMLParser

import docx
import pytest
from docx.oxml.ns import qn
from reports_helpers import html_text

from tracker.domain.status import Status
from tracker.reports import palette
from tracker.reports.build import write_report
from tracker.reports.content import ReportOptions
from tracker.reports.figures import ReportFigures
from tracker.store import plans
from tracker.store.database import open_store

OFFICE = "Police, Fire and Crime Commissioner for Essex"  # the sample's office (narrative.toml)

TEXT = 4.5  # WCAG 2.1 AA, text
GRAPHICS = 3.0  # WCAG 2.1 AA, the parts of a chart needed to read it
BACKGROUNDS = (palette.PAPER, palette.HEADER_FILL, palette.TOTAL_FILL)


@pytest.fixture(scope="module")
def files(_sample_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("accessible")
    shutil.copyfile(_sample_template, folder / "tracker.db")
    store = open_store(folder / "tracker.db", mode="read")
    plan = plans.find_plan(store, "pcp-2020-21")
    found = {}
    with ReportFigures() as figures:
        for fmt in ("docx", "html"):
            found[fmt] = folder / f"report.{fmt}"
            report = write_report(store, ReportOptions(plan.id), found[fmt],
                                  today=date(2022, 6, 30), figures=figures)
    store.close()
    found["title"] = report.title
    found["report"] = report
    return found


# --- colour -------------------------------------------------------------------------------


def test_every_text_colour_reads_at_4_5_to_1_on_every_background_it_is_written_on():
    text_colours = {palette.INK, palette.MUTED, palette.HEADING, palette.WARNING,
                    *palette.tones().values()}
    for colour in text_colours:
        for background in BACKGROUNDS:
            assert palette.contrast(colour, background) >= TEXT, (colour, background)
    # Chart labels are written in their series' colour on white; a bar's label on its fill.
    for colour in (palette.ACTUAL, palette.COMPARISON, palette.TARGET, palette.BASELINE):
        assert palette.contrast(colour, palette.PAPER) >= TEXT, colour
    for status in Status:
        fill = palette.STATUS_FILL[status]
        assert palette.contrast(palette.ink_on(fill), fill) >= TEXT, status
        # A light fill is outlined so the bar stands out from the page.
        edge = fill if palette.contrast(fill, palette.PAPER) >= GRAPHICS else palette.STATUS_OUTLINE
        assert palette.contrast(edge, palette.PAPER) >= GRAPHICS, status


def test_the_window_status_grey_would_fail_and_reports_do_not_use_it_as_text():
    assert palette.contrast(Status.NOT_ASSESSED.colour, palette.PAPER) < TEXT  # 3.4:1
    assert palette.contrast(palette.STATUS_INK[Status.NOT_ASSESSED], palette.PAPER) >= 7


def _hex_colours(text: str) -> set[str]:
    return {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", text)}


def _vetted() -> set[str]:
    return {c.lower() for c in (
        palette.PAPER, palette.INK, palette.MUTED, palette.HEADING, palette.WARNING, palette.RULE,
        palette.HEADER_FILL, palette.TOTAL_FILL, palette.GRID, palette.ACTUAL, palette.COMPARISON,
        palette.TARGET, palette.BASELINE, palette.STATUS_OUTLINE, *palette.tones().values(),
        *palette.STATUS_FILL.values())}


def test_the_files_use_only_the_vetted_colours(files):
    html = files["html"].read_text(encoding="utf-8")
    assert _hex_colours(html) <= _vetted()
    document = docx.Document(str(files["docx"]))
    xml = document.element.xml + document.sections[0].footer._element.xml
    used = set(re.findall(r'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', xml)) | {"Normal"}
    for style in document.styles:
        if style.style_id in used:  # the styles the text is in, and those they are based on
            while style is not None:
                xml += style.element.xml
                style = style.base_style
    written = {f"#{c.lower()}" for c in re.findall(r'w:(?:color|fill)="([0-9A-Fa-f]{6})"', xml)}
    assert written <= _vetted(), written - _vetted()


# --- HTML ---------------------------------------------------------------------------------


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.tables: list[dict] = []
        self._in = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "table":
            self.tables.append({"caption": False, "col": 0, "row": 0, "other_th": 0,
                                "thead": False})
        table = self.tables[-1] if self.tables and "table" in self._in else None
        if table is not None:
            if tag == "caption":
                table["caption"] = True
            if tag == "thead":
                table["thead"] = True
            if tag == "th":
                scope = attrs.get("scope")
                table[scope if scope in ("col", "row") else "other_th"] += 1
        if tag not in ("br", "col", "meta", "img", "path", "rect", "circle", "line",
                       "polyline", "polygon"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass


def test_html_declares_language_title_author_and_landmarks(files):
    page = files["html"].read_text(encoding="utf-8")
    parsed = _Structure()
    parsed.feed(page)
    tags = parsed.tags
    assert ("html", {"lang": "en-GB"}) in tags
    assert f"<title>{files['title']}</title>" in page
    assert ("meta", {"name": "author", "content": OFFICE}) in tags
    names = [t for t, _a in tags]
    for landmark in ("header", "nav", "main"):
        assert names.count(landmark) == 1, landmark
    assert ("a", {"class": "skip", "href": "#report"}) in tags


def test_html_headings_start_at_one_h1_and_never_skip(files):
    headings = [int(tag[1]) for tag, _text in html_text(files["html"]).headings]
    assert headings[0] == 1 and headings.count(1) == 1
    for before, after in itertools.pairwise(headings):
        assert after <= before + 1, (before, after)


def test_html_contents_links_every_chapter_by_its_heading_in_order(files):
    page = files["html"].read_text(encoding="utf-8")
    nav = page[page.index("<nav"):page.index("</nav>")]
    links = re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', nav)
    chapters = re.findall(r'<section class="chapter" aria-labelledby="([^"]+)">\n'
                          r'<h2 id="\1">(.*?)</h2>', page)
    assert len(links) > 5 and links == chapters


def test_html_written_as_the_blocks_come_is_the_kept_document_written(files):
    from tracker.reports.html_writer import document_html, report_html
    from tracker.reports.layout import layout_report

    with ReportFigures() as figures:
        kept = layout_report(files["report"], figures)
        assert kept.blocks
        assert report_html(files["report"], figures) == document_html(kept)


def test_html_tables_have_captions_and_scoped_header_cells(files):
    parsed = _Structure()
    parsed.feed(files["html"].read_text(encoding="utf-8"))
    assert len(parsed.tables) >= 3
    for table in parsed.tables:
        assert table["caption"] and table["thead"] and table["col"] >= 2
        assert table["other_th"] == 0
    assert any(t["row"] for t in parsed.tables)  # the status table names its rows


def test_html_charts_are_named_by_their_text_alternative_and_captioned(files):
    page = files["html"].read_text(encoding="utf-8")
    parsed = html_text(files["html"])
    assert parsed.alts and all(alt.strip() for alt in parsed.alts)
    figures = re.findall(r"<figure.*?</figure>", page, flags=re.S)
    assert len(figures) == len(parsed.images)
    for figure in figures:
        assert 'role="img"' in figure and "aria-labelledby=" in figure
        assert re.search(r"<figcaption>Figure \d+ \([ivx]+\): ", figure)
    assert "Source: Police and Crime Plan 2016 to 2021 Closure Report, paragraph 2.8." in page


# --- Word ---------------------------------------------------------------------------------


def test_word_properties_name_the_office_the_title_and_en_gb(files):
    document = docx.Document(str(files["docx"]))
    core = document.core_properties
    assert core.author == OFFICE and core.last_modified_by == OFFICE
    assert core.title == files["title"] and core.language == "en-GB"
    with zipfile.ZipFile(files["docx"]) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                assert b"python-docx" not in z.read(name), name
        assert b'w:val="en-US"' not in z.read("word/styles.xml")
        assert b"thumbnail" not in z.read("_rels/.rels")
    langs = document.styles.element.find(qn("w:docDefaults")).iter(qn("w:lang"))
    assert {lang.get(qn("w:val")) for lang in langs} == {"en-GB"}


def test_word_has_a_contents_field_and_headings_that_never_skip(files):
    document = docx.Document(str(files["docx"]))
    body = document.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith('TOC \\o "1-1"') for i in instructions)
    assert document.settings.element.find(qn("w:updateFields")) is not None
    levels = []
    for paragraph in document.paragraphs:
        name = paragraph.style.name
        if name == "Title":
            levels.append(0)
        elif name.startswith("Heading "):
            levels.append(int(name.split()[1]))
    assert levels[0] == 0 and levels.count(0) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (before, after)


def test_word_tables_repeat_their_header_keep_rows_whole_and_are_described(files):
    document = docx.Document(str(files["docx"]))
    assert len(document.tables) >= 3
    for table in document.tables:
        rows = table._tbl.tr_lst
        header = rows[0].trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        for row in rows:
            assert row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        assert caption is not None and caption.get(qn("w:val"))


def test_word_pictures_carry_their_text_alternative_where_readers_look(files):
    document = docx.Document(str(files["docx"]))
    shapes = document.inline_shapes
    report = files["report"]
    assert len(shapes) == sum(1 for i in report.figures if i.values) + 1
    ids = set()
    for shape in shapes:
        doc_pr = shape._inline.docPr
        assert doc_pr.get("descr", "").strip()
        assert doc_pr.get("title", "").startswith("Figure ")
        ids.add(doc_pr.get("id"))
    assert len(ids) == len(shapes)
    descriptions = [s._inline.docPr.get("descr") for s in shapes]
    assert ("Line chart of the number of anti-social behaviour incidents: 52,732 in 2015/16, "
            "30,674 in 2021/22; no value for 2016/17 to 2020/21.") in descriptions
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("Figure 1 (i): Commitments by status") for c in captions)


def test_word_statuses_are_shape_word_and_a_readable_colour(files):
    document = docx.Document(str(files["docx"]))
    seen = set()
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            for status in Status:
                if run.text == f"{status.shape}\u00a0{status.label}":
                    seen.add(status)
                    assert str(run.font.color.rgb) == palette.STATUS_INK[status].lstrip("#").upper()
    assert {Status.NOT_ASSESSED, Status.CARRIED_FORWARD, Status.DISCONTINUED} <= seen
