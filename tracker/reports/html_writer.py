"""The report as one self-contained, accessible HTML file (WCAG 2.1 AA).

- `lang="en-GB"`, a title, the office as author; landmarks: a skip link, the cover as
  `<header>`, the contents as `<nav>`, the report as `<main>` with a `<section>` per chapter;
- the title is the only `h1`; chapters are `h2` and so on down, never skipping a level;
- tables with a `<caption>`, header cells `<th scope="col">` and row headers `<th scope="row">`;
- charts inline as SVG (`role="img"` named by their text alternative) in a `<figure>` with a
  numbered `<figcaption>` and the source line: no file beside it, nothing fetched;
- statuses as shape and word in an ink of 4.5:1 or more, never colour alone; print CSS.
"""

from __future__ import annotations

from html import escape

from tracker.reports import palette
from tracker.reports.content import Report
from tracker.reports.document import (
    Block,
    BulletList,
    Contents,
    Document,
    FigureBlock,
    Heading,
    ListItem,
    Paragraph,
    Run,
    Runs,
    Table,
    Title,
)
from tracker.reports.figures import ReportFigures
from tracker.reports.fonts import FAMILIES
from tracker.reports.layout import layout_report


def _css() -> str:
    fonts = ", ".join(f'"{f}"' for f in FAMILIES)
    tones = "\n".join(f'.tone-{name.replace(":", "-")} {{ color: {colour}; }}'
                      for name, colour in palette.tones().items())
    return f"""
:root {{ color: {palette.INK}; background: {palette.PAPER}; }}
body {{ font-family: {fonts}, Arial, "Helvetica Neue", "Liberation Sans", sans-serif;
       max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
.skip {{ position: absolute; left: -999em; }}
.skip:focus {{ position: static; display: inline-block; padding: 0.3em 0.6em;
              background: {palette.HEADING}; color: {palette.PAPER}; }}
h1, h2 {{ color: {palette.HEADING}; }}
h1 {{ font-size: 2.1em; margin: 2.5em 0 0.3em; line-height: 1.2; }}
h2 {{ font-size: 1.55em; margin-top: 2em; border-bottom: 2px solid {palette.HEADING}; }}
h3 {{ font-size: 1.2em; color: {palette.HEADING}; margin: 1.5em 0 0.4em; }}
h4 {{ font-size: 1.02em; margin: 1.2em 0 0.3em; }}
h5, h6 {{ font-size: 1em; margin: 0.9em 0 0.2em; }}
p.subtitle {{ font-size: 1.2em; color: {palette.MUTED}; }}
p.note {{ color: {palette.MUTED}; font-style: italic; }}
.indent-1 {{ margin-left: 1.6em; }} .indent-2 {{ margin-left: 3.2em; }}
.indent-3 {{ margin-left: 4.8em; }}
ul {{ margin: 0.3em 0 0.8em; padding-left: 1.4em; }}
ul.contents {{ list-style: none; padding-left: 0; }}
li {{ margin: 0.15em 0; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.6em 0 1.2em; font-size: 0.93em; }}
caption {{ text-align: left; color: {palette.MUTED}; font-size: 0.9em; padding-bottom: 0.3em; }}
th, td {{ border: 1px solid {palette.RULE}; padding: 0.3em 0.5em; text-align: left;
         vertical-align: top; }}
thead th {{ background: {palette.HEADER_FILL}; }}
tbody th {{ font-weight: normal; }}
.num {{ text-align: right; }}
tr.total th, tr.total td {{ font-weight: bold; background: {palette.TOTAL_FILL}; }}
figure {{ margin: 0.8em 0 1.2em; }}
figure svg {{ max-width: 100%; height: auto; }}
figcaption {{ font-weight: bold; font-size: 0.95em; margin-bottom: 0.3em; }}
p.source {{ font-size: 0.85em; color: {palette.MUTED}; margin: 0.2em 0 0; }}
a {{ color: {palette.HEADING}; }}
{tones}
@media print {{
  body {{ max-width: none; margin: 0; }}
  section.chapter {{ break-before: page; }}
  h1, h2, h3, h4, h5, h6 {{ break-after: avoid; page-break-after: avoid; }}
  figure, tr, li {{ break-inside: avoid; page-break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  header.cover {{ break-after: page; }}
  .skip {{ display: none; }}
}}
"""


