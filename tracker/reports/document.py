"""A report laid out as a document: headings, paragraphs, lists, tables and figures.

`tracker.reports.layout` turns a Report into a Document; the PDF, Word and HTML writers only
render its blocks. So the three formats share one reading order, one heading outline (no level
skipped), one numbering of figures and the same text alternatives, and a writer has no
decision about content to make.

Text is held as runs: plain strings with a few marks (bold, italic, a link, a tone that the
writers turn into colour). Writers never parse text as markup. `clean` drops the characters no
document format can hold; `web_link` keeps only links a reader may follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from tracker.domain.status import Status
from tracker.domain.text import safe_link, xml_safe


def web_link(url: str | None) -> str | None:
    """The link when it is a web or e-mail address a reader may follow, else None."""
    return safe_link(url)


# Tones: what a run's colour means. Writers map them to colours that pass 4.5:1 on white.
NOTE = "note"  # grey italic asides
WARNING = "warning"  # "not for publication"
INTERNAL = "internal"  # "[Internal only]"


def status_tone(status: Status) -> str:
    return f"status:{status.value}"


def direction_tone(verdict: str) -> str:
    return f"direction:{verdict}"


# The blocks a report makes thousands of (runs, headings, paragraphs, bullet lists and their
# items: about 9,000 for 1,000 commitments) are named tuples: as immutable as the dataclasses
# below, and made in one C call rather than an object.__setattr__ per field (the layout of the
# closure report took a quarter less time).


class _RunFields(NamedTuple):
    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None  # already checked with web_link
    tone: str | None = None


class Run(_RunFields):
    """Text with its marks, cleaned (`xml_safe`) and its link checked (`web_link`) as it is
    made."""

    __slots__ = ()

    def __new__(cls, text: str, bold: bool = False, italic: bool = False,
                link: str | None = None, tone: str | None = None) -> Run:
        # Nearly every text is printable (nothing for xml_safe to drop): checked here, a call
        # fewer for each of a report's thousands of runs.
        return tuple.__new__(cls, (text if text.isprintable() else xml_safe(text), bold, italic,
                                   None if link is None else web_link(link), tone))


Runs = tuple[Run, ...]


def plain(text: str, **marks) -> Runs:
    return (Run(text, **marks),)


def text_of(runs: Runs) -> str:
    return "".join(r.text for r in runs)


@dataclass(frozen=True)
class Title:
    """The document's title, shown once on the cover (not a heading: PDF/UA and Word keep the
    title apart from the outline)."""
    text: str


class Heading(NamedTuple):
    level: int  # 1: a chapter; never more than one deeper than the heading before it
    runs: Runs
    anchor: str | None = None
    new_page: bool = False  # a chapter starts a page in PDF and Word

    @property
    def text(self) -> str:
        return text_of(self.runs)


class Paragraph(NamedTuple):
    runs: Runs
    style: str = "body"  # body, subtitle, note, lead (larger text on the cover), subpoint
    indent: int = 0  # levels of indentation (a sub-point under its commitment)


class ListItem(NamedTuple):
    runs: Runs
    children: tuple[BulletList | Paragraph, ...] = ()  # what hangs under it: nested bullets,
    # a paragraph after them


class BulletList(NamedTuple):
    items: tuple[ListItem, ...]
    indent: int = 0


@dataclass(frozen=True)
class Contents:
    """The table of contents: the chapters (the level 1 headings that follow, each as its runs
    and anchor), with links to them. Given here, a writer can write the contents before it has
    seen the chapters."""
    title: str = "Contents"
    chapters: tuple[tuple[Runs, str | None], ...] = ()


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Runs, ...], ...]
    widths: tuple[float, ...]  # shares of the text width, one per column
    numeric: tuple[bool, ...] = ()  # right-aligned columns
    caption: str | None = None  # what the table shows, for screen readers and sighted readers
    total_row: bool = False  # the last row is a total
    row_indents: tuple[int, ...] = ()  # per row, the first cell's indentation (sub-points)
    row_headers: bool = False  # the first cell of each row names the row

    def is_numeric(self, column: int) -> bool:
        return column < len(self.numeric) and self.numeric[column]


@dataclass(frozen=True)
class FigureBlock:
    """A chart, as SVG: vectors in the PDF, inline in the HTML, rasterised for Word."""
    key: str
    svg: str
    alt: str  # the text alternative, written from the chart's data
    caption: str  # "Figure 3. Number of anti-social behaviour incidents, 2015/16 to 2021/22"
    width: int  # size on the page, CSS pixels (96 per inch)
    height: int
    source: str | None = None  # "Source: Police and Crime Plan 2016 to 2021 Closure Report, paragraph 2.8."


Block = Title | Heading | Paragraph | BulletList | Contents | Table | FigureBlock


@dataclass
class Document:
    title: str
    author: str
    subject: str = ""
    language: str = "en-GB"
    blocks: list[Block] = field(default_factory=list)

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def figures(self) -> list[FigureBlock]:
        return [b for b in self.blocks if isinstance(b, FigureBlock)]
