"""Opening a finished report where no program is registered for it says so (on Linux xdg-open
would start, fail unseen, and Qt would report success)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tracker.ui import system_open

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xdg-mime is Linux's")


def _desktop(monkeypatch, program: str) -> list:
    asked, opened = [], []

    def run(args, **_kwargs):
        asked.append(args)
        out = "application/pdf\n" if args[2] == "filetype" else program
        return subprocess.CompletedProcess(args, 0, stdout=out, stderr="")

    monkeypatch.setattr(system_open.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(system_open.subprocess, "run", run)
    monkeypatch.setattr(system_open.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    return opened


def test_no_program_for_the_type_is_false_and_nothing_is_started(monkeypatch, tmp_path):
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7\n")
    opened = _desktop(monkeypatch, "")
    assert system_open.open_with_system(report) is False
    assert opened == []


def test_a_registered_program_opens_the_file(monkeypatch, tmp_path):
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7\n")
    opened = _desktop(monkeypatch, "org.gnome.Evince.desktop\n")
    assert system_open.open_with_system(report) is True
    assert opened == [str(report)]