def report_html(report: Report, figures: ReportFigures) -> str:
    """The standalone HTML file of the report, each block written as the layout makes it: the
    document's 10,000 blocks and runs of a 1,000-commitment report are never all held (the
    garbage collector walked them again and again as they piled up)."""
    writer = _HtmlWriter()
    return writer.finish(layout_report(report, figures, writer.block))


def report_html_bytes(report: Report, figures: ReportFigures) -> bytes:
    """report_html as the file's UTF-8 bytes, each piece encoded as it is: the pieces are
    nearly all ASCII (the charts are half the file), which encode as a copy, where the one
    joined text of a report with a single status shape in it is two bytes a character and
    had all 1.4 million transcoded."""
    writer = _HtmlWriter()
    return writer.finish_bytes(layout_report(report, figures, writer.block))


def document_html(document: Document) -> str:
    writer = _HtmlWriter()
    for block in document.blocks:
        writer.block(block)
    return writer.finish(document)


def _text(text: str) -> str:
    # What escaping changes (html.escape's five characters, and a line break): most runs have
    # none. Six searches for one character each (memchr) are a third of the time of one
    # regular expression's search for any of them, over half a million characters.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text or "\n" in text:
        return escape(text).replace("\n", "<br>")
    return text


def _marked(run: Run) -> str:
    text, bold, italic, link, tone = run
    text = _text(text)
    if bold:
        text = f"<strong>{text}</strong>"
    if italic:
        text = f"<em>{text}</em>"
    if tone:
        text = f'<span class="tone-{tone.replace(":", "-")}">{text}</span>'
    if link:
        text = f'<a href="{escape(link, quote=True)}">{text}</a>'
    return text


def _runs(runs: Runs, marked: dict[Run, str]) -> str:
    """The runs' HTML. `marked`: the HTML of each run with marks written so far (a report's
    marked runs are nearly all a few: its statuses, "Our objective is ", the verdicts)."""
    if len(runs) == 1:  # most: a bullet, a paragraph
        run = runs[0]
        if not (run[1] or run[2] or run[3] or run[4]):  # no bold, italic, link or tone
            return _text(run[0])
        found = marked.get(run)
        if found is None:
            found = marked[run] = _marked(run)
        return found
    out = []
    for run in runs:
        if run[1] or run[2] or run[3] or run[4]:
            found = marked.get(run)
            if found is None:
                found = marked[run] = _marked(run)
            out.append(found)
        else:
            out.append(_text(run[0]))
    return "".join(out)


