"""File ▸ Print: a priority, a commitment or a plan's overview, on a PDF printer standing in for a
real one; and Print preview."""

from __future__ import annotations

import re
import unicodedata

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from ui_helpers import close_window, make_window

from tracker.store import queries
from tracker.ui.models.plan_tree import COMMITMENT, PRIORITY
from tracker.ui.printing import PrintActions


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    yield w
    close_window(w)


def _pdf_printer(monkeypatch, path):
    asked = []

    def ask(_cls, _parent, title):
        asked.append(title)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return printer

    monkeypatch.setattr(PrintActions, "ask_printer", classmethod(ask))
    return asked


def _words(path) -> str:
    """The PDF's text as letters and digits only: a hyphen at a line's end ("night-" / "time")
    is dropped by text extraction, and table cells' lines interleave."""
    text = " ".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return squash(unicodedata.normalize("NFKC", text))


def squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def test_printing_a_priority_puts_its_commitments_and_evidence_on_paper(window, store, qtbot,
                                                                       tmp_path, monkeypatch):
    plan = queries.default_plan(store)
    priority = queries.list_priorities(store, plan.id)[0]
    assert window.workspace.select_key((PRIORITY, priority.id))
    pdf = tmp_path / "priority.pdf"
    asked = _pdf_printer(monkeypatch, pdf)
    window.printing.print_action.trigger()
    assert asked == ["Print priority"]
    words = _words(pdf)
    assert squash(f"Priority {priority.number}: {priority.title}") in words
    for c in queries.list_commitments(store, priority.id):
        assert squash(c.text) in words
        for item in queries.list_evidence(store, c.id):
            assert squash(" ".join(item.text.split()[:4])) in words
    assert len(PdfReader(str(pdf)).pages) > 1
    assert "Printed priority" in window.statusBar().currentMessage()


def test_printing_a_commitment_and_the_overview(window, store, qtbot, tmp_path, monkeypatch):
    plan = queries.default_plan(store)
    priority = queries.list_priorities(store, plan.id)[0]
    c = next(c for c in queries.list_commitments(store, priority.id)
             if queries.list_evidence(store, c.id))
    assert window.workspace.select_key((COMMITMENT, c.id))
    pdf = tmp_path / "commitment.pdf"
    asked = _pdf_printer(monkeypatch, pdf)
    window.printing.print_action.trigger()
    words = _words(pdf)
    assert squash(f"{c.code}. {c.text}") in words
    assert squash(f"Evidence ({len(queries.list_evidence(store, c.id))})") in words
    assert squash(c.status.label) in words

    window.tabs.setCurrentWidget(window.home)
    overview = tmp_path / "overview.pdf"
    asked = _pdf_printer(monkeypatch, overview)
    window.printing.print_action.trigger()
    assert asked == ["Print plan overview"]
    words = _words(overview)
    assert squash(plan.title) in words and squash("Commitments by status") in words
    for p in queries.list_priorities(store, plan.id):
        assert squash(f"{p.number}. {p.title}") in words


def test_print_preview_shows_the_pages(window, store, qtbot):
    priority = queries.list_priorities(store, queries.default_plan(store).id)[1]
    window.workspace.select_key((PRIORITY, priority.id))
    dialog = window.printing.preview_current()
    assert isinstance(dialog, QPrintPreviewDialog) and dialog.isVisible()
    assert "Print preview: priority" in dialog.windowTitle()
    dialog.close()
    dialog.deleteLater()
