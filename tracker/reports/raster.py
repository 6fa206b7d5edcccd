"""SVG pictures as PNG, for Word (which wants pixels), drawn by Typst with the bundled fonts.

No Qt and no window: this runs on any thread, and all the pictures of a report are drawn in
one pass (one page per picture).
"""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path

import typst

from tracker.reports.fonts import font_folder

PRINT_SCALE = 2.0  # 192 dots per inch at the width of the text: sharp on paper, quick to draw

_TEMPLATE = b"""
#let pictures = json(bytes(sys.inputs.at("pictures")))
#set page(margin: 0pt)
#for (index, p) in pictures.enumerate() {
  if index > 0 { pagebreak() }
  set page(width: p.width * 0.75pt, height: p.height * 0.75pt)
  image(p.file, width: 100%, height: 100%, alt: "")
}
"""


@functools.cache
def _fonts() -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=[str(font_folder())])


def svgs_to_pngs(pictures: list[tuple[str, int, int]], scale: float = PRINT_SCALE) -> list[bytes]:
    """Each (svg, width, height) -- size in CSS pixels -- as PNG bytes at `scale` times that."""
    if not pictures:
        return []
    with tempfile.TemporaryDirectory(prefix="tracker-charts-") as folder:
        listed = []
        for index, (svg, width, height) in enumerate(pictures):
            name = f"picture-{index}.svg"
            (Path(folder) / name).write_text(svg, encoding="utf-8")
            listed.append({"file": name, "width": width, "height": height})
        compiler = typst.Compiler(root=folder, font_paths=_fonts())
        pages = compiler.compile(_TEMPLATE, format="png", ppi=96 * scale,
                                 sys_inputs={"pictures": json.dumps(listed)})
    if isinstance(pages, bytes):
        pages = [pages]
    return list(pages)
