"""The Typst PDF writer on its own: any text is shown as written and never read as markup, the
checks of tests/pdf_checks.py catch an inaccessible PDF, and the bundled fonts are the only
ones used."""

from __future__ import annotations

import pytest
import typst
from pdf_checks import pdf_problems, structure
from pypdf import PdfReader

from tracker.reports.document import (
    BulletList,
    Document,
    Heading,
    ListItem,
    Paragraph,
    Run,
    Table,
    Title,
    plain,
)
from tracker.reports.fonts import font_folder
from tracker.reports.pdf_writer import PdfError, document_pdf

HOSTILE = [
    '#pagebreak() #import "/etc/passwd" $x^2$ ] ) } <label> @ref // not a comment',
    "#let x = 1 \\ * _ ` ~ = == - + / [link](https://example.org)",
    "Bell\x07, NUL\x00, escape\x1b, a lone surrogate \ud800 and U+FFFF \uffff go",
    "Right-to-left \u202eoverride\u202c, emoji \U0001f600, CJK 漢字, Welsh ŵ ŷ, and “quotes”",
]


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_any_text_is_shown_as_written_and_never_as_markup(tmp_path):
    document = Document("Hostile #title $x$", "Office")
    document.add(Title(document.title))
    document.add(Heading(1, plain(HOSTILE[0])))
    for text in HOSTILE:
        document.add(Paragraph(plain(text)))
    document.add(BulletList((ListItem(plain(HOSTILE[1]), (
        BulletList((ListItem(plain(HOSTILE[0])),)), Paragraph(plain(HOSTILE[2])))),)))
    document.add(Table(("A #b", "C"), ((plain(HOSTILE[0]), (Run(HOSTILE[1], bold=True),)),),
                       (0.5, 0.5), caption=HOSTILE[1]))
    document.add(Paragraph((Run("a link", link="javascript:alert(1)"),
                            Run(" and a good one", link="https://example.org/a?b=c#d"))))
    pdf = document_pdf(document)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    for line in HOSTILE[:2]:
        assert " ".join(line.split()) in text
    assert "Bell, NUL, escape, a lone surrogate and U+FFFF go" in text
    assert "ŵ ŷ" in text and "\U0001f600" in text
    assert "CJK [U+6F22][U+5B57]" in text  # no bundled font draws them: written as their codes
    path = tmp_path / "out.pdf"
    assert pdf_problems(path, "Hostile #title $x$") == []
    links = [annotation.get_object()["/A"]["/URI"]
             for page in PdfReader(str(path)).pages for annotation in page.get("/Annots", [])]
    assert links == ["https://example.org/a?b=c#d"]  # javascript: is shown, not linked


def test_the_checks_catch_an_untagged_pdf_without_language_or_title(tmp_path):
    path = tmp_path / "untagged.pdf"
    path.write_bytes(typst.compile(b"= Heading\n\nSome text.", format="pdf", pdf_tags=False))
    problems = pdf_problems(path, "A title")
    assert any("UA-01-002" in p for p in problems)  # pdfua: not marked as tagged
    assert any("language" in p for p in problems)
    assert any("title is" in p for p in problems)
    assert structure(path)["types"] == []


def test_a_skipped_heading_level_is_refused_by_typst_and_caught_by_the_checks(tmp_path):
    document = Document("Skips", "Office")
    document.add(Title("Skips"))
    document.add(Heading(1, plain("One")))
    document.add(Heading(3, plain("Three")))
    document.add(Paragraph(plain("Text.")))
    with pytest.raises(PdfError, match="skipped from heading level 1 to 3"):
        document_pdf(document)
    path = tmp_path / "skips.pdf"  # tagged, but not held to PDF/UA-1 while written
    source = b'#set document(title: "Skips")\n#set text(lang: "en", region: "GB")\n' \
             b"= One\n=== Three\nText."
    path.write_bytes(typst.compile(source, format="pdf"))
    assert "a heading skips from level 1 to 3" in pdf_problems(path, "Skips")


