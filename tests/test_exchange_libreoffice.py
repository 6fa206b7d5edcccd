"""A partner who fills the workbook in LibreOffice: the saved file still comes home."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from test_exchange_support import answer, edit, export

from tracker.exchange import layout
from tracker.exchange.return_preview import preview_return

C, IND = layout.COMMITMENTS, layout.INDICATORS
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_a_workbook_saved_by_libreoffice_is_read_back(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "filled.xlsx", {
        answer(C, "new_status", 2): "At risk", answer(C, "evidence", 3): "Hubs opened",
        answer(C, "evidence_date", 3): datetime.datetime(2021, 3, 31),
        answer(C, "figure", 3): 12.5, answer(IND, "new_value", 4): 150000})
    out = tmp_path / "saved"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(filled)],
        capture_output=True, text=True)
    saved = out / "filled.xlsx"
    assert saved.exists(), done.stderr
    assert load_workbook(saved)[layout.HIDDEN].sheet_state != "visible"
    preview = preview_return(store, saved)
    assert not preview.problems
    assert [(c.kind, c.cell, c.after) for c in preview.changes] == [
        ("status", "G2", "At risk"),
        ("evidence", "I3", "Hubs opened (31/03/2021) [figure 12.5]"),
        ("value", "H4", "150,000"),
    ]
