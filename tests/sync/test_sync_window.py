"""Team sync in the window: syncing on start in a child process, the state in the status bar,
reviewing a conflict side by side and resolving it as a step of the undo history, colleagues'
changes under their names, and offline as a quiet line."""

from __future__ import annotations

import os

import pytest
from sync_helpers import content, create_team, open_plan_commitments
from ui_helpers import close_window, make_window

from tracker import ops
from tracker.ops.log import LogFilter
from tracker.store.database import open_store
from tracker.sync import conflicts as conflict_store

WAIT_MS = 90_000  # a child process starting Python and the tracker, on a busy machine


@pytest.fixture
def pair(_sample_template, tmp_path):
    return create_team(_sample_template, tmp_path, str(tmp_path / "share"), ["Alice", "Bob"])


def finished_sync(qtbot, window):
    with qtbot.waitSignal(window.team.runner.finished, timeout=WAIT_MS) as blocker:
        pass
    return blocker.args[0]


def test_the_window_syncs_on_start_shows_the_state_and_reviews_a_conflict(qtbot, pair, tmp_path,
                                                                        monkeypatch):
    alice, bob = pair
    c = open_plan_commitments(alice)[0]
    with alice.store() as s:
        ops.edit_commitment(s, c, lead="DCI Hart")
        ops.set_status(s, c, "on track", "Board agreed the plan")
    alice.sync()
    with bob.store() as s:
        ops.edit_commitment(s, c, lead="Supt Okafor")  # made offline, before the window opens
    store = open_store(bob.path, officer="Bob")
    window = make_window(qtbot, store, tmp_path)
    try:
        assert window.team.menu.title() == "&Team"
        outcome = finished_sync(qtbot, window)  # on start, without asking
        assert outcome.ok, outcome.message
        text = window.team.field.text()
        assert text.startswith("Team: synced") and "1 conflict to review" in text
        assert store.execute("SELECT lead FROM commitment WHERE id = ?", (c,)).fetchone()[0] == \
            "DCI Hart"  # the team's value stands until the officer chooses
        [pulled] = ops.log_entries(store, flt=LogFilter(origin="sync"))
        assert pulled.who == "Alice"
        # Alice's status change, in the commitment's history under her name.
        window.workspace.show_detail(("commitment", c))
        history = window.workspace.detail.commitment_page.history
        assert history.item(0, 1).text() == "Alice (through team sync)"

        dialog = window.team.review_conflicts()
        qtbot.waitExposed(dialog)
        assert dialog.table.rowCount() == 1
        assert dialog.base.value.toPlainText() in ("(empty)", alice.one(
            "SELECT lead FROM commitment WHERE id = ?", (c,)) or "")
        assert dialog.mine.value.toPlainText() == "Supt Okafor"
        assert dialog.theirs.value.toPlainText() == "DCI Hart"
        assert dialog.theirs.by.text().startswith("Alice")
        assert dialog.mine.by.text().startswith(f"You ({store.officer})")
        if os.environ.get("TRACKER_SCREENSHOTS"):
            dialog.grab().save(os.path.join(os.environ["TRACKER_SCREENSHOTS"], "conflicts.png"))
            window.grab().save(os.path.join(os.environ["TRACKER_SCREENSHOTS"], "window.png"))
        steps = window.undo_stack.count()
        dialog.keep_mine.click()
        assert dialog.table.rowCount() == 0 and dialog.empty.isVisible()
        assert window.undo_stack.count() == steps + 1  # a step of the undo history
        assert conflict_store.waiting(store.conn) == []
        assert "1 change waiting to go" in window.team.field.text()
        assert "conflict" not in window.team.field.text()
        dialog.close()

        reloads: list[int] = []
        monkeypatch.setattr(window, "refresh", lambda *a, **k: reloads.append(1))
        assert window.team.sync_now()
        outcome = finished_sync(qtbot, window)
        assert outcome.ok, outcome.message
        assert window.team.field.text().startswith("Team: synced")
        assert "waiting" not in window.team.field.text()
        assert reloads == []  # it pushed the resolution and brought nothing in: nothing re-read
    finally:
        close_window(window)
        store.close()
    alice.sync()
    assert alice.one("SELECT lead FROM commitment WHERE id = ?", (c,)) == "Supt Okafor"
    assert content(alice.path) == content(bob.path)


def test_an_unreachable_team_log_is_a_quiet_line_and_nothing_is_lost(qtbot, pair, tmp_path):
    _alice, bob = pair
    store = open_store(bob.path, officer="Bob")
    window = make_window(qtbot, store, tmp_path)
    try:
        finished_sync(qtbot, window)  # the one on start
        (tmp_path / "share").rename(tmp_path / "share-unplugged")
        c = open_plan_commitments(bob)[0]
        window.history.perform(lambda s: ops.edit_commitment(s, c, lead="Written on the train"))
        assert window.team.sync_now()
        outcome = finished_sync(qtbot, window)
        assert outcome.offline and "cannot be reached" in outcome.message
        text = window.team.field.text()
        assert text.startswith("Team: not synced since") and "1 change waiting to go" in text
        assert "cannot be reached" in window.team.field.toolTip()
        assert store.execute("SELECT lead FROM commitment WHERE id = ?", (c,)).fetchone()[0] == \
            "Written on the train"
    finally:
        close_window(window)
        store.close()


def test_a_team_made_and_joined_from_the_window(qtbot, _sample_template, tmp_path):
    import shutil

    from tracker.ui.team.setup_dialogs import KeyDialog

    first = tmp_path / "first.db"
    shutil.copyfile(_sample_template, first)
    store = open_store(first, officer="Alice")
    window = make_window(qtbot, store, tmp_path)
    try:
        assert window.team.create_action.isEnabled() and not window.team.sync_action.isEnabled()
        assert window.team.create_team_at(str(tmp_path / "share"))
        outcome = finished_sync(qtbot, window)
        assert outcome.ok, outcome.message
        [shown] = window.findChildren(KeyDialog)
        key = shown.key.text()
        assert key.startswith("ct1-")
        shown.close()
        assert window.team.sync_action.isEnabled() and not window.team.create_action.isEnabled()
        assert window.team.field.text().startswith("Team: synced")

        joined = tmp_path / "second.db"
        job = window.team.join_team_at(str(tmp_path / "share"), key, joined)
        qtbot.waitUntil(lambda: window.store.path == joined, timeout=WAIT_MS)
        job.job.wait(10)
        assert window.team.status().location == str(tmp_path / "share")
        assert content(first) == content(joined)
    finally:
        close_window(window)
        window.store.close()


def test_a_window_outside_any_team_reads_the_team_state_once_and_shows_no_field(
        qtbot, store, tmp_path, monkeypatch):
    from tracker.ops import team as team_ops

    reads = []
    real = team_ops.team_status

    def counted(s):
        reads.append(s)
        return real(s)

    monkeypatch.setattr(team_ops, "team_status", counted)
    window = make_window(qtbot, store, tmp_path)
    try:
        assert len(reads) == 1
        assert window.team.field.isHidden()
        assert window.team.create_action.isEnabled()
        assert not window.team.sync_action.isEnabled()
        assert window.team.sync_now() is False  # not in a team: nothing to sync
        assert len(reads) == 2
    finally:
        close_window(window)
