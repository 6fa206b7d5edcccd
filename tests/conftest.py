"""Shared fixtures: databases made from the built-in sample, in memory or on disk."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
os.environ.setdefault("TRACKER_OFFICER", "Test Officer")
# The officer's own settings file is never touched by a test (tests that need one set their own).
os.environ["TRACKER_SETTINGS"] = os.path.join(tempfile.mkdtemp(prefix="tracker-settings-"),
                                              "settings.json")

from tracker.store.database import Store, open_memory_store, open_store
from tracker.store.sample import load_sample

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"  # the two source documents


@pytest.fixture(scope="session")
def _sample_template(tmp_path_factory) -> Path:
    """The sample database built once per run; tests get copies."""
    path = tmp_path_factory.mktemp("template") / "sample.db"
    store = open_store(path, create=True, officer="Test Officer")
    load_sample(store)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def sample_db(_sample_template, tmp_path) -> Path:
    """A fresh copy of the sample database on disk."""
    target = tmp_path / "tracker.db"
    shutil.copyfile(_sample_template, target)
    return target


@pytest.fixture
def store(sample_db) -> Store:
    """The sample database, open for writing."""
    s = open_store(sample_db, officer="Test Officer")
    yield s
    s.close()


@pytest.fixture
def empty_store() -> Store:
    s = open_memory_store("Test Officer")
    yield s
    s.close()


# --- nothing left behind: threads and top-level windows (napari's and qutebrowser's rule) -----


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


def _qt_app():
    if "PySide6.QtWidgets" not in sys.modules:  # tests without Qt stay without it
        return None
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


def _windows() -> set:
    app = _qt_app()
    if app is None:
        return set()
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    # Widgets closed by pytest-qt are deleted later: let that happen before counting.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    return {w for w in QApplication.topLevelWidgets() if not w.property("_tracker_known")}


@pytest.fixture(autouse=True)
def _nothing_left_behind(request):
    threads = set(threading.enumerate())
    windows = _windows()
    yield
    if request.node.get_closest_marker("leaks_allowed"):
        return
    leaked_windows = [w for w in _windows() - windows]
    for w in leaked_windows:  # reported once: the next test starts clean
        w.setProperty("_tracker_known", True)
    still = [t for t in set(threading.enumerate()) - threads if t.is_alive()]
    problems = []
    if still:
        problems.append("threads still running: " + ", ".join(t.name for t in still))
    if leaked_windows:
        problems.append("windows left open: " + ", ".join(
            f"{type(w).__name__} {w.windowTitle()!r}" for w in leaked_windows))
    if problems:
        pytest.fail("The test left work behind (" + "; ".join(problems) + ").", pytrace=False)
