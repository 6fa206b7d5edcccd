"""The fonts bundled with the reports, and what they can draw.

The PDF and the charts use only these fonts (never the machine's), so a report looks and
measures the same on every machine: Liberation Sans (SIL Open Font Licence), which has the
widths of Arial, the font the Word report names and the HTML asks for first, so the three
formats set text alike and chart labels measured here fit in a browser too; and DejaVu Sans
(Bitstream Vera licence) for what Liberation lacks: the status shapes, arrows and many other
scripts. Licences are beside the files.

A character that neither font has (emoji, Chinese...) would be drawn as an empty box and make
PDF/UA export fail, so `displayable` writes it as its code, "[U+1F600]", which still copies and
reads as what was there. Widths come from the fonts' own tables (`text_width`), so the charts
can place labels without a window or a GUI thread.
"""

from __future__ import annotations

import functools
import re
import struct
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

TEXT_FAMILY = "Liberation Sans"
FALLBACK_FAMILY = "DejaVu Sans"
FAMILIES = (TEXT_FAMILY, FALLBACK_FAMILY)
_FILES = {(TEXT_FAMILY, False): "LiberationSans-Regular.ttf",
          (TEXT_FAMILY, True): "LiberationSans-Bold.ttf",
          (FALLBACK_FAMILY, False): "DejaVuSans.ttf"}


@functools.cache
def font_folder() -> Path:
    """The folder of the bundled fonts (a real folder: the package is installed unzipped)."""
    return Path(str(resources.files("tracker.reports") / "fonts"))


@dataclass(frozen=True)
class FontMetrics:
    units_per_em: int
    advances: dict[int, int]  # code point -> advance width in font units

    def covers(self, char: str) -> bool:
        return ord(char) in self.advances


@functools.cache
def metrics(family: str, bold: bool = False) -> FontMetrics:
    name = _FILES.get((family, bold)) or _FILES[(family, False)]
    return read_metrics((font_folder() / name).read_bytes())


def read_metrics(data: bytes) -> FontMetrics:
    """The character map and advance widths of a TrueType/OpenType font file."""
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag.decode("latin-1")] = (offset, length)
    head = tables["head"][0]
    units = struct.unpack_from(">H", data, head + 18)[0]
    metric_count = struct.unpack_from(">H", data, tables["hhea"][0] + 34)[0]
    hmtx = tables["hmtx"][0]
    widths = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(metric_count)]
    glyphs = _cmap(data, tables["cmap"][0])
    advances = {code: widths[min(glyph, metric_count - 1)]
                for code, glyph in glyphs.items() if glyph}
    return FontMetrics(units, advances)


def _cmap(data: bytes, base: int) -> dict[int, int]:
    """Code point -> glyph id, from the best Unicode subtable (format 12, else format 4)."""
    count = struct.unpack_from(">H", data, base + 2)[0]
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, base + offset)[0]
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and fmt == 12:
            subtables.setdefault(12, base + offset)
        elif (platform, encoding) in ((3, 1), (0, 3), (0, 1)) and fmt == 4:
            subtables.setdefault(4, base + offset)
    glyphs: dict[int, int] = {}
    if 12 in subtables:
        at = subtables[12]
        groups = struct.unpack_from(">I", data, at + 12)[0]
        for g in range(groups):
            start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * g)
            for code in range(start, end + 1):
                glyphs[code] = glyph + code - start
        return glyphs
    at = subtables[4]
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    range_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, range_at)
    for s in range(segments):
        for code in range(starts[s], ends[s] + 1):
            if code == 0xFFFF:
                continue
            if offsets[s] == 0:
                glyph = (code + deltas[s]) & 0xFFFF
            else:
                where = range_at + 2 * s + offsets[s] + 2 * (code - starts[s])
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + deltas[s]) & 0xFFFF if glyph else 0
            glyphs[code] = glyph
    return glyphs


# Characters that are not drawn (joiners, direction marks, soft hyphens, variation selectors):
# the typesetter handles them itself, so they never need a glyph of their own.
_NOT_DRAWN = {"Cf", "Mn", "Me", "Zl", "Zp"}
_TEXT_LAYOUT = set("\n\t\r ")


@functools.cache
def drawable(char: str) -> bool:
    if char in _TEXT_LAYOUT or unicodedata.category(char) in _NOT_DRAWN:
        return True
    return any(metrics(family).covers(char) for family in FAMILIES)


_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def displayable(text: str) -> str:
    """The text with every character the bundled fonts cannot draw written as its code."""
    if text.isascii():
        return text
    chars = set(text)
    if chars <= _DRAWN:  # every character seen drawable before: the usual case, at C speed
        return text
    if all(drawable(c) for c in chars):
        _DRAWN.update(chars)
        return text
    return "".join(c if drawable(c) else f"[U+{ord(c):04X}]" for c in text)


_DRAWN: set[str] = set()  # characters found drawable so far


@functools.cache
def _em_widths(family: str, bold: bool) -> dict[str, float]:
    """Each character the font draws -> its advance in ems (what text_width adds up)."""
    found = metrics(family, bold)
    return {chr(code): advance / found.units_per_em for code, advance in found.advances.items()}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of text at `size` (pixels or points: the result is in the same
    unit), from the advance widths of the font that will draw each character."""
    # Nearly every label is in the main font: its advances in ems, looked up by character
    # and added in the same order as below, give the same sum without a division per character.
    widths = _em_widths(TEXT_FAMILY, bold)
    total = 0.0
    for char in text:
        width = widths.get(char)
        if width is None:
            return _mixed_width(text, size, bold)
        total += width
    return total * size


def _mixed_width(text: str, size: float, bold: bool) -> float:
    main = metrics(TEXT_FAMILY, bold)
    fallback = metrics(FALLBACK_FAMILY)
    total = 0.0
    for char in text:
        code = ord(char)
        if code in main.advances:
            total += main.advances[code] / main.units_per_em
        elif code in fallback.advances:
            total += fallback.advances[code] / fallback.units_per_em
        elif not _SPACES.match(char):
            total += 0.6
        else:
            total += 0.25
    return total * size