def test_only_the_bundled_fonts_are_embedded(tmp_path):
    document = Document("Fonts", "Office")
    document.add(Title("Fonts"))
    document.add(Paragraph((Run("Office, fluffy, official; "), Run("bold ", bold=True),
                            Run("italic", italic=True), Run(" \u25cb \u2714 \u279c \u2716"))))
    path = tmp_path / "fonts.pdf"
    path.write_bytes(document_pdf(document))
    fonts = set()
    for page in PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts <= {"LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic",
                     "DejaVuSans"}, fonts
    assert "Office, fluffy, official" in pdf_text(path.read_bytes(), tmp_path)
    assert sorted(p.name for p in font_folder().glob("*.ttf")) == [
        "DejaVuSans.ttf", "LiberationSans-Bold.ttf", "LiberationSans-BoldItalic.ttf",
        "LiberationSans-Italic.ttf", "LiberationSans-Regular.ttf"]


def _every_field(value, text: bool = True):
    """What the template is given, by walking the blocks' fields (a dataclass's or a named
    tuple's): every field by name, the blocks' kinds, each text a reader sees made displayable,
    runs without marks as bare strings (the form the PDF writer's per-block code must keep)."""
    from dataclasses import fields, is_dataclass

    from tracker.reports import fonts
    from tracker.reports.document import Contents, FigureBlock

    kinds = {Title: "title", Heading: "heading", Paragraph: "paragraph", BulletList: "list",
             Contents: "contents", Table: "table", FigureBlock: "figure"}
    if isinstance(value, Run) and not (value.bold or value.italic or value.link or value.tone):
        return fonts.displayable(value.text)
    names = ([f.name for f in fields(value)] if is_dataclass(value)
             else getattr(value, "_fields", None))
    if names is not None:
        data = {name: _every_field(getattr(value, name),
                                   name not in {"link", "tone", "style", "key", "anchor"})
                for name in names if name != "svg"}
        if type(value) in kinds:
            data["type"] = kinds[type(value)]
        return data
    if isinstance(value, (list, tuple)):
        return [_every_field(v, text) for v in value]
    return fonts.displayable(value) if isinstance(value, str) and text else value


def test_the_template_is_given_every_field_of_every_block(store, tmp_path):
    from tracker.reports.content import ReportOptions, build_report
    from tracker.reports.figures import ReportFigures
    from tracker.reports.layout import layout_report
    from tracker.reports.pdf_writer import _payload
    from tracker.store import plans

    plan_ids = tuple(p.id for p in plans.list_plans(store))
    report = build_report(store, ReportOptions(plan_ids[0], plan_ids=plan_ids,
                                               include_internal=True))
    document = layout_report(report, ReportFigures())
    document.add(Paragraph((Run("Bell\x07 and \U0001f600", bold=True, link="https://x.org"),
                            Run("[Internal only]", tone="internal"))))
    blocks = _payload(document, tmp_path)["blocks"]
    assert {b["type"] for b in blocks} == {"title", "heading", "paragraph", "list", "contents",
                                           "table", "figure"}
    for block, data in zip(document.blocks, blocks, strict=True):
        expected = _every_field(block)
        if expected["type"] == "figure":
            expected["file"] = data["file"]
            assert (tmp_path / data["file"]).read_text(encoding="utf-8") == block.svg
        assert data == expected


def test_a_character_no_bundled_font_draws_is_written_as_its_code_wherever_it_comes():
    from tracker.reports.fonts import displayable

    assert displayable("Welsh ŵ ŷ, “quotes” – ○ ✔") == "Welsh ŵ ŷ, “quotes” – ○ ✔"
    # the same drawable characters again, now with ones no font draws among them
    assert displayable("ŵ “漢” ✔") == "ŵ “[U+6F22]” ✔"
    assert displayable("漢") == "[U+6F22]"
    assert displayable("plain ASCII #$") == "plain ASCII #$"
