"""PySide6 windows, item models over the store, charts, dialogs, the undo history over
tracker.ops (history.py) and the one job runner (jobs.py)."""
