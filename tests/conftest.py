"""Shared fixtures: databases made from the built-in sample, in memory or on disk."""

from __future__ import annotations

import os
import shutil
import tempfile
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
