"""Reading produced reports back as text, and what a report of the sample plan must hold."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

from tracker.domain.model import Visibility
from tracker.store import commitments, evidence, plans


def expected_items(store, plan_key: str, include_internal: bool = False) -> list[str]:
    """Every commitment (as "A. text") and evidence bullet of a plan, in plan order."""
    plan = plans.find_plan(store, plan_key)
    found: list[str] = []

    def walk(item) -> None:
        found.append(f"{item.code}. {item.text}" if item.code else item.text)
        for e in evidence.list_evidence(store, item.id):
            if include_internal or e.visibility is not Visibility.INTERNAL:
                found.append(e.text)
        for child in commitments.children(store, item.id):
            walk(child)

    for priority in plans.list_priorities(store, plan.id):
        for item in commitments.list_commitments(store, priority.id):
            walk(item)
    return found


def item_texts(items) -> list[str]:
    """What a built report holds for these commitment items, as expected_items lists it from
    the database: each item's label, its evidence, then its sub-points the same way."""
    found: list[str] = []

    def walk(item) -> None:
        found.append(item.label)
        found.extend(e.text for e in item.evidence)
        for sub in item.subpoints:
            walk(sub)

    for item in items:
        walk(item)
    return found


def expected_lines(store, plan_key: str, include_internal: bool = False) -> list[str]:
    """expected_items as a reader sees them in a file: an evidence bullet's nested "- "
    bullets and later lines each on their own, without the "- "."""
    return [line.strip().removeprefix("- ")
            for item in expected_items(store, plan_key, include_internal)
            for line in item.splitlines() if line.strip()]


def normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def squash(text: str) -> str:
    """Without white space or hyphens: a PDF line may break after "/" where the source had no
    space, and pdftotext joins "anti-" at a line end with "social" as "antisocial"."""
    return "".join(text.split()).replace("-", "")


def in_order(haystack: str, needles: list[str], *, ignore_spaces: bool = False
             ) -> tuple[bool, str | None]:
    """Whether every needle occurs after the previous one; the first one that does not."""
    form = squash if ignore_spaces else normalise
    text = form(haystack)
    position = 0
    for needle in needles:
        found = text.find(form(needle), position)
        if found < 0:
            return False, needle
        position = found + len(form(needle))
    return True, None


class _Text(HTMLParser):
    """The text a reader sees, the headings, and the pictures with their text alternatives:
    `images` holds an <img>'s src or "svg" for an inline chart, `alts` the alt text or the
    SVG's <title> (what a screen reader announces). A chart's own labels are not text."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self.images: list[str] = []
        self.alts: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None
        self._heading_text: list[str] = []
        self._svg = 0
        self._svg_title: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "script", "title") and not self._svg:
            self._skip += 1
        if tag == "img":
            self.images.append(attrs.get("src", ""))
            self.alts.append(attrs.get("alt") or "")
        if tag == "svg":
            if not self._svg:
                self.images.append("svg")
                self.alts.append("")
            self._svg += 1
        if tag == "title" and self._svg:
            self._svg_title = []
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading, self._heading_text = tag, []
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title") and not self._svg:
            self._skip -= 1
        if tag == "title" and self._svg and self._svg_title is not None:
            self.alts[-1] = "".join(self._svg_title)
            self._svg_title = None
        if tag == "svg":
            self._svg -= 1
        if tag == self._heading:
            self.headings.append((tag, normalise("".join(self._heading_text))))
            self._heading = None
        self.parts.append(" ")

    def handle_data(self, data):
        if self._svg_title is not None:
            self._svg_title.append(data)
        if not self._skip and not self._svg:
            self.parts.append(data)
            if self._heading:
                self._heading_text.append(data)


def html_text(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    return "\n".join(lines)


@functools.cache
def pdf_page_texts(path: Path) -> tuple[str, ...]:
    """The text of each page as pypdf reads it, lines kept. Always pypdf: the result must not
    depend on which PDF text tool a machine happens to have."""
    from pypdf import PdfReader

    return tuple(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, white space normalised."""
    return [normalise(text) for text in pdf_page_texts(path)]


def pdf_body_text(path: Path, title: str) -> str:
    """The text of every page without its footer (title and page number), so that a bullet
    running over a page break reads as one."""
    pages = []
    for text in pdf_pages(path):
        text = re.sub(r"Page \d+ of \d+", " ", text)
        pages.append(text.replace(normalise(title), " "))
    return "\n".join(pages)
