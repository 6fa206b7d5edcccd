"""Narrative text as a small structured form, not HTML: paragraphs, bullet lists (nested),
bold, links, and the places where an indicator's figure goes.

Officers write narrative for a plan (foreword, executive summary, financial overview,
closing), for each priority (the chapter) and for each indicator (its commentary), per
reporting period. Every writer (PDF, Word, HTML) lays the same blocks out in its own way.

Stored form (the `narrative.body` column) is JSON, a list of blocks:

    {"type": "paragraph", "text": "Inline **bold** and [a link](https://...)",
     "number": "4.2", "source": "CLOSURE 4.2"}
    {"type": "list", "items": [{"text": "...", "number": "6.8.1", "items": [...]}]}
    {"type": "figure", "indicator": "<indicator uid>", "number": "7 (i)"}

Inline text uses two marks only: `**bold**` and `[words](url)`, with http, https or mailto
links. `number` is the paragraph number as published (the seed numbers chapter.paragraph,
"4.2", and list points chapter.paragraph.point, "6.8.1"); `source` says where the words come
from ("CLOSURE 4.2"), absent for an officer's own words.

Plain-text form (evidence bullets, and what an editor shows): one block per line; a line
starting "- " is a bullet, two more spaces of indent per nesting level; other lines are
paragraphs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tracker.domain.text import TextError, check_link, check_text, safe_link


class Section(StrEnum):
    """Where a narrative belongs. Plan sections come before the chapters, closing after."""

    FOREWORD = "foreword"
    SUMMARY = "summary"  # the executive summary
    FINANCE = "finance"  # the financial overview
    CHAPTER = "chapter"  # a priority's chapter text
    COMMENTARY = "commentary"  # an indicator's commentary, shown with its figure
    CLOSING = "closing"  # the closing chapter: how the plan carries into the next

    @property
    def label(self) -> str:
        return {
            Section.FOREWORD: "Foreword",
            Section.SUMMARY: "Executive Summary",
            Section.FINANCE: "Financial Overview",
            Section.CHAPTER: "Chapter",
            Section.COMMENTARY: "Commentary",
            Section.CLOSING: "Closing",
        }[self]

    @property
    def of_plan(self) -> bool:
        return self in PLAN_SECTIONS


PLAN_SECTIONS = (Section.FOREWORD, Section.SUMMARY, Section.FINANCE, Section.CLOSING)


class NarrativeFormatError(ValueError):
    """The stored or typed narrative cannot be read; the message says where."""


@dataclass(frozen=True)
class Span:
    """A run of inline text: plain, bold, or a link (a link's words may be bold too)."""

    text: str
    bold: bool = False
    link: str | None = None


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    number: str | None = None  # the paragraph number as published ("4.2"); None: unnumbered
    source: str | None = None  # where the words come from ("CLOSURE 4.2"); None: an officer's

    @property
    def text(self) -> str:
        return plain(self.spans)


@dataclass(frozen=True)
class ListItem:
    spans: tuple[Span, ...]
    items: tuple[ListItem, ...] = ()  # nested bullets under this one
    number: str | None = None  # "6.8.1" when published with a number
    source: str | None = None

    @property
    def text(self) -> str:
        return plain(self.spans)


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class FigureRef:
    """The place in the text where an indicator's figure goes (its commentary, chart and the
    change in words). `number` is the figure number as published, "7 (i)"; None: numbered in
    order by the report."""

    indicator_uid: str
    number: str | None = None


Block = Paragraph | BulletList | FigureRef


# --- inline marks ----------------------------------------------------------------------------

_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\s]+)\)")


def parse_inline(text: str) -> tuple[Span, ...]:
    """"a **b** [c](https://x)" -> spans. A `**` without its pair stays as written, so text
    that was never marked up reads back unchanged; so does a link with another scheme."""
    spans: list[Span] = []
    parts = text.split("**")
    if len(parts) % 2 == 0:  # an odd number of marks: the last one is literal
        parts = [*parts[:-2], parts[-2] + "**" + parts[-1]]
    for index, part in enumerate(parts):
        bold = index % 2 == 1
        position = 0
        for match in _LINK.finditer(part):
            url = match.group(2)
            if safe_link(url) is None:
                continue
            if match.start() > position:
                spans.append(Span(part[position:match.start()], bold))
            spans.append(Span(match.group(1), bold, url))
            position = match.end()
        if position < len(part):
            spans.append(Span(part[position:], bold))
    return _merged(spans)


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if out and out[-1].bold == span.bold and out[-1].link is None and span.link is None:
            out[-1] = Span(out[-1].text + span.text, span.bold)
        else:
            out.append(span)
    return tuple(out)


