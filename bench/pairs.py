"""The measured pairs: each group times the tracker ("ours") and the floor (bare libraries) in turn,
in one process, on copies of the cached databases. A group returns table rows; run.py prints them.
"""

from __future__ import annotations

import gc
import shutil
import time
from pathlib import Path

import bare
import datasets
import harness
from harness import PaintWatch, alternate, application, flush_deletes, wait_until

TYPE_INTERVAL_MS = 150  # about 80 words a minute


def row(operation: str, size: str, ours: list[float], floor: list[float], goal: float,
        floor_label: str = "") -> dict:
    return {"operation": operation, "size": size, "ours": ours, "floor": floor, "goal": goal,
            "floor_label": floor_label}


def workdir(name: str) -> Path:
    path = datasets.work_folder() / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


# --- helpers on the window ----------------------------------------------------------------------

def fresh_settings(folder: Path):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    settings.clear()
    settings.sync()  # the cleared file written now, not by the window's first event loop turn
    return settings


def open_window(path: Path, settings_folder: Path):
    """The main window on a database, as the application opens it; returns it once its tree
    is painted, with the time that took (the store is opened inside the timing too)."""
    from tracker.store import open_store
    from tracker.ui.main_window import MainWindow

    settings = fresh_settings(settings_folder)
    started = time.perf_counter()
    store = open_store(path, officer="Bench")
    window = MainWindow(store, settings)
    # The window opens on its Home tab; the officer here works in the plan tree (the tab the
    # window shows when it was left on it), so that is what is timed until painted.
    window.tabs.setCurrentWidget(window.workspace)
    watch = PaintWatch(window.workspace.tree)
    window.show()
    painted = watch.settled(started)
    watch.detach()
    return window, painted - started


def close_window(window) -> None:
    window.shutdown()
    window.close()
    window.deleteLater()
    flush_deletes()
    # A closed window's widgets and the Python slots connected to them refer to one another, so
    # only the cycle collector frees them, and its next full pass (12,000 to 26,000 objects, 8 to
    # 43 ms on the GUI thread) fell inside whatever was timed next: the indicators' scrolling of
    # the next run of the stalls. The application makes one window a process, so no officer
    # meets that pass; it is made here, between measurements.
    gc.collect()


def shown_commitments(view) -> int:
    """Commitments the tree shows under opened priorities (plan > priority > commitment)."""
    model = view.model()
    total = 0
    for p in range(model.rowCount()):
        plan = model.index(p, 0)
        for q in range(model.rowCount(plan)):
            priority = model.index(q, 0, plan)
            if view.isExpanded(priority):
                total += model.rowCount(priority)
    return total