class _HtmlWriter:
    """Writes blocks as they come; `finish` puts the document's head before them."""

    def __init__(self) -> None:
        self.out: list[str] = [""]  # the head, once the document's properties are known
        self.add = self.out.append  # each piece in order (tens of thousands)
        self.in_header = True  # the cover, until the first chapter
        self.in_chapter = False
        self.marked: dict[Run, str] = {}  # see _runs
        self.render = {Title: self.title, Heading: self.heading, Paragraph: self.paragraph,
                       BulletList: self.bullet_list, Contents: self.contents,
                       Table: self.table, FigureBlock: self.figure}

    def block(self, block: Block) -> None:
        if self.in_header and type(block) is Heading and block.level == 1:
            self.add('</header>\n<main id="report">\n')
            self.in_header = False
        self.render[type(block)](block)

    def finish(self, d: Document) -> str:
        return "".join(self._close(d))

    def finish_bytes(self, d: Document) -> bytes:
        return b"".join([piece.encode("utf-8") for piece in self._close(d)])

    def _close(self, d: Document) -> list[str]:
        self.out[0] = (
            f'<!DOCTYPE html>\n<html lang="{escape(d.language, quote=True)}">\n<head>\n'
            '<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(d.title)}</title>\n"
            f'<meta name="author" content="{escape(d.author, quote=True)}">\n'
            f'<meta name="description" content="{escape(d.subject, quote=True)}">\n'
            f"<style>{_css()}</style>\n</head>\n<body>\n"
            '<a class="skip" href="#report">Skip to the report</a>\n'
            '<header class="cover">\n')
        if self.in_header:
            self.add('</header>\n<main id="report">\n')
        if self.in_chapter:
            self.add("</section>\n")
        self.add("</main>\n</body>\n</html>\n")
        return self.out

    def title(self, title: Title) -> None:
        self.add(f"<h1>{escape(title.text)}</h1>\n")

    def heading(self, heading: Heading) -> None:
        level, runs, anchor, _new_page = heading
        tag = f"h{min(level + 1, 6)}"  # the title is the one h1
        if level == 1:
            if self.in_chapter:
                self.add("</section>\n")
            ident = escape(anchor or f"chapter-{len(self.out)}", quote=True)
            self.add(f'<section class="chapter" aria-labelledby="{ident}">\n')
            self.in_chapter = True
            self.add(f'<{tag} id="{ident}">{_runs(runs, self.marked)}</{tag}>\n')
            return
        ident = f' id="{escape(anchor, quote=True)}"' if anchor else ""
        self.add(f"<{tag}{ident}>{_runs(runs, self.marked)}</{tag}>\n")

    def paragraph(self, paragraph: Paragraph) -> None:
        runs, style, indent = paragraph
        classes = [style] if style != "body" else []
        if indent:
            classes.append(f"indent-{min(indent, 3)}")
        cls = f' class="{" ".join(classes)}"' if classes else ""
        self.add(f"<p{cls}>{_runs(runs, self.marked)}</p>\n")

    def bullet_list(self, bullets: BulletList) -> None:
        cls = f' class="indent-{min(bullets.indent, 3)}"' if bullets.indent else ""
        self.add(self.bullets(bullets.items, cls) + "\n")

    def bullets(self, items: tuple[ListItem, ...], cls: str = "") -> str:
        out = []
        for runs, children in items:
            if not children:  # nearly every bullet
                out.append(f"<li>{_runs(runs, self.marked)}</li>")
                continue
            under = "".join(self.bullets(c.items) if isinstance(c, BulletList)
                            else f"<p>{_runs(c.runs, self.marked)}</p>" for c in children)
            out.append(f"<li>{_runs(runs, self.marked)}{under}</li>")
        return f"<ul{cls}>{''.join(out)}</ul>"

    def contents(self, block: Contents) -> None:
        # The chapters' headings carry their numbers: a plain list, not a numbered one.
        self.add(f'<nav aria-labelledby="contents"><h2 id="contents">{escape(block.title)}</h2>'
                 '<ul class="contents">')
        for runs, anchor in block.chapters:
            target = escape(anchor or "", quote=True)
            self.add(f'<li><a href="#{target}">{_runs(runs, self.marked)}</a></li>')
        self.add("</ul></nav>\n")

    def table(self, table: Table) -> None:
        self.add("<table>")
        if table.caption:
            self.add(f"<caption>{escape(table.caption)}</caption>")
        widths = "".join(f'<col style="width: {w * 100:.0f}%">' for w in table.widths)
        self.add(f"<colgroup>{widths}</colgroup><thead><tr>")
        for x, header in enumerate(table.header):
            num = ' class="num"' if table.is_numeric(x) else ""
            self.add(f'<th scope="col"{num}>{escape(header)}</th>')
        self.add("</tr></thead><tbody>")
        last = len(table.rows) - 1
        for y, row in enumerate(table.rows):
            total = ' class="total"' if table.total_row and y == last else ""
            self.add(f"<tr{total}>")
            for x, cell in enumerate(row):
                classes = ["num"] if table.is_numeric(x) else []
                body = _runs(cell, self.marked)
                indent = table.row_indents[y] if x == 0 and y < len(table.row_indents) else 0
                if indent:
                    classes.append(f"indent-{min(indent, 3)}")
                    body = "\u2013 " + body
                cls = f' class="{" ".join(classes)}"' if classes else ""
                if x == 0 and table.row_headers:
                    self.add(f'<th scope="row"{cls}>{body}</th>')
                else:
                    self.add(f"<td{cls}>{body}</td>")
            self.add("</tr>")
        self.add("</tbody></table>\n")

    def figure(self, figure: FigureBlock) -> None:
        source = f'<p class="source">{escape(figure.source)}</p>' if figure.source else ""
        self.add(f'<figure id="{escape(figure.key, quote=True)}">'
                 f"<figcaption>{escape(figure.caption)}</figcaption>{figure.svg}{source}"
                 "</figure>\n")
