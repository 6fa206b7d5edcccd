"""Saving a workbook openpyxl has built, with its sheets serialised in memory.

openpyxl's own save writes each sheet's XML to a temporary file, copies it into the archive and
deletes it: four file operations a sheet, which on a busy disk (or under a virus scanner) cost
more than writing the cells. The parts written here are the ones openpyxl's save writes, with the
same content; only where a sheet's XML waits before it goes into the archive differs.
"""

from __future__ import annotations

import datetime
import hashlib
from io import BytesIO
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter


class _InMemoryWriter(ExcelWriter):
    def write_worksheet(self, ws) -> None:  # as ExcelWriter's, with a BytesIO for the file
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = WorksheetWriter(ws, out=BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx file openpyxl would save for `wb`."""
    if wb.read_only or wb.write_only:
        raise ValueError("only a workbook built in memory is saved this way")
    out = BytesIO()
    archive = ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    _InMemoryWriter(wb, archive).save()
    return out.getvalue()


def save_workbook(wb: Workbook, path: Path) -> str:
    """Write `wb` to `path` in one write; the SHA-256 of what was written (hex), so the file
    need not be read back to be fingerprinted."""
    data = workbook_bytes(wb)
    with open(path, "wb") as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest()