def format_inline(spans: tuple[Span, ...]) -> str:
    """The inverse of parse_inline."""
    out = []
    for span in spans:
        text = f"[{span.text}]({span.link})" if span.link else span.text
        out.append(f"**{text}**" if span.bold else text)
    return "".join(out)


def plain(spans: tuple[Span, ...]) -> str:
    return "".join(span.text for span in spans)


# --- checking what an officer typed ------------------------------------------------------------


def check_blocks(blocks: tuple[Block, ...]) -> None:
    """NarrativeFormatError naming the first paragraph or point that cannot be kept: empty,
    control characters, or a link that is not http, https or mailto."""

    def spans_ok(spans: tuple[Span, ...], where: str) -> None:
        if not plain(spans).strip():
            raise NarrativeFormatError(f"{where} is empty: write something or remove it.")
        try:
            for span in spans:
                check_text(span.text, where)
                if "\n" in span.text or "\r" in span.text or "\t" in span.text:
                    raise NarrativeFormatError(f"{where} holds a line break or tab inside a "
                                               "line; start a new paragraph instead.")
                if span.link is not None:
                    check_link(span.link, f"{where}: the link")
        except TextError as exc:
            raise NarrativeFormatError(str(exc)) from None

    def items_ok(items: tuple[ListItem, ...], where: str) -> None:
        if not items:
            raise NarrativeFormatError(f"{where} has no points.")
        for n, item in enumerate(items, start=1):
            spans_ok(item.spans, f"{where}, point {n}")
            if item.items:
                items_ok(item.items, f"{where}, point {n}")

    for n, block in enumerate(blocks, start=1):
        where = f"Paragraph {n}"
        if isinstance(block, Paragraph):
            spans_ok(block.spans, where)
        elif isinstance(block, BulletList):
            items_ok(block.items, f"The list at paragraph {n}")
        elif isinstance(block, FigureRef):
            if not block.indicator_uid:
                raise NarrativeFormatError(f"{where}: the figure names no indicator.")
        else:  # pragma: no cover - the type says so
            raise NarrativeFormatError(f"{where} is not a paragraph, list or figure.")


# --- stored form (JSON) ----------------------------------------------------------------------


def blocks_to_json(blocks: tuple[Block, ...]) -> str:
    return json.dumps([_block_data(b) for b in blocks], ensure_ascii=False,
                      separators=(",", ":"))


def _extras(number: str | None, source: str | None) -> dict[str, str]:
    extra = {}
    if number:
        extra["number"] = number
    if source:
        extra["source"] = source
    return extra


def _item_data(item: ListItem) -> dict[str, Any]:
    data: dict[str, Any] = {"text": format_inline(item.spans), **_extras(item.number, item.source)}
    if item.items:
        data["items"] = [_item_data(i) for i in item.items]
    return data


def _block_data(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": format_inline(block.spans),
                **_extras(block.number, block.source)}
    if isinstance(block, BulletList):
        return {"type": "list", "items": [_item_data(i) for i in block.items]}
    data: dict[str, Any] = {"type": "figure", "indicator": block.indicator_uid}
    if block.number:
        data["number"] = block.number
    return data


def blocks_from_json(text: str) -> tuple[Block, ...]:
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise NarrativeFormatError(f"The narrative is damaged and cannot be read: {exc}.") from exc
    if not isinstance(data, list):
        raise NarrativeFormatError("The narrative is damaged: it is not a list of paragraphs.")
    return tuple(block_from_data(d, f"paragraph {n}") for n, d in enumerate(data, start=1))


