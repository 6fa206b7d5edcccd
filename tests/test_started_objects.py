"""Once the window has started, what was made to start it is left out of the cycle collector's
full passes (which stop the GUI thread while they walk every object)."""

import gc

from tracker.ui import main_window


def test_the_started_window_is_left_out_of_full_collections(qtbot, store, monkeypatch):
    monkeypatch.setattr(main_window, "_started_objects_frozen", False)
    frozen_before = gc.get_freeze_count()
    window = main_window.MainWindow(store)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: main_window._started_objects_frozen)
        assert gc.get_freeze_count() > frozen_before
        frozen = gc.get_freeze_count()
        main_window.freeze_started_objects()  # once a process, not at every window
        assert gc.get_freeze_count() == frozen
    finally:
        window.shutdown()
        window.close()
