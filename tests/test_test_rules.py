"""The suite's own rules can fail a test: a Qt warning, a thread or a window left behind, and a
test that hangs (pytest-timeout). Each is tried in a separate pytest run."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def test_warnings_leaks_and_hangs_fail_the_test_that_caused_them(pytester):
    pytester.makeconftest((HERE / "conftest.py").read_text(encoding="utf-8"))
    ini = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pytester.makepyprojecttoml(ini[ini.index("[tool.pytest.ini_options]"):ini.index("[tool.ruff]")]
                               .replace('testpaths = ["tests"]', ""))
    pytester.makepyfile(test_rules='''
import threading

import pytest


def test_clean(qtbot):
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()


def test_leaves_a_thread_running():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="left-behind", daemon=True)
    thread.start()
    test_leaves_a_thread_running.stop = stop


def test_leaves_a_window_open(qtbot):
    from PySide6.QtWidgets import QDialog

    dialog = QDialog()
    dialog.setWindowTitle("Forgotten")
    dialog.show()
    test_leaves_a_window_open.dialog = dialog


def test_prints_a_qt_warning(qtbot):
    from PySide6.QtCore import qWarning

    qWarning("something went wrong")


@pytest.mark.timeout(2)
def test_hangs():
    threading.Event().wait(60)
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    text = result.stdout.str()
    assert outcomes.get("passed") == 3  # the clean one, the leakers' calls (failed at teardown)
    assert outcomes.get("errors") == 2 and outcomes.get("failed") == 2, text
    assert "threads still running: left-behind" in text
    assert "windows left open: QDialog 'Forgotten'" in text
    assert "something went wrong" in text
    assert "Timeout" in text
