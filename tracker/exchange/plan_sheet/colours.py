"""Cell fill colours as an officer names them: a RAG column filled red, amber or green.

Excel stores a fill as an RGB value, an index into its old 64-colour palette, or a theme
colour with a tint; all three are turned into RGB, then into the nearest plain colour name
(red, amber, yellow, green, blue, purple, grey, white, black) by hue, so that the many greens
offices use (00B050, 92D050, C6EFCE) are all "green".
"""

from __future__ import annotations

import colorsys

from openpyxl.styles.colors import COLOR_INDEX

COLOUR_NAMES = ("red", "amber", "yellow", "green", "blue", "purple", "grey", "white", "black")
ALIASES = {"orange": "amber", "gray": "grey", "gold": "amber"}

_DRAWING_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# Theme colour indexes in a cell style name the scheme's colours in this order (the first two
# pairs are swapped against the order they are written in the theme part).
_THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4",
                "accent5", "accent6", "hlink", "folHlink")


def theme_colours(theme_xml: bytes | None) -> list[str]:
    """The twelve RGB colours of a workbook's theme, in cell-style index order."""
    if not theme_xml:
        return []
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(theme_xml)
    except Exception:  # a damaged theme only costs the theme colours
        return []
    scheme = root.find(f".//{_DRAWING_NS}clrScheme")
    if scheme is None:
        return []
    found: dict[str, str] = {}
    for entry in scheme:
        name = entry.tag.removeprefix(_DRAWING_NS)
        for child in entry:
            value = child.get("val") if child.tag.endswith("srgbClr") else child.get("lastClr")
            if value:
                found[name] = value.upper()
    return [found.get(name, "") for name in _THEME_ORDER]


def fill_rgb(fill: object, theme: list[str]) -> str | None:
    """A solid fill's colour as RRGGBB, or None for no fill."""
    if fill is None or getattr(fill, "patternType", None) in (None, "none"):
        return None
    colour = getattr(fill, "fgColor", None)
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    rgb: str | None = None
    if kind == "rgb" and isinstance(colour.rgb, str):
        rgb = colour.rgb[-6:].upper()
    elif kind == "indexed" and isinstance(colour.indexed, int) and 0 <= colour.indexed < len(COLOR_INDEX):
        rgb = COLOR_INDEX[colour.indexed][-6:].upper()
    elif kind == "theme" and isinstance(colour.theme, int) and 0 <= colour.theme < len(theme):
        rgb = theme[colour.theme] or None
    if rgb is None or len(rgb) != 6:
        return None
    tint = float(getattr(colour, "tint", 0.0) or 0.0)
    return _tinted(rgb, tint) if tint else rgb


def _tinted(rgb: str, tint: float) -> str:
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    lightness = lightness * (1 + tint) if tint < 0 else lightness + (1 - lightness) * tint
    r, g, b = colorsys.hls_to_rgb(h, min(max(lightness, 0.0), 1.0), s)
    return "".join(f"{round(v * 255):02X}" for v in (r, g, b))


def colour_name(rgb: str) -> str:
    """The plain name of an RRGGBB colour."""
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, value = colorsys.rgb_to_hsv(r, g, b)
    if value < 0.2:
        return "black"
    if saturation < 0.15:
        return "white" if value > 0.9 else "grey"
    degrees = hue * 360
    if degrees < 15 or degrees >= 340:
        return "red"
    if degrees < 52:
        return "amber"
    if degrees < 70:
        return "yellow"
    if degrees < 170:
        return "green"
    if degrees < 255:
        return "blue"
    return "purple"


def normal_colour(word: str) -> str | None:
    """'Amber', 'orange', 'amber fill', '#FFC000' as a colour name, or None when the word names no colour."""
    key = " ".join(word.split()).lower().removesuffix(" fill")
    key = ALIASES.get(key, key)
    if key in COLOUR_NAMES:
        return key
    hex_digits = key.lstrip("#")
    if key.startswith("#") and len(hex_digits) == 6:
        try:
            int(hex_digits, 16)
        except ValueError:
            return None
        return colour_name(hex_digits.upper())
    return None
