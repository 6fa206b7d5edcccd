"""A plan outline in a Word document (.docx): its paragraphs as outline lines.

Word numbers lists itself, so "1.", "a)" and "i)" are often not in the text at all but in the
paragraph's numbering (its own, or its style's). They are worked out here from the numbering
part, level by level, so the outline reads the same whether the numbers were typed or Word's.
The file is checked before python-docx opens it, like a workbook: size, zip bomb, macros,
encryption and XML entities.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from tracker.exchange.errors import WorkbookRefused
from tracker.exchange.plan_sheet.draft import PlanDraft
from tracker.exchange.plan_sheet.outline import OutlineLine, read_outline
from tracker.exchange.safety import (
    MAX_FILE_BYTES,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    OLE_HEADER,
    RATIO_CHECK_FROM,
    ZIP_HEADER,
    check_xml_parts,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TYPED_MARKER = re.compile(r"^\s*(?:\(?[0-9A-Za-z]{1,4}[.)]|priority\s+\d|[-•·*–▪◦])\s", re.I)
MAX_PARAGRAPHS = 20_000


def _check_docx(path: Path) -> bytes:
    name = path.name
    if not path.is_file():
        raise WorkbookRefused(f"{name}: there is no such file.")
    if path.suffix.lower() in (".docm", ".dotm"):
        raise WorkbookRefused(f"{name} is a macro-enabled document; macros are never opened. "
                              "Save it as a Word Document (.docx).")
    if path.suffix.lower() == ".doc":
        raise WorkbookRefused(f"{name} is in the old Word format (.doc); open it in Word and save "
                              "it as a Word Document (.docx).")
    size = path.stat().st_size
    if size == 0 or size > MAX_FILE_BYTES:
        raise WorkbookRefused(f"{name} is {'empty' if size == 0 else f'{size / 1048576:.0f} MB'}; "
                              f"a plan document may be at most {MAX_FILE_BYTES // 1048576} MB.")
    data = path.read_bytes()
    if data.startswith(OLE_HEADER):
        raise WorkbookRefused(f"{name} is password-protected or in the old .doc format; remove "
                              "the password or save it as a Word Document (.docx).")
    if not data.startswith(ZIP_HEADER):
        raise WorkbookRefused(f"{name} is not a Word document (.docx).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise WorkbookRefused(f"{name} is damaged or not a Word document (.docx): {exc}.") from exc
    names = {m.filename for m in members}
    if len(members) > MAX_MEMBERS or "word/document.xml" not in names:
        raise WorkbookRefused(f"{name} is not a Word document (.docx).")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise WorkbookRefused(f"{name} contains macros; macros are never opened.")
    total = 0
    for member in members:
        total += member.file_size
        if member.flag_bits & 0x1:
            raise WorkbookRefused(f"{name} is password-protected; it was not opened.")
        if member.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or (
                member.file_size > RATIO_CHECK_FROM
                and member.file_size > MAX_RATIO * max(member.compress_size, 1)):
            raise WorkbookRefused(f"{name} unpacks to far more than a plan document "
                                  f"({member.filename}); it was not opened.")
    # A DTD may follow a long comment, so each part is parsed through, not its first 4 KB.
    check_xml_parts(name, data, app="Word")
    return data


def read_outline_docx(path: str | Path, known_partners: set[str] | None = None) -> PlanDraft:
    """The plan a Word outline describes; WorkbookRefused when the file is not opened."""
    import docx

    path = Path(path)
    data = _check_docx(path)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise WorkbookRefused(f"{path.name} could not be read as a Word document "
                              f"({type(exc).__name__}: {exc}).") from exc
    return read_outline(paragraph_lines(document), path.name, "paragraph", known_partners)


class _Numbering:
    """Word's list numbers: the format of each level, and a counter per list and level."""

    def __init__(self, document):
        self.formats: dict[tuple[str, int], tuple[str, int]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, int]]] = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1)
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for level, value in abstract.get(ref.get(f"{_W}val"), {}).items():
                self.formats[(num.get(f"{_W}numId"), level)] = value

    def marker(self, num_id: str, level: int) -> str:
        fmt, start = self.formats.get((num_id, level), ("decimal", 1))
        key = (num_id, level)
        count = self.counters.get(key, start - 1) + 1
        self.counters[key] = count
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[deeper]
        if fmt == "bullet":
            return "•"
        if fmt == "lowerLetter":
            return f"{_letters(count)})"
        if fmt == "upperLetter":
            return f"{_letters(count).upper()}."
        if fmt == "lowerRoman":
            return f"{_roman(count)})"
        if fmt == "upperRoman":
            return f"{_roman(count).upper()}."
        return f"{count}."


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


def _num_pr(paragraph) -> tuple[str, int] | None:
    """(list id, level) from the paragraph's own numbering, else its style's."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        if ppr is None or ppr.numPr is None:
            continue
        num_id = ppr.numPr.numId
        level = ppr.numPr.ilvl
        if num_id is None or num_id.val in (None, 0):
            return None  # numbering switched off
        return str(num_id.val), int(level.val) if level is not None and level.val is not None else 0
    return None


def paragraph_lines(document) -> list[OutlineLine]:
    numbering = _Numbering(document)
    lines = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        if number > MAX_PARAGRAPHS:
            break
        text = " ".join(paragraph.text.replace("\u00a0", " ").split())
        style_name = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style_name == "Title":
            text = ""  # the document's title, not a priority
        style = "priority" if style_name == "Heading 1" and text else None
        found = _num_pr(paragraph)
        indent = 0
        if found is not None and text:
            marker = numbering.marker(*found)
            indent = found[1] * 4
            if not _TYPED_MARKER.match(text):
                text = f"{marker} {text}"
        elif paragraph.paragraph_format.left_indent:
            indent = round(paragraph.paragraph_format.left_indent.pt / 18) * 4
        lines.append(OutlineLine(number, indent, text, style))
    return lines
