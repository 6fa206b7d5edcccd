"""What an accessible PDF must be, checked on the file: the independent `pdfua` checker's
machine-checkable PDF/UA-1 rules, and the structure read back with pypdf (language, title shown,
tagged, headings in order with none skipped, figures with alt text, tables with header cells,
text with no ligature code points)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

LIGATURES = re.compile("[\ufb00-\ufb06]")
# The one rule pdfua 0.1.3 cannot evaluate on Typst's files (it raises on an array /K: a bug of
# the checker, reported); our own walk below checks that no heading is empty instead.
CHECKER_CANNOT_RUN = {"UA-14-001"}


def pdfua_findings(path: Path) -> tuple[list[str], list[str]]:
    """The findings of pdfua's rules (any severity) and the rules it skipped, with reasons."""
    from pdfua import validate

    report = validate(str(path))
    findings = [f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings]
    skipped = [f"{o.rule_id}: {o.skipped_reason}" for o in report.skipped]
    return findings, skipped


def _object(node):
    return node.get_object() if isinstance(node, IndirectObject) else node


def structure(path: Path) -> dict:
    """The tag tree in reading order: structure types, headings, figures' alt text, tables'
    header cells, and empty headings."""
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    found = {"types": [], "headings": [], "figures": [], "tables": [], "empty_headings": 0}

    def walk(node, table: dict | None = None) -> None:
        node = _object(node)
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, table)
            return
        if not isinstance(node, DictionaryObject):
            return
        kind = node.get("/S")
        kids = node.get("/K")
        if kind is not None:
            kind = str(kind)
            found["types"].append(kind)
            if re.fullmatch(r"/H[1-6]", kind):
                found["headings"].append(int(kind[2]))
                if kids is None or (isinstance(_object(kids), ArrayObject) and not _object(kids)):
                    found["empty_headings"] += 1
            if kind == "/Figure":
                found["figures"].append(str(node.get("/Alt") or ""))
            if kind == "/Table":
                table = {"th": 0, "td": 0}
                found["tables"].append(table)
            if table is not None and kind in ("/TH", "/TD"):
                table[kind[1:].lower()] += 1
        if kids is not None:
            walk(kids, table)

    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"].get("/K"))
    return found


def pdf_problems(path: Path, title: str) -> list[str]:
    """Everything that makes the PDF fall short of an accessible, publishable file; [] if none."""
    problems: list[str] = []
    findings, skipped = pdfua_findings(path)
    problems += [f"pdfua {f}" for f in findings]
    problems += [f"pdfua could not run {s}" for s in skipped
                 if not any(s.startswith(rule) for rule in CHECKER_CANNOT_RUN)]
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    if root.get("/Lang") != "en-GB":
        problems.append(f"language is {root.get('/Lang')!r}, not 'en-GB'")
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        problems.append("not marked as tagged (/MarkInfo /Marked)")
    if not (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        problems.append("viewers are not asked to show the title rather than the file name")
    if (reader.metadata or {}).get("/Title") != title:
        problems.append(f"title is {(reader.metadata or {}).get('/Title')!r}, not {title!r}")
    tags = structure(path)
    if not tags["types"]:
        problems.append("no structure tree")
    levels = tags["headings"]
    if not levels or levels[0] != 1:
        problems.append(f"the first heading is not level 1: {levels[:1]}")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"a heading skips from level {before} to {after}")
            break
    if tags["empty_headings"]:
        problems.append(f"{tags['empty_headings']} headings have no content")
    problems += [f"figure {n} has no alt text" for n, alt in enumerate(tags["figures"], 1)
                 if not alt.strip()]
    problems += [f"table {n} has no header cells" for n, t in enumerate(tags["tables"], 1)
                 if not t["th"]]
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        if LIGATURES.search(text):
            problems.append(f"page {number} has ligature code points in its text")
    return problems
