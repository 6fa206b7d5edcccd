"""What the GUI thread loads when the officer opens the import dialog: not the workbook readers
(openpyxl takes a fifth of a second to import, during which the window cannot repaint); they
load on the dialog's worker when it reads the file."""

import os
import subprocess
import sys

CHILD = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from tracker import ops
from tracker.store import open_store
from tracker.ui.returns.import_dialog import ImportReturnDialog
store = open_store(sys.argv[1], create=True, officer="Test Officer")
dialog = ImportReturnDialog(store)
backup = ops.start_backup(store)
backup.wait()
backup.discard()
print(" ".join(sorted(m for m in ("openpyxl", "python_calamine") if m in sys.modules)) or "none")
dialog.deleteLater()
store.close()
"""


def test_opening_the_import_dialog_and_its_backup_loads_no_workbook_reader(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "tracker.db")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"


START = """
import sys
import tracker.cli
import tracker.ui.app
import tracker.ui.main_window
print(" ".join(m for m in ("openpyxl", "pyqtgraph", "sqlite_utils", "numpy", "docx", "typst",
                           "python_calamine") if m in sys.modules) or "none")
"""


def test_the_window_and_the_command_line_start_without_the_heavy_libraries():
    # The first frame needs none of them (openpyxl alone is a tenth of a second of start-up);
    # each loads when first used.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", START], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"


def test_the_command_line_loads_no_team_sync_library_for_other_commands():
    # apsw (SQLite's session extension) and psycopg serve only the team commands.
    child = ("import sys, tracker.cli as c; c.build_parser(); "
             "print(' '.join(m for m in ('apsw', 'psycopg') if m in sys.modules) or 'none')")
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"


PREVIEW = """
import sys
from tracker.exchange.return_preview import preview_return
from tracker.store import open_store
store = open_store(sys.argv[1], mode="read", officer="Test Officer")
preview = preview_return(store, sys.argv[2])
assert [c.kind for c in preview.changes] == ["evidence"] and not preview.problems
print(" ".join(m for m in ("openpyxl", "sqlite_utils") if m in sys.modules) or "none")
"""


def test_previewing_a_plain_return_loads_neither_openpyxl_nor_sqlite_utils(store, tmp_path):
    # calamine reads it: openpyxl's tenth of a second, and the tens of thousands of objects
    # its import leaves for the GUI thread's cycle collector to walk, are spared.
    from test_exchange_support import answer, edit, export

    from tracker.exchange import layout

    sent = export(store, tmp_path / "out")
    filled = edit(sent, tmp_path / "back.xlsx",
                  {answer(layout.COMMITMENTS, "evidence", 3): "Two new patrols began."})
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", PREVIEW, str(store.path), str(filled)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"


APPLY = """
import sys
from tracker import ops
from tracker.exchange.return_preview import preview_return
from tracker.store import open_store
store = open_store(sys.argv[1], officer="Test Officer")
result = ops.apply_return(store, preview_return(store, sys.argv[2]))
assert result.value.applied and result.value.evidence == 1
print(" ".join(m for m in ("openpyxl",) if m in sys.modules) or "none")
store.close()
"""


def test_applying_a_plain_return_loads_no_openpyxl(store, tmp_path):
    # The workbook writer (and openpyxl under it) is for sending workbooks: an officer's
    # first import of a session loaded it, a third of a second, before writing anything.
    from test_exchange_support import answer, edit, export

    from tracker.exchange import layout

    sent = export(store, tmp_path / "out")
    filled = edit(sent, tmp_path / "back.xlsx",
                  {answer(layout.COMMITMENTS, "evidence", 3): "Two new patrols began."})
    store.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", APPLY, str(store.path), str(filled)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"