def block_from_data(data: Any, where: str = "paragraph") -> Block:
    """One block from its stored (or sample file) form."""
    if not isinstance(data, dict):
        raise NarrativeFormatError(f"The narrative's {where} is not a paragraph, list or figure.")
    kind = data.get("type", "paragraph")
    if kind == "paragraph":
        return Paragraph(parse_inline(_string(data, "text", where)), data.get("number"),
                         data.get("source"))
    if kind == "list":
        return BulletList(tuple(_item(d, where) for d in data.get("items", [])))
    if kind == "figure":
        return FigureRef(_string(data, "indicator", where), data.get("number"))
    raise NarrativeFormatError(f"The narrative's {where} has an unknown type '{kind}'.")


def _string(data: dict, key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise NarrativeFormatError(f"The narrative's {where} has no {key}.")
    return value


def _item(data: Any, where: str) -> ListItem:
    if not isinstance(data, dict):
        raise NarrativeFormatError(f"A point of the list at the narrative's {where} is damaged.")
    return ListItem(parse_inline(_string(data, "text", where)),
                    tuple(_item(d, where) for d in data.get("items", [])),
                    data.get("number"), data.get("source"))


# --- plain-text form -------------------------------------------------------------------------

_BULLET = re.compile(r"^( *)[-•] +(.*)$")


def blocks_from_text(text: str) -> tuple[Paragraph | BulletList, ...]:
    """Lines to blocks: "- x" bullets (two spaces more per level), other lines paragraphs.
    Blank lines only separate."""
    blocks: list[Paragraph | BulletList] = []
    run: list[tuple[int, str]] = []  # (level, text) of consecutive bullets

    def close_run() -> None:
        if run:
            blocks.append(BulletList(_nest(run)))
            run.clear()

    for line in text.splitlines():
        if not line.strip():
            close_run()
            continue
        bullet = _BULLET.match(line.rstrip())
        if bullet:
            run.append((len(bullet.group(1)) // 2, bullet.group(2).strip()))
        else:
            close_run()
            blocks.append(Paragraph(parse_inline(line.strip())))
    close_run()
    return tuple(blocks)


def _nest(run: list[tuple[int, str]]) -> tuple[ListItem, ...]:
    """Flat (level, text) bullets to a tree; a point deeper than one below its parent hangs
    under the nearest one above it."""

    def build(nodes: list[tuple[str, list]]) -> tuple[ListItem, ...]:
        return tuple(ListItem(parse_inline(t), build(c)) for t, c in nodes)

    return build(_nest_raw(run))


def blocks_to_text(blocks: tuple[Block, ...]) -> str:
    """The plain-text form (figures are left out: they are placed, not typed)."""
    lines: list[str] = []

    def items(entries: tuple[ListItem, ...], level: int) -> None:
        for item in entries:
            lines.append("  " * level + "- " + format_inline(item.spans))
            items(item.items, level + 1)

    for block in blocks:
        if isinstance(block, Paragraph):
            if lines and lines[-1].lstrip().startswith("- "):
                lines.append("")
            lines.append(format_inline(block.spans))
        elif isinstance(block, BulletList):
            if lines and lines[-1].lstrip().startswith("- "):
                lines.append("")
            items(block.items, 0)
    return "\n".join(lines)


@dataclass(frozen=True)
class EvidenceText:
    """An evidence bullet as laid out: its first line, then the nested bullets and any
    paragraph that follows them ("2017/18 41", "2018/19 150" ... under "500 officers
    recruited ...")."""

    spans: tuple[Span, ...]
    blocks: tuple[Paragraph | BulletList, ...] = ()

    @property
    def text(self) -> str:
        return plain(self.spans)


def evidence_text(text: str) -> EvidenceText:
    """Split an evidence text: the first line is the bullet, later lines its sub-bullets
    ("- ") and paragraphs."""
    first, _, rest = text.strip().partition("\n")
    return EvidenceText(parse_inline(first.strip()), blocks_from_text(rest))


# --- the form an officer edits ---------------------------------------------------------------
#
# One block per line (written with a blank line between blocks; blank lines only separate):
#     4.2. A numbered paragraph (the number is optional)
#     - a bullet            - 6.8.1. a numbered point       (two more spaces nest a point)
#     [Figure 7 (i): Number of Violence with Injury offences]   the place of a figure
#     [Figure: Knife-enabled crime]                               numbered by the report

_NUMBERED = re.compile(r"^(\d+(?:\.\d+)+)\.\s+(\S.*)$")
_FIGURE = re.compile(r"^\[Figure(?:\s+([^:\]]+?))?\s*:\s*(.+?)\]$")


def _split_number(text: str) -> tuple[str | None, str]:
    found = _NUMBERED.match(text)
    return (found.group(1), found.group(2)) if found else (None, text)


def editable_text(blocks: tuple[Block, ...], figure_names: dict[str, str]) -> str:
    """The blocks as an officer edits them; `figure_names` gives each figure's indicator name
    by its uid (a figure of an indicator not named there is kept by its uid)."""
    lines: list[str] = []

    def numbered(number: str | None, spans: tuple[Span, ...]) -> str:
        text = format_inline(spans)
        return f"{number}. {text}" if number else text

    def items(entries: tuple[ListItem, ...], level: int) -> None:
        for item in entries:
            lines.append("  " * level + "- " + numbered(item.number, item.spans))
            items(item.items, level + 1)

    for block in blocks:
        if lines:
            lines.append("")  # a blank line between blocks, so paragraphs read apart
        if isinstance(block, Paragraph):
            lines.append(numbered(block.number, block.spans))
        elif isinstance(block, BulletList):
            items(block.items, 0)
        else:
            name = figure_names.get(block.indicator_uid, block.indicator_uid)
            lines.append(f"[Figure {block.number}: {name}]" if block.number
                         else f"[Figure: {name}]")
    return "\n".join(lines)


def parse_editable(text: str, figure_uids: dict[str, str],
                   before: tuple[Block, ...] = ()) -> tuple[Block, ...]:
    """The edited text as blocks. `figure_uids` maps an indicator's name (or uid) to its uid;
    a figure line naming no known indicator is NarrativeFormatError naming its line. A
    paragraph or point whose number and words are unchanged from `before` keeps its source;
    changed words are the officer's own and have none."""
    sources: dict[tuple[str | None, str], str] = {}

    def remember(number: str | None, spans: tuple[Span, ...], source: str | None) -> None:
        if source:
            sources[(number, format_inline(spans))] = source

    def walk(entries: tuple[ListItem, ...]) -> None:
        for item in entries:
            remember(item.number, item.spans, item.source)
            walk(item.items)

    for block in before:
        if isinstance(block, Paragraph):
            remember(block.number, block.spans, block.source)
        elif isinstance(block, BulletList):
            walk(block.items)

    blocks: list[Block] = []
    run: list[tuple[int, str]] = []

    def close_run() -> None:
        if run:
            blocks.append(BulletList(_numbered_items(_nest_raw(run), sources)))
            run.clear()

    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            close_run()
            continue
        bullet = _BULLET.match(line.rstrip())
        if bullet:
            run.append((len(bullet.group(1)) // 2, bullet.group(2).strip()))
            continue
        close_run()
        stripped = line.strip()
        figure = _FIGURE.match(stripped)
        if figure:
            name = figure.group(2).strip()
            uid = figure_uids.get(name) or figure_uids.get(" ".join(name.split()))
            if uid is None:
                raise NarrativeFormatError(f"Line {n} places a figure of '{name}', which is not "
                                           "the name of an indicator in this database.")
            blocks.append(FigureRef(uid, (figure.group(1) or "").strip() or None))
            continue
        number, words = _split_number(stripped)
        spans = parse_inline(words)
        blocks.append(Paragraph(spans, number, sources.get((number, format_inline(spans)))))
    close_run()
    return tuple(blocks)


def _nest_raw(run: list[tuple[int, str]]) -> list[tuple[str, list]]:
    """(level, text) bullets as (text, children) trees."""
    root: list[tuple[str, list]] = []
    stack: list[tuple[int, list]] = [(-1, root)]
    for level, text in run:
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        children: list = []
        stack[-1][1].append((text, children))
        stack.append((level, children))
    return root


def _numbered_items(nodes: list[tuple[str, list]],
                    sources: dict[tuple[str | None, str], str]) -> tuple[ListItem, ...]:
    found = []
    for text, children in nodes:
        number, words = _split_number(text)
        spans = parse_inline(words)
        found.append(ListItem(spans, _numbered_items(children, sources), number,
                              sources.get((number, format_inline(spans)))))
    return tuple(found)
