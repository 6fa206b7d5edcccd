"""The GUI-thread heartbeat over scripted scenarios: a 10 ms timer runs while an officer's action
is played on the real window; the longest gap between two ticks is how long the window froze.
A gap over 100 ms is a stall."""

from __future__ import annotations

import datasets
import harness
from harness import Heartbeat, PaintWatch, application, flush_deletes, run_events, wait_until
from pairs import clear_text, close_window, open_window, type_text, workdir

SETTLE = 0.5  # seconds of quiet that end a scenario


def _measure(beat: Heartbeat, action) -> float:
    run_events(0.2)
    beat.start()
    action()
    run_events(SETTLE)
    return beat.stop()


def _large_scenarios(work, beat: Heartbeat, note) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    source = datasets.return_5000()
    db = datasets.copy_db(datasets.large(), work / "large.db")
    window, _took = open_window(db, work)
    run_events(0.5)
    ws = window.workspace
    watch = PaintWatch(ws.tree)

    def typing() -> None:
        last = type_text(ws.filter_bar.text, datasets.FILTER_WORD)
        watch.settled(last)

    def clearing() -> None:
        watch.settled(clear_text(ws.filter_bar.text))

    note("typing a filter (3,000 of 10k match)", _measure(beat, typing))
    note("clearing it", _measure(beat, clearing))
    watch.detach()

    dialogs: list = []

    def preview() -> None:
        dialog = window.returns.import_return(source)
        dialogs.append(dialog)
        wait_until(lambda: harness.idle(dialog) and dialog.apply_button.isEnabled(), timeout=600)

    def apply() -> None:
        dialog = dialogs[0]
        applied: list = []
        dialog.applied.connect(applied.append)
        dialog.apply()
        wait_until(lambda: bool(applied) and harness.idle(dialog), timeout=600)

    note("import preview of a 5,000-row return", _measure(beat, preview))
    note("applying it (backup, write, window refresh)", _measure(beat, apply))
    dialogs[0].close()
    flush_deletes()

    def scrolling() -> None:
        window.show_indicators()
        grid = window.indicators.grid
        wait_until(lambda: not window.indicators.loading() and grid.waiting() == 0, timeout=120)
        assert len(grid.items) == datasets.LARGE_INDICATORS
        bar = grid.verticalScrollBar()
        while bar.value() < bar.maximum():
            QTest.keyClick(grid, Qt.Key.Key_PageDown)
            run_events(0.1)
        wait_until(lambda: grid.waiting() == 0, timeout=120)

    note("scrolling the indicators (200, PageDown to the end)", _measure(beat, scrolling))
    close_window(window)


def _report_scenario(work, beat: Heartbeat, note) -> None:
    office = datasets.copy_db(datasets.office(), work / "office.db")
    window, _took = open_window(office, work)
    run_events(0.5)
    dialogs: list = []

    def report() -> None:
        dialog = window.produce_report()
        dialogs.append(dialog)
        dialog.open_check.setChecked(False)
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(".pdf"))
        dialog.path_edit.setText(str(work / "report.pdf"))
        done: list = []
        dialog.report_written.connect(done.append)
        dialog.report_failed.connect(done.append)
        dialog.start()
        wait_until(lambda: bool(done) and not dialog.running, timeout=600)

    note("producing a report (PDF, 1,000 commitments, 100 indicators)", _measure(beat, report))
    dialogs[-1].close()
    close_window(window)


def group_stalls(runs: int) -> list[dict]:
    app = application()
    work = workdir("stalls")
    found: dict[str, list[float]] = {}

    def note(name: str, gap: float) -> None:
        found.setdefault(name, []).append(gap)

    first: dict[str, float] = {}

    def note_first(name: str, gap: float) -> None:
        first[name] = gap

    beat = Heartbeat()
    # One run before the measured ones, as every other group has: it pays what a process pays
    # once (the modules an action imports on first use, fonts, style and plot caches), not what
    # an officer meets each time. Its longest stalls are printed too, in a column of their own.
    _large_scenarios(work, beat, note_first)
    _report_scenario(work, beat, note_first)
    for _ in range(runs):
        _large_scenarios(work, beat, note)
        _report_scenario(work, beat, note)
    del app
    return [{"scenario": name, "gaps": gaps, "first": first.get(name)}
            for name, gaps in found.items()]