def type_text(widget, text: str, interval_ms: int = TYPE_INTERVAL_MS) -> float:
    """Type into a widget a key at a time at a person's pace (the event loop runs between keys);
    returns the moment just before the last key."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest

    keys = list(text)
    marks: list[float] = []
    timer = QTimer()
    timer.setInterval(interval_ms)

    def next_key() -> None:
        if len(keys) == 1:
            marks.append(time.perf_counter())
        QTest.keyClick(widget, keys.pop(0))
        if not keys:
            timer.stop()

    timer.timeout.connect(next_key)
    next_key()
    timer.start()
    wait_until(lambda: not keys)
    return marks[0]


def clear_text(widget) -> float:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    started = time.perf_counter()
    widget.selectAll()
    QTest.keyClick(widget, Qt.Key.Key_Backspace)
    return started


# --- open and filter ----------------------------------------------------------------------------

def group_tree(runs: int) -> list[dict]:
    app = application()
    work = workdir("tree")
    db = datasets.copy_db(datasets.large(), work / "large.db")
    size = "10k commitments / 1M evidence"

    def ours_open() -> float:
        window, took = open_window(db, work)
        model = window.workspace.tree.model()
        plan = model.index(0, 0)
        assert window.workspace.tree.isExpanded(plan) and model.rowCount(plan) == 20
        close_window(window)
        return took

    def bare_open(make) -> float:
        """A bare tree (or the bare window around one) made, filled and shown until painted."""
        started = time.perf_counter()
        made = make(db)
        watch = PaintWatch(made.view)
        made.show_plan()
        made.show()
        painted = watch.settled(started)
        watch.detach()
        made.close()
        flush_deletes()
        return painted - started

    def floor_open() -> float:
        return bare_open(bare.BareTree)

    def bare_window_open() -> float:
        return bare_open(bare.BareWindow)

    # An open is 15-30 ms, where a burst of other work on this shared machine moves a median
    # of five by a third: three times the runs (each waits 0.6 s for the paints to settle, so
    # about half a minute more).
    open_runs = 3 * runs
    opened = alternate(ours_open, floor_open, open_runs)
    # The same window built by bare PySide6: how much of the open is the window itself (its
    # menus, toolbar, tabs and filter bar), and how much the tracker's code adds to it.
    beside_window = alternate(ours_open, bare_window_open, open_runs)

    window, _took = open_window(db, work)
    ws = window.workspace
    line = ws.filter_bar.text
    ours_watch = PaintWatch(ws.tree)

    def ours_filter() -> float:
        last_key = type_text(line, datasets.FILTER_WORD)
        painted = ours_watch.settled(last_key)
        shown = shown_commitments(ws.tree)
        assert shown == datasets.FILTER_MATCHES, shown
        ours_watch.settled(clear_text(line))
        return painted - last_key

    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    host = QWidget()
    bare_line = QLineEdit()
    tree = bare.BareTree(db)
    layout = QVBoxLayout(host)
    layout.addWidget(bare_line)
    layout.addWidget(tree.view)
    host.resize(820, 860)
    tree.show_plan()
    bare_line.textChanged.connect(tree.show_filter)
    host.show()
    floor_watch = PaintWatch(tree.view)
    floor_watch.settled(time.perf_counter())

    def floor_filter() -> float:
        last_key = type_text(bare_line, datasets.FILTER_WORD)
        painted = floor_watch.settled(last_key)
        assert shown_commitments(tree.view) == datasets.FILTER_MATCHES
        floor_watch.settled(clear_text(bare_line))
        return painted - last_key

    filtered = alternate(ours_filter, floor_filter, runs)
    ours_watch.detach()
    floor_watch.detach()
    close_window(window)
    tree.close()
    host.close()
    host.deleteLater()
    flush_deletes()
    del app
    shutil.rmtree(work, ignore_errors=True)
    return [
        row("open: window until the tree is painted", size, *opened, 1.5,
            "bare SQL into a bare QTreeView + QStandardItemModel"),
        row("open: beside the same window made by bare PySide6", size, *beside_window, None,
            "bare PySide6 making the window's menus, toolbar, tabs, filter bar, legend and "
            "status bar around the bare tree above") | {"short": "open beside the window"},
        row(f"filter: type '{datasets.FILTER_WORD}' until painted (debounce counted)",
            f"{datasets.FILTER_MATCHES:,} of 10k, all priorities", *filtered, 2.0,
            "FTS query into a bare view, on each key"),
    ]


# --- import -------------------------------------------------------------------------------------

def group_import(runs: int) -> tuple[list[dict], list[str]]:
    from tracker.ui.collector import install as install_collector

    application()
    install_collector()  # as the window does: the dialog runs under its GUI-thread collector
    work = workdir("import")
    source = datasets.return_5000()
    timings: dict[str, list[float]] = {"preview": [], "apply": [], "backup": [], "backup_mib": []}
    _wrap_backup(timings)

    def ours() -> float:
        from tracker.store import open_store
        from tracker.ui.returns import open_import_dialog

        db = datasets.copy_db(datasets.large(), work / "large.db")
        store = open_store(db, officer="Bench")
        started = time.perf_counter()
        dialog = open_import_dialog(None, store, source)
        wait_until(lambda: harness.idle(dialog) and dialog.apply_button.isEnabled(), timeout=600)
        watch = PaintWatch(dialog.changes_view)
        shown = watch.settled(started, quiet=0.3)
        preview = shown - started
        assert dialog.preview is not None and not dialog.preview.problems
        applied: list[object] = []
        dialog.applied.connect(applied.append)
        started = time.perf_counter()
        dialog.apply()
        done = wait_until(lambda: bool(applied) and harness.idle(dialog), timeout=600)
        apply = done - started
        watch.detach()
        dialog.close()
        dialog.deleteLater()
        flush_deletes()
        store.close()
        timings["preview"].append(preview)
        timings["apply"].append(apply)
        return preview + apply

    def floor() -> float:
        started = time.perf_counter()
        rows = bare.read_workbook(source)
        assert rows > 5000
        return time.perf_counter() - started

    # The unmeasured first run of each (as every pair has): ours copies the 757 MiB database
    # before each run, outside the timing, so the warm-up costs a copy and one import.
    ours_times, floor_times = alternate(ours, floor, runs)
    for values in timings.values():
        del values[:1]  # what the unmeasured first run noted (one of each per import)
    shutil.rmtree(work, ignore_errors=True)
    n = len(timings["preview"])
    waited = timings.get("backup_wait", [])
    notes = [
        f"import: preview {harness.median(timings['preview']):.2f} s + apply "
        f"{harness.median(timings['apply']):.2f} s (medians of {n}); its backup of the "
        f"{harness.median(timings['backup_mib']):.0f} MiB database takes "
        f"{harness.median(timings['backup']):.2f} s"
        + (f" to copy on its own thread (begun as the preview is shown), the apply waited "
           f"{harness.median(waited):.2f} s for the copy, and its flush to disk after the "
           f"commit {harness.median(timings.get('backup_flush', [])):.2f} s"
           if waited else " inside the apply"),
    ]
    return [row("import: preview + apply + backup, 5,000-row return",
                "10k / 1M database", ours_times, floor_times, 1.5,
                "openpyxl read-only reading the file")], notes


def _wrap_backup(timings: dict[str, list[float]]) -> None:
    """Time the backups an import takes (wrappers that measure, nothing else): how long each
    copy takes on its own thread, and how long the apply waits for it before committing."""
    import sys

    import tracker.exchange.return_apply
    import tracker.ops.returns  # noqa: F401
    import tracker.store.backup as backup

    take = backup.take_backup

    def timed(*args, **kwargs):
        started = time.perf_counter()
        path = take(*args, **kwargs)
        timings["backup"].append(time.perf_counter() - started)
        timings["backup_mib"].append(Path(path).stat().st_size / 2**20)
        return path

    for module in list(sys.modules.values()):
        if getattr(module, "take_backup", None) is take:
            module.take_backup = timed
    running = getattr(backup, "BackupInBackground", None)
    if running is None:
        return
    copy = running._copy

    def timed_copy(self):
        started = time.perf_counter()
        path = copy(self)
        timings["backup"].append(time.perf_counter() - started)
        timings["backup_mib"].append(path.stat().st_size / 2**20)
        return path

    def timing(function, key: str):
        def timed_call(*args):
            started = time.perf_counter()
            try:
                return function(*args)
            finally:
                timings.setdefault(key, []).append(time.perf_counter() - started)
        return timed_call

    running._copy = timed_copy
    running.wait = timing(running.wait, "backup_wait")
    backup._flush = timing(backup._flush, "backup_flush")


# --- export -------------------------------------------------------------------------------------

def group_export(runs: int) -> list[dict]:
    from tracker.exchange.return_export import export_round
    from tracker.store import open_store

    work = workdir("export")
    db = datasets.copy_db(datasets.office(), work / "office.db")
    store = open_store(db, officer="Bench")
    counter = iter(range(10_000))
    exported: list = []

    def ours() -> float:
        out = work / f"ours-{next(counter)}"
        started = time.perf_counter()
        result = export_round(store, datasets.EXPORT_ROUND, out)
        took = time.perf_counter() - started
        assert len(result) == datasets.OFFICE_PARTNERS
        if not exported:
            exported.extend(result)
        else:
            shutil.rmtree(out)
        return took

    ours()
    # The floor writes the workbooks ours wrote (their layout, styles, validations and fixed
    # text, read back once from ours' files), with every cell that comes from the database
    # read by bare SQL inside its timing, as ours reads the store inside its own.
    specs = {r.path.name: bare.workbook_spec(r.path) for r in exported}
    refs_rows = {name: next(r + 1 for r, c, v, _q, _s in sheets[-1].cells if c == 1 and v == "ref")
                 for name, (sheets, _styles) in specs.items()}

    file_of = {r.partner_name: r.path.name for r in exported}

    def floor_cells() -> list[tuple[str, dict]]:
        conn = bare.connect(db)
        found = []
        for partner_id, name in bare.round_partners(conn):
            file = file_of[name]
            found.append((file, bare.partner_cells(conn, partner_id, datasets.EXPORT_ROUND,
                                                   refs_rows[file])))
        conn.close()
        return found

    checked = floor_cells()
    assert len(checked) == len(specs) == datasets.OFFICE_PARTNERS
    for file, values in checked:  # the floor's cells from SQL are those ours wrote
        sheets, _styles = specs[file]
        for sheet in sheets:
            given = values.get(sheet.title, {})
            spec_cells = {(r, c): v for r, c, v, _q, _s in sheet.cells
                          if (r, c) in given and v is not None}
            assert spec_cells == {k: v for k, v in given.items() if v is not None}, \
                (file, sheet.title)

    def floor() -> float:
        out = work / f"floor-{next(counter)}"
        out.mkdir()
        started = time.perf_counter()
        for file, values in floor_cells():
            sheets, styles = specs[file]
            bare.write_workbook(sheets, styles, out / file, values)
        took = time.perf_counter() - started
        shutil.rmtree(out)
        return took

    times = alternate(ours, floor, runs)
    store.close()
    cells = sum(len(s.cells) for sheets, _styles in specs.values() for s in sheets)
    shutil.rmtree(work, ignore_errors=True)
    return [row("export: 50 partner workbooks", f"{cells:,} cells", *times, 1.3,
                "bare SQL reading the partners' rows, openpyxl writing the same cells, styles "
                "and validations")]


# --- indicator grid -----------------------------------------------------------------------------

class _Paints:
    """The last paint of any widget in one window (an application-wide filter, used alike on
    both sides)."""

    def __init__(self, app, top) -> None:
        from PySide6.QtCore import QEvent, QObject

        outer = self

        class Filter(QObject):
            def eventFilter(self, obj, event) -> bool:
                if event.type() == QEvent.Type.Paint and hasattr(obj, "window") and \
                        obj.window() is top:
                    outer.last = time.perf_counter()
                return False

        self.last = 0.0
        self.filter = Filter()
        self.app = app
        app.installEventFilter(self.filter)

    def close(self) -> None:
        self.app.removeEventFilter(self.filter)


def _scroll_through(app, host, bar, idle, started: float) -> tuple[float, float]:
    """Show the host, wait for its first complete frame, then page down to the bottom, each
    page painted. Returns (opened, total), both counted from `started`."""
    from PySide6.QtCore import QCoreApplication

    paints = _Paints(app, host)
    host.show()
    wait_until(lambda: idle() and paints.last > started, timeout=300)
    QCoreApplication.processEvents()
    opened = paints.last - started
    while bar.value() < bar.maximum():
        step = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        wait_until(lambda step=step: idle() and paints.last > step, timeout=300)
        QCoreApplication.processEvents()
    total = paints.last - started
    paints.close()
    return opened, total


def group_grid(runs: int) -> list[dict]:
    import pyqtgraph as pg
    from PySide6.QtWidgets import QGridLayout, QScrollArea, QVBoxLayout, QWidget

    from tracker.store import open_store
    from tracker.ui.indicators import IndicatorsView
    from tracker.ui.indicators.grid import ROW_HEIGHT

    app = application()
    work = workdir("grid")
    db = datasets.copy_db(datasets.large(), work / "large.db")
    store = open_store(db, officer="Bench")
    opened: dict[str, list[float]] = {"ours": [], "floor": []}

    def ours() -> float:
        host = QWidget()
        QVBoxLayout(host).setContentsMargins(0, 0, 0, 0)
        host.resize(1400, 900)
        started = time.perf_counter()
        view = IndicatorsView(store, host)
        host.layout().addWidget(view)
        # The charts' data are read on a thread once the view is shown: waited for, and counted.
        first, took = _scroll_through(app, host, view.grid.verticalScrollBar(),
                                      lambda: not view.loading() and view.grid.waiting() == 0,
                                      started)
        assert len(view.grid.items) == datasets.LARGE_INDICATORS
        opened["ours"].append(first)
        view.shutdown()
        host.close()
        host.deleteLater()
        flush_deletes()
        return took

    def floor() -> float:
        host = QWidget()
        QVBoxLayout(host).setContentsMargins(0, 0, 0, 0)
        host.resize(1400, 900)
        started = time.perf_counter()
        # The indicators' values by bare SQL, inside the timing as ours reads them inside it.
        conn = bare.connect(db)
        charts = bare.chart_rows(conn)
        conn.close()
        area = QScrollArea()
        area.setWidgetResizable(True)
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setSpacing(10)
        plots = []
        for n, chart in enumerate(charts):
            widget = pg.PlotWidget(background="w")
            widget.setMinimumHeight(ROW_HEIGHT)
            widget.setTitle(chart.name)
            bare.draw_chart(widget.getPlotItem(), chart, compact=True)
            grid.addWidget(widget, n // 3, n % 3)
            plots.append(widget)
        area.setWidget(inner)
        host.layout().addWidget(area)
        first, total = _scroll_through(app, host, area.verticalScrollBar(), lambda: True, started)
        opened["floor"].append(first)
        for widget in plots:
            widget.close()
            widget.deleteLater()
        host.close()
        host.deleteLater()
        flush_deletes()
        return total

    times = alternate(ours, floor, runs)
    store.close()
    shutil.rmtree(work, ignore_errors=True)
    return [row("indicators: grid opened and scrolled to the end", "200 indicators", *times, 1.5,
                "bare pyqtgraph, a plot per indicator in a scroll area")]


# --- reports ------------------------------------------------------------------------------------

def _report_parity(work: Path) -> list[str]:
    """What ours and the floor wrote, side by side, so a reader can see the floor does the same
    work: the HTML's bytes and its tags by kind (the charts' SVG elements among them), every
    part of the Word file, and the PDF's pages and structure tags by kind."""
    import collections
    import re
    import zipfile

    notes = []
    pages = {who: (work / f"{who}.html").read_bytes() for who in ("ours", "floor")}
    tags = {who: collections.Counter(re.findall(rb"<([a-z][a-z0-9]*)", page))
            for who, page in pages.items()}
    shown = ("svg", "text", "line", "polyline", "circle", "rect", "polygon", "strong", "span",
             "section", "th", "td", "a")
    svg = {who: sum(len(m) for m in re.findall(rb"<svg\b.*?</svg>", page, flags=re.S))
           for who, page in pages.items()}
    notes.append(
        f"report HTML (ours / floor): {len(pages['ours']):,} / {len(pages['floor']):,} bytes "
        f"({'byte for byte the same file' if pages['ours'] == pages['floor'] else 'different'})"
        f", of which SVG {svg['ours']:,} / {svg['floor']:,}; "
        f"{sum(tags['ours'].values()):,} / {sum(tags['floor'].values()):,} tags: " + ", ".join(
            f"{tags['ours'][k.encode()]:,} / {tags['floor'][k.encode()]:,} {k}" for k in shown))
    with zipfile.ZipFile(work / "ours.docx") as a, zipfile.ZipFile(work / "floor.docx") as b:
        names = a.namelist()
        same = sum(1 for n in names if n in b.namelist() and a.read(n) == b.read(n))
        body = (len(a.read("word/document.xml")), len(b.read("word/document.xml")))
        notes.append(f"report Word (ours / floor): {len(names)} / {len(b.namelist())} parts, "
                     f"{same} of them the same bytes; document.xml {body[0]:,} / {body[1]:,} "
                     "bytes")
    try:
        import pikepdf
    except ImportError:
        return notes
    found = {}
    for who in ("ours", "floor"):
        with pikepdf.open(work / f"{who}.pdf") as pdf:
            counts: collections.Counter = collections.Counter()
            stack = [pdf.Root.StructTreeRoot]
            while stack:
                node = stack.pop()
                if "/S" in node:
                    counts[str(node.S)[1:]] += 1
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary))
                elif isinstance(kids, pikepdf.Dictionary):
                    stack.append(kids)
            found[who] = (len(pdf.pages), counts, (work / f"{who}.pdf").stat().st_size)
    (pa, ca, sa), (pb, cb, sb) = found["ours"], found["floor"]
    notes.append(f"report PDF (ours / floor): {sa:,} / {sb:,} bytes, {pa} / {pb} pages, "
                 f"{sum(ca.values()):,} / {sum(cb.values()):,} structure tags"
                 f" ({'the same' if ca == cb else 'different'} by kind): " + ", ".join(
                     f"{ca[k]:,} / {cb[k]:,} {k}" for k in ("H1", "H4", "P", "Strong", "Figure",
                                                           "Caption", "LI", "TD", "Link")))
    return notes


