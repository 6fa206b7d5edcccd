"""Found in review: undo and redo sequences that must stay in step with the database."""

from __future__ import annotations

import pytest
from ui_helpers import capture_warnings, close_window, extension_commitment, make_window

from tracker.store import evidence
from tracker.ui import commands


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    yield w
    close_window(w)


def texts(store, commitment_id):
    return [e.text for e in evidence.list_evidence(store, commitment_id)]


def test_undo_an_edit_after_undoing_the_delete_of_the_same_evidence(window, store, monkeypatch):
    said = capture_warnings(monkeypatch)
    c = extension_commitment(store)
    first = evidence.list_evidence(store, c.id)[0]
    before = texts(store, c.id)
    changed = commands.as_input(first)
    changed.text = "Edited in review"
    assert window.editor.run(commands.EditEvidence(first, changed)) is None
    edited = evidence.get_evidence(store, first.id)
    assert window.editor.run(commands.DeleteEvidence(edited)) is None
    window.undo_stack.undo()  # the delete
    window.undo_stack.undo()  # the edit
    assert said == []
    assert texts(store, c.id) == before
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert said == []
    assert "Edited in review" not in texts(store, c.id)
    assert len(texts(store, c.id)) == len(before) - 1

