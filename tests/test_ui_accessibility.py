"""Every screen and dialog of the window, walked widget by widget: interactive controls have a
name a screen reader says, no character is one DejaVu (all a bare machine has) cannot draw,
and everything the toolbar does is also in a menu the keyboard opens."""

from __future__ import annotations

import pytest
from accessibility import missing_glyphs, stray_ampersands, unnamed_controls
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu
from ui_helpers import close_window, make_window

from tracker.ui import screenshot
from tracker.ui.models.plan_tree import COMMITMENT, PRIORITY


@pytest.fixture
def window(qtbot, store, tmp_path):
    w = make_window(qtbot, store, tmp_path, home=True)
    qtbot.waitUntil(lambda: w.home.data is not None and not w.home.pending)
    yield w
    close_window(w)


def _check(widget) -> None:
    assert unnamed_controls(widget) == []
    assert missing_glyphs(widget) == {}
    assert stray_ampersands(widget) == []


def test_every_screen_names_its_controls_and_shows_only_drawable_characters(window, qtbot):
    screens = screenshot.window_screens(window)
    for name, show in screens.items():
        show()
        qtbot.waitUntil(lambda: not window.home.pending
                        and not window.workspace.detail.plan_page.overview.pending
                        and not window.workspace.detail.priority_page.overview.pending)
        assert (name, unnamed_controls(window)) == (name, [])
        assert (name, missing_glyphs(window)) == (name, {})
        assert (name, stray_ampersands(window)) == (name, [])
    for menu in window.menuBar().findChildren(QMenu):
        assert missing_glyphs(menu) == {}


def test_every_dialog_names_its_controls_and_shows_only_drawable_characters(window, qtbot):
    for name, make in screenshot.dialog_screens(window).items():
        dialog = make()
        dialog.show()
        qtbot.waitExposed(dialog)
        try:
            assert (name, unnamed_controls(dialog)) == (name, [])
            assert (name, missing_glyphs(dialog)) == (name, {})
            assert (name, stray_ampersands(dialog)) == (name, [])
        finally:
            dialog.close()
            dialog.deleteLater()


def test_a_closed_plan_and_a_read_only_file_say_so_in_drawable_characters(qtbot, store,
                                                                         tmp_path):
    from tracker.store import open_store, queries

    closed = next(p for p in queries.list_plans(store) if p.is_closed)
    reader = open_store(store.path, mode="read")
    try:
        w = make_window(qtbot, reader, tmp_path)
        try:
            w.workspace.select_key(("plan", closed.id))
            assert w.workspace.banner.isVisible()
            _check(w)
            c = queries.list_commitments(reader, queries.list_priorities(reader, closed.id)[0].id)[0]
            w.workspace.expand_key((PRIORITY, c.priority_id))
            w.workspace.select_key((COMMITMENT, c.id))
            _check(w)
        finally:
            close_window(w)
    finally:
        reader.close()


def test_the_toolbar_only_repeats_what_menus_and_keys_reach(window):
    in_menus = {id(a) for menu in window.menuBar().findChildren(QMenu) for a in menu.actions()}
    for action in window.toolbar.actions():
        if action.isSeparator():
            continue
        assert id(action) in in_menus, action.text()
        assert not action.icon().isNull(), action.text()
        if action.shortcut().toString():
            assert action.shortcut().toString(action.shortcut().SequenceFormat.NativeText) in \
                action.toolTip()


def test_tab_walks_through_every_part_of_home(window, qtbot):
    home = window.home
    parts = {home.plan_box, home.bars, home.evidence_tile, home.indicators,
             *[t for t in home.round_tiles.values() if t.isVisible()],
             *[b for b in home.legend_buttons.values() if b.isVisible()]}
    if home.send_button.isVisible():
        parts.add(home.send_button)
    home.plan_box.setFocus()
    seen = set()
    for _ in range(80):
        focused = QApplication.focusWidget()
        seen.add(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert parts <= seen, [type(p).__name__ for p in parts - seen]


def test_the_title_names_the_file_and_leaves_the_application_to_qt(window, store):
    # The application's display name ("Commitment Tracker") is added by Qt to every title.
    assert window.windowTitle() == store.path.name


def test_the_status_bar_is_there_from_the_start(window):
    assert window.statusBar().isVisible()