def group_reports(runs: int) -> tuple[list[dict], list[str]]:
    from tracker.reports.build import write_report
    from tracker.reports.charts import ensure_application
    from tracker.reports.content import ReportOptions
    from tracker.store import open_store

    ensure_application()
    work = workdir("reports")
    db = datasets.copy_db(datasets.office(), work / "office.db")
    store = open_store(db, mode="read")
    plan_id = store.execute("SELECT id FROM plan").fetchone()[0]
    options = ReportOptions(plan_id, closure=True)
    rows = []
    writers = {"html": bare.write_html, "docx": bare.write_docx, "pdf": bare.write_pdf}
    labels = {"html": "HTML", "docx": "Word", "pdf": "PDF"}
    floors = {"html": "an HTML string with the same markup and CSS",
              "docx": "python-docx set up as ours (styles, fields, tables; pictures drawn by "
                      "Typst, as ours)",
              "pdf": "Typst (PDF/UA-1), a template with the same styling rules"}
    for fmt, writer in writers.items():
        def ours(fmt=fmt) -> float:
            started = time.perf_counter()
            write_report(store, options, work / f"ours.{fmt}")
            return time.perf_counter() - started

        def floor(fmt=fmt, writer=writer) -> float:
            started = time.perf_counter()
            writer(db, work / f"floor.{fmt}")
            return time.perf_counter() - started

        # Most of a PDF is Typst's compile, which took 0.63-0.96 s on the same input here, for
        # ours and the floor alike: twice the runs, or a median of five was as often 1.35 as
        # 1.05 (12 runs each, alternated: 1.00 s against 0.95 s).
        times = alternate(ours, floor, 2 * runs)
        rows.append(row(f"report: closure report as {labels[fmt]}, charts drawn",
                        "1,000 commitments, 100 indicators", *times, 1.3,
                        "bare SQL, the same content worded in plain Python, bare SVG charts + "
                        + floors[fmt]) | {"short": f"report {labels[fmt]}"})
        flush_deletes()
    store.close()
    notes = _report_parity(work)
    shutil.rmtree(work, ignore_errors=True)
    return rows, notes


GROUPS = {
    "tree": group_tree,
    "import": group_import,
    "export": group_export,
    "grid": group_grid,
    "reports": group_reports,
}
