"""Starting the window where it cannot appear is one line and exit 1, never a Qt abort."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tracker.ui.startup import no_display, platform_failure

START = "import sys; from tracker.cli import main; sys.exit(main(sys.argv[1:]))"


def start_window(tmp_path, **env_changes: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([sys.executable, "-c", START, "--smoke-start", "--db", str(tmp_path / "x.db")],
                          env=env, capture_output=True, text=True, cwd=tmp_path)


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland displays are Linux's")
def test_no_display_is_one_line_before_qt_starts(tmp_path):
    line = one_line(start_window(tmp_path, DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None))
    assert line.startswith("tracker: No display found: ")
    assert line.endswith("set DISPLAY, or use QT_QPA_PLATFORM=offscreen for headless commands.")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland displays are Linux's")
def test_a_display_nobody_answers_is_one_line_not_an_abort(tmp_path):
    # Display 4321 has no X server (nor socket); Qt's xcb plugin would abort the process.
    assert not os.path.exists("/tmp/.X11-unix/X4321")
    line = one_line(start_window(tmp_path, DISPLAY=":4321", WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None))
    assert line.startswith("tracker: ")
    assert "set DISPLAY to a running desktop, or use QT_QPA_PLATFORM=offscreen" in line


def test_an_unknown_platform_plugin_is_one_line(tmp_path):
    line = one_line(start_window(tmp_path, QT_QPA_PLATFORM="nosuchplatform"))
    assert "Qt has no platform plugin named 'nosuchplatform' (QT_QPA_PLATFORM)" in line


def test_smoke_start_paints_and_exits_cleanly(tmp_path):
    from tracker.store.location import create_database

    create_database(tmp_path / "x.db").close()
    # No officer name anywhere: a smoke start is unattended and must not ask for one.
    result = start_window(tmp_path, QT_QPA_PLATFORM="offscreen", TRACKER_OFFICER=None)
    assert result.returncode == 0, result.stderr
    assert "Smoke start: the window painted its first frame" in result.stdout


def test_which_environments_count_as_no_display():
    assert no_display({}, "linux") is not None
    assert no_display({"DISPLAY": ":0"}, "linux") is None
    assert no_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert no_display({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert no_display({}, "win32") is None
    assert no_display({}, "darwin") is None


def test_what_qt_said_picks_the_sentence():
    said = ["qt.qpa.xcb: could not connect to display :7",
            "qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb "
            "platform plugin."]
    assert platform_failure(said, "xcb").startswith("No display found: could not connect to display :7;")
    missing_library = platform_failure(said[1:], "xcb")
    assert missing_library.startswith("The window cannot start: Qt could not load its 'xcb' platform")
    assert "QT_DEBUG_PLUGINS=1" in missing_library
