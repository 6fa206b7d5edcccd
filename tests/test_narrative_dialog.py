"""The report-text dialog: an officer opens the closure report's chapter text, edits it with
bold, links, bullets and a figure, saves it, and Ctrl+Z in the window takes it back."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor
from ui_helpers import close_window, make_window

from tracker.domain.narrative import BulletList, FigureRef, Paragraph
from tracker.store import narrative, plans
from tracker.ui.dialogs.narrative_dialog import NarrativeDialog


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path)
    yield w
    close_window(w)


def choose(dialog: NarrativeDialog, label: str) -> None:
    index = next(i for i in range(dialog.place_combo.count())
                 if dialog.place_combo.itemText(i) == label)
    dialog.place_combo.setCurrentIndex(index)


def chapter_text(store):
    old = plans.find_plan(store, "pcp-2016-2020")
    priority = plans.list_priorities(store, old.id)[3]
    return narrative.find_narrative(store, narrative.chapter_place(store, priority.id), "2021/22")


def test_edit_save_and_undo_a_chapter_of_the_closure_report(window, store, qtbot):
    old = plans.find_plan(store, "pcp-2016-2020")
    dialog = window.write_report_text()
    qtbot.waitUntil(dialog.isVisible)
    dialog.plan_combo.setCurrentIndex(dialog.plan_combo.findData(old.id))
    choose(dialog, "Chapter: 4. Reverse the trend in serious violence")
    assert dialog.period() == "2021/22"
    shown = dialog.editor.toPlainText()
    assert shown.startswith("7.1. Violence in communities affects everyone")
    assert "- 7.3.1. Identifying and tackling organised crime gangs" in shown
    assert "[Figure 7 (i): Number of Violence with Injury offences]" in shown
    before = chapter_text(store)

    dialog.editor.moveCursor(QTextCursor.MoveOperation.End)
    dialog.editor.insertPlainText("\nA new closing line with a link")
    cursor = dialog.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.WordLeft, QTextCursor.MoveMode.KeepAnchor)
    dialog.editor.setTextCursor(cursor)
    dialog.make_link("https://www.essex.pfcc.police.uk")
    dialog.editor.moveCursor(QTextCursor.MoveOperation.End)
    dialog.editor.insertPlainText("\nfirst point\nsecond point")
    cursor = dialog.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Up, QTextCursor.MoveMode.KeepAnchor)
    dialog.editor.setTextCursor(cursor)
    dialog.toggle_bullets()
    assert dialog.save(), dialog.error_label.text()

    after = chapter_text(store)
    assert after.id == before.id
    first = after.blocks[0]
    assert isinstance(first, Paragraph) and first.source == "CLOSURE 7.1"  # unchanged: kept
    tail = after.blocks[-2:]
    assert tail[0].spans[-1].link == "https://www.essex.pfcc.police.uk"
    assert isinstance(tail[1], BulletList)
    assert [i.text for i in tail[1].items] == ["first point", "second point"]
    assert any(isinstance(b, FigureRef) and b.number == "7 (i)" for b in after.blocks)
    assert "Wrote the chapter text of priority 4" in dialog.history_list.item(0).text()

    window.history.undo()  # Ctrl+Z in the window
    assert chapter_text(store).body == before.body
    qtbot.waitUntil(lambda: dialog.editor.toPlainText() == shown)
    dialog.close()


def test_a_refused_save_says_why_and_writes_nothing(qtbot, store):
    ext = plans.find_plan(store, "pcp-2020-21")
    plans.set_plan_state(store, ext.id, "active")
    dialog = NarrativeDialog(store, ext.id)
    qtbot.addWidget(dialog)
    choose(dialog, "Foreword")
    dialog.period_combo.setEditText("2021/22")
    dialog.editor.setPlainText("Words.\n[Figure: Not an indicator]")
    assert not dialog.save()
    assert "not the name of an indicator" in dialog.error_label.text()
    dialog.editor.setPlainText("See [the plan](javascript:alert(1)) **now**")
    assert dialog.save()  # the bad link stays plain words, never a link
    [paragraph] = narrative.find_narrative(store, narrative.plan_place(ext.id, "foreword"),
                                           "2021/22").blocks
    assert all(span.link is None for span in paragraph.spans)
    dialog.period_combo.setEditText("someday")
    assert not dialog.save()
    assert "period" in dialog.error_label.text()


def test_bold_and_figures_are_put_in_by_buttons(qtbot, store):
    ext = plans.find_plan(store, "pcp-2020-21")
    dialog = NarrativeDialog(store, ext.id)
    qtbot.addWidget(dialog)
    dialog.editor.setPlainText("Knife crime rose")
    dialog.editor.selectAll()
    dialog.make_bold()
    assert dialog.editor.toPlainText() == "**Knife crime rose**"
    names = [a.text() for a in dialog.figure_menu.actions()]
    assert "Knife-enabled crime" in names
    dialog.place_figure("Knife-enabled crime")
    assert dialog.editor.toPlainText().endswith("\n[Figure: Knife-enabled crime]")
